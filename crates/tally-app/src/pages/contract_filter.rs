//! The usage filter schedule of an existing contract: its history as the core stores it, and a form
//! for the next filter (POST /v1/contracts/setUsageFilter), validated by the core as you type, with
//! the what-if of the customer's invoice totals before saving.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::day;
use crate::components::whatif::WhatIf;
use crate::forms::edit::{fields::*, SET_USAGE_FILTER};
use crate::forms::FilterDraft;
use crate::store::{contract_edit_form, store, OneCallForm};
use leptos::prelude::*;

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
    let body = move || {
        FilterDraft {
            customer: customer.get(),
            contract: contract.get(),
            key: key.get(),
            values: values.get(),
            from: from.get(),
        }
        .to_body()
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(
        SET_USAGE_FILTER,
        move || Ok(body()),
        contract,
        touched,
        done,
        "Usage filter saved.",
    );
    view! {
        <section class="subcard filter-edit" aria-labelledby="filter-edit-heading">
            <h3 id="filter-edit-heading">"Usage filter schedule"</h3>
            <FilterHistory contract />
            <form class="form wide" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) }>
                <div class="grid3">
                    <div><label for="filter-edit-key">"New filter: group key"</label><input id="filter-edit-key" bind:value=key placeholder="region" autocomplete="off" />
                        <FieldError error paths=&[GROUP_KEY] /></div>
                    <div><label for="filter-edit-values">"New filter: values to keep (comma separated)"</label><input id="filter-edit-values" bind:value=values placeholder="US, EU" autocomplete="off" />
                        <FieldError error paths=&[GROUP_VALUES] /></div>
                    <div><label for="filter-edit-from">"New filter: in effect from"</label><input id="filter-edit-from" type="date" bind:value=from />
                        <FieldError error paths=&[STARTING_AT] /></div>
                </div>
                <FormError error all=&[GROUP_KEY, GROUP_VALUES, STARTING_AT] />
                <button type="submit">"Set usage filter"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
