//! Commits and credits in the new-contract form. They share one shape in the core; a credit has no
//! type and no invoice schedule (it is granted, not bought). Each row builds its part of the request
//! body; the core validates it.

use crate::components::field_error::RowError;
use crate::components::money::hint;
use crate::components::pickers::{products, Picker};
use crate::forms::contract::fields;
use crate::forms::BalanceDraft;
use leptos::prelude::*;
use tally_core::commit::CommitType;

#[derive(Clone, Copy)]
pub struct BalanceRow {
    pub key: usize,
    /// A credit (`credits[]`) rather than a commit (`commits[]`).
    pub credit: bool,
    kind: RwSignal<String>,
    name: RwSignal<String>,
    product: RwSignal<String>,
    amount: RwSignal<String>,
    from: RwSignal<String>,
    until: RwSignal<String>,
    invoiced: RwSignal<bool>,
    tags: RwSignal<String>,
    rollover: RwSignal<String>,
}

impl BalanceRow {
    pub fn new(key: usize, credit: bool) -> Self {
        BalanceRow {
            key,
            credit,
            kind: RwSignal::new("PREPAID".into()),
            name: RwSignal::new(format!("{} {}", if credit { "Credit" } else { "Commit" }, key + 1)),
            product: RwSignal::new(String::new()),
            amount: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            until: RwSignal::new(String::new()),
            invoiced: RwSignal::new(true),
            tags: RwSignal::new(String::new()),
            rollover: RwSignal::new(String::new()),
        }
    }

    /// What the row holds now, as plain data.
    pub fn draft(&self) -> BalanceDraft {
        BalanceDraft {
            credit: self.credit,
            kind: self.kind.get(),
            name: self.name.get(),
            product: self.product.get(),
            amount: self.amount.get(),
            from: self.from.get(),
            until: self.until.get(),
            invoiced: self.invoiced.get(),
            tags: self.tags.get(),
            rollover: self.rollover.get(),
        }
    }
}

/// A fieldset of commit or credit rows with an add button.
#[component]
pub fn Balances(
    credit: bool,
    rows: RwSignal<Vec<BalanceRow>>,
    /// Set when a row is added, so the form validates at once.
    touched: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<tally_core::Error>>,
) -> impl IntoView {
    let next_key = StoredValue::new(0usize);
    let add = move |_| {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        rows.update(|r| r.push(BalanceRow::new(k, credit)));
        touched.set(true);
    };
    view! {
        <fieldset>
            <legend>{if credit { "Credits" } else { "Commits" }}</legend>
            <For each=move || rows.get() key=|c| c.key let:c>
                <BalanceFields c index=Signal::derive(move || rows.with(|l| l.iter().position(|x| x.key == c.key).unwrap_or(0))) rows error />
            </For>
            <button type="button" class="secondary" on:click=add>{if credit { "Add a credit" } else { "Add a commit" }}</button>
        </fieldset>
    }
}

#[component]
fn BalanceFields(
    c: BalanceRow,
    index: Signal<usize>,
    rows: RwSignal<Vec<BalanceRow>>,
    #[prop(into)] error: Signal<Option<tally_core::Error>>,
) -> impl IntoView {
    let (word, list_name) = if c.credit {
        ("Credit", fields::CREDITS)
    } else {
        ("Commit", fields::COMMITS)
    };
    let n = c.key + 1;
    let id = |f: &str| format!("{}-{}-{f}", list_name, c.key);
    let label = move |what: &str| format!("{word} {n} {what}");
    let row_paths = move || vec![format!("{list_name}[{}]", index.get())];
    let kind_field = (!c.credit).then(|| {
        view! {
            <div><label for=id("kind")>{label("type")}</label>
                <select id=id("kind") on:change=move |ev| c.kind.set(event_target_value(&ev))>
                    {CommitType::ALL.iter().map(|&k| view! { <option value=k prop:selected=move || c.kind.get() == k>{k.to_lowercase()}</option> }).collect_view()}
                </select></div>
        }
    });
    let invoice_field = (!c.credit).then(|| {
        view! {
            <div><label class="check"><input type="checkbox" bind:checked=c.invoiced />{format!(" Invoice commit {n} at its start")}</label></div>
            <div><label for=id("rollover")>{label("share rolled over at renewal (0 to 1, optional)")}</label><input id=id("rollover") inputmode="decimal" bind:value=c.rollover /></div>
        }
    });
    view! {
        <div class=if c.credit { "credit-row" } else { "commit-row" }>
            <div class="grid3">
                <div><label for=id("name")>{label("name")}</label><input id=id("name") bind:value=c.name /></div>
                {kind_field}
                <div><Picker label=label("product (fixed)") id=id("product") value=c.product items=products(Some(true)) /></div>
                <div><label for=id("amount")>{label("amount (cents)")}</label>
                    <input id=id("amount") inputmode="decimal" bind:value=c.amount />
                    <span class="muted small">{move || hint(&c.amount.get())}</span></div>
                <div><label for=id("from")>{label("access from (default: contract start)")}</label><input id=id("from") type="date" bind:value=c.from /></div>
                <div><label for=id("until")>{label("access until (default: contract end)")}</label><input id=id("until") type="date" bind:value=c.until /></div>
                <div><label for=id("tags")>{label("applies to tags (empty: all products)")}</label><input id=id("tags") bind:value=c.tags /></div>
                {invoice_field}
            </div>
            {move || view! { <RowError error paths=row_paths() /> }}
            <button type="button" class="secondary small" on:click=move |_| rows.update(|l| l.retain(|x| x.key != c.key))>{format!("Remove {} {n}", word.to_lowercase())}</button>
        </div>
    }
}
