//! Calls whose answers are not invoice lists: balances, previews, rate schedules, customer edits.
//! Figures worked by hand in the comments.

use serde_json::{json, Value};
use tally_core::{call, State, Timestamp};

fn now() -> Timestamp {
    Timestamp::ymd(2025, 2, 15)
}

fn ok(s: &mut State, c: &str, body: Value) -> Value {
    call(s, c, &body, now()).unwrap_or_else(|e| panic!("{c}: {e}"))
}

/// The state after a scenario file's calls (a call it expects refused changes nothing).
fn replayed(text: &str) -> State {
    let file: Value = serde_json::from_str(text).unwrap();
    let mut s = State::default();
    for c in file["calls"].as_array().unwrap() {
        let _ = call(&mut s, c["call"].as_str().unwrap(), &c["body"], now());
    }
    s
}

/// 100 cents a call; a 5,000 prepaid commit usable Jan 1–Jul 1; 30 calls in January.
fn world() -> State {
    let mut s = State::default();
    ok(
        &mut s,
        "POST /v1/billable-metrics/create",
        json!({"id": "calls", "name": "Calls", "aggregation_type": "count"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "api", "name": "API", "type": "usage", "billable_metric_id": "calls"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "f", "name": "Commit", "type": "fixed"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "rc", "name": "List", "rates": [
        {"product_id": "api", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "flat", "price": 100}]}),
    );
    ok(
        &mut s,
        "POST /v1/customers",
        json!({"id": "c", "name": "Acme", "custom_fields": {"tier": "gold"}}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
        "commits": [{"type": "prepaid", "name": "Commit", "product_id": "f",
            "access_schedule": {"schedule_items": [{"amount": 5000, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-07-01T00:00:00Z"}]},
            "invoice_schedule": {"schedule_items": [{"timestamp": "2025-01-01T00:00:00Z", "amount": 5000}]}}]}),
    );
    let events: Vec<Value> = (0..30)
        .map(|i| json!({"transaction_id": format!("jan{i}"), "customer_id": "c", "event_type": "call", "timestamp": "2025-01-10T00:00:00Z"}))
        .collect();
    ok(&mut s, "POST /v1/ingest", json!(events));
    s
}

fn feb_events(n: usize) -> Value {
    json!((0..n)
        .map(
            |i| json!({"transaction_id": format!("feb{i}"), "event_type": "call", "timestamp": "2025-02-05T00:00:00Z"})
        )
        .collect::<Vec<_>>())
}

fn balance_at(s: &mut State, at: &str) -> String {
    ok(
        s,
        "POST /v1/contracts/customerBalances/getNetBalance",
        json!({"customer_id": "c", "at": at}),
    )["data"]["balance"]
        .to_string()
}

#[test]
fn net_balance_falls_with_usage_and_expires_with_its_segment() {
    let mut s = world();
    assert_eq!(balance_at(&mut s, "2025-01-01T00:00:00Z"), "5000"); // nothing drawn yet
    assert_eq!(balance_at(&mut s, "2025-02-01T00:00:00Z"), "2000"); // 5,000 − 30 × 100
    assert_eq!(balance_at(&mut s, "2025-07-01T00:00:00Z"), "0"); // the segment ended
}

#[test]
fn preview_events_rates_what_if_usage_without_storing_it() {
    let mut s = world();
    let before = s.clone();
    // merge: January spent 3,000, so 2,000 is left for February's 60 × 100 = 6,000: bills 4,000.
    let merged = ok(
        &mut s,
        "POST /v1/customers/c/previewEvents",
        json!({"events": feb_events(60), "mode": "merge"}),
    );
    assert_eq!(merged["data"].as_array().unwrap().len(), 1);
    assert_eq!(merged["data"][0]["start_timestamp"], "2025-02-01T00:00:00Z");
    assert_eq!(merged["data"][0]["total"].to_string(), "4000");
    // replace: only the previewed events exist, the commit has all 5,000: bills 6,000 − 5,000 = 1,000.
    let replaced = ok(
        &mut s,
        "POST /v1/customers/c/previewEvents",
        json!({"events": feb_events(60), "mode": "replace"}),
    );
    assert_eq!(replaced["data"][0]["total"].to_string(), "1000");
    assert_eq!(s, before, "a preview stores nothing");
}

#[test]
fn rate_schedule_shows_list_and_override_rates() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v2/contracts/edit",
        json!({"customer_id": "c", "contract_id": "k",
        "add_overrides": [{"starting_at": "2025-02-01T00:00:00Z", "type": "multiplier", "multiplier": 0.5, "product_id": "api"}]}),
    );
    let jan = ok(
        &mut s,
        "POST /v1/contracts/getContractRateSchedule",
        json!({"customer_id": "c", "contract_id": "k", "at": "2025-01-10T00:00:00Z"}),
    );
    assert_eq!(jan["data"][0]["list_rate"]["price"].to_string(), "100");
    assert!(jan["data"][0].get("override_rate").is_none());
    let feb = ok(
        &mut s,
        "POST /v1/contracts/getContractRateSchedule",
        json!({"customer_id": "c", "contract_id": "k", "at": "2025-02-10T00:00:00Z"}),
    );
    assert_eq!(feb["data"][0]["override_rate"]["price"].to_string(), "50"); // 100 × 0.5
    assert_eq!(feb["data"][0]["entitled"], true);
}

