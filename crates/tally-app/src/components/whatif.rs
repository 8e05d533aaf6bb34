//! What-if: a customer's invoice totals now and as they would be after the calls being edited, both
//! rated by the core (the "after" on a scratch copy of the state). Nothing is saved.

use crate::calls::wire_name;
use crate::components::field_error::CoreError;
use crate::components::invoice::line_kind;
use crate::components::money::{day, money_in, CreditType};
use crate::store::{dry_run, rated, store};
use leptos::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use tally_core::invoice::{Invoice, StepKind};
use tally_core::{Error, State};

/// An invoice's lines summed by (type, name), in order of first appearance: what a line-by-line
/// comparison reads (split lines and applied balances fold into their line).
fn line_sums(inv: Option<&Invoice>) -> Vec<(String, Decimal)> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for l in inv.into_iter().flat_map(|i| &i.line_items) {
        let k = format!("{} ({})", l.name, line_kind(l.kind));
        let t = l.total.amount();
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, sum)) => *sum += t,
            None => out.push((k, t)),
        }
    }
    out
}

/// The lines whose totals differ between two versions of an invoice: "API (usage): $300.00 → $150.00".
fn changed_lines(before: Option<&Invoice>, after: Option<&Invoice>) -> Vec<String> {
    let unit = after.or(before).map(|i| &i.credit_type);
    let (b, a) = (line_sums(before), line_sums(after));
    let mut names: Vec<&String> = b.iter().map(|(k, _)| k).collect();
    names.extend(a.iter().map(|(k, _)| k).filter(|k| !b.iter().any(|(x, _)| x == *k)));
    let show = |d: Option<Decimal>| d.map_or_else(|| "(none)".to_string(), |d| money_in(d, unit));
    names
        .into_iter()
        .filter_map(|k| {
            let x = b.iter().find(|(n, _)| n == k).map(|(_, t)| *t);
            let y = a.iter().find(|(n, _)| n == k).map(|(_, t)| *t);
            (x != y).then(|| format!("{k}: {} → {}", show(x), show(y)))
        })
        .collect()
}

/// Why an edit changed no total: what the "after" rating says of the overrides the edit adds (an id the
/// saved contracts do not have) that priced no line: "…did not price this line: it would cost these
/// units $4.00, more." Each reason once.
fn why_unchanged(saved: &State, after: &[Invoice]) -> Vec<String> {
    let known = |id: &str| {
        saved
            .contracts
            .values()
            .any(|c| c.overrides.iter().any(|o| o.id() == Some(id)))
    };
    let mut out: Vec<String> = Vec::new();
    for l in after.iter().flat_map(|inv| &inv.line_items) {
        for st in l.explanation.iter().flat_map(|e| &e.steps) {
            let new = st.override_id.as_deref().is_some_and(|id| !known(id));
            if st.kind == StepKind::Override && new && st.text.contains("did not price") {
                let reason = format!("{}: {}", l.name, st.text);
                if !out.contains(&reason) {
                    out.push(reason);
                }
            }
        }
    }
    out
}

/// One invoice of the what-if: its name, total before and after, the lines that changed, its credit type.
#[derive(Clone, PartialEq)]
struct Row {
    label: String,
    before: Option<Decimal>,
    after: Option<Decimal>,
    lines: Vec<String>,
    unit: CreditType,
}

/// What the what-if shows: why there is nothing to compare yet, the core's refusal (of the calls, or to
/// rate), or the invoices before and after with, when no total changed, why.
#[derive(Clone, PartialEq)]
enum Outcome {
    Waiting(String),
    Refused(Error),
    Compared(Vec<Row>, Vec<String>),
}

/// An invoice as the invoice list names it: contract, kind, period.
fn label(st: &State, inv: &Invoice) -> String {
    let contract = st
        .contracts
        .get(&inv.contract_id)
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| inv.contract_id.clone());
    let period = match inv.end_timestamp {
        Some(e) => format!("{} → {}", day(inv.period_start()), day(e)),
        None => day(inv.issued_at),
    };
    format!("{contract} · {} {period}", wire_name(&inv.kind).to_lowercase())
}

/// Every invoice of either rating, in order, with its totals before and after (the core's invoice id
/// is the same for the same contract, kind and date).
fn compare(st: &State, before: &[Invoice], after: &[Invoice]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for inv in before.iter().chain(after) {
        if seen.contains(&inv.id.as_str()) {
            continue;
        }
        seen.push(&inv.id);
        let (bi, ai) = (
            before.iter().find(|i| i.id == inv.id),
            after.iter().find(|i| i.id == inv.id),
        );
        let (b, a) = (bi.map(|i| i.total.amount()), ai.map(|i| i.total.amount()));
        rows.push(Row {
            label: label(st, inv),
            before: b,
            after: a,
            lines: if b != a { changed_lines(bi, ai) } else { Vec::new() },
            unit: inv.credit_type.clone(),
        });
    }
    rows
}

