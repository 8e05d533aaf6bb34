//! Runs every scenario file in the workspace's tests/scenarios/ and checks it against its `expect`.
//! Expectations there are worked out by hand (each with its `why`), not copied from Tally's output.

use std::path::PathBuf;
use tally_core::scenario::{check, Scenario};

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

#[test]
fn every_scenario_meets_its_expectations() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario files found");
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable scenario");
        let s = Scenario::parse(&text).unwrap_or_else(|e| panic!("{} is not a scenario: {e}", f.display()));
        assert!(
            s.expect.as_ref().is_some_and(|e| e.is_object()),
            "{} has no expect map",
            f.display()
        );
        let responses = s.responses();
        for p in check(&s, &responses) {
            failures.push(format!("{}: {p}", f.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenario expectation(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn running_twice_gives_the_same_bytes() {
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        assert_eq!(
            tally_core::scenario::run(&text).unwrap(),
            tally_core::scenario::run(&text).unwrap(),
            "{}",
            f.display()
        );
    }
}
