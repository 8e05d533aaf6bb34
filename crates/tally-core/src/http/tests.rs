use super::*;

fn at(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

/// A state and the door's clock, as `engine.fetch` and `tally serve` hold them.
struct Door {
    state: State,
    now: Timestamp,
}

impl Door {
    fn at(now: &str) -> Door {
        Door {
            state: State::default(),
            now: at(now),
        }
    }

    /// Customer `c` (alias `c@x`) and `d`, and a contract of `c`'s from 2025-01-01, at 2025-03-10:
    /// January and February FINALIZED, March a DRAFT.
    fn with_contract() -> Door {
        let mut door = Door::at("2025-03-10T00:00:00Z");
        door.ok(
            "POST",
            "/v1/customers",
            r#"{"id":"c","name":"C","ingest_aliases":["c@x"]}"#,
        );
        door.ok("POST", "/v1/customers", r#"{"id":"d","name":"D"}"#);
        door.ok(
            "POST",
            "/v1/contracts/create",
            r#"{"customer_id":"c","starting_at":"2025-01-01T00:00:00Z"}"#,
        );
        door
    }

    fn respond(&mut self, method: &str, target: &str, body: &str) -> Response {
        let req = Request {
            method,
            target,
            body: body.as_bytes(),
        };
        respond(&mut self.state, &mut self.now, req)
    }

    fn send(&mut self, method: &str, target: &str, body: &str) -> (u16, Value) {
        let r = self.respond(method, target, body);
        (r.status, serde_json::from_str(&r.body).unwrap())
    }

    /// The answer of a call that must be accepted.
    fn ok(&mut self, method: &str, target: &str, body: &str) -> Value {
        let (status, answer) = self.send(method, target, body);
        assert_eq!(status, 200, "{method} {target}: {answer}");
        answer
    }

    /// The status, code and path of a refusal.
    fn refused(&mut self, method: &str, target: &str, body: &str) -> (u16, String, String) {
        let (status, e) = self.send(method, target, body);
        let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        (status, text("code"), text("path"))
    }
}

fn refusal(status: u16, code: &str, path: &str) -> (u16, String, String) {
    (status, code.to_string(), path.to_string())
}

/// The period starts of an invoice list.
fn starts(list: &Value) -> Vec<&str> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["start_timestamp"].as_str().unwrap())
        .collect()
}

