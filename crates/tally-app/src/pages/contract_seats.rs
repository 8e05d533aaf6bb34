//! Subscriptions of an existing contract (POST /v2/contracts/edit): change a subscription's seat count
//! from a date (`update_subscriptions`), or add a subscription (`add_subscriptions`). The core checks
//! each as you type, and the what-if shows the customer's invoice totals before and after.

use crate::components::field_error::{FieldError, FormError};
use crate::components::pickers::{subscription_products, Picker};
use crate::components::whatif::WhatIf;
use crate::forms::edit::{fields::*, EDIT};
use crate::forms::{SeatsDraft, SubscriptionDraft};
use crate::store::{contract_edit_form, store, OneCallForm};
use leptos::prelude::*;
use tally_core::Error;

/// The chosen contract's subscriptions: (id, "Seats: 15 from 2025-01-01, 20 from 2025-03-01").
fn subscriptions_of(contract: RwSignal<String>) -> Signal<Vec<(String, String)>> {
    let s = store();
    Signal::derive(move || {
        let id = contract.get();
        s.state.with(|st| {
            let Some(c) = st.contracts.get(&id) else {
                return Vec::new();
            };
            c.subscriptions
                .iter()
                .map(|sub| {
                    let product = &sub.subscription_rate.product_id;
                    let name = sub
                        .name
                        .clone()
                        .unwrap_or_else(|| st.products.get(product).map_or(product.clone(), |p| p.name.clone()));
                    let steps: Vec<String> = sub
                        .quantity_schedule
                        .iter()
                        .map(|q| format!("{} from {}", q.quantity.normalize(), &q.starting_at.to_string()[..10]))
                        .collect();
                    (sub.id.clone(), format!("{name}: {}", steps.join(", ")))
                })
                .collect()
        })
    })
}

/// What the seats form holds: whether it changes a subscription or adds one, and the fields of each.
#[derive(Clone, Copy)]
struct SeatsFields {
    /// "change" or "add".
    mode: RwSignal<String>,
    subscription: RwSignal<String>,
    quantity: RwSignal<String>,
    from: RwSignal<String>,
    product: RwSignal<String>,
    frequency: RwSignal<String>,
    schedule: RwSignal<String>,
}

impl SeatsFields {
    fn new() -> Self {
        let text = |t: &str| RwSignal::new(t.to_string());
        SeatsFields {
            mode: text("change"),
            subscription: text(""),
            quantity: text(""),
            from: text(""),
            product: text(""),
            frequency: text("MONTHLY"),
            schedule: text("ADVANCE"),
        }
    }

    fn changing(&self) -> bool {
        self.mode.get() == "change"
    }

    fn draft(&self, customer: String, contract: String) -> SeatsDraft {
        SeatsDraft {
            customer,
            contract,
            change: self.changing().then(|| self.subscription.get()),
            add: SubscriptionDraft {
                product: self.product.get(),
                frequency: self.frequency.get(),
                collection: self.schedule.get(),
                seats: self.quantity.get(),
            },
            from: self.from.get(),
        }
    }
}

#[component]
pub fn SeatsEdit(customer: RwSignal<String>, contract: RwSignal<String>) -> impl IntoView {
    let subscriptions = subscriptions_of(contract);
    let f = SeatsFields::new();
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let body = move || Ok(f.draft(customer.get(), contract.get()).to_body());
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = contract_edit_form(EDIT, body, contract, touched, done, "Seats saved.");
    let paths = SeatsDraft::paths();
    let mode = f.mode;
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
                <Show when=move || f.changing() fallback=move || view! { <AddedSubscription f error /> }>
                    <Picker label="Subscription" id="seats-subscription" value=f.subscription items=subscriptions />
                    <FieldError error paths=[paths.subscription.clone()] />
                </Show>
                <label for="seats-quantity">{move || if f.changing() { "New seat count" } else { "Seats" }}</label>
                <input id="seats-quantity" inputmode="decimal" bind:value=f.quantity autocomplete="off" />
                <FieldError error paths=paths.quantity />
                <label for="seats-from">{move || if f.changing() { "From (midnight UTC)" } else { "Starting (empty: the contract's start)" }}</label>
                <input id="seats-from" type="date" bind:value=f.from />
                <FieldError error paths=paths.from />
                <FormError error all=&[UPDATE_SUBSCRIPTIONS, ADD_SUBSCRIPTIONS] />
                <button type="submit">"Save seats"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}

/// The fields of a subscription to add: its product, billing frequency and when it is billed.
#[component]
fn AddedSubscription(f: SeatsFields, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let paths = SeatsDraft::paths();
    view! {
        <Picker label="Subscription product" id="seats-product" value=f.product items=subscription_products() />
        <FieldError error paths=[paths.product] />
        <label for="seats-frequency">"Billing frequency"</label>
        <select id="seats-frequency" on:change=move |ev| f.frequency.set(event_target_value(&ev))>
            <option value="MONTHLY">"monthly"</option>
            <option value="QUARTERLY">"quarterly"</option>
            <option value="ANNUAL">"annual"</option>
        </select>
        <FieldError error paths=[paths.frequency] />
        <label for="seats-schedule">"Billed"</label>
        <select id="seats-schedule" on:change=move |ev| f.schedule.set(event_target_value(&ev))>
            <option value="ADVANCE">"in advance (at each period's start)"</option>
            <option value="ARREARS">"in arrears (at each period's end)"</option>
        </select>
    }
}
