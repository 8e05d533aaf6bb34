//! Property tests: the parser never panics on any JSON, and the billing invariants hold over
//! generated contracts and usage.

mod common;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tally_core::{call, ErrorCode, State, Timestamp};

const CALLS: &[&str] = &[
    "POST /v1/billable-metrics/create",
    "POST /v1/contract-pricing/products/create",
    "POST /v1/contract-pricing/rate-cards/create",
    "POST /v1/contract-pricing/rate-cards/addRate",
    "POST /v1/customers",
    "POST /v1/customers/c/setIngestAliases",
    "POST /v1/contracts/create",
    "POST /v2/contracts/edit",
    "POST /v1/contracts/setUsageFilter",
    "POST /v1/contracts/updateEndDate",
    "POST /v1/ingest",
    "GET /v1/customers/c/invoices?ending_before=2025-06-01T00:00:00Z",
    "POST /v1/customers/c/previewEvents",
    "POST /v1/contracts/getContractRateSchedule",
    "POST /v1/contracts/customerBalances/getNetBalance",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        prop_oneof![
            Just("2025-01-01T00:00:00Z".to_string()),
            Just("c".to_string()),
            Just("k".to_string()),
            Just("p".to_string()),
            Just("MONTHLY".to_string()),
            Just("prepaid".to_string()),
            "[a-z_]{0,8}",
        ]
        .prop_map(Value::String),
    ];
    let keys = prop_oneof![
        Just("name"),
        Just("id"),
        Just("customer_id"),
        Just("contract_id"),
        Just("starting_at"),
        Just("ending_before"),
        Just("rates"),
        Just("commits"),
        Just("amount"),
        Just("type"),
        Just("price"),
        Just("tiers"),
        Just("size"),
        Just("product_id"),
        Just("rate_type"),
        Just("access_schedule"),
        Just("schedule_items"),
        Just("add_overrides"),
        Just("multiplier"),
        Just("events"),
        Just("timestamp"),
        Just("properties"),
        Just("aggregation_type"),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A small world: a metric, two products, a rate card, a customer with a contract.
fn world() -> State {
    let mut s = State::default();
    let now = Timestamp::ymd(2025, 6, 1);
    for (c, b) in [
        (
            "POST /v1/billable-metrics/create",
            json!({"id": "m", "name": "M", "aggregation_type": "SUM", "aggregation_key": "q"}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"id": "p", "name": "P", "type": "USAGE", "billable_metric_id": "m", "tags": ["cloud"]}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"id": "f", "name": "F", "type": "FIXED"}),
        ),
        (
            "POST /v1/contract-pricing/rate-cards/create",
            json!({"id": "rc", "name": "RC", "rates": [
            {"product_id": "p", "starting_at": "2024-01-01T00:00:00Z", "rate_type": "FLAT", "price": 3}]}),
        ),
        ("POST /v1/customers", json!({"id": "c", "name": "C"})),
        (
            "POST /v1/contracts/create",
            json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z"}),
        ),
    ] {
        call(&mut s, c, &b, now).unwrap();
    }
    s
}

proptest! {
    #![proptest_config(common::seeded(400))]

    /// Any JSON body on any call: an answer or a typed error, never a panic; a refused call changes nothing.
    #[test]
    fn no_body_panics_or_half_applies(idx in 0..CALLS.len(), body in arb_json()) {
        let mut s = world();
        let before = s.clone();
        let now = Timestamp::ymd(2025, 6, 1);
        if call(&mut s, CALLS[idx], &body, now).is_err() {
            prop_assert_eq!(s, before);
        }
    }
}

#[derive(Debug, Clone)]
struct Terms {
    prepaid: Option<u32>,
    credit: Option<u32>,
    postpaid: Option<u32>,
    multiplier: Option<u32>,
    /// A commit-specific multiplier (in hundredths) on what the prepaid commit pays for.
    commit_multiplier: Option<u32>,
    consolidate: bool,
}