#[test]
fn refusals_carry_metronomes_status_and_a_top_level_message() {
    let mut door = Door::at("2025-01-01T00:00:00Z");
    let (status, body) = door.send("GET", "/v1/customers/nobody", "");
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    assert!(body["message"].as_str().unwrap().contains("nobody"));
    assert_eq!(
        door.refused("POST", "/v1/customers", r#"{"name": 5}"#),
        refusal(400, "invalid_body", "name")
    );
    assert_eq!(
        door.refused("POST", "/v1/customers", "{not json"),
        refusal(400, "invalid_body", "")
    );
    // An endpoint of Metronome's that Tally does not serve: 501, naming it.
    let (status, body) = door.send("POST", "/v1/packages/create", "{}");
    assert_eq!(status, 501);
    assert!(body["message"].as_str().unwrap().contains("/v1/packages/create"));
    let r = door.respond("GET", "/v1/nothing", "");
    assert_eq!(r.status, 404);
    assert!(r.headers().contains(&("x-should-retry", "false")));
    assert!(!r.changed);
}

#[test]
fn a_query_style_list_pages_by_limit_and_cursor() {
    let mut door = Door::at("2025-01-01T00:00:00Z");
    for name in ["a", "b", "c"] {
        door.ok("POST", "/v1/customers", &format!(r#"{{"name":"{name}"}}"#));
    }
    let first = door.ok("GET", "http://tally.local/v1/customers?limit=2", "");
    let names: Vec<&str> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b"]);
    let cursor = first["next_page"].as_str().unwrap().to_string();
    let second = door.ok("GET", &format!("/v1/customers?limit=2&next_page={cursor}"), "");
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_eq!(second["data"][0]["name"], "c");
    assert_eq!(second["next_page"], Value::Null);
    assert_eq!(
        door.refused("GET", "/v1/customers?limit=0", ""),
        refusal(400, "invalid", "limit")
    );
}

#[test]
fn a_command_says_it_changed_the_state_and_a_read_does_not() {
    let mut door = Door::at("2025-01-01T00:00:00Z");
    assert!(door.respond("POST", "/v1/customers", r#"{"name":"a"}"#).changed);
    assert!(!door.respond("GET", "/v1/customers", "").changed);
    assert!(!door.respond("POST", "/v1/customers", r#"{"nam":"a"}"#).changed);
}

#[test]
fn the_clock_moves_forward_only() {
    let mut door = Door::at("2025-01-01T00:00:00Z");
    let moved = door.ok("POST", "/tally/clock", r#"{"now":"2025-02-01T00:00:00Z"}"#);
    assert_eq!(moved["data"]["now"], "2025-02-01T00:00:00Z");
    assert_eq!(door.now, at("2025-02-01T00:00:00Z"));
    let back = door.refused("POST", "/tally/clock", r#"{"now":"2025-01-15T00:00:00Z"}"#);
    assert_eq!(back, refusal(400, "invalid", "now"));
    assert_eq!(door.now, at("2025-02-01T00:00:00Z"));
    // A field the clock call does not take is named, as in every other body.
    let extra = door.refused("POST", "/tally/clock", r#"{"now":"2025-03-01T00:00:00Z","x":1}"#);
    assert_eq!(extra, refusal(400, "unknown_field", "x"));
    assert_eq!(door.now, at("2025-02-01T00:00:00Z"));
}

#[test]
fn a_query_reaches_the_call_behind_the_door() {
    let mut door = Door::with_contract();
    let all = door.ok("GET", "/v1/customers/c/invoices", "");
    assert_eq!(starts(&all).len(), 3);
    let two = door.ok(
        "GET",
        "http://x/v1/customers/c/invoices?ending_before=2025-03-01T00%3A00%3A00Z",
        "",
    );
    assert_eq!(starts(&two), ["2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"]);
}

#[test]
fn a_query_key_is_honoured_or_refused_by_name() {
    let mut door = Door::with_contract();
    assert_eq!(
        starts(&door.ok("GET", "/v1/customers/c/invoices?status=DRAFT", "")),
        ["2025-03-01T00:00:00Z"]
    );
    let desc = door.ok("GET", "/v1/customers/c/invoices?sort=date_desc", "");
    assert_eq!(
        starts(&desc),
        ["2025-03-01T00:00:00Z", "2025-02-01T00:00:00Z", "2025-01-01T00:00:00Z"]
    );
    let bogus = door.refused("GET", "/v1/customers/c/invoices?bogus=1", "");
    assert_eq!(bogus, refusal(400, "unknown_field", "bogus"));
    let webhook = door.refused("GET", "/v1/customers/c/invoices?webhook_notification_id=w", "");
    assert_eq!(webhook, refusal(501, "not_supported", "webhook_notification_id"));
    // Customers by ids (comma separated, as the SDK sends arrays) and by ingest alias.
    let some = door.ok("GET", "/v1/customers?customer_ids=d%2Cnobody", "");
    assert_eq!(some["data"].as_array().unwrap().len(), 1);
    assert_eq!(some["data"][0]["id"], "d");
    assert_eq!(
        door.ok("GET", "/v1/customers?ingest_alias=c%40x", "")["data"][0]["id"],
        "c"
    );
    assert_eq!(door.send("GET", "/v1/customers?salesforce_account_ids=s", "").0, 501);
}

#[test]
fn a_post_takes_no_query_but_its_paging() {
    let mut door = Door::with_contract();
    let bogus = door.refused("POST", "/v1/contracts/list?bogus=1", r#"{"customer_id":"c"}"#);
    assert_eq!(bogus, refusal(400, "unknown_field", "bogus"));
    // A POST list the SDK pages by query takes its paging there.
    let page = door.ok("POST", "/v1/contract-pricing/products/list?limit=5", "{}");
    assert_eq!(page["next_page"], Value::Null);
}

#[test]
fn a_key_given_twice_or_an_encoded_segment_is_read_as_sent() {
    let mut door = Door::with_contract();
    let twice = door.refused("GET", "/v1/customers/c/invoices?status=DRAFT&status=FINALIZED", "");
    assert_eq!(twice, refusal(400, "invalid", "status"));
    let twice = door.refused("GET", "/v1/customers?customer_ids=c&customer_ids=d", "");
    assert_eq!(twice, refusal(400, "invalid", "customer_ids"));
    // A fixed segment percent-encoded routes, pages and answers in the SDK's shape all the same.
    let customer = door.ok("GET", "/v1/%63ustomers/c", "");
    assert_eq!(customer["data"]["external_id"], "c");
    let page = door.ok("GET", "/v1/customers/c/%69nvoices?limit=1", "");
    assert_eq!(page["next_page"], "1");
    assert_eq!(
        door.refused("GET", "/tally/clock?x=1", ""),
        refusal(400, "unknown_field", "x")
    );
}

#[test]
fn a_missing_field_or_an_array_body_is_named() {
    let mut door = Door::at("2025-01-01T00:00:00Z");
    let missing = door.refused(
        "POST",
        "/v1/contracts/create",
        r#"{"starting_at":"2025-01-01T00:00:00Z"}"#,
    );
    assert_eq!(missing, refusal(400, "invalid_body", "customer_id"));
    // Read in order, this array would be a customer named `ext` with id `P`.
    let array = door.refused("POST", "/v1/customers", r#"["P","ext",[],{},null]"#);
    assert_eq!(array, refusal(400, "invalid_body", ""));
    assert_eq!(door.ok("GET", "/v1/customers", "")["data"], serde_json::json!([]));
}

#[test]
fn an_edit_renames_and_sets_payment_terms() {
    let mut door = Door::with_contract();
    let contract_id = door.ok("POST", "/v1/contracts/list", r#"{"customer_id":"c"}"#)["data"][0]["id"].clone();
    let edit = serde_json::json!({ "customer_id": "c", "contract_id": contract_id,
        "update_contract_name": "Renamed", "update_net_payment_terms_days": 30 });
    door.ok("POST", "/v2/contracts/edit", &edit.to_string());
    let get = serde_json::json!({ "customer_id": "c", "contract_id": contract_id });
    let got = door.ok("POST", "/v2/contracts/get", &get.to_string());
    assert_eq!(got["data"]["name"], "Renamed");
    assert_eq!(got["data"]["net_payment_terms_days"], 30);
    // Each invoice is due 30 days after it is issued.
    let invoices = door.ok("GET", "/v1/customers/c/invoices", "");
    assert_eq!(invoices["data"][0]["net_payment_terms_days"], 30);
}
