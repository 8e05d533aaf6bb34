//! What-if: a customer's invoice totals now and as they would be after the calls being edited, both
//! rated by the core (the "after" on a scratch copy of the state). Nothing is saved.

use crate::components::money::{day, money};
use crate::store::{dry_run, invoices, store};
use leptos::prelude::*;
use serde_json::Value;

/// The core's invoice id: contract, kind, date (and the item, for scheduled invoices sharing a date).
fn key(inv: &Value) -> String {
    inv["id"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| inv.to_string())
}

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
            let after = invoices(&after_state, &id);
            let mut rows: Vec<(String, Option<Value>, Option<Value>)> = Vec::new();
            let mut seen: Vec<String> = Vec::new();
            for inv in before.iter().chain(after.iter()) {
                let k = key(inv);
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k.clone());
                let b = before.iter().find(|i| key(i) == k).map(|i| i["total"].clone());
                let a = after.iter().find(|i| key(i) == k).map(|i| i["total"].clone());
                let label = format!(
                    "{} {}",
                    inv["type"].as_str().unwrap_or_default().to_lowercase(),
                    day(inv.get("start_timestamp").unwrap_or(&inv["issued_at"]))
                );
                rows.push((label, b, a));
            }
            Ok(rows)
        })
    });
    view! {
        <section class="whatif" aria-live="polite">
            <h3>"What-if: invoice totals before → after"</h3>
            {move || match rows.get() {
                Err(m) => view! { <p class="muted">{m}</p> }.into_any(),
                Ok(rows) => {
                    let changed: Vec<_> = rows.into_iter().filter(|(_, b, a)| b != a).collect();
                    if changed.is_empty() {
                        return view! { <p class="muted">"No invoice total changes."</p> }.into_any();
                    }
                    view! {
                        <table class="whatif-table">
                            <thead><tr><th scope="col">"Invoice"</th><th scope="col" class="num">"Before"</th><th scope="col" class="num">"After"</th></tr></thead>
                            <tbody>
                                {changed.into_iter().map(|(label, b, a)| view! {
                                    <tr class="changed"><td>{label}</td>
                                        <td class="num before">{b.as_ref().map(money).unwrap_or_else(|| "(none)".into())}</td>
                                        <td class="num after">{a.as_ref().map(money).unwrap_or_else(|| "(none)".into())}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}