fn arb_terms() -> impl Strategy<Value = Terms> {
    (
        prop::option::of(0u32..50_000),
        prop::option::of(0u32..20_000),
        prop::option::of(1u32..50_000),
        prop::option::of(1u32..150),
        prop::option::of(1u32..200),
        any::<bool>(),
    )
        .prop_map(
            |(prepaid, credit, postpaid, multiplier, commit_multiplier, consolidate)| Terms {
                prepaid,
                credit,
                postpaid,
                multiplier,
                commit_multiplier,
                consolidate,
            },
        )
}

fn rated(terms: &Terms, events: &[(u32, u32)]) -> Vec<Value> {
    let mut s = world();
    let now = Timestamp::ymd(2025, 6, 1);
    let access = |amount: u32| json!({"schedule_items": [{"amount": amount, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-04-01T00:00:00Z"}]});
    let mut commits = Vec::new();
    if let Some(a) = terms.prepaid {
        commits.push(
            json!({"id": "pre", "type": "PREPAID", "name": "Pre", "product_id": "f", "access_schedule": access(a),
            "invoice_schedule": {"schedule_items": [{"timestamp": "2025-02-01T00:00:00Z", "amount": a}]}}),
        );
    }
    if let Some(a) = terms.postpaid {
        commits.push(
            json!({"type": "POSTPAID", "name": "Post", "product_id": "f", "access_schedule": access(a),
            "invoice_schedule": {"schedule_items": [{"timestamp": "2025-04-01T00:00:00Z", "amount": a}]}}),
        );
    }
    let credits: Vec<Value> = terms
        .credit
        .iter()
        .map(|a| json!({"name": "Cr", "product_id": "f", "access_schedule": access(*a)}))
        .collect();
    let mut overrides: Vec<Value> = terms
        .multiplier
        .iter()
        .map(|m| json!({"starting_at": "2025-02-10T00:00:00Z", "type": "MULTIPLIER", "multiplier": Decimal::new(*m as i64, 2).to_string(), "product_id": "p"}))
        .collect();
    overrides.extend(terms.commit_multiplier.map(|m| json!({"starting_at": "2025-01-01T00:00:00Z", "type": "MULTIPLIER",
        "multiplier": Decimal::new(m as i64, 2).to_string(), "override_specifiers": [{"product_id": "p", "commit_ids": ["pre"]}]})));
    let mut body = json!({"id": "k2", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
        "commits": commits, "credits": credits, "overrides": overrides});
    if terms.consolidate {
        body["scheduled_charges_on_usage_invoices"] = json!("ALL");
    }
    // The generated contract replaces the world's plain one.
    s.contracts.clear();
    call(&mut s, "POST /v1/contracts/create", &body, now).unwrap();
    let evs: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, (day, q))| json!({"transaction_id": format!("t{i}"), "customer_id": "c", "event_type": "e",
            "timestamp": (Timestamp::ymd(2025, 1, 1).0 + chrono::Duration::hours(*day as i64)).to_rfc3339(), "properties": {"q": q}}))
        .collect();
    call(&mut s, "POST /v1/ingest", &json!(evs), now).unwrap();
    let out = call(
        &mut s,
        "GET /v1/customers/c/invoices?ending_before=2025-06-01T00:00:00Z",
        &Value::Null,
        now,
    )
    .unwrap();
    out["data"].as_array().unwrap().clone()
}

fn dec(v: &Value) -> Decimal {
    v.to_string().parse().unwrap()
}

proptest! {
    #![proptest_config(common::seeded(120))]

    #[test]
    fn billing_invariants(terms in arb_terms(), events in prop::collection::vec((0u32..3600, 0u32..500), 0..40), extra in (0u32..3600, 1u32..500)) {
        let invoices = rated(&terms, &events);
        // Determinism: the same calls, the same bytes.
        prop_assert_eq!(serde_json::to_string(&invoices).unwrap(), serde_json::to_string(&rated(&terms, &events)).unwrap());
        for inv in &invoices {
            let lines = inv["line_items"].as_array().unwrap();
            let sum: Decimal = lines.iter().map(|l| dec(&l["total"])).sum();
            prop_assert_eq!(sum, dec(&inv["total"]), "total is the sum of lines");
            prop_assert!(dec(&inv["total"]) >= Decimal::ZERO);
            for l in lines {
                prop_assert_eq!(dec(&l["total"]), dec(&l["total"]).round(), "line totals are whole cents");
            }
        }
        // No balance is overdrawn: the exact amounts applied (an applied line's unit price; its total is
        // that rounded to cents) never add up to more than the segment amount.
        for (name, amount) in [("Pre", terms.prepaid), ("Cr", terms.credit)] {
            let id_drawn: Decimal = invoices.iter().flat_map(|i| i["line_items"].as_array().unwrap().iter())
                .filter(|l| l["type"] == "applied_commit_or_credit" && l["name"] == name)
                .map(|l| -dec(&l["unit_price"])).sum();
            prop_assert!(id_drawn <= Decimal::from(amount.unwrap_or(0)), "{} drew {} of {:?}", name, id_drawn, amount);
        }
        // Adding usage never lowers a usage invoice, nor what the customer pays in all.
        let mut more = events.clone();
        more.push(extra);
        let after = rated(&terms, &more);
        let total = |list: &[Value]| list.iter().map(|i| dec(&i["total"])).sum::<Decimal>();
        prop_assert!(total(&after) >= total(&invoices));
        for (a, b) in invoices.iter().zip(&after) {
            if a["type"] == "USAGE" && !terms.consolidate {
                prop_assert!(dec(&b["total"]) >= dec(&a["total"]), "usage invoice {} went down", a["id"]);
            }
        }
    }
}

/// Numbers at the edges of what `Decimal` holds, as a body may carry them.
fn arb_extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("79228162514264337593543950335".to_string()),
        Just("-79228162514264337593543950335".to_string()),
        Just("0.0000000000000000000000000001".to_string()),
        Just("39614081257132168796771975168".to_string()),
        Just("0".to_string()),
        (1u64..u64::MAX).prop_map(|n| n.to_string()),
        (1u32..1000).prop_map(|n| format!("0.{n}")),
    ]
}