#[test]
fn customers_can_be_renamed_and_their_custom_fields_set() {
    let mut s = world();
    ok(&mut s, "POST /v1/customers/c/updateName", json!({"name": "Acme Corp"}));
    ok(
        &mut s,
        "POST /v1/customFields/setValues",
        json!({"entity": "customer", "entity_id": "c", "custom_fields": {"region": "EU", "tier": ""}}),
    );
    let c = ok(&mut s, "GET /v1/customers/c", Value::Null);
    assert_eq!(c["data"]["name"], "Acme Corp");
    assert_eq!(c["data"]["custom_fields"], json!({"region": "EU"}));
    let err = call(&mut s, "POST /v1/customers/c/updateName", &json!({"name": " "}), now()).unwrap_err();
    assert_eq!(err.path, "name");
}

#[test]
fn update_end_date_truncates_periods_and_drops_later_charges() {
    let mut s = world();
    ok(
        &mut s,
        "POST /v1/contracts/updateEndDate",
        json!({"customer_id": "c", "contract_id": "k", "ending_before": "2025-01-20T00:00:00Z"}),
    );
    let list = ok(
        &mut s,
        "GET /v1/customers/c/invoices?ending_before=2025-06-01T00:00:00Z",
        Value::Null,
    );
    let usage: Vec<&Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["type"] == "USAGE")
        .collect();
    // One period left, cut at the new end: Jan 1 → Jan 20.
    assert_eq!(usage.len(), 1);
    assert_eq!(usage[0]["end_timestamp"], "2025-01-20T00:00:00Z");
}

/// Every event that bills nothing is listed with its reason; the 30 January calls bill, so they are not.
#[test]
fn usage_that_bills_nothing_says_why() {
    let mut s = world();
    let ev = |id: &str, who: &str, kind: &str, at: &str, props: Value| json!({"transaction_id": id, "customer_id": who, "event_type": kind, "timestamp": at, "properties": props});
    let answer = ok(
        &mut s,
        "POST /v1/ingest",
        json!([
            ev("stranger", "someone-else", "call", "2025-01-10T00:00:00Z", json!({})),
            ev("early", "c", "call", "2024-12-31T23:00:00Z", json!({})),
            // Stored before any metric sums `gb`: ingest cannot know yet that "lots" is not a number.
            ev("words", "c", "storage", "2025-01-10T00:00:00Z", json!({"gb": "lots"})),
        ]),
    );
    // The ingest answer says at once what will not bill: the stranger and the event before the
    // contract. `words` is billed for now: the world's metric counts events of every type.
    assert_eq!(
        answer["data"]["not_billed"],
        json!({"no_customer": 1, "no_contract": 1})
    );
    ok(
        &mut s,
        "POST /v1/billable-metrics/create",
        json!({"id": "gb", "name": "GB", "event_type_filter": {"in_values": ["storage"]}, "aggregation_type": "SUM", "aggregation_key": "gb"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "disk", "name": "Disk", "type": "usage", "billable_metric_id": "gb"}),
    );
    let list = ok(&mut s, "GET /v1/usage/unmatched", Value::Null);
    let reasons: Vec<(String, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["transaction_id"].as_str().unwrap().into(),
                u["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        reasons,
        vec![
            pair("stranger", "no_customer"),
            pair("early", "no_contract"),
            pair("words", "not_a_number"),
        ]
    );
    // Now that a metric sums `gb`, the same value is refused at ingest, naming the field.
    let refused = call(
        &mut s,
        "POST /v1/ingest",
        &json!([ev(
            "words2",
            "c",
            "storage",
            "2025-01-11T00:00:00Z",
            json!({"gb": "lots"})
        )]),
        now(),
    )
    .unwrap_err();
    assert_eq!(refused.path, "[0].properties.gb");

    // The world's metric counts every event type; a metric that reads only `call` leaves a page view out.
    let mut t = State::default();
    ok(&mut t, "POST /v1/customers", json!({"id": "c", "name": "Acme"}));
    ok(
        &mut t,
        "POST /v1/billable-metrics/create",
        json!({"id": "calls", "name": "Calls", "event_type_filter": {"in_values": ["call"]}, "aggregation_type": "count"}),
    );
    ok(
        &mut t,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "api", "name": "API", "type": "usage", "billable_metric_id": "calls"}),
    );
    ok(
        &mut t,
        "POST /v1/ingest",
        json!([ev("unread", "c", "page_view", "2025-01-10T00:00:00Z", json!({}))]),
    );
    let list = ok(&mut t, "GET /v1/usage/unmatched", Value::Null);
    assert_eq!(list["data"][0]["reason"], "no_metric");
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

