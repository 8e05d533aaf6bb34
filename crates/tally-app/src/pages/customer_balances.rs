//! Balances held by a customer (customer-level commits and credits): listed with what is left now,
//! and added through the core's `POST /v1/customers/commits/create` or `.../credits/create`, validated
//! as you type, with the what-if of the customer's invoice totals before saving.

use crate::components::field_error::{FieldError, FormError};
use crate::components::money::{json_day, json_money_in, unit};
use crate::components::pickers::{customers, products, Picker};
use crate::components::whatif::WhatIf;
use crate::forms::contract::balance::{ACCESS_SCHEDULE, INVOICE_SCHEDULE};
use crate::forms::customer::held::{APPLICABLE_CONTRACT_IDS, INVOICE_CONTRACT_ID};
use crate::forms::{BalanceDraft, CustomerBalanceDraft};
use crate::store::{live_error, store};
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn CustomerBalances() -> impl IntoView {
    let customer = RwSignal::new(String::new());
    view! {
        <section class="card" aria-labelledby="customer-balances-heading">
            <h2 id="customer-balances-heading">"Balances held by a customer"</h2>
            <p class="muted">"Commits and credits that every contract of the customer draws on (or only the contracts listed), after each contract's own balances at equal rank; usage draws in the order its statement periods end."</p>
            <div class="narrow"><Picker label="Held by customer" id="cb-customer" value=customer items=customers() /></div>
            <HeldBalances customer />
            <NewHeldBalance customer />
        </section>
    }
}

/// A customer's commits and credits as the core lists them (JSON: the list answer has no type of its
/// own in the core), each with its credit type, keyed by both: only a balance that changed is drawn
/// again.
fn listed(customer: &str) -> Vec<(String, Value, Option<crate::components::money::CreditType>)> {
    let s = store();
    let body = json!({"customer_id": customer, "include_balance": true});
    let mut rows = s.read_list("POST /v1/contracts/customerCommits/list", &body);
    rows.extend(s.read_list("POST /v1/contracts/customerCredits/list", &body));
    s.state.with(|st| {
        rows.into_iter()
            .map(|b| {
                let ct = unit(st, b["access_schedule"]["credit_type_id"].as_str());
                (format!("{b}\u{0}{ct:?}"), b, ct)
            })
            .collect()
    })
}

/// The table of what the customer holds, with what is left now.
#[component]
fn HeldBalances(customer: RwSignal<String>) -> impl IntoView {
    let s = store();
    let listed = Memo::new(move |_| {
        let c = customer.get();
        if c.is_empty() {
            Vec::new()
        } else {
            listed(&c)
        }
    });
    // While the saved usage is still being read, what is left would be the amount before any usage
    // drew on it: a wrong figure, so none is shown.
    let loading = move || s.usage.with(|u| u.loading);
    view! {
        <table class="list balances-held">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Amount"</th><th scope="col">"Access"</th><th scope="col">"Contracts"</th><th scope="col">"Left now"</th></tr></thead>
            <tbody>
                <For each=move || listed.get() key=|(key, _, _)| key.clone() let:((_, b, ct))>{{
                    let item = &b["access_schedule"]["schedule_items"][0];
                    let what = match b["type"].as_str() { Some("CREDIT") => "credit", Some("POSTPAID") => "postpaid commit", _ => "prepaid commit" };
                    let reach = match (&b["contract"]["id"], b["applicable_contract_ids"].as_array()) {
                        (Value::String(k), _) => format!("{k} only (its own)"),
                        (_, Some(ids)) => ids.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
                        _ => "all".to_string(),
                    };
                    let left = json_money_in(&b["balance"], ct.as_ref());
                    view! {
                        <tr class="held-balance">
                            <td>{b["name"].as_str().unwrap_or("").to_string()}</td>
                            <td>{what}</td>
                            <td class="num">{json_money_in(&item["amount"], ct.as_ref())}</td>
                            <td>{format!("{} to {}", json_day(&item["starting_at"]), json_day(&item["ending_before"]))}</td>
                            <td>{reach}</td>
                            <td class="num">{move || if loading() { "reading usage\u{2026}".to_string() } else { left.clone() }}</td>
                        </tr>
                    }
                }}</For>
            </tbody>
        </table>
    }
}

