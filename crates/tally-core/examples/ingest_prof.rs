// temporary profiling harness (not committed)
use tally_core::{call, State, Timestamp};
const PRODUCTS: usize = 50;
/// The catalog, customer and contract the benchmark rates against.
pub fn setup() -> State {
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

use serde_json::json;
fn main() {
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let mut next = || {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        x >> 33
    };
    let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let year = 365 * 24 * 3600;
    let regions = ["US", "EU", "APAC"];
    let n = 1_000_000;
    let mut text = String::from("[");
    for i in 0..n {
        let t = chrono::DateTime::from_timestamp(start + (next() % year) as i64, 0).unwrap();
        let c = if i % 2 == 0 { "c" } else { "bench" };
        let e = next() % 50;
        let q = next() % 100;
        let r = regions[(next() % 3) as usize];
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(r#"{{"customer_id":"{c}","event_type":"e{e}","properties":{{"q":{q},"region":"{r}"}},"timestamp":"{}","transaction_id":"t{i}"}}"#, t.to_rfc3339()));
    }
    text.push(']');
    let _ = json!(1);
    for _ in 0..10 {
        let mut s = setup();
        let t0 = std::time::Instant::now();
        tally_core::api::ingest_text(&mut s, &text, tally_core::usage::Format::Json).unwrap();
        let e = t0.elapsed();
        println!("{:?} {:.2} M/s", e, n as f64 / e.as_secs_f64() / 1e6);
    }
}
