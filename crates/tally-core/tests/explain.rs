//! `explain=true`: each line says why it costs what it does. One January worked by hand:
//!
//! List price of API: tiered, units 0–100 at 10¢, above 100 at 5¢. Override `o1` ×0.8 from Jan 1,
//! override `o2` ×0.5 from Jan 16 (LOWEST_MULTIPLIER, the default). A prepaid commit of $5.00.
//! Usage: 150 units on Jan 10, 100 on Jan 20.
//! - `o2` starts on Jan 16, so the line is priced in two parts: Jan 1–16 (units 0–150 of the period)
//!   and Jan 16–Feb 1 (units 150–250).
//! - First part, only `o1`: tier 1 100 × 8¢ = $8.00, tier 2 50 × 4¢ = $2.00.
//! - Second part, both: all in tier 2 (list 5¢); `o1` would cost 100 × 4¢ = $4.00, `o2` 100 × 2.5¢ =
//!   $2.50, so `o2` prices it: $2.50.
//! - The commit pays the first line in line order (earliest, then highest unit price): tier 1 at 8¢,
//!   $5.00 of its $8.00 (62.5 units); the rest, 37.5 units, is $3.00. Balance $5.00 before, $0.00 after.
//! - Total: 5.00 − 5.00 + 3.00 + 2.00 + 2.50 = $7.50.

use serde_json::{json, Value};
use tally_core::{call, State, Timestamp};

fn now() -> Timestamp {
    Timestamp::ymd(2025, 3, 1)
}

fn ok(s: &mut State, c: &str, body: Value) -> Value {
    call(s, c, &body, now()).unwrap_or_else(|e| panic!("{c}: {e}"))
}

fn world() -> State {
    let mut s = State::default();
    for (c, body) in [
        (
            "POST /v1/billable-metrics/create",
            json!({"id": "m", "name": "Units", "aggregation_type": "SUM", "aggregation_key": "units"}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"id": "api", "name": "API", "type": "USAGE", "billable_metric_id": "m"}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"id": "f", "name": "Balance", "type": "FIXED"}),
        ),
        (
            "POST /v1/contract-pricing/rate-cards/create",
            json!({"id": "rc", "name": "List", "rates": [{"product_id": "api", "starting_at": "2025-01-01T00:00:00Z",
                "rate_type": "TIERED", "tiers": [{"size": 100, "price": 10}, {"price": 5}]}]}),
        ),
        ("POST /v1/customers", json!({"id": "c", "name": "C"})),
        (
            "POST /v1/contracts/create",
            json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
                "overrides": [
                    {"product_id": "api", "type": "MULTIPLIER", "multiplier": 0.8, "starting_at": "2025-01-01T00:00:00Z"},
                    {"product_id": "api", "type": "MULTIPLIER", "multiplier": 0.5, "starting_at": "2025-01-16T00:00:00Z",
                     "ending_before": "2025-02-01T00:00:00Z"}],
                "commits": [{"type": "prepaid", "name": "Commit", "product_id": "f", "applicable_product_ids": ["api"],
                    "access_schedule": {"schedule_items": [{"amount": 500, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2026-01-01T00:00:00Z"}]},
                    "invoice_schedule": {"schedule_items": [{"timestamp": "2025-01-01T00:00:00Z", "amount": 500}]}}]}),
        ),
        (
            "POST /v1/ingest",
            json!([
                {"transaction_id": "a", "customer_id": "c", "event_type": "u", "timestamp": "2025-01-10T00:00:00Z", "properties": {"units": 150}},
                {"transaction_id": "b", "customer_id": "c", "event_type": "u", "timestamp": "2025-01-20T00:00:00Z", "properties": {"units": 100}}
            ]),
        ),
    ] {
        ok(&mut s, c, body);
    }
    s
}

const JANUARY: &str = "GET /v1/customers/c/invoices?type=USAGE&ending_before=2025-02-01T00:00:00Z";

fn january(s: &mut State, extra: &str) -> Value {
    let list = ok(s, &format!("{JANUARY}{extra}"), Value::Null);
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{list}");
    data[0].clone()
}

