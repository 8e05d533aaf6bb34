//! Every scenario file's usage, written out as NDJSON, CSV (properties as columns) and Parquet
//! (properties as a struct, through DataFusion), rated through the warehouse with the scenario's state
//! emptied of events, gives the same invoices, byte for byte, as the same events stored in the core.
//! Each file is a test of its own, named after it.

use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::{JsonReadOptions, SessionContext};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::path::{Path, PathBuf};
use tally_core::scenario::Scenario;
use tally_core::usage::Event;
use tally_core::{State, Timestamp};
use tally_warehouse::{load, Dedupe, Options};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn invoices(state: &State, now: Timestamp) -> String {
    let mut all = Vec::new();
    for id in state.customers.keys() {
        let list = tally_core::api::read(state, &format!("GET /v1/customers/{id}/invoices"), &Value::Null, now)
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }));
        all.push(list);
    }
    serde_json::to_string_pretty(&all).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tally-warehouse-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The events as CSV with one column per property (a cell left empty where an event lacks it).
fn csv(events: &[Event]) -> String {
    let mut keys: Vec<String> = Vec::new();
    for e in events {
        for k in e.properties.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("transaction_id,customer_id,event_type,timestamp");
    for k in &keys {
        out.push(',');
        out.push_str(&quote(k));
    }
    out.push('\n');
    for e in events {
        let mut row = vec![
            quote(&e.transaction_id),
            quote(&e.customer_id),
            quote(&e.event_type),
            e.timestamp.to_string(),
        ];
        for k in &keys {
            row.push(match e.properties.get(k) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => quote(s),
                Some(v) => quote(&v.to_string()),
            });
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn parquet_from(ndjson: &Path, out: &Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let ctx = SessionContext::new();
        let df = ctx
            .read_json(
                ndjson.to_str().unwrap(),
                JsonReadOptions::default().file_extension(".ndjson"),
            )
            .await
            .unwrap();
        df.write_parquet(
            out.to_str().unwrap(),
            DataFrameWriteOptions::new().with_single_file_output(true),
            None,
        )
        .await
        .unwrap();
    });
}

/// A scenario file's state, when its calls store usage.
fn with_usage(file: &Path) -> Option<(Scenario, State)> {
    let scenario = Scenario::parse(&std::fs::read_to_string(file).ok()?).ok()?;
    let mut state = State::default();
    scenario.responses_on(&mut state);
    (!state.events.is_empty()).then_some((scenario, state))
}

/// The file's usage written as NDJSON, CSV and Parquet, each rated through the warehouse with the
/// state emptied of events, gives the core's invoices byte for byte.
fn rates_the_same(name: &str, scenario: &Scenario, state: &State) -> Result<(), Failed> {
    let events = one_type_per_property(state.events.events().collect());
    let want = invoices(state, scenario.now);
    let dir = scratch(name);
    let ndjson = dir.join("usage.ndjson");
    let lines: Vec<String> = events.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
    std::fs::write(&ndjson, lines.join("\n") + "\n").unwrap();
    let csv_file = dir.join("usage.csv");
    std::fs::write(&csv_file, csv(&events)).unwrap();
    // Parquet cannot hold an empty struct: events without properties leave the column out.
    let plain = dir.join("plain.ndjson");
    let lines: Vec<String> = events
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap();
            if e.properties.is_empty() {
                v.as_object_mut().unwrap().remove("properties");
            }
            v.to_string()
        })
        .collect();
    std::fs::write(&plain, lines.join("\n") + "\n").unwrap();
    let parquet = dir.join("usage.parquet");
    parquet_from(&plain, &parquet);
    for usage in [&ndjson, &csv_file, &parquet] {
        let mut emptied = state.clone();
        emptied.events = Default::default();
        let options = Options {
            usage: vec![usage.clone()],
            aggregates: vec![],
            dedupe: Dedupe::Ordered,
            horizon: scenario.now,
        };
        let report = load(&mut emptied, &options, &mut |_| {}).map_err(|e| e.report())?;
        let file = usage.display();
        if report.refused != 0 {
            return Err(format!("{file}: {} rows refused", report.refused).into());
        }
        if report.aggregated + report.as_rows != events.len() as u64 {
            return Err(format!(
                "{file}: {} events read of {}",
                report.aggregated + report.as_rows,
                events.len()
            )
            .into());
        }
        // No scenario cuts usage off the hour (tests/warehouse.rs does): every event came aggregated.
        if report.as_rows != 0 {
            return Err(format!("{file}: {} events read as rows, not aggregated", report.as_rows).into());
        }
        let got = invoices(&emptied, scenario.now);
        if got != want {
            return Err(format!("{file} rates differently:\n{}", first_difference(&want, &got)).into());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Each scenario file with usage is a test of its own, named after the file.
fn main() {
    let mut trials = Vec::new();
    for file in scenario_files() {
        let Some((scenario, state)) = with_usage(&file) else {
            continue;
        };
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        trials.push(Trial::test(name.clone(), move || {
            rates_the_same(&name, &scenario, &state)
        }));
    }
    let count = trials.len();
    trials.push(Trial::test("enough_scenario_files_have_usage", move || {
        if count >= 20 {
            Ok(())
        } else {
            Err(format!("only {count} scenario files with usage").into())
        }
    }));
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// A file column has one type: a property that is a number in some events and text (or true/false) in
/// others is written as text everywhere, which rates the same (the core reads "3" as it reads 3).
fn one_type_per_property(mut events: Vec<Event>) -> Vec<Event> {
    let mut kinds: std::collections::HashMap<String, std::collections::HashSet<u8>> = Default::default();
    for e in &events {
        for (k, v) in &e.properties {
            let kind = match v {
                Value::Number(_) => 0,
                Value::String(_) => 1,
                Value::Bool(_) => 2,
                Value::Null => continue,
                _ => 3,
            };
            kinds.entry(k.clone()).or_default().insert(kind);
        }
    }
    for e in &mut events {
        for (k, v) in e.properties.iter_mut() {
            if kinds.get(k).is_some_and(|s| s.len() > 1) && !v.is_null() {
                let text = match &*v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                *v = Value::String(text);
            }
        }
    }
    events
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (a, b)) in want.lines().zip(got.lines()).enumerate() {
        if a != b {
            let from = i.saturating_sub(12);
            let ctx: Vec<&str> = want.lines().skip(from).take(14).collect();
            return format!("line {i}: want `{a}`, got `{b}`\ncontext (want):\n{}", ctx.join("\n"));
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        want.lines().count(),
        got.lines().count()
    )
}
