//! The new-contract form: rate card, dates, statement schedule, commits, credits, a scheduled charge, an
//! override, a usage filter; or the whole body as JSON. The core validates it as you type and the
//! what-if shows the customer's invoice totals with it.

use crate::components::field_error::{FieldError, FormError, RowError};
use crate::components::money::hint;
use crate::components::pickers::{products, rate_cards, subscription_products, Picker};
use crate::components::whatif::WhatIf;
use crate::forms::{ChargeDraft, ContractDraft, SubscriptionDraft};
use crate::pages::contract_balances::{BalanceRow, Balances};
use crate::store::{one_call_form, JsonMode, OneCallForm};
use leptos::prelude::*;
use serde_json::Value;
use tally_core::calendar::Frequency;

const CALL: &str = "POST /v1/contracts/create";
/// The subscription fields that show their errors beside themselves.
const SUBSCRIPTION_FIELDS: &[&str] = &[
    "subscriptions[0].subscription_rate.product_id",
    "subscriptions[0].initial_quantity",
    "subscriptions[0].subscription_rate.billing_frequency",
];

#[component]
pub fn ContractForm(customer: RwSignal<String>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let card = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let frequency = RwSignal::new("MONTHLY".to_string());
    let day = RwSignal::new("FIRST_OF_MONTH".to_string());
    let commits = RwSignal::new(Vec::<BalanceRow>::new());
    let credits = RwSignal::new(Vec::<BalanceRow>::new());
    let charge_on = RwSignal::new(false);
    let (charge_name, charge_product, charge_amount, charge_freq) = (
        RwSignal::new("Platform fee".to_string()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("QUARTERLY".to_string()),
    );
    let override_on = RwSignal::new(false);
    let (multiplier, override_tags) = (RwSignal::new("0.95".to_string()), RwSignal::new(String::new()));
    let (filter_key, filter_values) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let consolidate = RwSignal::new(false);
    let recharge_on = RwSignal::new(false);
    let (threshold, recharge_to) = (RwSignal::new("1000".to_string()), RwSignal::new("5000".to_string()));
    let (recharge_product, payment_fraction) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let spend_on = RwSignal::new(false);
    let (spend_threshold, spend_product) = (RwSignal::new("10000".to_string()), RwSignal::new(String::new()));
    let subscription_on = RwSignal::new(false);
    let (sub_product, sub_frequency, sub_collection, sub_seats) = (
        RwSignal::new(String::new()),
        RwSignal::new("MONTHLY".to_string()),
        RwSignal::new("ADVANCE".to_string()),
        RwSignal::new("1".to_string()),
    );
    let json_mode = JsonMode::new();
    let JsonMode { advanced, json_text } = json_mode;
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);

    let form_body = move || -> Value {
        ContractDraft {
            customer: customer.get(),
            name: name.get(),
            rate_card: card.get(),
            start: start.get(),
            end: end.get(),
            frequency: frequency.get(),
            day: day.get(),
            commits: commits.get().iter().map(BalanceRow::draft).collect(),
            credits: credits.get().iter().map(BalanceRow::draft).collect(),
            charge: charge_on.get().then(|| ChargeDraft {
                name: charge_name.get(),
                product: charge_product.get(),
                amount: charge_amount.get(),
                frequency: charge_freq.get(),
            }),
            multiplier: override_on.get().then(|| (multiplier.get(), override_tags.get())),
            filter_key: filter_key.get(),
            filter_values: filter_values.get(),
            consolidate: consolidate.get(),
            recharge: recharge_on.get().then(|| {
                (
                    threshold.get(),
                    recharge_to.get(),
                    recharge_product.get(),
                    payment_fraction.get(),
                )
            }),
            spend: spend_on.get().then(|| (spend_threshold.get(), spend_product.get())),
            subscription: subscription_on.get().then(|| SubscriptionDraft {
                product: sub_product.get(),
                frequency: sub_frequency.get(),
                collection: sub_collection.get(),
                seats: sub_seats.get(),
            }),
        }
        .to_body()
    };
    let body = move || json_mode.body(form_body);
    let json_error = move || if advanced.get() { body().err() } else { None };
    let toggle_advanced = move |ev: leptos::ev::Event| json_mode.toggle(event_target_checked(&ev), form_body);
    let saved = move |answer: &Value| {
        done.set(Some(format!(
            "Created contract {}",
            answer["data"]["id"].as_str().unwrap_or_default()
        )));
        commits.set(vec![]);
        credits.set(vec![]);
        for f in [name, start, end] {
            f.set(String::new());
        }
        charge_on.set(false);
        override_on.set(false);
        recharge_on.set(false);
        spend_on.set(false);
        subscription_on.set(false);
        advanced.set(false);
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = one_call_form(CALL, body, || true, touched, saved);
    const ALL: &[&str] = &[
        "customer_id",
        "name",
        "rate_card_id",
        "rate_card_alias",
        "starting_at",
        "ending_before",
        "usage_statement_schedule",
        "commits",
        "credits",
        "scheduled_charges",
        "overrides",
        "usage_filter",
        "scheduled_charges_on_usage_invoices",
        "prepaid_balance_threshold_configuration",
        "spend_threshold_configuration",
        "subscriptions",
    ];
    view! {
        <section class="card">
            <h2>"New contract"</h2>
            <form class="form wide" on:submit=submit on:input=move |_| touched.set(true) on:change=move |_| touched.set(true)>
                <label class="check"><input type="checkbox" prop:checked=move || advanced.get() on:change=toggle_advanced />" Edit the whole request body as JSON (advanced)"</label>
                <Show when=move || !advanced.get() fallback=move || view! {
                    <label for="contract-json">"Request body for POST /v1/contracts/create"</label>
                    <textarea id="contract-json" class="code" rows="18" prop:value=move || json_text.get() on:input=move |ev| json_text.set(event_target_value(&ev))></textarea>
                    {move || json_error().map(|e| view! { <p class="field-error">{e}</p> })}
                    <FormError error all=&[] />
                }>
                    <div class="grid2">
                        <div>
                            <label for="contract-name">"Contract name"</label>
                            <input id="contract-name" bind:value=name autocomplete="off" />
                            <FieldError error paths=&["name", "customer_id"] />
                        </div>
                        <div>
                            <Picker label="Rate card" id="contract-rate-card" value=card items=rate_cards() placeholder="— none —" />
                            <FieldError error paths=&["rate_card_id", "rate_card_alias"] />
                        </div>
                        <div>
                            <label for="contract-start">"Starting at"</label>
                            <input id="contract-start" type="date" bind:value=start />
                            <FieldError error paths=&["starting_at"] />
                        </div>
                        <div>
                            <label for="contract-end">"Ending before (optional)"</label>
                            <input id="contract-end" type="date" bind:value=end />
                            <FieldError error paths=&["ending_before"] />
                        </div>
                        <div>
                            <label for="contract-frequency">"Usage statements"</label>
                            <select id="contract-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                                {Frequency::ALL.iter().map(|&f| view! { <option value=f prop:selected=move || frequency.get() == f>{f.to_lowercase().replace('_', "-")}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="contract-day">"Statement day"</label>
                            <select id="contract-day" on:change=move |ev| day.set(event_target_value(&ev))>
                                <option value="FIRST_OF_MONTH" prop:selected=move || day.get() == "FIRST_OF_MONTH">"first of month"</option>
                                <option value="CONTRACT_START" prop:selected=move || day.get() == "CONTRACT_START">"contract start"</option>
                            </select>
                            <FieldError error paths=&["usage_statement_schedule"] />
                        </div>
                    </div>

                    <Balances credit=false rows=commits touched error />
                    <Balances credit=true rows=credits touched error />

                    <fieldset>
                        <legend>"Scheduled charge"</legend>
                        <label class="check"><input type="checkbox" bind:checked=charge_on />" Add a recurring scheduled charge"</label>
                        <Show when=move || charge_on.get()>
                            <div class="grid2">
                                <div><label for="charge-name">"Charge name"</label><input id="charge-name" bind:value=charge_name /></div>
                                <div><Picker label="Charge product (fixed)" id="charge-product" value=charge_product items=products(Some(true)) /></div>
                                <div><label for="charge-amount">"Charge amount each time (cents)" <span class="muted">{move || hint(&charge_amount.get())}</span></label><input id="charge-amount" inputmode="decimal" bind:value=charge_amount /></div>
                                <div><label for="charge-frequency">"Charge frequency"</label>
                                    <select id="charge-frequency" on:change=move |ev| charge_freq.set(event_target_value(&ev))>
                                        {Frequency::ALL.iter().map(|&f| view! { <option value=f prop:selected=move || charge_freq.get() == f>{f.to_lowercase().replace('_', "-")}</option> }).collect_view()}
                                    </select></div>
                            </div>
                            <FieldError error paths=&["scheduled_charges"] />
                        </Show>
                    </fieldset>

                    <fieldset>
                        <legend>"Subscription"</legend>
                        <label class="check"><input type="checkbox" bind:checked=subscription_on />" Bill seats of a subscription product from the start"</label>
                        <Show when=move || subscription_on.get()>
                            <div class="grid2">
                                <div><Picker label="Subscription product" id="subscription-product" value=sub_product items=subscription_products() />
                                    <FieldError error paths=&["subscriptions[0].subscription_rate.product_id"] /></div>
                                <div><label for="subscription-seats">"Seats"</label><input id="subscription-seats" inputmode="decimal" bind:value=sub_seats autocomplete="off" />
                                    <FieldError error paths=&["subscriptions[0].initial_quantity"] /></div>
                                <div><label for="subscription-frequency">"Billing frequency"</label>
                                    <select id="subscription-frequency" on:change=move |ev| sub_frequency.set(event_target_value(&ev))>
                                        <option value="MONTHLY">"monthly"</option>
                                        <option value="QUARTERLY">"quarterly"</option>
                                        <option value="ANNUAL">"annual"</option>
                                    </select>
                                    <FieldError error paths=&["subscriptions[0].subscription_rate.billing_frequency"] /></div>
                                <div><label for="subscription-collection">"Billed"</label>
                                    <select id="subscription-collection" on:change=move |ev| sub_collection.set(event_target_value(&ev))>
                                        <option value="ADVANCE">"in advance (at each period's start)"</option>
                                        <option value="ARREARS">"in arrears (at each period's end)"</option>
                                    </select></div>
                            </div>
                            <RowError error paths=vec!["subscriptions".into()] exclude=SUBSCRIPTION_FIELDS.iter().map(|p| p.to_string()).collect() />
                        </Show>
                    </fieldset>

                    <fieldset>
                        <legend>"Override"</legend>
                        <label class="check"><input type="checkbox" bind:checked=override_on />" Add a multiplier override from the start"</label>
                        <Show when=move || override_on.get()>
                            <div class="grid2">
                                <div><label for="override-multiplier">"Multiplier (0.95 = 5% off)"</label><input id="override-multiplier" inputmode="decimal" bind:value=multiplier /></div>
                                <div><label for="override-tags">"Product tags (comma separated)"</label><input id="override-tags" bind:value=override_tags /></div>
                            </div>
                            <FieldError error paths=&["overrides"] />
                        </Show>
                    </fieldset>

                    <fieldset>
                        <legend>"Auto-recharge"</legend>
                        <label class="check"><input type="checkbox" bind:checked=recharge_on />" Recharge the prepaid balance when it falls to a threshold"</label>
                        <Show when=move || recharge_on.get()>
                            <div class="grid2">
                                <div><label for="recharge-threshold">"Recharge at or below (cents)"</label><input id="recharge-threshold" inputmode="decimal" bind:value=threshold /></div>
                                <div><label for="recharge-to">"Recharge to (cents)"</label><input id="recharge-to" inputmode="decimal" bind:value=recharge_to /></div>
                                <div><Picker label="Recharge sold as (fixed product)" id="recharge-product" value=recharge_product items=products(Some(true)) /></div>
                                <div><label for="recharge-fraction">"Share of each recharge invoiced (optional, e.g. 0.9)"</label><input id="recharge-fraction" inputmode="decimal" bind:value=payment_fraction /></div>
                            </div>
                            <FieldError error paths=&["prepaid_balance_threshold_configuration"] />
                        </Show>
                    </fieldset>

                    <fieldset>
                        <legend>"Spend threshold"</legend>
                        <label class="check"><input type="checkbox" bind:checked=spend_on />" Bill usage early when a period's spend reaches a threshold"</label>
                        <Show when=move || spend_on.get()>
                            <div class="grid2">
                                <div><label for="spend-threshold">"Bill when outstanding spend reaches (cents)"</label><input id="spend-threshold" inputmode="decimal" bind:value=spend_threshold /></div>
                                <div><Picker label="Early bills sold as (fixed product)" id="spend-product" value=spend_product items=products(Some(true)) /></div>
                            </div>
                            <FieldError error paths=&["spend_threshold_configuration"] />
                        </Show>
                    </fieldset>

                    <fieldset>
                        <legend>"Usage filter and invoices"</legend>
                        <div class="grid2">
                            <div><label for="filter-key">"Usage filter group key (optional)"</label><input id="filter-key" bind:value=filter_key placeholder="region" /></div>
                            <div><label for="filter-values">"Group values (comma separated)"</label><input id="filter-values" bind:value=filter_values placeholder="US, EU" /></div>
                        </div>
                        <FieldError error paths=&["usage_filter"] />
                        <label class="check"><input type="checkbox" bind:checked=consolidate />" Put scheduled charges on usage invoices"</label>
                    </fieldset>
                    <FormError error all=ALL />
                </Show>
                <button type="submit">"Create contract"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}
