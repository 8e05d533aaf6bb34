//! What-if: a customer's invoice totals now and as they would be after the calls being edited, both
//! rated by the core (the "after" on a scratch copy of the state). Nothing is saved.

use crate::components::money::{day, money_in};
use crate::store::{dry_run, rated, store};
use leptos::prelude::*;
use serde_json::Value;

/// The core's invoice id: contract, kind, date (and the item, for scheduled invoices sharing a date).
fn key(inv: &Value) -> String {
    inv["id"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| inv.to_string())
}

/// An invoice's lines summed by (type, name), in order of first appearance: what a line-by-line
/// comparison reads (split lines and applied balances fold into their line).
fn line_sums(inv: Option<&Value>) -> Vec<(String, rust_decimal::Decimal)> {
    let mut out: Vec<(String, rust_decimal::Decimal)> = Vec::new();
    for l in inv.and_then(|i| i["line_items"].as_array()).into_iter().flatten() {
        let k = format!(
            "{} ({})",
            l["name"].as_str().unwrap_or_default(),
            l["type"].as_str().unwrap_or_default().replace('_', " ")
        );
        let t = crate::components::money::decimal(&l["total"]).unwrap_or_default();
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, sum)) => *sum += t,
            None => out.push((k, t)),
        }
    }
    out
}

/// The lines whose totals differ between two versions of an invoice: "API (usage): $300.00 → $150.00".
fn changed_lines(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let unit = after.or(before).and_then(|i| i.get("credit_type"));
    let (b, a) = (line_sums(before), line_sums(after));
    let mut names: Vec<&String> = b.iter().map(|(k, _)| k).collect();
    names.extend(a.iter().map(|(k, _)| k).filter(|k| !b.iter().any(|(x, _)| x == *k)));
    let show = |d: Option<rust_decimal::Decimal>| {
        d.map_or_else(
            || "(none)".to_string(),
            |d| money_in(&Value::String(d.to_string()), unit),
        )
    };
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
fn why_unchanged(saved: &tally_core::State, after: &[Value]) -> Vec<String> {
    let known = |id: &str| {
        saved
            .contracts
            .values()
            .any(|c| c.overrides.iter().any(|o| o.id() == Some(id)))
    };
    let mut out: Vec<String> = Vec::new();
    for inv in after {
        for l in inv["line_items"].as_array().into_iter().flatten() {
            for st in l["explanation"]["steps"].as_array().into_iter().flatten() {
                let new = st["override_id"].as_str().is_some_and(|id| !known(id));
                let text = st["text"].as_str().unwrap_or_default();
                if st["kind"] == "override" && new && text.contains("did not price") {
                    let reason = format!("{}: {text}", l["name"].as_str().unwrap_or_default());
                    if !out.contains(&reason) {
                        out.push(reason);
                    }
                }
            }
        }
    }
    out
}

/// One invoice of the what-if: its name, total before and after, the lines that changed, its credit type.
type Row = (String, Option<Value>, Option<Value>, Vec<String>, Option<Value>);

#[component]
pub fn WhatIf(
    #[prop(into)] customer_id: Signal<String>,
    #[prop(into)] calls: Signal<Vec<(String, Value)>>,
) -> impl IntoView {
    let s = store();
    let rows = Memo::new(move |_| {
        let id = customer_id.get();
        let calls = calls.get();
        if id.is_empty() || calls.is_empty() {
            return Err("Choose a customer and describe the change to see its effect.".to_string());
        }
        // "Before" is the customer's rating the invoice list made already; only "after" is rated here,
        // on a copy that shares the usage store (nothing of the usage is copied or re-read).
        let before = s.invoices(&id);
        s.state.with(|st| {
            let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
            let after_state = dry_run(st, &refs).map_err(|e| format!("Not valid yet: {e}"))?;
            // Totals first, without explanations (a keystroke usually changes one); the explained
            // rating only when nothing changed, to say why.
            let after = rated(&after_state, &id, false);
            let mut rows: Vec<Row> = Vec::new();
            let mut seen: Vec<String> = Vec::new();
            for inv in before.iter().chain(after.iter()) {
                let k = key(inv);
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k.clone());
                let (bi, ai) = (before.iter().find(|i| key(i) == k), after.iter().find(|i| key(i) == k));
                let (b, a) = (bi.map(|i| i["total"].clone()), ai.map(|i| i["total"].clone()));
                // Named as the invoice list names it: contract, kind, period.
                let contract = inv["contract_id"].as_str().unwrap_or_default();
                let contract = st
                    .contracts
                    .get(contract)
                    .and_then(|c| c.name.clone())
                    .unwrap_or_else(|| contract.to_string());
                let period = match inv.get("end_timestamp") {
                    Some(e) => format!(
                        "{} → {}",
                        day(inv.get("start_timestamp").unwrap_or(&inv["issued_at"])),
                        day(e)
                    ),
                    None => day(&inv["issued_at"]),
                };
                let label = format!(
                    "{contract} · {} {period}",
                    inv["type"].as_str().unwrap_or_default().to_lowercase()
                );
                let lines = if b != a { changed_lines(bi, ai) } else { Vec::new() };
                rows.push((label, b, a, lines, inv.get("credit_type").cloned()));
            }
            let why = if rows.iter().all(|(_, b, a, _, _)| b == a) {
                why_unchanged(st, &rated(&after_state, &id, true))
            } else {
                Vec::new()
            };
            Ok((rows, why))
        })
    });
    view! {
        <section class="whatif" aria-live="polite">
            <h3>"What-if: invoice totals before → after"</h3>
            {move || match rows.get() {
                Err(m) => view! { <p class="muted">{m}</p> }.into_any(),
                Ok((rows, why)) => {
                    let changed: Vec<_> = rows.into_iter().filter(|(_, b, a, _, _)| b != a).collect();
                    if changed.is_empty() {
                        return view! {
                            <p class="muted">"No invoice total changes."</p>
                            {(!why.is_empty()).then(|| view! {
                                <p class="small">"Why: the change prices no line."</p>
                                <ul class="plain small why-unchanged">{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            })}
                        }.into_any();
                    }
                    view! {
                        <table class="whatif-table">
                            <thead><tr><th scope="col">"Invoice"</th><th scope="col" class="num">"Before"</th><th scope="col" class="num">"After"</th></tr></thead>
                            <tbody>
                                {changed.into_iter().map(|(label, b, a, lines, unit)| view! {
                                    <tr class="changed"><td>{label}
                                            <ul class="plain small muted changed-lines">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                                        </td>
                                        <td class="num before">{b.as_ref().map(|v| money_in(v, unit.as_ref())).unwrap_or_else(|| "(none)".into())}</td>
                                        <td class="num after">{a.as_ref().map(|v| money_in(v, unit.as_ref())).unwrap_or_else(|| "(none)".into())}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}