proptest! {
    #![proptest_config(common::seeded(150))]

    /// Rating with prices, amounts, multipliers, tier sizes, conversions and usage at the edges of
    /// `Decimal`: answers or typed errors, never a panic (overflow saturates).
    #[test]
    fn extreme_numbers_never_panic(p in arb_extreme(), m in arb_extreme(), a in arb_extreme(), q in arb_extreme(), f in arb_extreme(), size in arb_extreme()) {
        let mut s = State::default();
        let now = Timestamp::ymd(2025, 6, 1);
        let calls = [
            ("POST /v1/billable-metrics/create", json!({"id": "m", "name": "M", "aggregation_type": "SUM", "aggregation_key": "q"})),
            ("POST /v1/contract-pricing/products/create", json!({"id": "p", "name": "P", "type": "USAGE", "billable_metric_id": "m",
                "quantity_conversion": {"conversion_factor": f, "operation": "MULTIPLY"}})),
            ("POST /v1/contract-pricing/products/create", json!({"id": "f", "name": "F", "type": "FIXED"})),
            ("POST /v1/contract-pricing/rate-cards/create", json!({"id": "rc", "name": "RC", "rates": [
                {"product_id": "p", "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-03-01T00:00:00Z", "rate_type": "FLAT", "price": p},
                {"product_id": "p", "starting_at": "2025-03-01T00:00:00Z", "rate_type": "TIERED", "tiers": [{"size": size, "price": p}, {"price": p}]}]})),
            ("POST /v1/customers", json!({"id": "c", "name": "C"})),
            ("POST /v1/contracts/create", json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z",
                "commits": [{"type": "PREPAID", "product_id": "f", "access_schedule": {"schedule_items": [{"amount": a, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2026-01-01T00:00:00Z"}]},
                    "invoice_schedule": {"schedule_items": [{"timestamp": "2025-01-01T00:00:00Z", "unit_price": a, "quantity": q}]}}],
                "recurring_credits": [{"product_id": "f", "access_amount": {"unit_price": a, "quantity": q}, "starting_at": "2025-01-15T00:00:00Z", "rollover_fraction": "0.5"}],
                "scheduled_charges": [{"product_id": "f", "schedule": {"recurring_schedule": {"starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-07-01T00:00:00Z",
                    "frequency": "MONTHLY", "unit_price": p, "quantity": q, "amount_distribution": "DIVIDED_ROUNDED"}}}],
                "overrides": [{"starting_at": "2025-02-01T00:00:00Z", "type": "TIERED", "product_id": "p", "tiers": [{"size": size, "multiplier": m}, {"multiplier": m}]},
                              {"starting_at": "2025-04-01T00:00:00Z", "type": "MULTIPLIER", "product_id": "p", "multiplier": m}]})),
            ("POST /v1/ingest", json!([
                {"transaction_id": "1", "customer_id": "c", "event_type": "e", "timestamp": "2025-01-10T00:00:00Z", "properties": {"q": q}},
                {"transaction_id": "2", "customer_id": "c", "event_type": "e", "timestamp": "2025-01-11T00:00:00Z", "properties": {"q": q}},
                {"transaction_id": "3", "customer_id": "c", "event_type": "e", "timestamp": "2025-02-11T00:00:00Z", "properties": {"q": q}},
                {"transaction_id": "4", "customer_id": "c", "event_type": "e", "timestamp": "2025-03-11T00:00:00Z", "properties": {"q": q}},
                {"transaction_id": "5", "customer_id": "c", "event_type": "e", "timestamp": "2025-04-11T00:00:00Z", "properties": {"q": q}}])),
            ("GET /v1/customers/c/invoices?ending_before=2025-08-01T00:00:00Z", Value::Null),
            ("POST /v1/contracts/customerBalances/getNetBalance", json!({"customer_id": "c", "at": "2025-03-01T00:00:00Z"})),
            ("POST /v1/contracts/getContractRateSchedule", json!({"customer_id": "c", "contract_id": "k", "at": "2025-04-02T00:00:00Z"})),
            ("POST /v1/customers/c/previewEvents", json!({"events": [{"event_type": "e", "timestamp": "2025-05-11T00:00:00Z", "properties": {"q": q}}], "mode": "merge"})),
        ];
        for (c, b) in calls {
            match call(&mut s, c, &b, now) {
                // A refusal names its kind, its field (an amount's, or the body's) and says why.
                Err(e) => {
                    prop_assert!(
                        matches!(e.code, ErrorCode::Invalid | ErrorCode::InvalidBody | ErrorCode::OutOfRange | ErrorCode::NotFound),
                        "{c}: unexpected refusal {e:?}"
                    );
                    prop_assert!(!e.message.is_empty(), "{c}: a refusal without a message");
                }
                // An answer is a figure a customer could check: whole cents on every line, and each
                // invoice's total the sum of its lines.
                Ok(v) if c.starts_with("GET /v1/customers/c/invoices") => {
                    for inv in v["data"].as_array().unwrap() {
                        let lines: Vec<Decimal> = inv["line_items"].as_array().unwrap().iter()
                            .filter(|l| l.get("credit_type").is_none())
                            .map(|l| dec(&l["total"])).collect();
                        for t in &lines {
                            prop_assert_eq!(t.fract(), Decimal::ZERO, "{}: a line total past cents", inv["id"]);
                        }
                        prop_assert_eq!(lines.iter().copied().sum::<Decimal>(), dec(&inv["total"]), "{}: total is not the sum of its lines", inv["id"]);
                    }
                }
                Ok(v) if c.ends_with("getNetBalance") => {
                    prop_assert!(v["data"]["balance"].is_number(), "the balance is not a figure: {v}");
                }
                Ok(_) => {}
            }
        }
    }
}
