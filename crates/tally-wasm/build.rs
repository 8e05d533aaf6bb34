//! Embeds every scenario file of tests/scenarios/ into the browser tests, which have no file system,
//! together with what the native build of tally-core prints for it (`tally run`): this script runs
//! on the host, so the browser test can check the wasm build gives the very same bytes.
use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../tests/scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let mut out = String::from("pub const SCENARIOS: &[(&str, &str, &str)] = &[\n");
    for f in files {
        let abs = fs::canonicalize(&f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&abs).unwrap();
        let native = tally_core::scenario::run(&text).unwrap_or_else(|e| format!("not a scenario: {e}"));
        let native_file = out_dir.join(format!("{name}.native.json"));
        fs::write(&native_file, native).unwrap();
        out += &format!(
            "    ({name:?}, include_str!({:?}), include_str!({:?})),\n",
            abs.display().to_string(),
            native_file.display().to_string()
        );
    }
    out += "];\n";
    fs::write(out_dir.join("scenarios.rs"), out).unwrap();
}
