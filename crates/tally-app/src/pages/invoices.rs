//! Invoices: every invoice of a customer, line by line with totals, the commit burn-down, and a
//! printable view (the browser's print, with the app's chrome hidden by the print stylesheet).

use crate::components::burndown::BurnDown;
use crate::components::invoice::InvoiceCard;
use crate::components::pickers::{customer_from_query, customers, Picker};
use crate::store::store;
use leptos::prelude::*;

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
            return Vec::new();
        }
        s.invoices(&id)
    });
    let contract_name = move |id: &str| {
        s.state.with_untracked(|st| {
            st.contracts
                .get(id)
                .and_then(|c| c.name.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };
    let hide_empty = RwSignal::new(true);
    let customer_name = move || {
        s.state.with(|st| {
            st.customers
                .get(&customer.get())
                .map(|c| c.name.clone())
                .unwrap_or_default()
        })
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
            {move || (invoices.with(Vec::is_empty) && !customer.get().is_empty() && !loading()).then(|| view! { <p class="muted">"No invoices yet: this customer needs a contract."</p> })}
        </section>
        <section class="card no-break">
            {move || (!loading()).then(|| view! { <BurnDown customer_id=customer /> })}
        </section>
        <div class="invoices">
            {move || invoices.get().into_iter().filter(|inv| !hide_empty.get() || inv["line_items"].as_array().is_some_and(|l| !l.is_empty())).map(|inv| {
                let name = contract_name(inv["contract_id"].as_str().unwrap_or_default());
                view! { <InvoiceCard invoice=inv contract_name=name /> }
            }).collect_view()}
        </div>
    }
}
