//! `tally test [PATH...]`: every scenario file under the paths, checked against its expectations.

use crate::cli::TestArgs;
use crate::{read, Failure};
use std::path::{Path, PathBuf};
use tally_core::scenario::{check_calls, check_calls_allowing_unchecked, expectations, Scenario};

/// The `.json` files at `path` (itself, or under it at any depth), sorted.
fn files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut found: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    found.sort();
    for p in found {
        if p.is_dir() {
            files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    Ok(())
}

/// Counts expectations: one per call index in a file's `expect`, failed when any difference is about
/// that call. A file that cannot be read as a scenario, or a difference about the file itself, fails
/// one more.
pub fn test(a: &TestArgs) -> Result<u8, Failure> {
    let mut list = Vec::new();
    for r in &a.paths {
        files(r, &mut list)?;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &list {
        let name = f.display();
        let scenario = match read(f).and_then(|t| Scenario::parse(&t).map_err(|e| e.to_string())) {
            Ok(s) => s,
            Err(e) => {
                println!("{name}: not a scenario: {e}");
                failed += 1;
                continue;
            }
        };
        let responses = scenario.responses();
        let problems = if a.allow_unchecked {
            check_calls_allowing_unchecked(&scenario, &responses)
        } else {
            check_calls(&scenario, &responses)
        };
        for (_, p) in &problems {
            println!("{name}: {p}");
        }
        let mut calls: Vec<usize> = problems.iter().filter_map(|(c, _)| *c).collect();
        calls.sort_unstable();
        calls.dedup();
        let whole = problems.iter().any(|(c, _)| c.is_none()) as usize;
        // A refused call no expectation mentions fails too, beside the expectations.
        let keys: Vec<usize> = scenario
            .expect
            .as_ref()
            .and_then(|e| e.as_object())
            .map(|o| o.keys().filter_map(|k| k.parse().ok()).collect())
            .unwrap_or_default();
        let missed = calls.iter().filter(|c| keys.contains(c)).count();
        failed += calls.len() + whole;
        passed += expectations(&scenario) - missed.min(expectations(&scenario));
    }
    println!("{passed} passed, {failed} failed ({} scenario files)", list.len());
    Ok(if failed > 0 { 1 } else { 0 })
}
