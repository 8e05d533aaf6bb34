//! Balances beyond one contract, at their edges: auto-recharge on an open-ended contract and between
//! whole hours, a renewal's expired remainder, a customer-level commit billed on a contract that
//! ended. Figures worked by hand in the comments.

use serde_json::{json, Value};
use tally_core::{call, State, Timestamp};

fn now() -> Timestamp {
    Timestamp::ymd(2025, 7, 1)
}

fn ok(s: &mut State, c: &str, body: Value) -> Value {
    call(s, c, &body, now()).unwrap_or_else(|e| panic!("{c}: {e}"))
}

/// 100 cents a unit of API, a FIXED product to sell balances as, customer `c`.
fn world() -> State {
    let mut s = State::default();
    ok(
        &mut s,
        "POST /v1/billable-metrics/create",
        json!({"id": "m", "name": "Units", "aggregation_type": "SUM", "aggregation_key": "units"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "api", "name": "API", "type": "USAGE", "billable_metric_id": "m"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "f", "name": "Balance", "type": "FIXED"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "rc", "name": "List", "rates": [
        {"product_id": "api", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 100}]}),
    );
    ok(&mut s, "POST /v1/customers", json!({"id": "c", "name": "C"}));
    s
}

fn recharge_config() -> Value {
    json!({"commit": {"product_id": "f", "name": "Recharge"}, "is_enabled": true, "threshold_amount": 1000,
        "recharge_to_amount": 5000, "payment_gate_config": {"payment_gate_type": "NONE"}})
}

fn ingest(s: &mut State, events: &[(&str, &str, u32)]) {
    let body: Vec<Value> = events
        .iter()
        .map(|(id, at, units)| json!({"transaction_id": id, "customer_id": "c", "event_type": "u", "timestamp": at, "properties": {"units": units}}))
        .collect();
    ok(s, "POST /v1/ingest", json!(body));
}

/// (issued_at, total) of every SCHEDULED invoice through `until`.
fn scheduled(s: &State, until: &str) -> Vec<(String, String)> {
    let list = tally_core::api::read(
        s,
        &format!("GET /v1/customers/c/invoices?ending_before={until}"),
        &Value::Null,
        now(),
    )
    .unwrap();
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "SCHEDULED")
        .map(|i| (i["issued_at"].as_str().unwrap().to_string(), i["total"].to_string()))
        .collect()
}

/// Without an end, recharges reach as far as the search for them: Jan 1 (5,000 from 0), then Feb 10's
/// 45 units (4,500) leave 500, so at 01:00 4,500 more; nothing after.
#[test]
fn an_open_ended_contract_recharges_as_a_bounded_one_does() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "rc",
        "starting_at": "2025-01-01T00:00:00Z", "prepaid_balance_threshold_configuration": recharge_config()}),
    );
    ingest(&mut s, &[("e1", "2025-02-10T00:00:00Z", 45)]);
    assert_eq!(
        scheduled(&s, "2025-06-01T00:00:00Z"),
        [
            ("2025-01-01T00:00:00Z".to_string(), "5000".to_string()),
            ("2025-02-10T01:00:00Z".to_string(), "4500".to_string())
        ]
    );
}

/// The balance is looked at on whole hours only (and the contract's first instant): a credit of 200
/// starting at 12:30 does not make 12:30 an instant. Jan 20 12:10: 45 units (4,500) from the first
/// recharge (the credit's window starts after them), leaving 500 + 200 = 700 at 13:00: 4,300 more.
#[test]
fn a_balance_starting_between_hours_is_not_an_instant_looked_at() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "rc",
        "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-04-01T00:00:00Z",
        "prepaid_balance_threshold_configuration": recharge_config(),
        "credits": [{"name": "Goodwill", "product_id": "f", "access_schedule": {"schedule_items": [
            {"amount": 200, "starting_at": "2025-01-20T12:30:00Z", "ending_before": "2025-04-01T00:00:00Z"}]}}]}),
    );
    ingest(&mut s, &[("e1", "2025-01-20T12:10:00Z", 45)]);
    assert_eq!(
        scheduled(&s, "2025-04-01T00:00:00Z"),
        [
            ("2025-01-01T00:00:00Z".to_string(), "5000".to_string()),
            ("2025-01-20T13:00:00Z".to_string(), "4300".to_string())
        ]
    );
}

