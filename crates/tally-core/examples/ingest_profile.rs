//! Ingest phases timed apart (for perf): parse_into alone, then the API's ingest_text.
use serde_json::json;
use std::time::Instant;
use tally_core::{call, State, Timestamp};
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

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        x >> 33
    };
    let start = tally_core::Timestamp::ymd(2025, 1, 1).0.timestamp();
    let year = 365 * 24 * 3600;
    let regions = ["US", "EU", "APAC"];
    let v: Vec<serde_json::Value> = (0..if std::path::Path::new("/tmp/events.json").exists() {
        0
    } else {
        n
    })
        .map(|i| {
            let t = chrono::DateTime::from_timestamp(start + (next() % year) as i64, 0).unwrap();
            serde_json::json!({"transaction_id": format!("t{i}"), "customer_id": if i % 2 == 0 { "c" } else { "bench" },
               "event_type": format!("e{}", next() % 50), "timestamp": t.to_rfc3339(),
               "properties": {"q": next() % 100, "region": regions[(next() % 3) as usize]}})
        })
        .collect();
    let text = match std::fs::read_to_string("/tmp/events.json") {
        Ok(t) => t,
        Err(_) => {
            let t = serde_json::Value::Array(v).to_string();
            std::fs::write("/tmp/events.json", &t).unwrap();
            t
        }
    };
    println!("{} bytes, {} per event", text.len(), text.len() / n);
    let reps: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    for _ in 0..reps {
        let mut store = tally_core::usage::Store::default();
        let t = Instant::now();
        tally_core::usage::parse_into(&mut store, None, &text, tally_core::usage::Format::Json).unwrap();
        println!("parse_into: {:?}", t.elapsed());
        drop(store);
        let mut s = setup();
        let t = Instant::now();
        tally_core::api::ingest_text(&mut s, &text, tally_core::usage::Format::Json).unwrap();
        println!("ingest_text: {:?}", t.elapsed());
        let t = Instant::now();
        let c = tally_core::unbilled::count_by_reason(&s, 0..s.events.len());
        println!("count_by_reason: {:?} {c:?}", t.elapsed());
        let mut u = tally_core::usage::Store::default();
        let t = Instant::now();
        tally_core::usage::parse_into(
            &mut u,
            Some(&s.billable_metrics),
            &text,
            tally_core::usage::Format::Json,
        )
        .unwrap();
        println!("parse_into with checks: {:?}", t.elapsed());
    }
}
