//! The new-contract form: rate card, dates, statement schedule, commits, credits, a scheduled charge, an
//! override, a usage filter; or the whole body as JSON. The core validates it as you type and the
//! what-if shows the customer's invoice totals with it.
//!
//! Each optional part of the contract (a charge, a subscription, ...) is a group of signals with the
//! draft it makes, and a fieldset of its own; the form gathers them into one `ContractDraft`.

use crate::components::field_error::{FieldError, FormError, RowError};
use crate::components::money::hint;
use crate::components::pickers::{products, rate_cards, subscription_products, Picker};
use crate::components::whatif::WhatIf;
use crate::forms::contract::{fields::*, subscription, CREATE};
use crate::forms::{ChargeDraft, ContractDraft, SubscriptionDraft};
use crate::pages::contract_balances::{BalanceRow, Balances};
use crate::store::{one_call_form, JsonMode, OneCallForm};
use leptos::prelude::*;
use serde_json::Value;
use tally_core::calendar::Frequency;
use tally_core::Error;

/// A part of the contract that a checkbox adds: whether it is on, and what it holds.
#[derive(Clone, Copy)]
struct Part<T: 'static> {
    on: RwSignal<bool>,
    fields: T,
}

impl<T> Part<T> {
    fn new(fields: T) -> Self {
        Part {
            on: RwSignal::new(false),
            fields,
        }
    }

    /// What the part makes when it is on.
    fn draft<D>(&self, make: impl Fn(&T) -> D) -> Option<D> {
        self.on.get().then(|| make(&self.fields))
    }
}

/// Text fields, each a signal.
type Texts<const N: usize> = [RwSignal<String>; N];

fn texts<const N: usize>(initial: [&str; N]) -> Texts<N> {
    initial.map(|t| RwSignal::new(t.to_string()))
}

/// Everything the form holds.
#[derive(Clone, Copy)]
struct ContractFields {
    /// Name, rate card, start, end, statement frequency, statement day.
    terms: Texts<6>,
    commits: RwSignal<Vec<BalanceRow>>,
    credits: RwSignal<Vec<BalanceRow>>,
    /// Name, product, amount, frequency.
    charge: Part<Texts<4>>,
    /// Multiplier, product tags.
    multiplier: Part<Texts<2>>,
    /// Group key, group values.
    filter: Texts<2>,
    consolidate: RwSignal<bool>,
    /// Threshold, recharge to, product, payment fraction.
    recharge: Part<Texts<4>>,
    /// Threshold, product.
    spend: Part<Texts<2>>,
    /// Product, frequency, collection, seats.
    subscription: Part<Texts<4>>,
}

impl ContractFields {
    fn new() -> Self {
        ContractFields {
            terms: texts(["", "", "", "", "MONTHLY", "FIRST_OF_MONTH"]),
            commits: RwSignal::new(Vec::new()),
            credits: RwSignal::new(Vec::new()),
            charge: Part::new(texts(["Platform fee", "", "", "QUARTERLY"])),
            multiplier: Part::new(texts(["0.95", ""])),
            filter: texts(["", ""]),
            consolidate: RwSignal::new(false),
            recharge: Part::new(texts(["1000", "5000", "", ""])),
            spend: Part::new(texts(["10000", ""])),
            subscription: Part::new(texts(["", "MONTHLY", "ADVANCE", "1"])),
        }
    }

    fn draft(&self, customer: String) -> ContractDraft {
        let [name, rate_card, start, end, frequency, day] = self.terms.map(|t| t.get());
        let [filter_key, filter_values] = self.filter.map(|t| t.get());
        ContractDraft {
            customer,
            name,
            rate_card,
            start,
            end,
            frequency,
            day,
            commits: self.commits.get().iter().map(BalanceRow::draft).collect(),
            credits: self.credits.get().iter().map(BalanceRow::draft).collect(),
            charge: self.charge.draft(|f| {
                let [name, product, amount, frequency] = f.map(|t| t.get());
                ChargeDraft {
                    name,
                    product,
                    amount,
                    frequency,
                }
            }),
            multiplier: self.multiplier.draft(|[m, tags]| (m.get(), tags.get())),
            filter_key,
            filter_values,
            consolidate: self.consolidate.get(),
            recharge: self.recharge.draft(|f| {
                let [threshold, to, product, fraction] = f.map(|t| t.get());
                (threshold, to, product, fraction)
            }),
            spend: self
                .spend
                .draft(|[threshold, product]| (threshold.get(), product.get())),
            subscription: self.subscription.draft(|f| {
                let [product, frequency, collection, seats] = f.map(|t| t.get());
                SubscriptionDraft {
                    product,
                    frequency,
                    collection,
                    seats,
                }
            }),
        }
    }

    /// After a save: the form starts over, keeping the cadence and the parts' defaults.
    fn clear(&self) {
        self.commits.set(vec![]);
        self.credits.set(vec![]);
        let [name, _, start, end, _, _] = self.terms;
        for f in [name, start, end] {
            f.set(String::new());
        }
        for on in [
            self.charge.on,
            self.multiplier.on,
            self.recharge.on,
            self.spend.on,
            self.subscription.on,
        ] {
            on.set(false);
        }
    }
}