#[test]
fn a_threshold_beyond_range_is_refused_not_a_panic() {
    let mut s = world();
    let mut config = recharge_config();
    config["threshold_amount"] = json!("79228162514264337593543950335");
    let e = call(
        &mut s,
        "POST /v1/contracts/create",
        &json!({"customer_id": "c", "rate_card_id": "rc",
        "starting_at": "2025-01-01T00:00:00Z", "prepaid_balance_threshold_configuration": config}),
        now(),
    )
    .unwrap_err();
    assert_eq!(e.path, "prepaid_balance_threshold_configuration.threshold_amount");
}

/// A commit of 10,000 with access to Mar 1 on a contract that ends Feb 1, renewed from Feb 1 with half
/// rolling over: on Feb 15 the customer has the 5,000 rolled over, not that plus the old 10,000.
#[test]
fn what_does_not_roll_over_is_not_counted_again() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "a", "customer_id": "c", "rate_card_id": "rc",
        "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-02-01T00:00:00Z",
        "commits": [{"type": "PREPAID", "name": "Commit", "product_id": "f", "rollover_fraction": 0.5,
            "access_schedule": {"schedule_items": [{"amount": 10000, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-03-01T00:00:00Z"}]}}]}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "b", "customer_id": "c", "rate_card_id": "rc",
        "starting_at": "2025-02-01T00:00:00Z", "ending_before": "2025-06-01T00:00:00Z",
        "transition": {"from_contract_id": "a", "type": "RENEWAL"}}),
    );
    let b = ok(
        &mut s,
        "POST /v1/contracts/customerBalances/getNetBalance",
        json!({"customer_id": "c", "at": "2025-02-15T00:00:00Z"}),
    );
    assert_eq!(b["data"]["balance"], json!(5000));
}

/// A customer-level commit bought on Jun 1 and billed on contract `a`, which a SUPERSEDE ends on Mar 1:
/// still billed on Jun 1 (every contract may still draw on it).
#[test]
fn a_customer_level_commit_is_billed_after_its_invoice_contract_ends() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "a", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z"}),
    );
    ok(
        &mut s,
        "POST /v1/customers/commits/create",
        json!({"customer_id": "c", "type": "PREPAID", "name": "Shared", "product_id": "f",
        "invoice_contract_id": "a",
        "access_schedule": {"schedule_items": [{"amount": 3000, "starting_at": "2025-06-01T00:00:00Z", "ending_before": "2026-01-01T00:00:00Z"}]},
        "invoice_schedule": {"schedule_items": [{"timestamp": "2025-06-01T00:00:00Z", "amount": 3000}]}}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "b", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-03-01T00:00:00Z",
        "transition": {"from_contract_id": "a", "type": "SUPERSEDE"}}),
    );
    assert_eq!(
        scheduled(&s, "2025-07-01T00:00:00Z"),
        [("2025-06-01T00:00:00Z".to_string(), "3000".to_string())]
    );
}

/// (type, issued_at, total) of every invoice through `until`.
fn invoices(s: &State, until: &str) -> Vec<(String, String, String)> {
    let list = tally_core::api::read(
        s,
        &format!("GET /v1/customers/c/invoices?ending_before={until}"),
        &Value::Null,
        now(),
    )
    .unwrap();
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["type"].as_str().unwrap().to_string(),
                i["issued_at"].as_str().unwrap().to_string(),
                i["total"].to_string(),
            )
        })
        .collect()
}

fn spend_contract(s: &mut State, enabled: bool) {
    ok(
        s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
            "ending_before": "2025-02-01T00:00:00Z",
            "spend_threshold_configuration": {"commit": {"product_id": "f"}, "is_enabled": enabled,
                "threshold_amount": 1000, "payment_gate_config": {"payment_gate_type": "NONE"}}}),
    );
}

