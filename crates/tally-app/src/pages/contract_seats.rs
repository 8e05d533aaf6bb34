//! Subscriptions of an existing contract (POST /v2/contracts/edit): change a subscription's seat count
//! from a date (`update_subscriptions`), or add a subscription (`add_subscriptions`). The core checks
//! each as you type, and the what-if shows the customer's invoice totals before and after.

use crate::components::field_error::{FieldError, FormError};
use crate::components::pickers::{subscription_products, Picker};
use crate::components::whatif::WhatIf;
use crate::store::{contract_edit_form, date_to_rfc3339, number_or_text, store, OneCallForm};
use leptos::prelude::*;
use serde_json::{json, Value};

const CALL: &str = "POST /v2/contracts/edit";

#[component]
pub fn SeatsEdit(customer: RwSignal<String>, contract: RwSignal<String>) -> impl IntoView {
    let s = store();
    // The chosen contract's subscriptions: (id, "Seats: 15 now")
    let subscriptions = Signal::derive(move || {
        let id = contract.get();
        s.state.with(|st| {
            st.contracts
                .get(&id)
                .map(|c| {
                    c.subscriptions
                        .iter()
                        .map(|sub| {
                            let name = sub.name.clone().unwrap_or_else(|| {
                                st.products
                                    .get(&sub.subscription_rate.product_id)
                                    .map_or(sub.subscription_rate.product_id.clone(), |p| p.name.clone())
                            });
                            let steps: Vec<String> = sub
                                .quantity_schedule
                                .iter()
                                .map(|q| {
                                    format!("{} from {}", q.quantity.normalize(), &q.starting_at.to_string()[..10])
                                })
                                .collect();
                            (sub.id.clone(), format!("{name}: {}", steps.join(", ")))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let mode = RwSignal::new("change".to_string());
    let subscription = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let product = RwSignal::new(String::new());
    let frequency = RwSignal::new("MONTHLY".to_string());
    let schedule = RwSignal::new("ADVANCE".to_string());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let body = move || -> Value {
        let base = json!({ "customer_id": customer.get(), "contract_id": contract.get() });
        let mut b = base;
        if mode.get() == "change" {
            b["update_subscriptions"] = json!([{ "subscription_id": subscription.get(), "quantity_updates": [
                { "quantity": number_or_text(&quantity.get()), "starting_at": date_to_rfc3339(&from.get()).unwrap_or_default() }] }]);
        } else {
            let mut sub = json!({ "subscription_rate": { "product_id": product.get(), "billing_frequency": frequency.get() },
                "collection_schedule": schedule.get(), "initial_quantity": number_or_text(&quantity.get()),
                "proration": { "is_prorated": true } });
            if let Some(t) = date_to_rfc3339(&from.get()) {
                sub["starting_at"] = json!(t);
            }
            b["add_subscriptions"] = json!([sub]);
        }
        b
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(CALL, move || Ok(body()), contract, touched, done, "Seats saved.");
    view! {
        <section class="subcard seats-edit" aria-labelledby="seats-edit-heading">
            <h3 id="seats-edit-heading">"Subscriptions and seats"</h3>
            <ul class="plain small muted subscriptions">
                {move || {
                    let list = subscriptions.get();
                    if list.is_empty() {
                        view! { <li>"No subscription on this contract yet."</li> }.into_any()
                    } else {
                        list.into_iter().map(|(_, text)| view! { <li>{text}</li> }).collect_view().into_any()
                    }
                }}
            </ul>
            <form class="form" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) } on:change=move |_| touched.set(true)>
                <label for="seats-mode">"What to do"</label>
                <select id="seats-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                    <option value="change" prop:selected=move || mode.get() == "change">"Change a subscription's seats from a date"</option>
                    <option value="add" prop:selected=move || mode.get() == "add">"Add a subscription"</option>
                </select>
                <Show when=move || mode.get() == "change" fallback=move || view! {
                    <Picker label="Subscription product" id="seats-product" value=product items=subscription_products() />
                    <FieldError error paths=&["add_subscriptions[0].subscription_rate.product_id"] />
                    <label for="seats-frequency">"Billing frequency"</label>
                    <select id="seats-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                        <option value="MONTHLY">"monthly"</option>
                        <option value="QUARTERLY">"quarterly"</option>
                        <option value="ANNUAL">"annual"</option>
                    </select>
                    <FieldError error paths=&["add_subscriptions[0].subscription_rate.billing_frequency"] />
                    <label for="seats-schedule">"Billed"</label>
                    <select id="seats-schedule" on:change=move |ev| schedule.set(event_target_value(&ev))>
                        <option value="ADVANCE">"in advance (at each period's start)"</option>
                        <option value="ARREARS">"in arrears (at each period's end)"</option>
                    </select>
                }>
                    <Picker label="Subscription" id="seats-subscription" value=subscription items=subscriptions />
                    <FieldError error paths=&["update_subscriptions[0].subscription_id"] />
                </Show>
                <label for="seats-quantity">{move || if mode.get() == "change" { "New seat count" } else { "Seats" }}</label>
                <input id="seats-quantity" inputmode="decimal" bind:value=quantity autocomplete="off" />
                <FieldError error paths=&["update_subscriptions[0].quantity_updates[0].quantity", "add_subscriptions[0].initial_quantity"] />
                <label for="seats-from">{move || if mode.get() == "change" { "From (midnight UTC)" } else { "Starting (empty: the contract's start)" }}</label>
                <input id="seats-from" type="date" bind:value=from />
                <FieldError error paths=&["update_subscriptions[0].quantity_updates[0].starting_at", "add_subscriptions[0].starting_at"] />
                <FormError error all=&["update_subscriptions", "add_subscriptions"] />
                <button type="submit">"Save seats"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
