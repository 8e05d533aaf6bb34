//! Invoices: every invoice of a customer, line by line with totals, the commit burn-down, and a
//! printable view (the browser's print, with the app's chrome hidden by the print stylesheet).

use crate::components::burndown::BurnDown;
use crate::components::field_error::CoreError;
use crate::components::invoice::InvoiceCard;
use crate::components::money::{day, money_in, CreditType};
use crate::components::pickers::{customer_from_query, customers, Picker};
use crate::store::{store, Rated};
use leptos::prelude::*;
use rust_decimal::Decimal;
use tally_core::Invoice;

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
            return Rated::new(Ok(Vec::new()));
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
                .flatten()
                .filter(|inv| !hide || !inv.line_items.is_empty())
                .map(|inv| {
                    let name = contract_name(&inv.contract_id);
                    (format!("{name}\u{0}{:x}", digest(inv)), inv.clone(), name)
                })
                .collect::<Vec<_>>()
        })
    };
    let summary = move || invoices.with(|list| list.iter().find_map(|l| summary(l)));
    let refused = move || invoices.with(|list| Result::as_ref(&**list).err().cloned());
    let none = move || invoices.with(|list| list.iter().all(Vec::is_empty) && list.is_ok());
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
            {move || refused().map(|e| view! { <CoreError error=e lead="These invoices cannot be rated: " /> })}
            {move || (none() && !customer.get().is_empty() && !loading()).then(|| view! { <p class="muted">"No invoices yet: this customer needs a contract."</p> })}
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

/// What the listed invoices bill in all, per credit type, and the span they cover: "$80.00 billed from
/// 2025-01-01 to 2025-02-01".
fn summary(list: &[Invoice]) -> Option<String> {
    let mut by_unit: Vec<(&CreditType, Decimal)> = Vec::new();
    let (mut from, mut until) = (String::new(), String::new());
    for inv in list {
        let total = inv.total.amount();
        match by_unit.iter_mut().find(|(u, _)| u.id == inv.credit_type.id) {
            Some((_, sum)) => *sum += total,
            None => by_unit.push((&inv.credit_type, total)),
        }
        let (a, b) = (day(inv.period_start()), day(inv.period_end()));
        if from.is_empty() || a < from {
            from = a;
        }
        if b > until {
            until = b;
        }
    }
    let sums: Vec<String> = by_unit.iter().map(|(u, sum)| money_in(*sum, Some(u))).collect();
    (!sums.is_empty()).then(|| format!("{} billed from {from} to {until}", sums.join(" + ")))
}

/// A digest of everything an invoice says, explanations included: the key of its card. The invoice's
/// JSON is streamed into the hasher, never written out as text (tens of KB with explanations).
fn digest(inv: &Invoice) -> u64 {
    use std::hash::Hasher;
    struct Digest(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Digest {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut d = Digest(Default::default());
    let _ = serde_json::to_writer(&mut d, inv);
    d.0.finish()
}
