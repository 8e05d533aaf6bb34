//! The usage filter schedule of an existing contract: its history as the core stores it, and a form
//! for the next filter (POST /v1/contracts/setUsageFilter), validated by the core as you type, with
//! the what-if of the customer's invoice totals before saving.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::day;
use crate::components::whatif::WhatIf;
use crate::store::{contract_edit_form, date_to_rfc3339, list, store, OneCallForm};
use leptos::prelude::*;
use serde_json::{json, Value};

const CALL: &str = "POST /v1/contracts/setUsageFilter";

/// The contract's filter history, one row a filter, in effect order.
#[component]
fn FilterHistory(contract: RwSignal<String>) -> impl IntoView {
    let s = store();
    let rows = Memo::new(move |_| {
        let id = contract.get();
        s.contracts.with(|all| {
            all.get(&id)
                .map(|c| {
                    c.usage_filter_history
                        .iter()
                        .map(|f| {
                            let from = f.starting_at.map(day).unwrap_or_else(|| "contract start".into());
                            (from, f.group_key.clone(), f.group_values.join(", "))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The table is drawn again only when it appears or goes; its rows are keyed.
    let empty = Memo::new(move |_| rows.with(Vec::is_empty));
    view! {
        {move || {
            if empty.get() {
                return view! { <p class="muted">"No usage filter: every event of the customer counts."</p> }.into_any();
            }
            view! {
                <table class="filter-history">
                    <caption>"Usage filter history"</caption>
                    <thead><tr><th scope="col">"From"</th><th scope="col">"Group key"</th><th scope="col">"Group values"</th></tr></thead>
                    // Keyed with the row's place too: two entries may read the same.
                    <tbody><For each=move || rows.get().into_iter().enumerate() key=|row| row.clone() let:((_, (from, key, values)))>
                        <tr class="filter-row"><td>{from}</td><td>{key}</td><td>{values}</td></tr>
                    </For></tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
pub fn UsageFilterEdit(customer: RwSignal<String>, contract: RwSignal<String>) -> impl IntoView {
    let key = RwSignal::new(String::new());
    let values = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let body = move || -> Value {
        json!({ "customer_id": customer.get(), "contract_id": contract.get(), "group_key": key.get().trim(),
            "group_values": list(&values.get()), "starting_at": date_to_rfc3339(&from.get()).unwrap_or_default() })
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(CALL, move || Ok(body()), contract, touched, done, "Usage filter saved.");
    view! {
        <section class="subcard filter-edit" aria-labelledby="filter-edit-heading">
            <h3 id="filter-edit-heading">"Usage filter schedule"</h3>
            <FilterHistory contract />
            <form class="form wide" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) }>
                <div class="grid3">
                    <div><label for="filter-edit-key">"New filter: group key"</label><input id="filter-edit-key" bind:value=key placeholder="region" autocomplete="off" />
                        <FieldError error paths=&["group_key"] /></div>
                    <div><label for="filter-edit-values">"New filter: values to keep (comma separated)"</label><input id="filter-edit-values" bind:value=values placeholder="US, EU" autocomplete="off" />
                        <FieldError error paths=&["group_values"] /></div>
                    <div><label for="filter-edit-from">"New filter: in effect from"</label><input id="filter-edit-from" type="date" bind:value=from />
                        <FieldError error paths=&["starting_at"] /></div>
                </div>
                <FormError error all=&["group_key", "group_values", "starting_at"] />
                <button type="submit">"Set usage filter"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
