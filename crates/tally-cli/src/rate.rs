//! `tally rate`: a warehouse's usage (Parquet, CSV, NDJSON files) rated with an exported state, through
//! DataFusion (`tally_warehouse`): the invoices of every customer, as JSON or one CSV row per line.

use crate::cli::RateArgs;
use crate::{read, writable, Failure};
use serde_json::{json, Value};
use std::time::Instant;
use tally_core::diff::Side;
use tally_core::Timestamp;
use tally_warehouse::Dedupe;

pub fn rate(a: &RateArgs) -> Result<u8, Failure> {
    if let Some(f) = &a.out {
        writable(f)?;
    }
    let file = a.state.display();
    let side = Side::read(&read(&a.state)?).map_err(|e| format!("{file}: {e}"))?;
    for r in &side.refused {
        eprintln!("tally: {file}: {r}");
    }
    let mut state = side.state;
    let now = a.now.or(side.now).unwrap_or_else(|| Timestamp(chrono::Utc::now()));
    let (from, to) = (a.from, a.to);
    if a.usage.is_empty() && a.aggregates.is_empty() {
        eprintln!("tally: rate: no --usage or --aggregates: rating the state's own events only");
    }
    let customers: Vec<String> = match &a.customer {
        Some(id) if state.customers.contains_key(id) => vec![id.clone()],
        Some(id) => {
            return Err(Failure::usage(
                format!("--customer {id}: the state has no such customer"),
                "rate",
            ))
        }
        None => state.customers.keys().cloned().collect(),
    };
    let options = tally_warehouse::Options {
        usage: a.usage.clone(),
        aggregates: a.aggregates.clone(),
        dedupe: if a.assume_unique_ids {
            Dedupe::Off
        } else {
            Dedupe::Ordered
        },
        horizon: to.unwrap_or(now),
    };
    load(&mut state, &options)?;
    let started = Instant::now();
    let query = query(from, to);
    let invoices = tally_warehouse::invoices(&state, &customers, &query, now).map_err(|e| e.report())?;
    let not_billed = not_billed(&state, to.unwrap_or(now));
    let answer = json!({ "data": invoices, "not_billed": not_billed });
    eprintln!(
        "tally: rate: rated {} customer(s) in {:.2} s: {} invoices",
        customers.len(),
        started.elapsed().as_secs_f64(),
        invoices.len()
    );
    let out = match &a.out {
        Some(f) if f.extension().is_some_and(|x| x == "csv") => Some((f, csv(&invoices))),
        Some(f) => Some((f, serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n")),
        None => None,
    };
    match out {
        Some((f, text)) => std::fs::write(f, text).map_err(|e| format!("cannot write {}: {e}", f.display()))?,
        None => print!("{}", serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n"),
    }
    Ok(0)
}

/// Reads the warehouse's usage into `state`, saying every 10 s that a long aggregation is still at
/// work, and then what it read and refused.
fn load(state: &mut tally_core::State, options: &tally_warehouse::Options) -> Result<(), Failure> {
    let mut progress = |m: &str| eprintln!("tally: rate: {m}");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = {
        let done = done.clone();
        let started = Instant::now();
        std::thread::spawn(move || {
            let mut next = 10;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if started.elapsed().as_secs() >= next {
                    eprintln!("tally: rate: still reading and aggregating ({next} s)");
                    next += 10;
                }
            }
        })
    };
    let loaded = tally_warehouse::load(state, options, &mut progress);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = ticker.join();
    let report = loaded.map_err(|e| e.report())?;
    let per_second = |n: u64, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
    eprintln!(
        "tally: rate: read {} file(s) in {:.2} s: {} events into {} hourly aggregates, {} events as rows ({:.0} events/s)",
        report.files,
        report.seconds,
        report.aggregated,
        report.aggregates,
        report.as_rows,
        per_second(report.aggregated + report.as_rows, report.seconds)
    );
    if report.refused > 0 {
        eprintln!(
            "tally: rate: {} row(s) refused and not rated: without a transaction_id, customer_id, event_type or timestamp",
            report.refused
        );
    }
    Ok(())
}

/// The invoice query of `--from` and `--to`.
fn query(from: Option<Timestamp>, to: Option<Timestamp>) -> String {
    let mut query = Vec::new();
    if let Some(t) = from {
        query.push(format!("starting_on={t}"));
    }
    if let Some(t) = to {
        query.push(format!("ending_before={t}"));
    }
    if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    }
}

/// What bills nothing through `at`, counted by reason (said, never dropped in silence: on stderr and in
/// the JSON written as `not_billed`, as the JS package's ingest answer counts it).
fn not_billed(state: &tally_core::State, at: Timestamp) -> serde_json::Map<String, Value> {
    let not_billed: serde_json::Map<String, Value> = tally_core::unbilled::not_billed_by_reason(state, at)
        .into_iter()
        .map(|(r, n)| {
            (
                serde_json::to_value(r)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                json!(n),
            )
        })
        .collect();
    if !not_billed.is_empty() {
        let said: Vec<String> = not_billed.iter().map(|(r, n)| format!("{n} {r}")).collect();
        eprintln!("tally: rate: events that bill nothing, by reason: {}", said.join(", "));
    }
    not_billed
}

/// One row per line item, with its invoice's customer, contract, type and dates.
fn csv(invoices: &[Value]) -> String {
    const HEADER: [&str; 15] = [
        "customer_id",
        "contract_id",
        "invoice_id",
        "invoice_type",
        "status",
        "issued_at",
        "start_timestamp",
        "end_timestamp",
        "line_name",
        "line_type",
        "product_id",
        "quantity",
        "unit_price",
        "total",
        "commit_id",
    ];
    let cell = |v: &Value| -> String {
        let s = match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = HEADER.join(",") + "\n";
    for inv in invoices {
        for line in inv["line_items"].as_array().into_iter().flatten() {
            let row = [
                &inv["customer_id"],
                &inv["contract_id"],
                &inv["id"],
                &inv["type"],
                &inv["status"],
                &inv["issued_at"],
                &inv["start_timestamp"],
                &inv["end_timestamp"],
                &line["name"],
                &line["type"],
                &line["product_id"],
                &line["quantity"],
                &line["unit_price"],
                &line["total"],
                &line["commit_id"],
            ];
            out.push_str(&row.iter().map(|v| cell(v)).collect::<Vec<_>>().join(","));
            out.push('\n');
        }
    }
    out
}
