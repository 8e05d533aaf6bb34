//! `tally run FILE`: runs a scenario file and prints the response to every call as one JSON array.
//! Exit status: 0 when the file ran, 2 when it is not a scenario (or cannot be read), 1 with
//! `--check` when the responses differ from the file's `expect`.

use std::process::ExitCode;
use tally_core::scenario::{check, render, Scenario};

const USAGE: &str = "usage: tally run [--check] [--explain] FILE\n  Runs the calls of a scenario file and prints every response as one JSON array.\n  --check    also compare with the file's \"expect\" and exit 1 on a difference\n  --explain  every invoice list is asked with explain=true: each line says why it costs what it does";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (flags, files): (Vec<&String>, Vec<&String>) = args.iter().skip(1).partition(|a| a.starts_with("--"));
    let check_expect = flags.iter().any(|f| *f == "--check");
    let explain = flags.iter().any(|f| *f == "--explain");
    if let Some(f) = flags.iter().find(|f| !["--check", "--explain"].contains(&f.as_str())) {
        eprintln!("tally: unknown option {f}\n{USAGE}");
        return ExitCode::from(2);
    }
    let (Some("run"), [file]) = (args.first().map(String::as_str), files.as_slice()) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("tally: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tally: {file} is not a scenario: {e}");
            return ExitCode::from(2);
        }
    };
    if explain {
        for c in &mut scenario.calls {
            explain_call(&mut c.call);
        }
    }
    let responses = scenario.responses();
    print!("{}", render(&responses));
    if check_expect {
        let problems = check(&scenario, &responses);
        for p in &problems {
            eprintln!("tally: {file}: {p}");
        }
        if !problems.is_empty() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// `GET /v1/customers/{id}/invoices[?...]` asked with `explain=true` added; other calls unchanged.
fn explain_call(call: &mut String) {
    let path = call.split('?').next().unwrap_or_default();
    if call.starts_with("GET ") && path.ends_with("/invoices") && !call.contains("explain=") {
        call.push(if call.contains('?') { '&' } else { '?' });
        call.push_str("explain=true");
    }
}
