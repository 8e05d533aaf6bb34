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

fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

/// tests/diff: Acme's multiplier 0.9 → 0.8, Beta's commit $50.00 → $100.00 and its overwrite 50¢ → 40¢
/// from February, worked by hand in tests/diff/expected.md: $380.00 billed before, $340.00 after.
#[test]
fn diff_of_a_changed_multiplier_overwrite_and_commit_matches_the_hand_written_markdown() {
    let (code, out, err) = tally(&[
        "diff",
        &repo("tests/diff/before.json"),
        &repo("tests/diff/after.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, std::fs::read_to_string(repo("tests/diff/expected.md")).unwrap());
    let (code, out, _) = tally(&[
        "diff",
        &repo("tests/diff/before.json"),
        &repo("tests/diff/after.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["summary"]["billed"][0]["before"], 38000);
    assert_eq!(d["summary"]["billed"][0]["after"], 34000);
    assert_eq!(d["summary"]["customers_affected"], 2);
    assert_eq!(d["changes"][0]["change"], "changed");
    let (code, table, _) = tally(&["diff", &repo("tests/diff/before.json"), &repo("tests/diff/after.json")]);
    assert_eq!(code, 1);
    assert!(
        table.contains("Billed $380.00 before, $340.00 after (-$40.00)."),
        "{table}"
    );
}

#[test]
fn diff_of_a_scenario_against_itself_finds_nothing_and_exits_0() {
    let f = repo("tests/scenarios/demo_widgets_express.json");
    let (code, out, _) = tally(&["diff", &f, &f]);
    assert_eq!(code, 0);
    assert!(out.starts_with("No invoice changes through "), "{out}");
    let (code, out, _) = tally(&["diff", &f, &f, "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("## Tally: no invoice changes through "), "{out}");
}

#[test]
fn diff_exits_2_on_bad_input_with_the_reason() {
    let before = repo("tests/diff/before.json");
    let not_json = write("not.json", "this is not json");
    let (code, _, err) = tally(&["diff", &not_json, &before]);
    assert_eq!(code, 2);
    assert!(err.contains("not JSON"), "{err}");
    let neither = write("neither.json", r#"{"customers": []}"#);
    let (code, _, err) = tally(&["diff", &before, &neither]);
    assert_eq!(code, 2);
    assert!(err.contains("neither a scenario file"), "{err}");
    assert_eq!(tally(&["diff", &before]).0, 2);
    assert_eq!(tally(&["diff", &before, &before, "--format", "html"]).0, 2);
    assert_eq!(tally(&["diff", "/nonexistent.json", &before]).0, 2);
    assert_eq!(tally(&["diff", &before, &before, "--through", "soon"]).0, 2);
}

#[test]
fn exported_states_diff_like_their_scenarios_and_need_a_clock() {
    let state = write("before-state.json", "");
    let (code, _, err) = tally(&["run", "--export", &state, &repo("tests/diff/before.json")]);
    assert_eq!(code, 0, "{err}");
    // A state against a scenario: the state takes the scenario's clock.
    let (code, out, _) = tally(&["diff", &state, &repo("tests/diff/after.json"), "--format", "markdown"]);
    assert_eq!(code, 1);
    assert_eq!(out, std::fs::read_to_string(repo("tests/diff/expected.md")).unwrap());
    // Two states carry no clock: --now is required.
    let (code, _, err) = tally(&["diff", &state, &state]);
    assert_eq!(code, 2);
    assert!(err.contains("--now is required"), "{err}");
    let (code, out, _) = tally(&["diff", &state, &state, "--now", "2025-04-15T00:00:00Z"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn run_import_starts_from_an_exported_state() {
    let state = write("import-state.json", "");
    assert_eq!(tally(&["run", "--export", &state, &repo("tests/diff/after.json")]).0, 0);
    let q = write(
        "import-q.json",
        r#"{"now": "2025-04-15T00:00:00Z", "calls": [
            {"call": "GET /v1/customers/acme/invoices?ending_before=2025-03-01T00:00:00Z"}]}"#,
    );
    let (code, out, err) = tally(&["run", "--import", &state, &q]);
    assert_eq!(code, 0, "{err}");
    let answers: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Acme after: 100 units × 80¢ in January, 200 × 80¢ in February.
    let totals: Vec<&serde_json::Value> = answers[0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["total"])
        .collect();
    assert_eq!(totals, vec![&serde_json::json!(8000), &serde_json::json!(16000)]);
    assert_eq!(tally(&["run", "--import", &q, &q]).0, 2, "a scenario is not a state");
}

#[test]
fn tally_test_runs_the_project_s_scenarios_and_names_a_failed_expectation() {
    let (code, out, _) = tally(&["test", &repo("tests/scenarios")]);
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap();
    let files = std::fs::read_dir(repo("tests/scenarios")).unwrap().count();
    assert!(
        last.ends_with(&format!(" passed, 0 failed ({files} scenario files)")),
        "{last}"
    );
    let dir = std::env::temp_dir().join(format!("tally-cli-test-{}-suite", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("wrong.json"),
        r#"{"now": "2025-03-01T00:00:00Z", "calls": [
            {"call": "POST /v1/customers", "body": {"id": "c", "name": "C"}},
            {"call": "POST /v1/contracts/create", "body": {"id": "k", "customer_id": "c", "starting_at": "2025-01-01T00:00:00Z",
              "scheduled_charges": [{"product_id": "nope", "schedule": {"schedule_items": [{"timestamp": "2025-01-01T00:00:00Z", "amount": 100}]}}]}},
            {"call": "GET /v1/customers/c/invoices?ending_before=2025-02-01T00:00:00Z"}],
          "expect": {"2": {"why": "one empty January", "invoices": [{"type": "USAGE", "start_timestamp": "2025-01-01T00:00:00Z", "total": 5}]}}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a scenario, and not .json: skipped").unwrap();
    let (code, out, _) = tally(&["test", &dir.display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        out.contains("wrong.json: call 1 (POST /v1/contracts/create): refused"),
        "{out}"
    );
    // The contract was refused, so the expected invoice is not there: said with the call and the invoice.
    assert!(out.contains(r#"wrong.json: call 2 (GET /v1/customers/c/invoices?ending_before=2025-02-01T00:00:00Z): expected invoice #0 "USAGE" start_timestamp "2025-01-01T00:00:00Z" not found"#), "{out}");
    assert!(out.ends_with("0 passed, 2 failed (1 scenario files)\n"), "{out}");
}

/// A file that checks nothing fails `tally test` and `run --check`: one with no expectation, one with
/// a misspelled `expect` (not a scenario: exit 2), one whose refused call no expectation names;
/// `--allow-unchecked` runs them anyway.
#[test]
fn a_file_that_checks_nothing_fails_unless_allowed() {
    let bare = write(
        "bare.json",
        r#"{"now": "2025-03-01T00:00:00Z", "calls": [{"call": "POST /v1/customers", "body": {"id": "c", "name": "C"}}]}"#,
    );
    let (code, _, err) = tally(&["run", "--check", &bare]);
    assert_eq!(code, 1);
    assert!(err.contains("the file checks nothing"), "{err}");
    assert_eq!(tally(&["run", "--check", "--allow-unchecked", &bare]).0, 0);
    let (code, out, _) = tally(&["test", &bare]);
    assert_eq!(code, 1, "{out}");
    assert!(out.ends_with("0 passed, 1 failed (1 scenario files)\n"), "{out}");
    assert_eq!(tally(&["test", "--allow-unchecked", &bare]).0, 0);

    let misspelled = write(
        "expects.json",
        r#"{"now": "2025-03-01T00:00:00Z", "calls": [], "expects": {"0": {"why": "x", "invoices": []}}}"#,
    );
    let (code, _, err) = tally(&["run", "--check", &misspelled]);
    assert_eq!(code, 2);
    assert!(err.contains("expects"), "{err}");

    let refused = write(
        "refused.json",
        r#"{"now": "2025-03-01T00:00:00Z", "calls": [
            {"call": "POST /v1/customers", "body": {"id": "c", "name": "C", "ingest_alias": ["x"]}},
            {"call": "GET /v1/customers/c/invoices"}],
          "expect": {"1": {"why": "no customer, no invoices", "error": {"code": "not_found"}}}}"#,
    );
    let (code, _, err) = tally(&["run", "--check", &refused]);
    assert_eq!(code, 1);
    assert!(
        err.contains("call 0 (POST /v1/customers): refused, and no expectation says it should be"),
        "{err}"
    );
}

/// `tally rate` on an exported state (Acme: 100 units in January, 200 in February at 80¢) and a CSV of
/// more usage: a1 again (a repeat, dropped), 50 units on Jan 20, and a row without a customer
/// (refused, and said). January: 150 × 80¢ = $120.00; February: 200 × 80¢ = $160.00.
#[test]
#[cfg(feature = "warehouse")]
fn rate_adds_a_warehouse_file_to_an_exported_state() {
    let state = write("rate-state.json", "");
    assert_eq!(tally(&["run", "--export", &state, &repo("tests/diff/after.json")]).0, 0);
    let usage = write(
        "rate-usage.csv",
        "transaction_id,customer_id,event_type,timestamp,units\n\
         a1,acme,api,2025-01-10T00:00:00Z,999\n\
         w1,acme,api,2025-01-20T00:00:00Z,50\n\
         w2,,api,2025-01-21T00:00:00Z,7\n\
         w3,stranger,api,2025-01-22T00:00:00Z,4\n\
         w4,stranger,api,2025-01-23T00:00:00Z,4\n",
    );
    let out = std::env::temp_dir().join(format!("tally-cli-test-{}-rate-out.json", std::process::id()));
    let out = out.display().to_string();
    let args = [
        "rate",
        "--state",
        &state,
        "--usage",
        &usage,
        "--customer",
        "acme",
        "--now",
        "2025-04-15T00:00:00Z",
        "--to",
        "2025-03-01T00:00:00Z",
        "--out",
        &out,
    ];
    let (code, _, err) = tally(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 row(s) refused and not rated"), "{err}");
    let answer: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let totals: Vec<&serde_json::Value> = answer["data"].as_array().unwrap().iter().map(|i| &i["total"]).collect();
    assert_eq!(totals, vec![&serde_json::json!(12000), &serde_json::json!(16000)]);
    // The two rows for a customer the state does not have bill nothing, and are said so.
    assert!(
        err.contains("events that bill nothing, by reason: 2 no_customer"),
        "{err}"
    );
    assert_eq!(answer["not_billed"], serde_json::json!({"no_customer": 2}));

    let csv = out.replace(".json", ".csv");
    let (code, _, err) = tally(&[
        "rate",
        "--state",
        &state,
        "--usage",
        &usage,
        "--customer",
        "acme",
        "--now",
        "2025-04-15T00:00:00Z",
        "--to",
        "2025-03-01T00:00:00Z",
        "--out",
        &csv,
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("customer_id,contract_id,invoice_id,invoice_type"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("acme,") && lines[1].ends_with(",150,80,12000,"),
        "{}",
        lines[1]
    );

    let (code, _, err) = tally(&["rate", "--state", &state, "--usage", "/nonexistent/usage.parquet"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/usage.parquet: cannot be read"), "{err}");
}

#[test]
fn help_and_version_print_to_stdout_and_exit_0() {
    let (code, out, err) = tally(&["--help"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Usage: tally <COMMAND>") && out.contains("diff"), "{out}");
    let (code, out, _) = tally(&["diff", "-h"]);
    assert_eq!(code, 0);
    assert!(out.contains("--through <TIME>"), "each command has its own help: {out}");
    let (code, out, _) = tally(&["--version"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("tally {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_flag_takes_its_value_after_an_equals_sign_too() {
    let before = repo("tests/diff/before.json");
    let (code, out, err) = tally(&["diff", &before, &before, "--format=json"]);
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(d["summary"]["customers_affected"], 0);
}

#[test]
fn a_wrong_use_says_what_is_wrong_in_one_line_and_where_help_is() {
    let before = repo("tests/diff/before.json");
    let (code, out, err) = tally(&["diff", &before, &before, "--format", "html"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: invalid value 'html' for '--format <FORMAT>'"),
        "{err}"
    );
    assert!(err.contains("For more information, try '--help'."), "{err}");
    assert!(
        !err.contains("Commands:"),
        "not the whole usage after every error: {err}"
    );
    let (code, _, err) = tally(&["run", "--import", "/nonexistent/state.json", &before]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("tally: cannot read /nonexistent/state.json"), "{err}");
}

#[test]
fn an_output_file_that_cannot_be_written_is_refused_before_any_work() {
    let scenario = repo("tests/diff/before.json");
    let (code, out, err) = tally(&["run", "--export", "/nonexistent/folder/state.json", &scenario]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "no call ran, so nothing was printed: {out}");
    assert!(err.contains("there is no folder /nonexistent/folder"), "{err}");
    let folder = std::env::temp_dir().display().to_string();
    let (code, out, err) = tally(&["run", "--export", &folder, &scenario]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("it is a folder"), "{err}");
}

#[test]
#[cfg(not(feature = "warehouse"))]
fn without_the_warehouse_feature_rate_says_how_to_get_it() {
    let (code, _, err) = tally(&["rate", "--state", "s.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("without the `warehouse` feature"), "{err}");
}