/// A customer-level credit of 2,000 pays first, so it is not spend: Jan 5 10:00's 35 units (3,500)
/// leave 1,500 outstanding, over 1,000 by 11:00, all billed then. Jan 9's 10 units (1,000) reach the
/// threshold exactly (at or over counts): billed at 13:00. January: 4,500 - 2,000 - 1,500 - 1,000 = 0.
#[test]
fn a_spend_threshold_counts_only_what_balances_leave_and_fires_at_the_threshold_itself() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/customers/credits/create",
        json!({"customer_id": "c", "name": "Shared credit", "product_id": "f",
            "access_schedule": {"schedule_items": [{"amount": 2000, "starting_at": "2025-01-01T00:00:00Z",
                "ending_before": "2026-01-01T00:00:00Z"}]}}),
    );
    spend_contract(&mut s, true);
    ingest(
        &mut s,
        &[("a", "2025-01-05T10:00:00Z", 35), ("b", "2025-01-09T12:59:59Z", 10)],
    );
    let t = |k: &str, at: &str, total: &str| (k.to_string(), at.to_string(), total.to_string());
    assert_eq!(
        invoices(&s, "2025-02-01T00:00:00Z"),
        vec![
            t("THRESHOLD", "2025-01-05T11:00:00Z", "1500"),
            t("THRESHOLD", "2025-01-09T13:00:00Z", "1000"),
            t("USAGE", "2025-02-01T00:00:00Z", "0"),
        ]
    );
}

/// Spend is usage: a credit that pays only the seats takes nothing off it. 10 seats at 200 cents billed
/// in arrears (on January's usage invoice) and a 2,000 credit for the seats alone; Jan 5 10:00's 15 units
/// (1,500) are over the 1,000 threshold by 11:00, billed then. January: 1,500 - 1,500 (already billed)
/// + 2,000 seats - 2,000 credit = 0.
#[test]
fn a_credit_paying_seats_is_not_taken_off_usage_spend() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "seats", "name": "Seats", "type": "SUBSCRIPTION"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "rcs", "name": "With seats", "rates": [
        {"product_id": "api", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 100},
        {"product_id": "seats", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "SUBSCRIPTION", "price": 200,
            "billing_frequency": "MONTHLY"}]}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "rcs", "starting_at": "2025-01-01T00:00:00Z",
            "ending_before": "2025-02-01T00:00:00Z",
            "subscriptions": [{"subscription_rate": {"product_id": "seats", "billing_frequency": "MONTHLY"},
                "collection_schedule": "ARREARS", "initial_quantity": 10}],
            "credits": [{"name": "Seat credit", "product_id": "f", "applicable_product_ids": ["seats"],
                "access_schedule": {"schedule_items": [{"amount": 2000, "starting_at": "2025-01-01T00:00:00Z",
                    "ending_before": "2025-02-01T00:00:00Z"}]}}],
            "spend_threshold_configuration": {"commit": {"product_id": "f"}, "is_enabled": true,
                "threshold_amount": 1000, "payment_gate_config": {"payment_gate_type": "NONE"}}}),
    );
    ingest(&mut s, &[("a", "2025-01-05T10:00:00Z", 15)]);
    let t = |k: &str, at: &str, total: &str| (k.to_string(), at.to_string(), total.to_string());
    assert_eq!(
        invoices(&s, "2025-02-01T00:00:00Z"),
        vec![
            t("THRESHOLD", "2025-01-05T11:00:00Z", "1500"),
            t("USAGE", "2025-02-01T00:00:00Z", "0"),
        ]
    );
}

/// Switched off (`is_enabled: false`), the threshold bills nothing early: January's 4,500 is billed
/// on its usage invoice.
#[test]
fn a_disabled_spend_threshold_bills_at_the_period_end() {
    let mut s = world();
    spend_contract(&mut s, false);
    ingest(&mut s, &[("a", "2025-01-05T10:00:00Z", 45)]);
    assert_eq!(
        invoices(&s, "2025-02-01T00:00:00Z"),
        vec![(
            "USAGE".to_string(),
            "2025-02-01T00:00:00Z".to_string(),
            "4500".to_string()
        )]
    );
}