/// The form that adds a commit or credit to the customer, with its what-if.
#[component]
fn NewHeldBalance(customer: RwSignal<String>) -> impl IntoView {
    let s = store();
    let text = |t: &str| RwSignal::new(t.to_string());
    // What the balance is: a prepaid or postpaid commit, or a credit.
    let kind = text("PREPAID");
    let [name, product, amount, from, until, contracts, invoice_contract] =
        ["Shared commit", "", "", "", "", "", ""].map(text);
    let invoiced = RwSignal::new(true);
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let own_contracts = crate::components::pickers::contracts_of(customer);
    let call = move || {
        let draft = CustomerBalanceDraft {
            customer: customer.get(),
            balance: BalanceDraft {
                credit: kind.get() == "CREDIT",
                kind: kind.get(),
                name: name.get(),
                product: product.get(),
                amount: amount.get(),
                from: from.get(),
                until: until.get(),
                invoiced: invoiced.get(),
                ..Default::default()
            },
            contracts: contracts.get(),
            invoice_contract: invoice_contract.get(),
        };
        vec![draft.call()]
    };
    let error = live_error(touched, call);
    let whatif_calls = Signal::derive(move || {
        if touched.get() && !customer.get().is_empty() {
            call()
        } else {
            vec![]
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let calls = call();
        let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
        if s.apply(&refs).is_ok() {
            touched.set(false);
            done.set(Some(format!("{} added.", name.get_untracked())));
            // A second click must not add the same balance twice: the form starts over.
            amount.set(String::new());
        }
    };
    view! {
        <form class="form" on:submit=submit on:input=move |_| { touched.set(true); done.set(None) } on:change=move |_| touched.set(true)>
            <div class="grid3">
                <div><label for="cb-kind">"Balance kind"</label>
                    <select id="cb-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="PREPAID" prop:selected=move || kind.get() == "PREPAID">"prepaid commit"</option>
                        <option value="POSTPAID" prop:selected=move || kind.get() == "POSTPAID">"postpaid commit"</option>
                        <option value="CREDIT" prop:selected=move || kind.get() == "CREDIT">"credit"</option>
                    </select></div>
                <div><label for="cb-name">"Shown on invoices as"</label><input id="cb-name" bind:value=name /></div>
                <div><Picker label="Balance product (fixed)" id="cb-product" value=product items=products(Some(true)) /></div>
                <div><label for="cb-amount">"Balance amount (cents)"</label><input id="cb-amount" inputmode="decimal" bind:value=amount /></div>
                <div><label for="cb-from">"Balance access from"</label><input id="cb-from" type="date" bind:value=from /></div>
                <div><label for="cb-until">"Balance access until (exclusive)"</label><input id="cb-until" type="date" bind:value=until /></div>
                <div><label for="cb-contracts">"Only these contracts (ids, comma separated; empty: all)"</label><input id="cb-contracts" bind:value=contracts autocomplete="off" /></div>
                <div><Picker label="Invoiced on contract (paid commits)" id="cb-invoice-contract" value=invoice_contract items=own_contracts /></div>
                <div><label class="check"><input type="checkbox" bind:checked=invoiced />" A prepaid commit is bought at its start (unticked: given)"</label></div>
            </div>
            <FieldError error paths=&[ACCESS_SCHEDULE, INVOICE_SCHEDULE] />
            <FieldError error paths=&[APPLICABLE_CONTRACT_IDS, INVOICE_CONTRACT_ID] />
            <FormError error all=CustomerBalanceDraft::ALL />
            <button type="submit">"Add the balance"</button>
            {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
        </form>
        <WhatIf customer_id=customer calls=whatif_calls />
    }
}
