use super::*;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn send(state: &mut State, now: &mut Timestamp, method: &str, target: &str, body: &str) -> (u16, Value) {
    let r = respond(
        state,
        now,
        Request {
            method,
            target,
            body: body.as_bytes(),
        },
    );
    (r.status, serde_json::from_str(&r.body).unwrap())
}

#[test]
fn refusals_carry_metronomes_status_and_a_top_level_message() {
    let mut state = State::default();
    let mut now = at("2025-01-01T00:00:00Z");
    let (status, body) = send(&mut state, &mut now, "GET", "/v1/customers/nobody", "");
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    assert!(body["message"].as_str().unwrap().contains("nobody"));
    let (status, body) = send(&mut state, &mut now, "POST", "/v1/customers", "{\"name\": 5}");
    assert_eq!((status, body["path"].as_str()), (400, Some("name")));
    let (status, body) = send(&mut state, &mut now, "POST", "/v1/customers", "{not json");
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_body")));
    // An endpoint of Metronome's that Tally does not serve: 501, naming it.
    let (status, body) = send(&mut state, &mut now, "POST", "/v1/packages/create", "{}");
    assert_eq!(status, 501);
    assert!(body["message"].as_str().unwrap().contains("/v1/packages/create"));
    let r = respond(
        &mut state,
        &mut now,
        Request {
            method: "GET",
            target: "/v1/nothing",
            body: b"",
        },
    );
    assert_eq!(r.status, 404);
    assert!(r.headers().contains(&("x-should-retry", "false")));
    assert!(!r.changed);
}

#[test]
fn a_query_style_list_pages_by_limit_and_cursor() {
    let mut state = State::default();
    let mut now = at("2025-01-01T00:00:00Z");
    for name in ["a", "b", "c"] {
        let (status, _) = send(
            &mut state,
            &mut now,
            "POST",
            "/v1/customers",
            &format!("{{\"name\":\"{name}\"}}"),
        );
        assert_eq!(status, 200);
    }
    let (_, first) = send(
        &mut state,
        &mut now,
        "GET",
        "http://tally.local/v1/customers?limit=2",
        "",
    );
    let names: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b"]);
    let cursor = first["next_page"].as_str().unwrap().to_string();
    let (_, second) = send(
        &mut state,
        &mut now,
        "GET",
        &format!("/v1/customers?limit=2&next_page={cursor}"),
        "",
    );
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["name"], "c");
    assert_eq!(second["next_page"], Value::Null);
    let (status, body) = send(&mut state, &mut now, "GET", "/v1/customers?limit=0", "");
    assert_eq!((status, body["path"].as_str()), (400, Some("limit")));
}

#[test]
fn a_command_says_it_changed_the_state_and_a_read_does_not() {
    let mut state = State::default();
    let mut now = at("2025-01-01T00:00:00Z");
    let req = |method, target, body: &'static str| Request {
        method,
        target,
        body: body.as_bytes(),
    };
    assert!(respond(&mut state, &mut now, req("POST", "/v1/customers", "{\"name\":\"a\"}")).changed);
    assert!(!respond(&mut state, &mut now, req("GET", "/v1/customers", "")).changed);
    assert!(!respond(&mut state, &mut now, req("POST", "/v1/customers", "{\"nam\":\"a\"}")).changed);
}

#[test]
fn the_clock_moves_forward_only() {
    let mut state = State::default();
    let mut now = at("2025-01-01T00:00:00Z");
    let (status, body) = send(
        &mut state,
        &mut now,
        "POST",
        "/tally/clock",
        "{\"now\":\"2025-02-01T00:00:00Z\"}",
    );
    assert_eq!(
        (status, body["data"]["now"].as_str()),
        (200, Some("2025-02-01T00:00:00Z"))
    );
    assert_eq!(now, at("2025-02-01T00:00:00Z"));
    let (status, body) = send(
        &mut state,
        &mut now,
        "POST",
        "/tally/clock",
        "{\"now\":\"2025-01-15T00:00:00Z\"}",
    );
    assert_eq!((status, body["path"].as_str()), (400, Some("now")));
    assert_eq!(now, at("2025-02-01T00:00:00Z"));
}

