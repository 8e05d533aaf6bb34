//! `tally`: scenario files and exported states from the command line, and in anyone's CI.
//! - `tally run FILE`: the response to every call of a scenario, as one JSON array;
//! - `tally test [PATH...]`: every scenario under the paths checked against its expectations;
//! - `tally diff BEFORE AFTER`: what a change does to every customer's invoices;
//! - `tally rate --state STATE --usage PATH...`: a warehouse's usage files rated through DataFusion.
//!
//! Exit status: 0 when all is well (and, for `diff`, nothing changed), 1 when an expectation fails or
//! a diff finds a change, 2 on bad input (a file that cannot be read, or is not a scenario or state).

mod diff;
mod rate;
mod test;

use std::process::ExitCode;
use tally_core::scenario::{check_calls, check_calls_allowing_unchecked, render, Scenario};

// `tally rate` turns millions of aggregates into as many small allocations, which glibc's malloc
// spends a third of the run merging and freeing; mimalloc does not (README: Speed).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  tally run [--check [--allow-unchecked]] [--explain] [--import STATE.json] [--export STATE.json] FILE
      Runs the calls of a scenario file and prints every response as one JSON array.
      --check    also compare with the file's \"expect\" and exit 1 on a difference; a file that
                 checks nothing (no expectation, or a refused call no expectation names) fails too,
                 unless --allow-unchecked
      --explain  every invoice list is asked with explain=true: each line says why it costs what it does
      --import   start from an exported state instead of an empty one
      --export   write the state after the calls (the app's Export format) to STATE.json
  tally test [--allow-unchecked] [PATH...]
      Runs every scenario file under the paths (default tests/scenarios) with its expectations;
      one line per failed expectation, then `N passed, N failed`. Exit 1 on any failure. A file that
      checks nothing (no expectation, a misspelled \"expect\", or a refused call no expectation
      names) fails, unless --allow-unchecked.
  tally rate --state STATE.json [--usage PATH]... [--aggregates FILE]... [--from T] [--to T]
             [--customer ID] [--now T] [--out FILE.json|FILE.csv] [--assume-unique-ids]
      Rates usage files or folders (Parquet, CSV, NDJSON) with an exported state (or a scenario file),
      through DataFusion: every customer's invoices as {\"data\": [...], \"not_billed\": {reason: events}},
      or one CSV row per line item; what bills nothing is counted by reason on stderr too.
      The state's events count first, then the files in order, rows in file order; a repeated
      transaction_id counts once unless --assume-unique-ids. --aggregates reads hourly aggregates made
      elsewhere (README). A PATH may be a file:// URL; s3://, gs:// and http(s):// need the build's
      object-store feature.
  tally diff BEFORE AFTER [--now T] [--through T] [--format table|json|markdown]
      BEFORE and AFTER are scenario files or exported states. Prints what changed on every customer's
      invoices through T. Exit 0 when nothing changed, 1 when something did, 2 on bad input.";

/// The command line split into options (`--name value`, or a lone `--flag`) and plain arguments.
pub struct Args {
    pub plain: Vec<String>,
    pub options: Vec<(String, Option<String>)>,
}

impl Args {
    fn parse(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<Args, String> {
        let (mut plain, mut options) = (Vec::new(), Vec::new());
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if with_value.contains(&a.as_str()) {
                let v = it.next().ok_or(format!("{a} needs a value"))?;
                options.push((a.clone(), Some(v.clone())));
            } else if flags.contains(&a.as_str()) {
                options.push((a.clone(), None));
            } else if a.starts_with("--") {
                return Err(format!("unknown option {a}"));
            } else {
                plain.push(a.clone());
            }
        }
        Ok(Args { plain, options })
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    /// Every value given to a repeatable option, in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.options
            .iter()
            .filter(move |(n, _)| n == name)
            .filter_map(|(_, v)| v.as_deref())
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

pub fn read(file: &str) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let outcome = match args.first().map(String::as_str) {
        Some("run") => Args::parse(
            rest,
            &["--import", "--export"],
            &["--check", "--explain", "--allow-unchecked"],
        )
        .and_then(|a| run(&a)),
        Some("test") => Args::parse(rest, &[], &["--allow-unchecked"]).and_then(|a| test::test(&a)),
        Some("rate") => Args::parse(
            rest,
            &[
                "--state",
                "--usage",
                "--aggregates",
                "--from",
                "--to",
                "--customer",
                "--now",
                "--out",
            ],
            &["--assume-unique-ids"],
        )
        .and_then(|a| rate::rate(&a)),
        Some("diff") => Args::parse(rest, &["--now", "--through", "--format"], &[]).and_then(|a| diff::diff(&a)),
        _ => Err(String::new()),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            if message.is_empty() {
                eprintln!("{USAGE}");
            } else {
                eprintln!("tally: {message}\n{USAGE}");
            }
            ExitCode::from(2)
        }
    }
}

/// `GET /v1/customers/{id}/invoices[?...]` asked with `explain=true` added; other calls unchanged.
fn explain_call(call: &mut String) {
    let path = call.split('?').next().unwrap_or_default();
    if call.starts_with("GET ") && path.ends_with("/invoices") && !call.contains("explain=") {
        call.push(if call.contains('?') { '&' } else { '?' });
        call.push_str("explain=true");
    }
}

fn run(a: &Args) -> Result<u8, String> {
    let [file] = a.plain.as_slice() else {
        return Err("run takes one scenario file".into());
    };
    let text = read(file)?;
    let mut scenario = Scenario::parse(&text).map_err(|e| format!("{file} is not a scenario: {e}"))?;
    if a.flag("--explain") {
        for c in &mut scenario.calls {
            explain_call(&mut c.call);
        }
    }
    let mut state = match a.value("--import") {
        Some(f) => tally_core::state::import(&read(f)?).map_err(|e| format!("{f} is not an exported state: {e}"))?,
        None => tally_core::State::default(),
    };
    let responses = scenario.responses_on(&mut state);
    print!("{}", render(&responses));
    if let Some(f) = a.value("--export") {
        std::fs::write(f, tally_core::state::export(&state)).map_err(|e| format!("cannot write {f}: {e}"))?;
    }
    if a.flag("--check") {
        let problems = if a.flag("--allow-unchecked") {
            check_calls_allowing_unchecked(&scenario, &responses)
        } else {
            check_calls(&scenario, &responses)
        };
        for (_, p) in &problems {
            eprintln!("tally: {file}: {p}");
        }
        if !problems.is_empty() {
            return Ok(1);
        }
    }
    Ok(0)
}
