//! The text readers: events read from JSON and NDJSON, what they refuse, and the fast time path.

use super::*;
use proptest::prelude::*;

/// One field of a generated event, as text: usual and unusual shapes alike.
fn arb_field() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        Just("\"acme\"".to_string()),
        Just("\"ACME-1\"".to_string()),
        Just("\"caf\\u00e9\"".to_string()),
        Just("\"\"".to_string()),
        Just("\"tab\\there\"".to_string()),
        Just("\"\u{e9}t\u{e9}\"".to_string()),
    ];
    let number = prop_oneof![
        Just("0".to_string()),
        Just("-12.50".to_string()),
        Just("1e3".to_string()),
        Just("2E-2".to_string()),
        Just("007".to_string()),
        Just("1.".to_string()),
        Just("99999999999999999999999999999999".to_string()),
    ];
    let value = prop_oneof![
        text.clone(),
        number,
        Just("true".to_string()),
        Just("null".to_string()),
        Just("[1, {\"x\": 2}]".to_string()),
        Just("{}".to_string()),
    ];
    let props = prop::collection::vec(
        (prop_oneof![Just("units"), Just("region"), Just("n")], value.clone()),
        0..4,
    )
    .prop_map(|kv| {
        format!(
            "{{{}}}",
            kv.iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    let time = prop_oneof![
        Just("\"2025-01-01T00:00:00Z\"".to_string()),
        Just("\"2025-01-01T10:30:00.5+01:00\"".to_string()),
        Just("\"2025-13-01T00:00:00Z\"".to_string()),
        Just("\"1999-01-01T00:00:00Z\"".to_string()),
        Just("12".to_string()),
    ];
    prop_oneof![
        text.clone().prop_map(|v| format!("\"transaction_id\": {v}")),
        prop_oneof![Just("\"t1\""), Just("\"t2\""), Just("\"t3\""), Just("5")]
            .prop_map(|v| format!("\"transaction_id\": {v}")),
        text.clone().prop_map(|v| format!("\"customer_id\": {v}")),
        prop_oneof![Just("\"use\""), Just("\"other\"")].prop_map(|v| format!("\"event_type\": {v}")),
        time.prop_map(|v| format!("\"timestamp\": {v}")),
        props.prop_map(|v| format!("\"properties\": {v}")),
        Just("\"properties\": null".to_string()),
        value.prop_map(|v| format!("\"extra\": {v}")),
    ]
}

/// A usual event, so that many generated texts are read whole by the fast reader.
fn usual(i: u8) -> String {
    format!(
        "{{\"transaction_id\": \"t{i}\", \"customer_id\": \"acme\", \"event_type\": \"use\", \"timestamp\": \"2025-01-0{}T00:00:00Z\", \"properties\": {{\"units\": {i}, \"region\": \"US\"}}}}",
        1 + i % 9
    )
}

/// A usual event with some fields added or given again (a later one wins, as in JSON reading).
fn mutated() -> impl Strategy<Value = String> {
    ((0u8..6), prop::collection::vec(arb_field(), 1..3), any::<bool>()).prop_map(|(i, extra, first)| {
        let base = usual(i);
        let body = &base[1..base.len() - 1];
        if first {
            format!("{{{}, {body}}}", extra.join(", "))
        } else {
            format!("{{{body}, {}}}", extra.join(", "))
        }
    })
}

fn arb_event() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (0u8..6).prop_map(usual),
        4 => mutated(),
        1 => prop::collection::vec(arb_field(), 0..7).prop_map(|f| format!("{{{}}}", f.join(", "))),
    ]
}

proptest! {
    #![proptest_config(crate::usage::seed_tests::seeded(2000))]

    /// The fast reader changes nothing but speed: the same events stored, the same answer, the
    /// same refusal (code, path and message) as serde_json's reading alone.
    #[test]
    fn the_fast_reader_agrees_with_serde(events in prop::collection::vec(arb_event(), 0..6), ndjson: bool, garbage: bool) {
        let mut metrics = IndexMap::new();
        let m: BillableMetric = serde_json::from_value(serde_json::json!({"id": "m", "name": "Units", "aggregation_type": "SUM", "aggregation_key": "units"})).unwrap();
        metrics.insert("m".to_string(), m);
        let (format, mut text) = if ndjson {
            (Format::Ndjson, events.join("\n"))
        } else {
            (Format::Json, format!("[{}]", events.join(",\n ")))
        };
        if garbage {
            text.push_str(" x");
        }
        let (mut fast, mut slow) = (Store::default(), Store::default());
        let a = read(&mut fast, Some(&metrics), &text, format, true);
        let b = read(&mut slow, Some(&metrics), &text, format, false);
        let shown = |r: &Result<Added>| match r {
            Ok(a) => format!("{a:?}"),
            Err(e) => format!("{:?} {} {}", e.code, e.path, e.message),
        };
        prop_assert_eq!(shown(&a), shown(&b), "{}", text);
        prop_assert_eq!(fast.events().collect::<Vec<_>>(), slow.events().collect::<Vec<_>>());
        // And each store is left whole, refused or not: the same ids count as seen next time.
        let next = format!("[{}, {}]", usual(1), usual(5));
        let a = read(&mut fast, Some(&metrics), &next, Format::Json, true);
        let b = read(&mut slow, Some(&metrics), &next, Format::Json, false);
        prop_assert_eq!(shown(&a), shown(&b), "{}", text);
        prop_assert_eq!(fast.events().collect::<Vec<_>>(), slow.events().collect::<Vec<_>>());
    }
}

/// The check finds a type's metrics and keys by symbol once per type: a key that no event had
/// named when the type was first met is still checked when a later event names it, and the
/// refusal is the one the API gives for the same events as a JSON body.
#[test]
fn a_key_first_named_by_a_later_event_is_still_checked() {
    let mut metrics = IndexMap::new();
    let m: BillableMetric = serde_json::from_value(serde_json::json!({"id": "m", "name": "Units",
        "event_type_filter": {"in_values": ["use"]}, "aggregation_type": "SUM", "aggregation_key": "units"}))
    .unwrap();
    metrics.insert("m".to_string(), m);
    let text = r#"[{"transaction_id": "a", "customer_id": "c", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z", "properties": {"region": "US"}},
        {"transaction_id": "b", "customer_id": "c", "event_type": "use", "timestamp": "2025-01-01T00:00:00Z", "properties": {"units": "lots"}}]"#;
    for format in [Format::Json, Format::Ndjson] {
        let text = if format == Format::Json {
            text.to_string()
        } else {
            let v: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
            v.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
        };
        for fast in [true, false] {
            let mut store = Store::default();
            let e = read(&mut store, Some(&metrics), &text, format, fast).unwrap_err();
            assert_eq!(e.path, "[1].properties.units");
            assert_eq!(
                e.message,
                "`\"lots\"` is not a number; billable metric `m` aggregates `units` with SUM"
            );
            assert!(store.is_empty());
        }
    }
    let events: Vec<crate::usage::Event> = serde_json::from_str(text).unwrap();
    let e = crate::usage::validate_values(&metrics, &events, "").unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.message.as_str()),
        (
            "[1].properties.units",
            "`\"lots\"` is not a number; billable metric `m` aggregates `units` with SUM"
        )
    );
}