#[test]
fn a_query_reaches_the_call_behind_the_door() {
    let mut state = State::default();
    let mut now = at("2025-03-10T00:00:00Z");
    send(
        &mut state,
        &mut now,
        "POST",
        "/v1/customers",
        r#"{"id":"c","name":"C"}"#,
    );
    let (status, _) = send(
        &mut state,
        &mut now,
        "POST",
        "/v1/contracts/create",
        r#"{"customer_id":"c","starting_at":"2025-01-01T00:00:00Z"}"#,
    );
    assert_eq!(status, 200);
    let (_, all) = send(&mut state, &mut now, "GET", "/v1/customers/c/invoices", "");
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    let (_, two) = send(
        &mut state,
        &mut now,
        "GET",
        "http://x/v1/customers/c/invoices?ending_before=2025-03-01T00%3A00%3A00Z",
        "",
    );
    let ends: Vec<&str> = two["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["end_timestamp"].as_str().unwrap())
        .collect();
    assert_eq!(ends, ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"]);
}

#[test]
fn a_query_key_is_honoured_or_refused_by_name() {
    let mut state = State::default();
    let mut now = at("2025-03-10T00:00:00Z");
    send(
        &mut state,
        &mut now,
        "POST",
        "/v1/customers",
        r#"{"id":"c","name":"C","ingest_aliases":["c@x"]}"#,
    );
    send(
        &mut state,
        &mut now,
        "POST",
        "/v1/customers",
        r#"{"id":"d","name":"D"}"#,
    );
    send(
        &mut state,
        &mut now,
        "POST",
        "/v1/contracts/create",
        r#"{"customer_id":"c","starting_at":"2025-01-01T00:00:00Z"}"#,
    );
    // Jan and Feb are FINALIZED at March 10th, March is a DRAFT; latest first when asked.
    let (_, drafts) = send(&mut state, &mut now, "GET", "/v1/customers/c/invoices?status=DRAFT", "");
    assert_eq!(drafts["data"].as_array().unwrap().len(), 1);
    assert_eq!(drafts["data"][0]["start_timestamp"], "2025-03-01T00:00:00Z");
    let (_, desc) = send(
        &mut state,
        &mut now,
        "GET",
        "/v1/customers/c/invoices?sort=date_desc",
        "",
    );
    assert_eq!(desc["data"][0]["start_timestamp"], "2025-03-01T00:00:00Z");
    assert_eq!(desc["data"][2]["start_timestamp"], "2025-01-01T00:00:00Z");
    let (status, body) = send(&mut state, &mut now, "GET", "/v1/customers/c/invoices?bogus=1", "");
    assert_eq!(
        (status, body["code"].as_str(), body["path"].as_str()),
        (400, Some("unknown_field"), Some("bogus"))
    );
    let (status, body) = send(
        &mut state,
        &mut now,
        "GET",
        "/v1/customers/c/invoices?webhook_notification_id=w",
        "",
    );
    assert_eq!((status, body["code"].as_str()), (501, Some("not_supported")));
    // Customers by id list (comma separated, as the SDK sends arrays) and by ingest alias.
    let (_, some) = send(&mut state, &mut now, "GET", "/v1/customers?customer_ids=d%2Cnobody", "");
    assert_eq!(some["data"].as_array().unwrap().len(), 1);
    assert_eq!(some["data"][0]["id"], "d");
    let (_, by_alias) = send(&mut state, &mut now, "GET", "/v1/customers?ingest_alias=c%40x", "");
    assert_eq!(by_alias["data"][0]["id"], "c");
    let (status, _) = send(
        &mut state,
        &mut now,
        "GET",
        "/v1/customers?salesforce_account_ids=s",
        "",
    );
    assert_eq!(status, 501);
}

#[test]
fn a_post_takes_no_query_but_its_paging() {
    let mut state = State::default();
    let mut now = at("2025-03-10T00:00:00Z");
    send(
        &mut state,
        &mut now,
        "POST",
        "/v1/customers",
        r#"{"id":"c","name":"C"}"#,
    );
    let (status, body) = send(
        &mut state,
        &mut now,
        "POST",
        "/v1/contracts/list?bogus=1",
        r#"{"customer_id":"c"}"#,
    );
    assert_eq!((status, body["path"].as_str()), (400, Some("bogus")));
    // A POST list the SDK pages by query takes its paging there.
    let (status, body) = send(
        &mut state,
        &mut now,
        "POST",
        "/v1/contract-pricing/products/list?limit=5",
        "{}",
    );
    assert_eq!((status, body["next_page"].clone()), (200, Value::Null));
}