#[component]
pub fn ContractForm(customer: RwSignal<String>) -> impl IntoView {
    let f = ContractFields::new();
    let json_mode = JsonMode::new();
    let JsonMode { advanced, json_text } = json_mode;
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let form_body = move || -> Value { f.draft(customer.get()).to_body() };
    let body = move || json_mode.body(form_body);
    let json_error = move || if advanced.get() { body().err() } else { None };
    let toggle_advanced = move |ev: leptos::ev::Event| json_mode.toggle(event_target_checked(&ev), form_body);
    let saved = move |answer: &Value| {
        done.set(Some(format!(
            "Created contract {}",
            answer["data"]["id"].as_str().unwrap_or_default()
        )));
        f.clear();
        advanced.set(false);
    };
    let OneCallForm {
        error,
        whatif_calls,
        submit,
    } = one_call_form(CREATE, body, || true, touched, saved);
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
                    <TermsFields terms=f.terms error />
                    <Balances credit=false rows=f.commits touched error />
                    <Balances credit=true rows=f.credits touched error />
                    <ChargeFields part=f.charge error />
                    <SubscriptionFields part=f.subscription error />
                    <OverrideFields part=f.multiplier error />
                    <RechargeFields part=f.recharge error />
                    <SpendFields part=f.spend error />
                    <FilterFields filter=f.filter consolidate=f.consolidate error />
                    <FormError error all=ALL />
                </Show>
                <button type="submit">"Create contract"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <WhatIf customer_id=customer calls=whatif_calls />
        </section>
    }
}

/// The options of a frequency select, the chosen one selected.
fn frequency_options(chosen: RwSignal<String>) -> impl IntoView {
    Frequency::ALL
        .iter()
        .map(|&f| view! { <option value=f prop:selected=move || chosen.get() == f>{f.to_lowercase().replace('_', "-")}</option> })
        .collect_view()
}

/// Name, rate card, dates and the statement cadence.
#[component]
fn TermsFields(terms: Texts<6>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [name, card, start, end, frequency, day] = terms;
    view! {
        <div class="grid2">
            <div>
                <label for="contract-name">"Contract name"</label>
                <input id="contract-name" bind:value=name autocomplete="off" />
                <FieldError error paths=&[NAME, CUSTOMER_ID] />
            </div>
            <div>
                <Picker label="Rate card" id="contract-rate-card" value=card items=rate_cards() placeholder="— none —" />
                <FieldError error paths=&[RATE_CARD_ID, RATE_CARD_ALIAS] />
            </div>
            <div>
                <label for="contract-start">"Starting at"</label>
                <input id="contract-start" type="date" bind:value=start />
                <FieldError error paths=&[STARTING_AT] />
            </div>
            <div>
                <label for="contract-end">"Ending before (optional)"</label>
                <input id="contract-end" type="date" bind:value=end />
                <FieldError error paths=&[ENDING_BEFORE] />
            </div>
            <div>
                <label for="contract-frequency">"Usage statements"</label>
                <select id="contract-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                    {frequency_options(frequency)}
                </select>
            </div>
            <div>
                <label for="contract-day">"Statement day"</label>
                <select id="contract-day" on:change=move |ev| day.set(event_target_value(&ev))>
                    <option value="FIRST_OF_MONTH" prop:selected=move || day.get() == "FIRST_OF_MONTH">"first of month"</option>
                    <option value="CONTRACT_START" prop:selected=move || day.get() == "CONTRACT_START">"contract start"</option>
                </select>
                <FieldError error paths=&[USAGE_STATEMENT_SCHEDULE] />
            </div>
        </div>
    }
}

/// A part of the contract that is off until its box is ticked: its fields show only then.
#[component]
fn Switchable(legend: &'static str, label: &'static str, on: RwSignal<bool>, children: ChildrenFn) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <label class="check"><input type="checkbox" bind:checked=on />{label}</label>
            <Show when=move || on.get()>{children()}</Show>
        </fieldset>
    }
}

#[component]
fn ChargeFields(part: Part<Texts<4>>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [name, product, amount, frequency] = part.fields;
    view! {
        <Switchable legend="Scheduled charge" label=" Add a recurring scheduled charge" on=part.on>
            <div class="grid2">
                <div><label for="charge-name">"Charge name"</label><input id="charge-name" bind:value=name /></div>
                <div><Picker label="Charge product (fixed)" id="charge-product" value=product items=products(Some(true)) /></div>
                <div><label for="charge-amount">"Charge amount each time (cents)" <span class="muted">{move || hint(&amount.get())}</span></label><input id="charge-amount" inputmode="decimal" bind:value=amount /></div>
                <div><label for="charge-frequency">"Charge frequency"</label>
                    <select id="charge-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                        {frequency_options(frequency)}
                    </select></div>
            </div>
            <FieldError error paths=&[SCHEDULED_CHARGES] />
        </Switchable>
    }
}

