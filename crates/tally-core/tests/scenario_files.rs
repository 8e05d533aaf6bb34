//! Every scenario file in the workspace's tests/scenarios/ is a test of its own, named after the file:
//! it meets its `expect`, and running it twice gives the same bytes. Expectations there are worked out
//! by hand (each with its `why`), not copied from Tally's output. `cargo test -p tally-core --test
//! scenario_files -- rounding` runs the files whose name holds "rounding".

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use tally_core::scenario::{check, run, Scenario};

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn meets_its_expectations(file: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read it: {e}"))?;
    let s = Scenario::parse(&text).map_err(|e| format!("not a scenario: {e}"))?;
    if !s.expect.as_ref().is_some_and(|e| e.is_object()) {
        return Err("it has no expect map".into());
    }
    let problems = check(&s, &s.responses());
    if !problems.is_empty() {
        return Err(format!("{} expectation(s) failed:\n{}", problems.len(), problems.join("\n")).into());
    }
    if run(&text).ok() != run(&text).ok() {
        return Err("running it twice gave different bytes".into());
    }
    Ok(())
}

fn main() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario files found");
    let trials = files
        .into_iter()
        .map(|f| {
            let name = f.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            Trial::test(name, move || meets_its_expectations(&f))
        })
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
