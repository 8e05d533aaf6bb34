//! Rating speed: 1,000,000 usage events over 12 monthly periods and 50 products, into a year of
//! invoices (with a prepaid commit drawing down and a tag override). Prints events per second.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};
use std::time::Duration;
use tally_core::{call, State, Timestamp};

pub const EVENTS: usize = 1_000_000;
const PRODUCTS: usize = 50;

/// The catalog, customer and contract the benchmark rates against.
fn setup() -> State {
    let mut s = State::default();
    let now = Timestamp::ymd(2026, 1, 15);
    let mut rates = Vec::new();
    for i in 0..PRODUCTS {
        call(&mut s, "POST /v1/billable-metrics/create", &json!({"id": format!("m{i}"), "name": format!("Metric {i}"),
            "event_type_filter": {"in_values": [format!("e{i}")]}, "aggregation_type": "SUM", "aggregation_key": "q", "group_keys": [["region"]]}), now).unwrap();
        let tags = if i % 2 == 0 { vec!["cloud"] } else { vec![] };
        let mut product = json!({"id": format!("p{i}"), "name": format!("Product {i}"), "type": "USAGE", "billable_metric_id": format!("m{i}"), "tags": tags});
        if i % 5 == 0 {
            product["presentation_group_key"] = json!(["region"]);
        }
        call(&mut s, "POST /v1/contract-pricing/products/create", &product, now).unwrap();
        rates.push(if i % 3 == 0 {
            json!({"product_id": format!("p{i}"), "starting_at": "2025-01-01T00:00:00Z", "rate_type": "TIERED",
                   "tiers": [{"size": 10000, "price": 2}, {"price": 1}]})
        } else {
            json!({"product_id": format!("p{i}"), "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": "0.5"})
        });
    }
    call(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        &json!({"id": "commit", "name": "Commit", "type": "FIXED"}),
        now,
    )
    .unwrap();
    call(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        &json!({"id": "rc", "name": "List", "rates": rates}),
        now,
    )
    .unwrap();
    call(
        &mut s,
        "POST /v1/customers",
        &json!({"id": "c", "name": "Bench Co", "ingest_aliases": ["bench"]}),
        now,
    )
    .unwrap();
    call(&mut s, "POST /v1/contracts/create", &json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
        "ending_before": "2026-01-01T00:00:00Z",
        "commits": [{"type": "PREPAID", "name": "Commit", "product_id": "commit", "applicable_product_tags": ["cloud"],
            "access_schedule": {"schedule_items": [{"amount": 50000000, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2026-01-01T00:00:00Z"}]},
            "invoice_schedule": {"schedule_items": [{"timestamp": "2025-01-01T00:00:00Z", "amount": 50000000}]}}],
        "overrides": [{"starting_at": "2025-06-01T00:00:00Z", "type": "MULTIPLIER", "multiplier": 0.9, "applicable_product_tags": ["cloud"]}]}), now).unwrap();
    s
}

/// A year of events, deterministic (a small LCG), spread over the products, regions and 2025.
pub fn events(n: usize) -> Value {
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        x >> 33
    };
    let start = Timestamp::ymd(2025, 1, 1).0.timestamp();
    let year = 365 * 24 * 3600;
    let regions = ["US", "EU", "APAC"];
    Value::Array(
        (0..n)
            .map(|i| {
                let t = chrono::DateTime::from_timestamp(start + (next() % year) as i64, 0).unwrap();
                json!({"transaction_id": format!("t{i}"), "customer_id": if i % 2 == 0 { "c" } else { "bench" },
                       "event_type": format!("e{}", next() % PRODUCTS as u64), "timestamp": t.to_rfc3339(),
                       "properties": {"q": next() % 100, "region": regions[(next() % 3) as usize]}})
            })
            .collect(),
    )
}

fn rating(c: &mut Criterion) {
    let now = Timestamp::ymd(2026, 1, 15);
    let body = events(EVENTS);
    let text = body.to_string();
    // Ingest straight from JSON text, as `ingestText` and the app's file import do (best of three).
    let mut s = setup();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        s = setup();
        let started = std::time::Instant::now();
        tally_core::api::ingest_text(&mut s, &text, tally_core::usage::Format::Json).unwrap();
        best = best.min(started.elapsed());
    }
    println!(
        "ingest of {EVENTS} events from JSON text ({} MB): {best:.2?}, {:.2} M events/s",
        text.len() / 1_000_000,
        EVENTS as f64 / best.as_secs_f64() / 1e6
    );
    let (rows, ids) = s.events.bytes();
    println!(
        "usage store: {:.1} MB for the events ({:.0} B/event), {:.1} MB for the transaction ids and their de-duplication table ({:.0} B/event)",
        rows as f64 / 1e6,
        rows as f64 / EVENTS as f64,
        ids as f64 / 1e6,
        ids as f64 / EVENTS as f64
    );
    let started = std::time::Instant::now();
    let first = call(
        &mut s,
        "GET /v1/customers/c/invoices?ending_before=2026-01-01T00:00:00Z",
        &Value::Null,
        now,
    )
    .unwrap();
    let hourly = s.events.hourly(&s.usage_layout());
    let (cells, bytes) = hourly.size();
    println!(
        "first rating (builds the hourly index: {cells} aggregates, {:.1} MB): {:.2?}",
        bytes as f64 / 1e6,
        started.elapsed()
    );
    // The same answer as ingesting the parsed JSON through the API.
    let mut t = setup();
    call(&mut t, "POST /v1/ingest", &body, now).unwrap();
    let again = call(
        &mut t,
        "GET /v1/customers/c/invoices?ending_before=2026-01-01T00:00:00Z",
        &Value::Null,
        now,
    )
    .unwrap();
    assert_eq!(first, again);
    drop(t);
    let mut g = c.benchmark_group("rating");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Elements(EVENTS as u64));
    g.bench_function(
        "1M events, 12 monthly periods, 50 products -> a year of invoices",
        |b| {
            b.iter(|| {
                let out = call(
                    &mut s,
                    "GET /v1/customers/c/invoices?ending_before=2026-01-01T00:00:00Z",
                    &Value::Null,
                    now,
                )
                .unwrap();
                assert_eq!(out["data"].as_array().unwrap().len(), 13);
                out
            })
        },
    );
    g.finish();
}

criterion_group!(benches, rating);
criterion_main!(benches);
