//! The usage store: events read from JSON text equal events read from parsed JSON, they come back
//! exactly as they went in, a refused batch leaves nothing behind, and the hourly index is rebuilt
//! when the catalog needs a property it did not keep apart. Figures worked by hand in the comments.

use serde_json::{json, Value};
use tally_core::api::{self, DeleteUsage};
use tally_core::usage::{ArrayChunks, Format};
use tally_core::{call, Scenario, State, Timestamp};

fn now() -> Timestamp {
    Timestamp::ymd(2025, 3, 15)
}

fn ok(s: &mut State, c: &str, body: Value) -> Value {
    call(s, c, &body, now()).unwrap_or_else(|e| panic!("{c}: {e}"))
}

/// Units at 2 cents each (SUM of `units`), one customer known as `acme` and by the alias `ACME-1`,
/// a contract from Jan 1 with monthly statements.
fn world() -> State {
    let mut s = State::default();
    ok(
        &mut s,
        "POST /v1/billable-metrics/create",
        json!({"id": "units", "name": "Units", "event_type_filter": {"in_values": ["use"]}, "aggregation_type": "SUM", "aggregation_key": "units"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "p", "name": "Units", "type": "USAGE", "billable_metric_id": "units"}),
    );
    ok(
        &mut s,
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "rc", "name": "List", "rates": [{"product_id": "p", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 2}]}),
    );
    ok(
        &mut s,
        "POST /v1/customers",
        json!({"id": "acme", "name": "Acme", "ingest_aliases": ["ACME-1"]}),
    );
    ok(
        &mut s,
        "POST /v1/contracts/create",
        json!({"id": "k", "customer_id": "acme", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z"}),
    );
    s
}

/// Events with every kind of property value, a repeated id, an alias, an offset time.
fn events() -> Value {
    // Text, not `json!`: `1e1` must reach Tally as written.
    serde_json::from_str(
        r#"[
        {"transaction_id": "a", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-05T10:15:00Z",
         "properties": {"units": 3, "region": "US", "note": "caf\u00e9 \"quoted\"", "flag": true, "nothing": null, "list": [1, {"x": 2}]}},
        {"transaction_id": "b", "customer_id": "ACME-1", "event_type": "use", "timestamp": "2025-01-05T11:45:30.25+01:00",
         "properties": {"units": "1.50", "region": "EU"}},
        {"transaction_id": "a", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-06T00:00:00Z",
         "properties": {"units": 1000}},
        {"transaction_id": "c", "customer_id": "acme", "event_type": "use", "timestamp": "2025-02-01T00:00:00Z",
         "properties": {"units": 1e1, "region": "US"}},
        {"transaction_id": "d", "customer_id": "nobody", "event_type": "use", "timestamp": "2025-02-02T00:00:00Z"}
    ]"#,
    )
    .unwrap()
}

fn usage_totals(s: &State) -> Vec<(String, String)> {
    let list = ok(
        &mut s.clone(),
        "GET /v1/customers/acme/invoices?ending_before=2025-03-01T00:00:00Z",
        Value::Null,
    );
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["start_timestamp"].as_str().unwrap().to_string(),
                i["total"].to_string(),
            )
        })
        .collect()
}

#[test]
fn text_and_parsed_events_are_stored_alike() {
    let mut parsed = world();
    let a1 = ok(&mut parsed, "POST /v1/ingest", events());
    let mut text = world();
    let a2 = api::ingest_text(&mut text, &events().to_string(), Format::Json).unwrap();
    let mut lines = world();
    let ndjson: String = events()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.to_string() + "\n")
        .collect();
    let a3 = api::ingest_text(&mut lines, &ndjson, Format::Ndjson).unwrap();
    // Four stored (the second `a` is a duplicate); `d`'s key belongs to no customer.
    assert_eq!(
        a1,
        json!({"data": {"ingested": 4, "duplicates": 1, "not_billed": {"no_customer": 1}}})
    );
    assert_eq!(a1, a2);
    assert_eq!(a1, a3);
    let export = tally_core::state::export(&parsed);
    assert_eq!(export, tally_core::state::export(&text));
    assert_eq!(export, tally_core::state::export(&lines));
    // January: 3 + 1.50 = 4.5 units = 9 cents; February: 10 units = 20 cents.
    assert_eq!(
        usage_totals(&text),
        [
            ("2025-01-01T00:00:00Z".into(), "9".into()),
            ("2025-02-01T00:00:00Z".into(), "20".into())
        ]
    );
}

