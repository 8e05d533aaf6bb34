//! The end date of an existing contract (POST /v1/contracts/updateEndDate): validated by the core as
//! you type, with the what-if of the customer's invoice totals before saving. Empty: no end.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::day;
use crate::components::whatif::WhatIf;
use crate::forms::edit::{fields::ENDING_BEFORE, UPDATE_END_DATE};
use crate::forms::EndDateDraft;
use crate::store::{contract_edit_form, store, OneCallForm};
use leptos::prelude::*;

#[component]
pub fn EndDateEdit(customer: RwSignal<String>, contract: RwSignal<String>) -> impl IntoView {
    let s = store();
    let end = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    // The stored end of the chosen contract, as the date the input shows.
    let current = Memo::new(move |_| {
        let id = contract.get();
        s.contracts
            .with(|all| all.get(&id).and_then(|c| c.ending_before).map(day))
    });
    // Choosing another contract starts the field from its end date.
    Effect::new(move |_| {
        end.set(current.get().unwrap_or_default());
        touched.set(false);
    });
    let body = move || {
        EndDateDraft {
            customer: customer.get(),
            contract: contract.get(),
            end: end.get(),
        }
        .to_body()
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(
        UPDATE_END_DATE,
        move || Ok(body()),
        contract,
        touched,
        done,
        "End date saved.",
    );
    view! {
        <section class="subcard end-edit" aria-labelledby="end-edit-heading">
            <h3 id="end-edit-heading">"End date"</h3>
            <p class="muted">{move || match (contract.get().is_empty(), current.get()) {
                (true, _) => "Choose a contract above.".to_string(),
                (false, Some(d)) => format!("Now ends before {d}."),
                (false, None) => "Now open-ended (no end date).".to_string(),
            }}</p>
            <form class="form narrow" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) }>
                <label for="end-edit-date">"New end date, exclusive (empty: no end)"</label>
                <input id="end-edit-date" type="date" bind:value=end />
                <FieldError error paths=&[ENDING_BEFORE] />
                <FormError error all=&[ENDING_BEFORE] />
                <button type="submit">"Update end date"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