/// The texts of a line's steps of `kind`.
fn texts(line: &Value, kind: &str) -> Vec<String> {
    line["explanation"]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no explanation on {line}"))
        .iter()
        .filter(|s| s["kind"] == kind)
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect()
}

fn has(line: &Value, kind: &str, part: &str) {
    let t = texts(line, kind);
    assert!(
        t.iter().any(|t| t.contains(part)),
        "no {kind} step saying `{part}` in {t:?}"
    );
}

#[test]
fn the_figures_are_the_hand_worked_ones_and_explaining_changes_none() {
    let mut s = world();
    let plain = january(&mut s, "");
    let explained = january(&mut s, "&explain=true");
    assert_eq!(plain["total"], json!(750));
    let figures = |inv: &Value| -> Vec<(String, Value, Value, Value)> {
        inv["line_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["type"].as_str().unwrap().to_string(),
                    l["quantity"].clone(),
                    l["unit_price"].clone(),
                    l["total"].clone(),
                )
            })
            .collect()
    };
    let expected = vec![
        ("usage".to_string(), json!(62.5), json!(8), json!(500)),
        (
            "applied_commit_or_credit".to_string(),
            json!(1),
            json!(-500),
            json!(-500),
        ),
        ("usage".to_string(), json!(37.5), json!(8), json!(300)),
        ("usage".to_string(), json!(50), json!(4), json!(200)),
        ("usage".to_string(), json!(100), json!(2.5), json!(250)),
    ];
    assert_eq!(figures(&plain), expected);
    // Asked to explain, the same invoice with an explanation on every line, and nothing else.
    let mut stripped = explained.clone();
    for l in stripped["line_items"].as_array_mut().unwrap() {
        assert!(
            l["explanation"]["steps"].as_array().is_some_and(|s| !s.is_empty()),
            "{l}"
        );
        l.as_object_mut().unwrap().remove("explanation");
    }
    assert_eq!(stripped, plain);
    assert!(!plain.to_string().contains("explanation"));
}

#[test]
fn a_commit_paid_tiered_overridden_line_says_each_step() {
    let mut s = world();
    let inv = january(&mut s, "&explain=true");
    let paid = &inv["line_items"][0];
    has(paid, "quantity", "Metered 150 by SUM of `units`");
    has(paid, "quantity", "from 2025-01-01 until 2025-01-16");
    has(paid, "list_price", "tiered: units 0–100 at $0.10, above 100 at $0.05");
    has(paid, "list_price", "rate card “List”");
    has(
        paid,
        "override",
        "multiplies the list price by 0.8: the only override in force",
    );
    has(paid, "tier", "Tier 1 (units 0–100): 100 of these 150 units fall in it.");
    has(paid, "split", "Ends at 2025-01-16");
    has(paid, "split", "starts");
    has(paid, "drawdown", "Paid by the prepaid commit “Commit”");
    has(paid, "drawdown", "$5.00 of it; balance $5.00 before, $0.00 left");
    has(paid, "rounding", "62.5 × $0.08 = $5.00.");
    let split = paid["explanation"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "split")
        .unwrap();
    assert_eq!(split["at"], json!("2025-01-16T00:00:00Z"));

    let applied = &inv["line_items"][1];
    has(applied, "drawdown", "balance $5.00 before, $0.00 left");
    let step = &applied["explanation"]["steps"][0];
    assert_eq!(
        (step["balance_before"].clone(), step["balance_after"].clone()),
        (json!(500), json!(0))
    );

    let rest = &inv["line_items"][2];
    has(rest, "split", "The rest of a line that balances paid part of");
    has(rest, "rounding", "37.5 × $0.08 = $3.00.");
}

