//! Renewing or superseding an existing contract (POST /v1/contracts/create with a `transition`): a
//! new contract on the same rate card and statement cadence, from the chosen contract's end (RENEWAL)
//! or from a date that ends it (SUPERSEDE). Its commits with a rollover share carry what they have
//! left into the new contract; validated by the core as you type, with the what-if.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::day;
use crate::components::whatif::WhatIf;
use crate::forms::contract::{fields::*, CREATE};
use crate::forms::RenewalDraft;
use crate::store::{contract_edit_form, store, OneCallForm};
use leptos::prelude::*;

#[component]
pub fn RenewalEdit(customer: RwSignal<String>, contract: RwSignal<String>) -> impl IntoView {
    let s = store();
    let kind = RwSignal::new("RENEWAL".to_string());
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let trueup = RwSignal::new("AS_IS".to_string());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    // The chosen contract's terms the new one keeps: rate card, statement cadence, and its end (where
    // a renewal starts).
    let chosen = Memo::new(move |_| {
        let id = contract.get();
        s.contracts.with(|all| {
            all.get(&id).map(|c| {
                (
                    c.rate_card_id.clone(),
                    c.usage_statement_schedule.clone(),
                    c.ending_before.map(day),
                    c.name.clone().unwrap_or_else(|| c.id.clone()),
                )
            })
        })
    });
    Effect::new(move |_| {
        if let Some((_, _, until, old_name)) = chosen.get() {
            start.set(until.unwrap_or_default());
            name.set(format!("{old_name} (renewed)"));
        }
        touched.set(false);
    });
    let body = move || {
        let (rate_card, schedule) = chosen
            .get()
            .map(|(card, schedule, _, _)| (card, schedule))
            .unwrap_or_default();
        RenewalDraft {
            customer: customer.get(),
            from_contract: contract.get(),
            kind: kind.get(),
            name: name.get(),
            start: start.get(),
            end: end.get(),
            trueup: trueup.get(),
            rate_card,
            schedule,
        }
        .to_body()
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(CREATE, move || Ok(body()), contract, touched, done, "Renewal created.");
    view! {
        <section class="subcard renewal-edit" aria-labelledby="renewal-edit-heading">
            <h3 id="renewal-edit-heading">"Renew or supersede"</h3>
            <p class="muted">"A new contract on the same rate card and cadence. Commits with a rollover share carry that share of what they have left into it, and those rolled-over commits are spent before any other balance."</p>
            <form class="form narrow" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) } on:change=move |_| touched.set(true)>
                <label for="renewal-kind">"Transition"</label>
                <select id="renewal-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="RENEWAL" prop:selected=move || kind.get() == "RENEWAL">"renewal (starts where this contract ends)"</option>
                    <option value="SUPERSEDE" prop:selected=move || kind.get() == "SUPERSEDE">"supersede (ends this contract at the new start)"</option>
                </select>
                <label for="renewal-name">"Name of the new contract"</label>
                <input id="renewal-name" bind:value=name autocomplete="off" />
                <label for="renewal-start">"New contract starting at"</label>
                <input id="renewal-start" type="date" bind:value=start />
                <FieldError error paths=&[STARTING_AT, TRANSITION] />
                <label for="renewal-end">"New contract ending before (optional)"</label>
                <input id="renewal-end" type="date" bind:value=end />
                <label for="renewal-trueup">"This contract's later true-ups"</label>
                <select id="renewal-trueup" on:change=move |ev| trueup.set(event_target_value(&ev))>
                    <option value="AS_IS" prop:selected=move || trueup.get() == "AS_IS">"bill them (as is)"</option>
                    <option value="REMOVE" prop:selected=move || trueup.get() == "REMOVE">"remove them"</option>
                </select>
                <FormError error all=&[STARTING_AT, TRANSITION, ENDING_BEFORE] />
                <button type="submit">"Create the new contract"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