/// A balance starting mid-period may pay for more than the usage inside its window (a tiered line's
/// share priced alone from its first tier), so spend can fall: the search looks between balance
/// starts. First 10 units at 100 cents, then 10. Jan 5: 10 units (1,000); Jan 6 10:00: 55 units
/// (550): spend 1,550, over 1,500 by 11:00, billed. A 500 credit from Jan 20; Jan 20 05:00: 1 unit
/// (10 more on the line), but the credit may pay that unit priced alone: 100. January: 1,560 - 100
/// (credit) - 1,550 (already billed) = -90, the customer's to keep; no second charge.
#[test]
fn a_spend_threshold_is_found_before_a_balance_that_starts_later_pays_for_usage_already_there() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "tiered", "name": "Tiered", "rates": [
        {"product_id": "api", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "TIERED",
            "tiers": [{"size": 10, "price": 100}, {"price": 10}]}]}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "tiered", "starting_at": "2025-01-01T00:00:00Z",
            "ending_before": "2025-02-01T00:00:00Z",
            "credits": [{"name": "Late credit", "product_id": "f", "access_schedule": {"schedule_items": [
                {"amount": 500, "starting_at": "2025-01-20T00:00:00Z", "ending_before": "2025-02-01T00:00:00Z"}]}}],
            "spend_threshold_configuration": {"commit": {"product_id": "f"}, "is_enabled": true,
                "threshold_amount": 1500, "payment_gate_config": {"payment_gate_type": "NONE"}}}),
    );
    ingest(
        &mut s,
        &[
            ("a", "2025-01-05T10:00:00Z", 10),
            ("b", "2025-01-06T10:00:00Z", 55),
            ("c", "2025-01-20T05:00:00Z", 1),
        ],
    );
    let t = |k: &str, at: &str, total: &str| (k.to_string(), at.to_string(), total.to_string());
    assert_eq!(
        invoices(&s, "2025-02-01T00:00:00Z"),
        vec![
            t("THRESHOLD", "2025-01-06T11:00:00Z", "1550"),
            t("USAGE", "2025-02-01T00:00:00Z", "-90"),
        ]
    );
}

/// getNetBalance counts one credit type: USD cents unless `credit_type_id` names another. In the
/// `pricing_units` scenario the 20 EUR commit has 20 - 4.63 (January's API usage, 4.625 EUR drawn at
/// the period start, moves the balance by the applied line's rounded 4.63) = 15.37 EUR left on Jan 20, and the 500-token grant has 500 - 500 = 0 tokens; no
/// USD balance exists.
#[test]
fn the_net_balance_is_counted_per_credit_type() {
    let file: Value = serde_json::from_str(include_str!("../../../tests/scenarios/pricing_units.json")).unwrap();
    let mut s = State::default();
    for c in file["calls"].as_array().unwrap() {
        let _ = call(&mut s, c["call"].as_str().unwrap(), &c["body"], now());
    }
    let balance = |ct: Option<&str>| {
        let mut body = json!({"customer_id": "c_pu", "at": "2025-01-20T00:00:00Z"});
        if let Some(ct) = ct {
            body["credit_type_id"] = json!(ct);
        }
        let a = call(
            &mut s.clone(),
            "POST /v1/contracts/customerBalances/getNetBalance",
            &body,
            now(),
        )
        .unwrap();
        (
            a["data"]["balance"].to_string(),
            a["data"]["credit_type"]["name"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(balance(Some("EUR")), ("15.37".to_string(), "EUR".to_string()));
    assert_eq!(balance(Some("ct_tokens")), ("0".to_string(), "AI tokens".to_string()));
    assert_eq!(balance(None), ("0".to_string(), "USD (cents)".to_string()));
}
