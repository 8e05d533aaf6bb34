#![cfg(target_arch = "wasm32")]
//! The wasm build of Tally in headless Chromium: the JS-facing Engine, and every scenario file
//! checked against its hand-worked expectations by the same checker the native tests use.

use tally_wasm::{run_scenario, Engine};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap()
}

fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn creates_a_customer_and_refuses_a_bad_one_naming_the_field() {
    let mut e = Engine::new(Some("2025-01-01T00:00:00Z".into())).unwrap();
    let made = e
        .create_customer(obj(
            r#"{"id":"c1","name":"WidgetsExpress","ingest_aliases":["team@widgetsexpress.com"]}"#,
        ))
        .unwrap();
    assert_eq!(get(&get(&made, "data"), "id").as_string().unwrap(), "c1");
    let err = e
        .create_customer(obj(r#"{"name":"Other","ingest_aliases":["team@widgetsexpress.com"]}"#))
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "conflict");
    assert_eq!(get(&err, "path").as_string().unwrap(), "ingest_aliases[0]");
    assert!(err.is_instance_of::<js_sys::Error>());
}

#[wasm_bindgen_test]
fn money_comes_out_as_exact_decimal_strings() {
    let mut e = Engine::new(Some("2025-03-01T00:00:00Z".into())).unwrap();
    for (path, body) in [
        (
            "POST /v1/billable-metrics/create",
            r#"{"id":"m","name":"Calls","aggregation_type":"count"}"#,
        ),
        (
            "POST /v1/contract-pricing/products/create",
            r#"{"id":"p","name":"API calls","type":"usage","billable_metric_id":"m"}"#,
        ),
        (
            "POST /v1/contract-pricing/rate-cards/create",
            r#"{"id":"rc","name":"List","rates":[{"product_id":"p","starting_at":"2025-01-01T00:00:00Z","rate_type":"flat","price":"0.1"}]}"#,
        ),
        ("POST /v1/customers", r#"{"id":"c","name":"C"}"#),
        (
            "POST /v1/contracts/create",
            r#"{"id":"k","customer_id":"c","rate_card_id":"rc","starting_at":"2025-01-01T00:00:00Z"}"#,
        ),
    ] {
        e.call(path, obj(body)).unwrap();
    }
    // 3 calls at 0.1 cent = 0.3 cents, rounded to 0 cents by the line rule; unit price stays 0.1.
    e.ingest(obj(
        r#"[{"transaction_id":"a","customer_id":"c","event_type":"x","timestamp":"2025-01-02T00:00:00Z"},
                     {"transaction_id":"b","customer_id":"c","event_type":"x","timestamp":"2025-01-03T00:00:00Z"},
                     {"transaction_id":"c","customer_id":"c","event_type":"x","timestamp":"2025-01-04T00:00:00Z"}]"#,
    ))
    .unwrap();
    let list = get(
        &e.invoices("c", JsValue::from_str("ending_before=2025-02-01T00:00:00Z"))
            .unwrap(),
        "data",
    );
    let line = get(&get(&get(&list, "0"), "line_items"), "0");
    assert_eq!(get(&line, "unit_price").as_string().unwrap(), "0.1");
    assert_eq!(get(&line, "quantity").as_string().unwrap(), "3");
    assert_eq!(get(&line, "total").as_string().unwrap(), "0");
}

#[wasm_bindgen_test]
fn every_scenario_file_meets_its_expectations_in_the_browser() {
    assert!(!SCENARIOS.is_empty());
    for (name, text, native) in SCENARIOS {
        let out = run_scenario(text).unwrap();
        let s = tally_core::Scenario::parse(text).unwrap();
        let responses: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        let problems = tally_core::scenario::check(&s, &responses);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        // The very bytes the native build printed for this file when the test was built.
        assert_eq!(&out, native, "{name}: wasm and native disagree");
    }
}

#[wasm_bindgen_test]
fn export_and_import_round_trip_and_refuse_garbage() {
    let mut e = Engine::new(Some("2025-01-01T00:00:00Z".into())).unwrap();
    e.create_customer(obj(r#"{"id":"c1","name":"A"}"#)).unwrap();
    let saved = e.export_state();
    let mut f = Engine::new(Some("2025-01-01T00:00:00Z".into())).unwrap();
    f.import_state(JsValue::from_str(&saved)).unwrap();
    assert_eq!(f.export_state(), saved);
    let err = f
        .import_state(JsValue::from_str(
            "{\"tally_state_version\": 1, \"state\": {\"customers\": 5}}",
        ))
        .unwrap_err();
    assert_eq!(get(&err, "path").as_string().unwrap(), "state.customers");
    assert_eq!(f.export_state(), saved, "a refused import keeps the state");
}

/// Large text reaches wasm through the browser's `TextEncoder.encodeInto`: mostly ASCII with
/// multi-byte characters late in it, so the first buffer (a byte per unit) runs out and the rest is
/// read in a second round; the engine must store every character as sent.
#[wasm_bindgen_test]
fn text_beyond_ascii_reaches_the_engine_whole() {
    let mut e = Engine::new(Some("2025-02-01T00:00:00Z".into())).unwrap();
    e.create_customer(obj(r#"{"id":"c","name":"C"}"#)).unwrap();
    let events: Vec<String> = (0..300)
        .map(|i| {
            let region = if i < 250 { "US".to_string() } else { format!("Zürich € {}", "😀".repeat(i % 4)) };
            format!(
                r#"{{"transaction_id":"t{i}","customer_id":"c","event_type":"x","timestamp":"2025-01-01T00:00:00Z","properties":{{"region":"{region}"}}}}"#
            )
        })
        .collect();
    let text = format!("[{}]", events.join(","));
    e.ingest_text(JsValue::from_str(&text), Some("json".into())).unwrap();
    assert_eq!(e.event_count(), 300);
    assert!(e.export_state().contains("Zürich € 😀😀😀"));
    let err = e.ingest_text(JsValue::from_f64(42.0), None).unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_body");
    // Without the package's TallyError class (this runner's glue has none), a plain Error, same fields.
    assert_eq!(get(&err, "detail").as_string().unwrap(), "text: expected a string");
    assert_eq!(get(&err, "path").as_string().unwrap(), "");
    assert!(err.is_instance_of::<js_sys::Error>());
}