#[component]
fn SubscriptionFields(part: Part<Texts<4>>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [product, frequency, collection, seats] = part.fields;
    // The first subscription's fields that show their errors beside themselves; the rest below them.
    let [product_path, seats_path, frequency_path, _] = subscription::first_of(SUBSCRIPTIONS);
    let beside = vec![product_path.clone(), seats_path.clone(), frequency_path.clone()];
    view! {
        <Switchable legend="Subscription" label=" Bill seats of a subscription product from the start" on=part.on>
            <div class="grid2">
                <div><Picker label="Subscription product" id="subscription-product" value=product items=subscription_products() />
                    <FieldError error paths=[product_path.clone()] /></div>
                <div><label for="subscription-seats">"Seats"</label><input id="subscription-seats" inputmode="decimal" bind:value=seats autocomplete="off" />
                    <FieldError error paths=[seats_path.clone()] /></div>
                <div><label for="subscription-frequency">"Billing frequency"</label>
                    <select id="subscription-frequency" on:change=move |ev| frequency.set(event_target_value(&ev))>
                        <option value="MONTHLY">"monthly"</option>
                        <option value="QUARTERLY">"quarterly"</option>
                        <option value="ANNUAL">"annual"</option>
                    </select>
                    <FieldError error paths=[frequency_path.clone()] /></div>
                <div><label for="subscription-collection">"Billed"</label>
                    <select id="subscription-collection" on:change=move |ev| collection.set(event_target_value(&ev))>
                        <option value="ADVANCE">"in advance (at each period's start)"</option>
                        <option value="ARREARS">"in arrears (at each period's end)"</option>
                    </select></div>
            </div>
            <RowError error paths=&[SUBSCRIPTIONS] exclude=beside.clone() />
        </Switchable>
    }
}

#[component]
fn OverrideFields(part: Part<Texts<2>>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [multiplier, tags] = part.fields;
    view! {
        <Switchable legend="Override" label=" Add a multiplier override from the start" on=part.on>
            <div class="grid2">
                <div><label for="override-multiplier">"Multiplier (0.95 = 5% off)"</label><input id="override-multiplier" inputmode="decimal" bind:value=multiplier /></div>
                <div><label for="override-tags">"Product tags (comma separated)"</label><input id="override-tags" bind:value=tags /></div>
            </div>
            <FieldError error paths=&[OVERRIDES] />
        </Switchable>
    }
}

#[component]
fn RechargeFields(part: Part<Texts<4>>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [threshold, to, product, fraction] = part.fields;
    view! {
        <Switchable legend="Auto-recharge" label=" Recharge the prepaid balance when it falls to a threshold" on=part.on>
            <div class="grid2">
                <div><label for="recharge-threshold">"Recharge at or below (cents)"</label><input id="recharge-threshold" inputmode="decimal" bind:value=threshold /></div>
                <div><label for="recharge-to">"Recharge to (cents)"</label><input id="recharge-to" inputmode="decimal" bind:value=to /></div>
                <div><Picker label="Recharge sold as (fixed product)" id="recharge-product" value=product items=products(Some(true)) /></div>
                <div><label for="recharge-fraction">"Share of each recharge invoiced (optional, e.g. 0.9)"</label><input id="recharge-fraction" inputmode="decimal" bind:value=fraction /></div>
            </div>
            <FieldError error paths=&[PREPAID_BALANCE_THRESHOLD_CONFIGURATION] />
        </Switchable>
    }
}

#[component]
fn SpendFields(part: Part<Texts<2>>, #[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    let [threshold, product] = part.fields;
    view! {
        <Switchable legend="Spend threshold" label=" Bill usage early when a period's spend reaches a threshold" on=part.on>
            <div class="grid2">
                <div><label for="spend-threshold">"Bill when outstanding spend reaches (cents)"</label><input id="spend-threshold" inputmode="decimal" bind:value=threshold /></div>
                <div><Picker label="Early bills sold as (fixed product)" id="spend-product" value=product items=products(Some(true)) /></div>
            </div>
            <FieldError error paths=&[SPEND_THRESHOLD_CONFIGURATION] />
        </Switchable>
    }
}

#[component]
fn FilterFields(
    filter: Texts<2>,
    consolidate: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<Error>>,
) -> impl IntoView {
    let [key, values] = filter;
    view! {
        <fieldset>
            <legend>"Usage filter and invoices"</legend>
            <div class="grid2">
                <div><label for="filter-key">"Usage filter group key (optional)"</label><input id="filter-key" bind:value=key placeholder="region" /></div>
                <div><label for="filter-values">"Group values (comma separated)"</label><input id="filter-values" bind:value=values placeholder="US, EU" /></div>
            </div>
            <FieldError error paths=&[USAGE_FILTER] />
            <label class="check"><input type="checkbox" bind:checked=consolidate />" Put scheduled charges on usage invoices"</label>
        </fieldset>
    }
}
