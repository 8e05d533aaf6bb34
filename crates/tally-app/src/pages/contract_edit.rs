//! Editing a contract: add an override (or any POST /v2/contracts/edit as JSON), set the usage filter
//! schedule, change the end date. While you type, each form's what-if shows the customer's invoice
//! totals before and after, rated by the core on a scratch copy; nothing is saved until you press Save.

use crate::components::field_error::{FieldError, FormError};
use crate::components::pickers::Picker;
use crate::components::whatif::WhatIf;
use crate::forms::edit::{fields::*, EDIT};
use crate::forms::OverrideDraft;
use crate::pages::contract_end::EndDateEdit;
use crate::pages::contract_filter::UsageFilterEdit;
use crate::store::{contract_edit_form, JsonMode, OneCallForm};
use leptos::prelude::*;
use serde_json::Value;

#[component]
pub fn ContractEdit(customer: RwSignal<String>) -> impl IntoView {
    let contract = RwSignal::new(String::new());
    let kind = RwSignal::new("MULTIPLIER".to_string());
    let multiplier = RwSignal::new("0.9".to_string());
    let price = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let json_mode = JsonMode::new();
    let JsonMode { advanced, json_text } = json_mode;
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    // Another customer: their contracts, none chosen yet.
    Effect::new(move |prev: Option<String>| {
        let c = customer.get();
        if prev.is_some_and(|p| p != c) {
            contract.set(String::new());
        }
        c
    });
    let contracts = crate::components::pickers::contracts_of(customer);
    let form_body = move || -> Value {
        OverrideDraft {
            customer: customer.get(),
            contract: contract.get(),
            kind: kind.get(),
            multiplier: multiplier.get(),
            price: price.get(),
            product: product.get(),
            tags: tags.get(),
            from: from.get(),
            until: until.get(),
        }
        .to_body()
    };
    let body = move || json_mode.body(form_body);
    let toggle_advanced = move |ev: leptos::ev::Event| json_mode.toggle(event_target_checked(&ev), form_body);
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(EDIT, body, contract, touched, done, "Saved.");
    view! {
        <section class="card">
            <h2>"Edit a contract"</h2>
            <div class="form narrow"><Picker label="Contract to edit" id="edit-contract" value=contract items=contracts /></div>
            <FieldError error paths=&[CONTRACT_ID, CUSTOMER_ID] />
            <h3>"Add an override or other terms"</h3>
            <form class="form wide" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) } on:change=move |_| touched.set(true)>
                <label class="check"><input type="checkbox" prop:checked=move || advanced.get() on:change=toggle_advanced />" Edit the whole edit body as JSON (add commits, credits, charges…)"</label>
                <Show when=move || !advanced.get() fallback=move || view! {
                    <label for="edit-json">"Request body for POST /v2/contracts/edit"</label>
                    <textarea id="edit-json" class="code" rows="14" prop:value=move || json_text.get() on:input=move |ev| json_text.set(event_target_value(&ev))></textarea>
                    {move || if advanced.get() { body().err().map(|e| view! { <p class="field-error">{e}</p> }) } else { None }}
                    <FormError error all=&[CONTRACT_ID, CUSTOMER_ID] />
                }>
                    <fieldset>
                        <legend>"Add an override"</legend>
                        <div class="grid2">
                            <div><label for="edit-kind">"Override type"</label>
                                <select id="edit-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                                    <option value="MULTIPLIER" prop:selected=move || kind.get() == "MULTIPLIER">"multiplier"</option>
                                    <option value="OVERWRITE" prop:selected=move || kind.get() == "OVERWRITE">"overwrite (flat price)"</option>
                                </select></div>
                            <Show when=move || kind.get() == "MULTIPLIER" fallback=move || view! {
                                <div><label for="edit-price">"New flat price (cents per unit)"</label><input id="edit-price" inputmode="decimal" bind:value=price /></div>
                            }>
                                <div><label for="edit-multiplier">"Override multiplier"</label><input id="edit-multiplier" inputmode="decimal" bind:value=multiplier /></div>
                            </Show>
                            <div><Picker label="Override product (or use tags)" id="edit-product" value=product items=crate::components::pickers::products(Some(false)) placeholder="— by tags —" /></div>
                            <div><label for="edit-tags">"Override product tags (comma separated)"</label><input id="edit-tags" bind:value=tags /></div>
                            <div><label for="edit-from">"Override starting at"</label><input id="edit-from" type="date" bind:value=from /></div>
                            <div><label for="edit-until">"Override ending before (optional)"</label><input id="edit-until" type="date" bind:value=until /></div>
                        </div>
                        <FieldError error paths=&[ADD_OVERRIDES] />
                    </fieldset>
                    <FormError error all=&[CONTRACT_ID, CUSTOMER_ID, ADD_OVERRIDES] />
                </Show>
                <button type="submit">"Save edit"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
            <UsageFilterEdit customer contract />
            <EndDateEdit customer contract />
            <crate::pages::contract_seats::SeatsEdit customer contract />
            <crate::pages::contract_renewal::RenewalEdit customer contract />
        </section>
    }
}