/// A customer id holding `/` reaches its invoices through the router as `%2F`, and through the typed
/// query as it is.
#[test]
fn an_id_with_a_slash_lists_its_invoices() {
    let mut s = State::default();
    ok(
        &mut s,
        "POST /v1/customers",
        json!({"id": "acme/eu", "name": "Acme EU"}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "acme/eu", "starting_at": "2025-01-01T00:00:00Z"}),
    );
    let routed = ok(
        &mut s,
        "GET /v1/customers/acme%2Feu/invoices?ending_before=2025-02-01T00%3A00%3A00Z",
        Value::Null,
    );
    assert_eq!(routed["data"].as_array().unwrap().len(), 1);
    let q = tally_core::api::queries::InvoiceQuery::parse("ending_before=2025-02-01T00:00:00Z").unwrap();
    let typed = tally_core::api::queries::invoices(&s, "acme/eu", &q, now()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), routed["data"]);
}

/// The customer-level balances scenario's answers that are not invoices, worked by hand (the
/// invoices themselves are checked by its `expect`). On Jan 10 only k_a's January line (dated Jan 1)
/// has drawn: A credit 1,000 (spent) and Shared credit 1,500 (500 left); the Shared commit (5,000)
/// and the B-only credit (500) are untouched.
#[test]
fn customer_level_balances_count_once_and_only_where_they_reach() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/customer_level_balances.json"
    ))
    .unwrap();
    let s = tally_core::scenario::Scenario::parse(&text).unwrap();
    let r = s.responses();
    let at = |i: usize| &r[i];
    // The whole customer: 5,000 commit + 500 Shared credit + 500 B-only credit.
    assert_eq!(at(18)["data"]["balance"], json!(6000));
    assert_eq!(at(18)["data"]["by_type"]["PREPAID_COMMIT"], json!(5000));
    assert_eq!(at(18)["data"]["by_type"]["CREDIT"], json!(1000));
    // k_a: the B-only credit does not reach it.
    assert_eq!(at(19)["data"]["balance"], json!(5500));
    // The commit list: the one customer-level commit, billed on k_a, nothing left by now (Mar 20):
    // 2,200 to k_b in January and 2,800 to k_a in February.
    let commits = at(20)["data"].as_array().unwrap();
    assert_eq!(commits.len(), 1);
    assert_eq!(commits[0]["id"], json!("cm_shared"));
    assert_eq!(commits[0]["invoice_contract"]["id"], json!("k_a"));
    assert_eq!(commits[0]["balance"], json!(0));
    // Credits with the contracts' own: k_a's first, then the customer's in the order created.
    let credits = at(21)["data"].as_array().unwrap();
    let ids: Vec<&str> = credits.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["cr_a", "cr_shared", "cr_b"]);
    assert_eq!(credits[0]["contract"]["id"], json!("k_a"));
    assert_eq!(credits[2]["applicable_contract_ids"], json!(["k_b"]));
    assert!(credits.iter().all(|c| c["type"] == json!("CREDIT")));
}

/// The auto-recharge scenario's balance on Mar 15, worked by hand: the second recharge has 500 left
/// after March's 2,500, and the third (granted Mar 3 01:00) its whole 4,500.
#[test]
fn recharges_count_in_the_net_balance() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/prepaid_auto_recharge.json"
    ))
    .unwrap();
    let r = tally_core::scenario::Scenario::parse(&text).unwrap().responses();
    assert_eq!(r[12]["data"]["balance"], json!(5000));
    assert_eq!(r[12]["data"]["by_type"]["PREPAID_COMMIT"], json!(5000));
}

