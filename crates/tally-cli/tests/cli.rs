//! `tally run` as a user runs it: exit status 0 when the file ran, 2 when it is not a scenario,
//! 1 with `--check` when the responses differ from the file's `expect`.

use std::process::Command;

fn tally(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .output()
        .expect("tally runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn write(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("tally-cli-test-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_scenario_prints_one_json_array_with_refusals_in_place() {
    let file = write(
        "ok.json",
        r#"{"now": "2025-01-01T00:00:00Z", "calls": [
            {"call": "POST /v1/customers", "body": {"id": "c", "name": "Acme"}},
            {"call": "POST /v1/contracts/create", "body": {"customer_id": "nobody", "starting_at": "2025-01-01T00:00:00Z"}},
            {"call": "GET /v1/customers/c"}]}"#,
    );
    let (code, out, _) = tally(&["run", &file]);
    assert_eq!(code, 0);
    let answers: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answers[0]["data"]["id"], "c");
    assert_eq!(answers[1]["error"]["path"], "customer_id");
    assert_eq!(answers[1]["error"]["code"], "not_found");
    assert_eq!(
        answers[2]["data"]["name"], "Acme",
        "the calls after a refused one still run"
    );
}

#[test]
fn a_file_that_is_not_a_scenario_exits_2() {
    let file = write("bad.json", r#"{"calls": "nope"}"#);
    let (code, out, err) = tally(&["run", &file]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("is not a scenario"), "{err}");
    assert_eq!(tally(&["run", "/nonexistent/scenario.json"]).0, 2);
    assert_eq!(tally(&[]).0, 2);
}

#[test]
fn check_exits_1_when_an_expectation_fails() {
    let file = write(
        "expect.json",
        r#"{"now": "2025-03-01T00:00:00Z", "calls": [
            {"call": "POST /v1/customers", "body": {"id": "c", "name": "Acme"}},
            {"call": "GET /v1/customers/c/invoices"}],
          "expect": {"1": {"why": "no contract, so no invoices; this expects one, wrongly", "invoices": [{"type": "USAGE", "start_timestamp": "2025-02-01T00:00:00Z", "total": 5}]}}}"#,
    );
    let (code, _, err) = tally(&["run", "--check", &file]);
    assert_eq!(code, 1);
    assert!(err.contains("expected 1 invoices, got 0"), "{err}");
    assert_eq!(tally(&["run", &file]).0, 0, "without --check the file just runs");
}

/// A scenario whose setup is two customers and an invoice list that rightly expects nothing; `extra`
/// is spliced into its `expect` map and `call` replaces the second call.
fn checked(name: &str, call: &str, extra: &str) -> (i32, String) {
    let file = write(
        name,
        &format!(
            r#"{{"now": "2025-03-01T00:00:00Z", "calls": [
            {{"call": "POST /v1/customers", "body": {{"id": "c", "name": "Acme"}}}},
            {call},
            {{"call": "GET /v1/customers/c/invoices"}}],
          "expect": {{"2": {{"why": "no contract, so no invoices", "invoices": []}}{extra}}}}}"#
        ),
    );
    let (code, _, err) = tally(&["run", "--check", &file]);
    (code, err)
}

#[test]
fn check_passes_a_sound_file_and_fails_a_loose_one() {
    let good_call = r#"{"call": "POST /v1/customers", "body": {"id": "d", "name": "Beta"}}"#;
    assert_eq!(checked("sound.json", good_call, "").0, 0, "the sound file passes");

    let (code, err) = checked(
        "no-call.json",
        good_call,
        r#", "7": {"why": "there is no call 7", "invoices": []}"#,
    );
    assert_eq!(code, 1);
    assert!(err.contains("call 7: no such call"), "{err}");

    let (code, err) = checked(
        "not-index.json",
        good_call,
        r#", "totals": {"why": "not a call index"}"#,
    );
    assert_eq!(code, 1);
    assert!(err.contains("expect key `totals` names no call"), "{err}");

    let (code, err) = checked(
        "unknown-key.json",
        good_call,
        r#", "1": {"why": "misspelled", "invoice": []}"#,
    );
    assert_eq!(code, 1);
    assert!(err.contains("unknown key `invoice`"), "{err}");

    // A broken setup call (a duplicate customer id) passed silently before: now it fails the check
    // unless an expectation says it is refused.
    let dup = r#"{"call": "POST /v1/customers", "body": {"id": "c", "name": "Again"}}"#;
    let (code, err) = checked("refused.json", dup, "");
    assert_eq!(code, 1);
    assert!(err.contains("refused, and no expectation says it should be"), "{err}");
    let marked = r#", "1": {"why": "id c is taken", "error": {"code": "conflict", "path": "id"}}"#;
    assert_eq!(
        checked("refused-marked.json", dup, marked).0,
        0,
        "{}",
        checked("refused-marked.json", dup, marked).1
    );
}
