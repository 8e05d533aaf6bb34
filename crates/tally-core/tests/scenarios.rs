//! How scenario files are checked: what fails a file that checks nothing, a misspelled key, an
//! expectation in the wrong order. The files in tests/scenarios/ are each a test of their own in
//! scenario_files.rs.

use tally_core::scenario::{check, Scenario};

/// A file that checks nothing fails its check: no expectation, or a refused call no expectation
/// names; a misspelled `expect` is not a scenario at all. With unchecked files allowed, both pass.
#[test]
fn a_file_that_checks_nothing_fails() {
    use tally_core::scenario::{check_calls, check_calls_allowing_unchecked};
    let refused = r#"{"now": "2025-01-01T00:00:00Z", "calls": [
        {"call": "POST /v1/customers", "body": {"id": "c", "name": "C", "ingest_alias": ["a"]}}]}"#;
    let s = Scenario::parse(refused).unwrap();
    let responses = s.responses();
    let problems: Vec<String> = check_calls(&s, &responses).into_iter().map(|p| p.1).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("checks nothing"), "{problems:?}");
    assert!(
        problems[1].contains("call 0 (POST /v1/customers): refused"),
        "{problems:?}"
    );
    assert!(check_calls_allowing_unchecked(&s, &responses).is_empty());

    let misspelled = r#"{"now": "2025-01-01T00:00:00Z", "calls": [], "expects": {"0": {"why": "x", "invoices": []}}}"#;
    let e = Scenario::parse(misspelled).unwrap_err();
    assert!(e.to_string().contains("expects"), "{e}");
}

/// Two SCHEDULED invoices on one day, answered in the other order, one with a wrong total: the wrong
/// one is named once, and its neighbour, whose total matches, is not paired with it.
#[test]
fn a_wrong_total_is_named_once() {
    let text = r#"{"now": "2025-03-01T00:00:00Z", "calls": [
        {"call": "POST /v1/contract-pricing/products/create", "body": {"id": "f", "name": "Fee", "type": "FIXED"}},
        {"call": "POST /v1/customers", "body": {"id": "c", "name": "C"}},
        {"call": "POST /v1/contracts/create", "body": {"id": "k", "customer_id": "c", "starting_at": "2025-01-01T00:00:00Z",
          "scheduled_charges": [
            {"product_id": "f", "name": "A", "schedule": {"schedule_items": [{"timestamp": "2025-01-10T00:00:00Z", "amount": 200}]}},
            {"product_id": "f", "name": "B", "schedule": {"schedule_items": [{"timestamp": "2025-01-10T00:00:00Z", "amount": 150}]}}]}},
        {"call": "GET /v1/customers/c/invoices?ending_before=2025-02-01T00:00:00Z&type=SCHEDULED"}],
      "expect": {"3": {"why": "B is worked wrong on purpose: 100 for 150.", "invoices": [
        {"type": "SCHEDULED", "issued_at": "2025-01-10T00:00:00Z", "total": 100},
        {"type": "SCHEDULED", "issued_at": "2025-01-10T00:00:00Z", "total": 200}]}}}"#;
    let s = Scenario::parse(text).unwrap();
    let problems = check(&s, &s.responses());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("total expected 100, got 150"), "{problems:?}");
}
