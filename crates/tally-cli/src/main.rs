//! `tally`: scenario files and exported states from the command line, and in anyone's CI.
//! The commands, their flags and exit statuses are in docs/cli.md; `tally --help` prints them.
//!
//! Exit status: 0 when all is well (and, for `diff`, nothing changed), 1 when an expectation fails or
//! a diff finds a change, 2 on bad input (a flag, a file that cannot be read, or is not a scenario or state).

mod cli;
mod diff;
#[cfg(feature = "warehouse")]
mod rate;
#[cfg(feature = "serve")]
mod serve;
mod test;

use clap::Parser;
use cli::{Cli, Command, RunArgs};
use std::path::Path;
use std::process::ExitCode;
use tally_core::scenario::{check_calls, check_calls_allowing_unchecked, render, Scenario};

// `tally rate` turns millions of aggregates into as many small allocations, which glibc's malloc
// spends a third of the run merging and freeing; mimalloc does not (docs/dependencies.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A failure the user can act on: one line, and for a wrong use of a command, where to read more.
pub struct Failure {
    message: String,
    hint: Option<&'static str>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, hint: None }
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_string())
    }
}

impl Failure {
    /// A wrong use of `command`: its help says how to use it.
    pub fn usage(message: impl Into<String>, command: &'static str) -> Failure {
        Failure {
            message: message.into(),
            hint: Some(command),
        }
    }
}

pub fn read(file: &Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
}

/// Checked before any work, so a long run does not end in "cannot write": the folder exists and the
/// file, if there, is a file that may be written.
pub fn writable(file: &Path) -> Result<(), String> {
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!(
            "cannot write {}: there is no folder {}",
            file.display(),
            folder.display()
        ));
    }
    match std::fs::metadata(file) {
        Ok(m) if m.is_dir() => Err(format!("cannot write {}: it is a folder", file.display())),
        Ok(m) if m.permissions().readonly() => Err(format!("cannot write {}: it is read-only", file.display())),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Run(a) => run(&a),
        Command::Test(a) => test::test(&a),
        Command::Diff(a) => diff::diff(&a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::serve(&a),
        #[cfg(not(feature = "serve"))]
        Command::Serve { .. } => Err(built_without("serve", "serve")),
        #[cfg(feature = "warehouse")]
        Command::Rate(a) => rate::rate(&a),
        #[cfg(not(feature = "warehouse"))]
        Command::Rate { .. } => Err(built_without("warehouse", "rate")),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("tally: {}", f.message);
            if let Some(command) = f.hint {
                eprintln!("For more information, try 'tally {command} --help'.");
            }
            ExitCode::from(2)
        }
    }
}

/// The failure of `tally COMMAND` in a build made without the feature it needs.
#[cfg(any(not(feature = "serve"), not(feature = "warehouse")))]
fn built_without(feature: &str, command: &str) -> Failure {
    Failure::from(format!(
        "this tally was built without the `{feature}` feature, which `tally {command}` needs: \
         cargo install tally-cli (its default features include it)"
    ))
}

/// `GET /v1/customers/{id}/invoices[?...]` asked with `explain=true` added; other calls unchanged.
fn explain_call(call: &mut String) {
    let path = call.split('?').next().unwrap_or_default();
    if call.starts_with("GET ") && path.ends_with("/invoices") && !call.contains("explain=") {
        call.push(if call.contains('?') { '&' } else { '?' });
        call.push_str("explain=true");
    }
}

fn run(a: &RunArgs) -> Result<u8, Failure> {
    if let Some(f) = &a.export {
        writable(f)?;
    }
    let file = a.file.display();
    let text = read(&a.file)?;
    let mut scenario = Scenario::parse(&text).map_err(|e| format!("{file} is not a scenario: {e}"))?;
    if a.explain {
        for c in &mut scenario.calls {
            explain_call(&mut c.call);
        }
    }
    let mut state = match &a.import {
        Some(f) => tally_core::state::import(&read(f)?)
            .map_err(|e| format!("{} is not an exported state: {e}", f.display()))?,
        None => tally_core::State::default(),
    };
    let responses = scenario.responses_on(&mut state);
    print!("{}", render(&responses));
    if let Some(f) = &a.export {
        std::fs::write(f, tally_core::state::export(&state))
            .map_err(|e| format!("cannot write {}: {e}", f.display()))?;
    }
    if a.check {
        let problems = if a.allow_unchecked {
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
