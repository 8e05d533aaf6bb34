//! Invoices: every invoice of a customer, line by line with totals, the commit burn-down, and a
//! printable view (the browser's print, with the app's chrome hidden by the print stylesheet).

use crate::components::burndown::BurnDown;
use crate::components::invoice::InvoiceCard;
use crate::components::money::{day, decimal, money_in};
use crate::components::pickers::{customer_from_query, customers, Picker};
use crate::store::store;
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn Invoices() -> impl IntoView {
    let s = store();
    let customer = customer_from_query();
    // While the saved usage is still being read, no figure is shown: a total without its usage
    // would be a wrong total.
    let loading = move || s.usage.with(|u| u.loading);
    let invoices = Memo::new(move |_| {
        let id = customer.get();
        if id.is_empty() || loading() {
            return Default::default();
        }
        s.invoices(&id)
    });
    // The contracts' names on their own, so that renaming one redraws its invoices' headings.
    let names = Memo::new(move |_| {
        s.contracts.with(|all| {
            all.values()
                .map(|c| (c.id.clone(), c.name.clone().unwrap_or_else(|| c.id.clone())))
                .collect::<std::collections::HashMap<_, _>>()
        })
    });
    let contract_name = move |id: &str| names.with(|n| n.get(id).cloned().unwrap_or_else(|| id.to_string()));
    let hide_empty = RwSignal::new(true);
    let shown = move || {
        let hide = hide_empty.get();
        invoices.with(|list| {
            list.iter()
                .filter(|inv| !hide || inv["line_items"].as_array().is_some_and(|l| !l.is_empty()))
                .map(|inv| {
                    let name = contract_name(inv["contract_id"].as_str().unwrap_or_default());
                    (format!("{name}\u{0}{:x}", digest(inv)), inv.clone(), name)
                })
                .collect::<Vec<_>>()
        })
    };
    // What the listed invoices bill in all, per credit type, and the span they cover.
    let summary = move || -> Option<String> {
        invoices.with(|list| {
            let mut by_unit: Vec<(Value, rust_decimal::Decimal)> = Vec::new();
            let (mut from, mut until) = (String::new(), String::new());
            for inv in list.iter() {
                let unit = inv.get("credit_type").cloned().unwrap_or(Value::Null);
                let total = decimal(&inv["total"]).unwrap_or_default();
                match by_unit.iter_mut().find(|(u, _)| u["id"] == unit["id"]) {
                    Some((_, sum)) => *sum += total,
                    None => by_unit.push((unit, total)),
                }
                let a = day(inv.get("start_timestamp").unwrap_or(&inv["issued_at"]));
                let b = day(inv.get("end_timestamp").unwrap_or(&inv["issued_at"]));
                if from.is_empty() || a < from {
                    from = a;
                }
                if b > until {
                    until = b;
                }
            }
            let sums: Vec<String> = by_unit
                .iter()
                .map(|(u, sum)| money_in(&Value::String(sum.to_string()), (!u.is_null()).then_some(u)))
                .collect();
            (!sums.is_empty()).then(|| format!("{} billed from {from} to {until}", sums.join(" + ")))
        })
    };
    let customer_name = move || {
        s.customers
            .with(|all| all.get(&customer.get()).map(|c| c.name.clone()).unwrap_or_default())
    };
    view! {
        <section class="card">
            <div class="row spread">
                <h2>"Invoices"</h2>
                <button type="button" class="secondary no-print" on:click=move |_| { let _ = window().print(); }>"Print invoices"</button>
            </div>
            <div class="form narrow no-print"><Picker label="Customer" id="invoices-customer" value=customer items=customers() /></div>
            <label class="check no-print"><input type="checkbox" bind:checked=hide_empty />" Hide invoices with no lines"</label>
            <p class="print-only">{customer_name}</p>
            {move || loading().then(|| view! { <p class="muted" role="status">"Reading the saved usage\u{2026}"</p> })}
            {move || summary().map(|t| view! { <p class="invoices-summary"><strong>"Across these invoices: "</strong>{t}</p> })}
            {move || (invoices.with(|l| l.is_empty()) && !customer.get().is_empty() && !loading()).then(|| view! { <p class="muted">"No invoices yet: this customer needs a contract."</p> })}
        </section>
        <section class="card no-break">
            {move || (!loading()).then(|| view! { <BurnDown customer_id=customer /> })}
        </section>
        <div class="invoices">
            // Keyed by what a card shows: after an edit only the invoices it changed are drawn
            // again, and an explanation opened on any other stays open.
            <For each=shown key=|(key, _, _)| key.clone() let:((_, inv, name))>
                <InvoiceCard invoice=inv contract_name=name />
            </For>
        </div>
    }
}

/// A digest of everything an invoice says, explanations included (serde_json's own `Hash`): the key
/// of its card. Writing each invoice out as text for a key (tens of KB with explanations) cost
/// several times that on every rating.
fn digest(v: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}