/// A state edited by hand can name what does not exist; it still loads, and each dangling reference
/// is said, naming both ends.
#[test]
fn dangling_references_are_named_not_dropped() {
    let mut s = State::default();
    let now = Timestamp::ymd(2025, 1, 1);
    for (c, body) in [
        ("POST /v1/customers", json!({"id": "c", "name": "C"})),
        (
            "POST /v1/contract-pricing/rate-cards/create",
            json!({"id": "rc", "name": "List"}),
        ),
        (
            "POST /v1/contracts/create",
            json!({"id": "k", "name": "Main", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z"}),
        ),
    ] {
        call(&mut s, c, &body, now).unwrap();
    }
    assert!(tally_core::state::dangling(&s).is_empty());
    s.rate_cards.shift_remove("rc");
    let text = tally_core::state::export(&s);
    let loaded = tally_core::state::import(&text).unwrap();
    assert_eq!(loaded.contracts.len(), 1);
    assert_eq!(
        tally_core::state::dangling(&loaded),
        vec!["contract “Main” uses rate card “rc”, which does not exist".to_string()]
    );
}

/// In `usage_goes_where_priced`, the storage contract takes Jan 10's storage though the API contract
/// is older (only it prices Storage); Jan 3's storage (before the storage contract) and the GPU hours
/// (priced by neither) bill nothing and are listed with the reason `no_price`, the API call is billed.
#[test]
fn usage_no_contract_can_price_is_listed_as_not_billed() {
    let mut s = replayed(include_str!("../../../tests/scenarios/usage_goes_where_priced.json"));
    let list = ok(&mut s, "GET /v1/usage/unmatched", Value::Null);
    let listed: Vec<(String, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["transaction_id"].as_str().unwrap().to_string(),
                u["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |t: &str| (t.to_string(), "no_price".to_string());
    assert_eq!(listed, vec![want("g0"), want("x1")]);
}

/// Inert metadata on a contract (model.md, second round) is kept and answered back as given, and its
/// payment terms go on each of its invoices (Metronome's `net_payment_terms_days`).
#[test]
fn inert_contract_metadata_is_answered_back_unchanged() {
    let mut s = replayed(include_str!("../../../tests/scenarios/unknown_fields.json"));
    let got = ok(
        &mut s,
        "POST /v1/contracts/get",
        json!({"customer_id": "c_u", "contract_id": "k_u"}),
    );
    let c = &got["data"];
    assert_eq!(c["netsuite_sales_order_id"], json!("SO-1042"));
    assert_eq!(c["salesforce_opportunity_id"], json!("006Hs000001"));
    assert_eq!(c["total_contract_value"].to_string(), "120000");
    assert_eq!(c["scheduled_charges"][0]["netsuite_sales_order_id"], json!("SO-1042-1"));
    // Payment terms are kept and used: every invoice of the contract carries them.
    let list = ok(
        &mut s,
        "GET /v1/customers/c_u/invoices?ending_before=2025-03-01T00:00:00Z",
        Value::Null,
    );
    let terms: Vec<&Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["net_payment_terms_days"])
        .collect();
    assert_eq!(terms, vec![&json!(30); 3], "{list}");
}

/// The same usage counted by reason over the hourly aggregates (what `tally rate` reports for a
/// warehouse's files): Jan 3's storage and the GPU hours, no price; an event for a key no customer
/// has, no customer; an event type no metric reads, no metric.
#[test]
fn usage_that_bills_nothing_is_counted_by_reason() {
    let mut s = replayed(include_str!("../../../tests/scenarios/usage_goes_where_priced.json"));
    ok(
        &mut s,
        "POST /v1/ingest",
        json!([
            {"transaction_id": "n1", "customer_id": "nobody", "event_type": "api", "timestamp": "2025-01-12T00:00:00Z", "properties": {"calls": 5}},
            {"transaction_id": "n2", "customer_id": "c_two", "event_type": "unread", "timestamp": "2025-01-12T00:00:00Z", "properties": {}}
        ]),
    );
    let counts = tally_core::unbilled::not_billed_by_reason(&s, Timestamp::ymd(2025, 2, 10));
    let counts: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(r, n)| (serde_json::to_value(r).unwrap().as_str().unwrap().to_string(), n))
        .collect();
    let want = |r: &str, n: u64| (r.to_string(), n);
    assert_eq!(
        counts,
        vec![want("no_customer", 1), want("no_metric", 1), want("no_price", 2)]
    );
}

/// Two unfiltered contracts that both price API from Feb 1: accepted, the earlier one takes the usage,
/// and the ambiguity is reported; the storage contract prices nothing the API contract does.
#[test]
fn two_unfiltered_contracts_pricing_one_product_are_reported() {
    let mut s = replayed(include_str!("../../../tests/scenarios/usage_goes_where_priced.json"));
    assert_eq!(ok(&mut s, "GET /v1/usage/ambiguities", Value::Null)["data"], json!([]));
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k_api2", "customer_id": "c_two", "rate_card_id": "rc_api", "starting_at": "2025-02-01T00:00:00Z"}),
    );
    let found = ok(&mut s, "GET /v1/usage/ambiguities", Value::Null);
    let a = &found["data"];
    assert_eq!(a.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(a[0]["product_id"], json!("p_api"));
    assert_eq!(a[0]["contract_ids"], json!(["k_api", "k_api2"]));
    assert_eq!(a[0]["starting_at"], json!("2025-02-01T00:00:00Z"));
}

/// The create body is the contract as signed: what Tally works out itself (a usage filter's history,
/// services invoices scheduled later) is not a field of it, and a body sending one is refused whole.
#[test]
fn a_contract_body_cannot_carry_what_tally_works_out() {
    let mut s = world();
    let before = tally_core::state::export(&s);
    for (field, value) in [
        (
            "usage_filter_history",
            json!([{"group_key": "region", "group_values": ["eu"]}]),
        ),
        (
            "professional_service_invoices",
            json!([{"issued_at": "2025-01-05T00:00:00Z", "line_items": []}]),
        ),
    ] {
        let mut body = json!({"id": "k2", "customer_id": "c", "starting_at": "2025-01-01T00:00:00Z"});
        body[field] = value;
        let e = call(&mut s, "POST /v1/contracts/create", &body, now()).unwrap_err();
        assert_eq!(e.code, tally_core::ErrorCode::UnknownField, "{field}: {e}");
        assert_eq!(e.path, field);
    }
    assert_eq!(tally_core::state::export(&s), before, "nothing was stored");
    let e = call(
        &mut s,
        "POST /v1/contracts/create",
        &json!({"id": "k", "customer_id": "c", "starting_at": "2025-01-01T00:00:00Z"}),
        now(),
    )
    .unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (tally_core::ErrorCode::Conflict, "id"));
}

/// A create body's id is optional: absent, Tally makes one (the n-th id it has made); blank, it is
/// refused, since it would name nothing a later call could reach; the stored record always has one.
#[test]
fn a_created_record_gets_the_id_given_or_one_made_and_a_blank_one_is_refused() {
    let mut s = State::default();
    for (path, body) in [
        ("POST /v1/customers", json!({"name": "Acme"})),
        (
            "POST /v1/billable-metrics/create",
            json!({"name": "Calls", "aggregation_type": "COUNT"}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"name": "Platform", "type": "FIXED"}),
        ),
        ("POST /v1/contract-pricing/rate-cards/create", json!({"name": "List"})),
    ] {
        let mut blank = body.clone();
        blank["id"] = json!(" ");
        let e = call(&mut s, path, &blank, now()).unwrap_err();
        assert_eq!(
            (e.code, e.path.as_str()),
            (tally_core::ErrorCode::Invalid, "id"),
            "{path}"
        );
        let made = ok(&mut s, path, body);
        assert!(
            made["data"]["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("00000000-")),
            "{path}: {made}"
        );
    }
    // Four records, four ids made, in order; the refusals made none.
    assert_eq!(s.customers[0].id, "00000000-0000-4000-8000-000000000001");
    assert_eq!(s.rate_cards[0].id, "00000000-0000-4000-8000-000000000004");
    let taken = json!({"id": s.customers[0].id.clone(), "name": "Again"});
    let e = call(&mut s, "POST /v1/customers", &taken, now()).unwrap_err();
    assert_eq!((e.code, e.path.as_str()), (tally_core::ErrorCode::Conflict, "id"));
}

/// An endpoint of Metronome's API that Tally does not serve is named as such (`not_supported`), while
/// a path no one serves stays `unknown_call`: a typo never reads like a missing feature, nor the reverse.
#[test]
fn an_endpoint_of_metronome_tally_does_not_serve_is_named_not_supported() {
    let mut s = State::default();
    let e = call(&mut s, "POST /v1/alerts/create", &json!({}), now()).unwrap_err();
    assert_eq!(e.code, tally_core::ErrorCode::NotSupported, "{e}");
    assert!(
        e.message
            .contains("`POST /v1/alerts/create` is an endpoint of Metronome's API"),
        "{e}"
    );
    // A templated path: any id in its place.
    let e = call(&mut s, "GET /v1/customers/acme/costs", &json!({}), now());
    assert_eq!(e.map_err(|e| e.code), Err(tally_core::ErrorCode::NotSupported));
    let e = call(&mut s, "POST /v1/alerts/creat", &json!({}), now()).unwrap_err();
    assert_eq!(e.code, tally_core::ErrorCode::UnknownCall, "{e}");
}