#[test]
fn the_winning_override_says_why_and_the_loser_why_not() {
    let mut s = world();
    let inv = january(&mut s, "&explain=true");
    let late = &inv["line_items"][4];
    has(late, "override", "multiplies the list price by 0.5: LOWEST_MULTIPLIER: of the 2 overrides in force it costs these units least ($2.50)");
    has(
        late,
        "override",
        "did not price this line: it would cost these units $4.00, more",
    );
    has(
        late,
        "tier",
        "Tier 2 (units above 100): 100 of these 100 units fall in it (tiers count the whole period: 150 units came before these).",
    );
    has(late, "split", "Starts at 2025-01-16");
    has(late, "rounding", "100 × $0.025 = $2.50.");
    // The step names the override by its id, as the contract lists it.
    let ids: Vec<&Value> = late["explanation"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "override")
        .map(|s| &s["override_id"])
        .collect();
    let contracts = ok(&mut s, "POST /v1/contracts/list", json!({"customer_id": "c"}));
    let listed: Vec<&Value> = contracts["data"][0]["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert!(listed.iter().all(|id| id.is_string()), "{contracts}");
    assert_eq!(ids, vec![listed[1], listed[0]]);
}

#[test]
fn a_bad_explain_value_is_refused_naming_it() {
    let mut s = world();
    let e = call(&mut s, &format!("{JANUARY}&explain=yes"), &Value::Null, now()).unwrap_err();
    assert_eq!(e.path, "explain");
}

#[test]
fn a_line_s_usage_by_day_and_by_hour_of_a_day() {
    use tally_core::rating::breakdown::{line_windows, LineWindows};
    let s = world();
    let none = indexmap::IndexMap::new();
    let q = LineWindows {
        customer_id: "c",
        contract_id: "k",
        product_id: "api",
        pricing_group_values: &none,
        presentation_group_values: &none,
        starting_at: Timestamp::ymd(2025, 1, 1),
        ending_before: Timestamp::ymd(2025, 2, 1),
        hours: 24,
    };
    let days = line_windows(&s, &q);
    assert_eq!(days.len(), 31);
    let used: Vec<(String, String)> = days
        .iter()
        .filter(|w| !w.metered.is_zero())
        .map(|w| (w.starting_at.to_string(), w.metered.to_string()))
        .collect();
    assert_eq!(
        used,
        vec![
            ("2025-01-10T00:00:00Z".to_string(), "150".to_string()),
            ("2025-01-20T00:00:00Z".to_string(), "100".to_string())
        ]
    );
    // The hours of January 20: the 100 units at midnight.
    let hours = line_windows(
        &s,
        &LineWindows {
            starting_at: Timestamp::ymd(2025, 1, 20),
            ending_before: Timestamp::ymd(2025, 1, 21),
            hours: 1,
            ..q.clone()
        },
    );
    assert_eq!(hours.len(), 24);
    assert_eq!(hours[0].metered.to_string(), "100");
    assert!(hours[1..].iter().all(|w| w.metered.is_zero()));
    // Another contract's line, or a span of more than a year of days, has none.
    assert!(line_windows(
        &s,
        &LineWindows {
            contract_id: "nope",
            ..q.clone()
        }
    )
    .is_empty());
    assert!(line_windows(
        &s,
        &LineWindows {
            ending_before: Timestamp::ymd(2026, 6, 1),
            ..q
        }
    )
    .is_empty());
}

/// A seat increase in the `subscriptions` scenario: 5 seats added on Jan 16 of 31-day January at
/// $20.00 a seat a month, prorated: the explanation says 5 × $20.00 × 16/31 = $51.61 (a factor on the
/// price, never a fractional seat count), in whole cents.
#[test]
fn a_prorated_seat_charge_explains_its_factor_in_days() {
    let file: Value = serde_json::from_str(include_str!("../../../tests/scenarios/subscriptions.json")).unwrap();
    let mut s = State::default();
    for c in file["calls"].as_array().unwrap() {
        let _ = call(&mut s, c["call"].as_str().unwrap(), &c["body"], now());
    }
    let list = ok(
        &mut s,
        "GET /v1/customers/c_adv/invoices?ending_before=2025-02-01T00:00:00Z&explain=true",
        Value::Null,
    );
    let texts: Vec<String> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["line_items"].as_array().unwrap().clone())
        .flat_map(|l| l["explanation"]["steps"].as_array().cloned().unwrap_or_default())
        .filter_map(|st| st["text"].as_str().map(String::from))
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Prorated by time: 5 × $20.00 × 16/31 = $51.61")),
        "{texts:#?}"
    );
}