/// The what-if of `calls` for customer `id`, against the saved state `st` and its rating `before`.
fn outcome(st: &State, id: &str, calls: &[(String, Value)], before: &Result<Vec<Invoice>, Error>) -> Outcome {
    let before = match before {
        Ok(list) => list,
        Err(e) => return Outcome::Refused(e.clone()),
    };
    let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
    let after_state = match dry_run(st, &refs) {
        Ok(s) => s,
        Err(e) => return Outcome::Waiting(format!("Not valid yet: {e}")),
    };
    // Totals first, without explanations (a keystroke usually changes one); the explained rating only
    // when nothing changed, to say why.
    let after = match rated(&after_state, id, false) {
        Ok(list) => list,
        Err(e) => return Outcome::Refused(e),
    };
    let rows = compare(st, before, &after);
    let why = if rows.iter().all(|r| r.before == r.after) {
        rated(&after_state, id, true)
            .map(|explained| why_unchanged(st, &explained))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Outcome::Compared(rows, why)
}

#[component]
pub fn WhatIf(
    #[prop(into)] customer_id: Signal<String>,
    #[prop(into)] calls: Signal<Vec<(String, Value)>>,
) -> impl IntoView {
    let s = store();
    let result = Memo::new(move |_| {
        let id = customer_id.get();
        let calls = calls.get();
        if id.is_empty() || calls.is_empty() {
            return Outcome::Waiting("Choose a customer and describe the change to see its effect.".to_string());
        }
        // "Before" is the customer's rating the invoice list made already; only "after" is rated here,
        // on a copy that shares the usage store (nothing of the usage is copied or re-read).
        let before = s.invoices(&id);
        s.state.with(|st| outcome(st, &id, &calls, &before))
    });
    view! {
        <section class="whatif" aria-live="polite">
            <h3>"What-if: invoice totals before → after"</h3>
            {move || match result.get() {
                Outcome::Waiting(m) => view! { <p class="muted">{m}</p> }.into_any(),
                Outcome::Refused(e) => view! { <CoreError error=e /> }.into_any(),
                Outcome::Compared(rows, why) => compared(rows, why),
            }}
        </section>
    }
}

/// The invoices whose totals change, or that none does and why.
fn compared(rows: Vec<Row>, why: Vec<String>) -> AnyView {
    let changed: Vec<Row> = rows.into_iter().filter(|r| r.before != r.after).collect();
    if changed.is_empty() {
        return view! {
            <p class="muted">"No invoice total changes."</p>
            {(!why.is_empty()).then(|| view! {
                <p class="small">"Why: the change prices no line."</p>
                <ul class="plain small why-unchanged">{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            })}
        }
        .into_any();
    }
    let shown =
        |d: Option<Decimal>, unit: &CreditType| d.map_or_else(|| "(none)".to_string(), |d| money_in(d, Some(unit)));
    view! {
        <table class="whatif-table">
            <thead><tr><th scope="col">"Invoice"</th><th scope="col" class="num">"Before"</th><th scope="col" class="num">"After"</th></tr></thead>
            <tbody>
                {changed.into_iter().map(|r| view! {
                    <tr class="changed"><td>{r.label}
                            <ul class="plain small muted changed-lines">{r.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                        </td>
                        <td class="num before">{shown(r.before, &r.unit)}</td>
                        <td class="num after">{shown(r.after, &r.unit)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::fixtures;
    use serde_json::json;

    #[test]
    fn a_rating_the_core_refuses_is_shown_as_its_error_not_as_no_change() {
        let st = fixtures::unratable();
        let calls = vec![(
            "POST /v1/customers/c/updateName".to_string(),
            json!({"name": "Renamed"}),
        )];
        match outcome(&st, "c", &calls, &crate::store::invoices(&st, "c")) {
            Outcome::Refused(e) => assert_eq!(e.code, tally_core::ErrorCode::OutOfRange),
            _ => panic!("the refusal is shown"),
        }
        // Calls the core refuses say so, and wait.
        let bad = vec![("POST /v1/customers/nobody/updateName".to_string(), json!({"name": "X"}))];
        let st = fixtures::state(&[("POST /v1/customers", json!({"id": "c", "name": "C"}))]);
        assert!(matches!(outcome(&st, "c", &bad, &Ok(vec![])), Outcome::Waiting(m) if m.starts_with("Not valid yet")));
    }
}