#[test]
fn events_come_back_exactly_as_they_went_in() {
    let mut s = world();
    api::ingest_text(&mut s, &events().to_string(), Format::Json).unwrap();
    let back = tally_core::state::import(&tally_core::state::export(&s)).unwrap();
    assert_eq!(back, s);
    let first = s.events.event(0);
    // Number texts keep their form; strings keep escapes; nested values survive.
    assert_eq!(Value::Object(first.properties.clone()), events()[0]["properties"]);
    assert_eq!(s.events.event(1).properties["units"], json!("1.50"));
    assert_eq!(
        s.events.event(2).properties["units"],
        events()[3]["properties"]["units"]
    );
    assert_eq!(s.events.event(2).properties["units"].to_string(), "1e+1");
    // The offset time is kept as the instant it names, in UTC.
    assert_eq!(s.events.event(1).timestamp.to_string(), "2025-01-05T10:45:30.250Z");
    // The model alone carries no events.
    let model = tally_core::state::import(&tally_core::state::export_model(&s)).unwrap();
    assert_eq!(model.events.len(), 0);
    assert_eq!(model.contracts, s.contracts);
}

#[test]
fn a_refused_batch_leaves_nothing_behind() {
    let mut s = world();
    api::ingest_text(
        &mut s,
        r#"[{"transaction_id": "x", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z"}]"#,
        Format::Json,
    )
    .unwrap();
    let before = tally_core::state::export(&s);
    let bad = [
        (
            r#"[{"transaction_id": "y", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z", "properties": {"units": 1}},
             {"transaction_id": "z", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z", "properties": {"units": "five"}}]"#,
            "[1].properties.units",
            "invalid",
        ),
        (
            r#"[{"transaction_id": "y", "customer_id": "acme", "event_type": "use", "timestamp": "2025-13-01T00:00:00Z"}]"#,
            "[0].timestamp",
            "invalid_body",
        ),
        (
            r#"[{"transaction_id": "y", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z"}]"#,
            "[0]",
            "invalid_body",
        ),
        (
            r#"[{"transaction_id": "", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z"}]"#,
            "[0].transaction_id",
            "invalid",
        ),
        (
            r#"[{"transaction_id": "y", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z"}"#,
            "[1]",
            "invalid_body",
        ),
    ];
    for (text, path, code) in bad {
        let e = api::ingest_text(&mut s, text, Format::Json).unwrap_err();
        assert_eq!(
            (e.path.as_str(), serde_json::to_value(e.code).unwrap()),
            (path, json!(code)),
            "{text}: {e}"
        );
        assert_eq!(tally_core::state::export(&s), before, "{text}");
    }
    // `y` was never stored, so it is not a duplicate now.
    let a = api::ingest_text(
        &mut s,
        r#"[{"transaction_id": "y", "customer_id": "acme", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z"}]"#,
        Format::Json,
    )
    .unwrap();
    assert_eq!(a["data"]["ingested"], json!(1));
}

#[test]
fn a_property_the_index_did_not_keep_apart_rebuilds_it() {
    // Rated once with no product reading `region`, then priced by region: the lines must split.
    let mut late = world();
    ok(&mut late, "POST /v1/ingest", events());
    assert_eq!(usage_totals(&late)[0].1, "9");
    ok(
        &mut late,
        "POST /v1/billable-metrics/create",
        json!({"id": "units_r", "name": "Units by region", "event_type_filter": {"in_values": ["use"]}, "aggregation_type": "MAX", "aggregation_key": "units"}),
    );
    ok(
        &mut late,
        "POST /v1/contract-pricing/products/create",
        json!({"id": "pr", "name": "Peak units", "type": "USAGE", "billable_metric_id": "units_r", "pricing_group_key": ["region"]}),
    );
    ok(
        &mut late,
        "POST /v1/contract-pricing/rate-cards/addRate",
        json!({"rate_card_id": "rc", "product_id": "pr", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 100, "pricing_group_values": {"region": "US"}}),
    );
    ok(
        &mut late,
        "POST /v1/contract-pricing/rate-cards/addRate",
        json!({"rate_card_id": "rc", "product_id": "pr", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 1000, "pricing_group_values": {"region": "EU"}}),
    );
    // January: units 9 cents, plus peak units per region: US max 3 × 100 = 300, EU max 1.50 × 1000
    // = 1500: 1809. February: 20 + US max 10 × 100 = 1020.
    assert_eq!(
        usage_totals(&late),
        [
            ("2025-01-01T00:00:00Z".into(), "1809".into()),
            ("2025-02-01T00:00:00Z".into(), "1020".into())
        ]
    );
    // The same as a state that had the catalog before the events.
    let mut early = late.clone();
    early.events = Default::default();
    ok(&mut early, "POST /v1/ingest", events());
    assert_eq!(usage_totals(&early), usage_totals(&late));
}

#[test]
fn usage_is_deleted_by_customer_and_by_window() {
    let mut s = world();
    ok(&mut s, "POST /v1/ingest", events());
    // By customer: its id and its alias (a, b, c); `nobody`'s event stays.
    let mut by_customer = s.clone();
    let n = api::delete_usage(
        &mut by_customer,
        &DeleteUsage {
            customer_id: Some("acme".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((n, by_customer.events.len()), (3, 1));
    assert_eq!(by_customer.events.event(0).transaction_id, "d");
    // By window: February on (c, d).
    let mut by_window = s.clone();
    let body = json!({"starting_at": "2025-02-01T00:00:00Z"});
    assert_eq!(
        ok(&mut by_window, "POST /v1/usage/delete", body),
        json!({"data": {"deleted": 2}})
    );
    assert_eq!(
        usage_totals(&by_window),
        [
            ("2025-01-01T00:00:00Z".into(), "9".into()),
            ("2025-02-01T00:00:00Z".into(), "0".into())
        ]
    );
    // Deleted ids can come again.
    let again = ok(&mut by_window, "POST /v1/ingest", json!([events()[3]]));
    assert_eq!(again["data"]["ingested"], json!(1));
    // Nothing said: refused, nothing deleted. The original shares nothing with the copies.
    assert!(call(&mut s, "POST /v1/usage/delete", &json!({}), now()).is_err());
    assert_eq!(s.events.len(), 4);
}

#[test]
fn ndjson_batches_restore_without_checking_values_against_todays_metrics() {
    let mut s = world();
    ok(&mut s, "POST /v1/ingest", events());
    let text = s.events.ndjson(0..s.events.len());
    assert_eq!(text.lines().count(), 4);
    // A metric created later would refuse event `b`'s units as text for... no: "1.50" is a number.
    // Store an event that a later MAX metric on `note` refuses, then restore it.
    let mut later = world();
    ok(
        &mut later,
        "POST /v1/billable-metrics/create",
        json!({"id": "notes", "name": "Notes", "aggregation_type": "MAX", "aggregation_key": "note"}),
    );
    assert!(api::ingest_text(&mut later, &text, Format::Ndjson).is_err());
    assert_eq!(api::restore_text(&mut later, &text, Format::Ndjson).unwrap(), 4);
    assert_eq!(later.events.ndjson(0..4), text);
}

#[test]
fn an_array_cut_anywhere_gives_the_same_events() {
    let text = serde_json::to_string_pretty(&events()).unwrap();
    let whole = {
        let mut c = ArrayChunks::default();
        let out = c.feed(&text).unwrap();
        assert!(c.finished());
        out
    };
    assert_eq!(whole.lines().count(), 5);
    for (i, line) in whole.lines().enumerate() {
        assert_eq!(serde_json::from_str::<Value>(line).unwrap(), events()[i]);
    }
    let cuts: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    for &cut in cuts.iter().step_by(7) {
        let mut c = ArrayChunks::default();
        let mut out = c.feed(&text[..cut]).unwrap();
        out += &c.feed(&text[cut..]).unwrap();
        assert_eq!(out, whole, "cut at {cut}");
        assert!(c.finished());
    }
    let mut c = ArrayChunks::default();
    assert!(c.feed("{\"a\": 1}").unwrap_err().contains("starts with `[`"));
    let mut c = ArrayChunks::default();
    c.feed("[{\"a\": 1}").unwrap();
    assert!(!c.finished());
}

#[test]
fn a_balance_series_is_each_balance_asked_alone() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/widgets_express_prepaid_commit.json"
    ))
    .unwrap();
    let scenario = Scenario::parse(&text).unwrap();
    let mut s = State::default();
    scenario.responses_on(&mut s);
    let customer = s.customers.keys().next().unwrap().clone();
    let start = Timestamp::ymd(2025, 1, 1);
    let ats: Vec<Timestamp> = (0..15).map(|k| start.add_months(k)).collect();
    let series = api::queries::net_balances(&s, &customer, None, &ats, now()).unwrap();
    for (at, got) in ats.iter().zip(&series) {
        let req = tally_core::wire::NetBalanceRequest {
            customer_id: customer.clone(),
            contract_id: None,
            at: Some(*at),
            effective_before: None,
            credit_type_id: None,
        };
        let alone = api::queries::net_balance(&s, &req, now()).unwrap();
        assert_eq!(
            serde_json::to_value(got).unwrap(),
            serde_json::to_value(&alone).unwrap(),
            "at {at}"
        );
    }
    // The series moves: the commit is drawn down over the year.
    assert_ne!(
        serde_json::to_value(&series[0]).unwrap()["balance"],
        serde_json::to_value(&series[12]).unwrap()["balance"]
    );
}
