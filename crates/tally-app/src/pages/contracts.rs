//! Contracts: a customer's contracts as the core stores them, a form to create one, and edits (with a
//! what-if of the invoice totals before saving).

use crate::components::money::{day, money_in, price_in, quantity, unit};
use crate::components::pickers::{customer_from_query, customers, Picker};
use crate::pages::contract_edit::ContractEdit;
use crate::pages::contract_form::ContractForm;
use crate::store::store;
use leptos::prelude::*;
use tally_core::balance::Balance;
use tally_core::contract::Contract;
use tally_core::overrides::{Override, OverrideType};
use tally_core::rate_card::RateType;
use tally_core::State;

/// An override as a billing person reads it: what it changes, on what, when. "×0.95 on tags cloud
/// from 2025-01-01".
fn describe_override(st: &State, o: &Override) -> String {
    let product = |id: &String| st.products.get(id).map_or_else(|| id.clone(), |p| p.name.clone());
    let effect = match o.kind {
        Some(OverrideType::Multiplier) => format!("×{}", o.multiplier.map(quantity).unwrap_or_default()),
        Some(OverrideType::Overwrite) => match &o.overwrite_rate {
            Some(r) if r.rate_type == RateType::Tiered => "tiered price".to_string(),
            r => format!(
                "price {}",
                r.as_ref()
                    .and_then(|r| r.price)
                    .map_or_else(|| "—".to_string(), |p| price_in(p, None))
            ),
        },
        Some(OverrideType::Tiered) => "tiered multipliers".to_string(),
        None => match o.entitled {
            Some(true) => "entitled".to_string(),
            Some(false) => "not entitled".to_string(),
            None => "override".to_string(),
        },
    };
    let on = if let Some(id) = &o.product_id {
        product(id)
    } else if !o.applicable_product_tags.is_empty() {
        format!("tags {}", o.applicable_product_tags.join(", "))
    } else if !o.override_specifiers.is_empty() {
        o.override_specifiers
            .iter()
            .map(|sp| match (&sp.product_id, sp.product_tags.is_empty()) {
                (Some(id), _) => product(id),
                (None, false) => format!("tags {}", sp.product_tags.join(", ")),
                (None, true) => "specifier".to_string(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        "all products".to_string()
    };
    let until = o.ending_before.map(|e| format!(" until {}", day(e)));
    format!(
        "{effect} on {on} from {}{}",
        day(o.starting_at),
        until.unwrap_or_default()
    )
}

/// Each commit or credit by name with its access amounts in its credit type: "Prepaid ($500.00)".
fn balances<const CREDIT: bool>(st: &State, list: &[Balance<CREDIT>]) -> String {
    list.iter()
        .map(|m| {
            let ct = unit(st, m.access_schedule.credit_type_id.as_deref());
            let amounts = m
                .access_schedule
                .schedule_items
                .iter()
                .map(|x| money_in(x.amount, ct.as_ref()))
                .collect::<Vec<_>>()
                .join(" + ");
            format!("{} ({amounts})", m.name.as_deref().unwrap_or("(unnamed)"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One contract as the list shows it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ContractRow {
    id: String,
    name: String,
    card: String,
    from: String,
    until: String,
    commits: String,
    charges: String,
    overrides: Vec<String>,
    filters: String,
    custom: String,
}

impl ContractRow {
    fn new(st: &State, c: &Contract) -> ContractRow {
        let filters = c
            .usage_filter_history
            .iter()
            .map(|f| {
                format!(
                    "{} ∈ {} from {}",
                    f.group_key,
                    f.group_values.join("/"),
                    f.starting_at.map(day).unwrap_or_else(|| "start".into())
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let commits = [balances(st, &c.commits), balances(st, &c.credits)]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        ContractRow {
            id: c.id.clone(),
            name: c.name.clone().unwrap_or_else(|| "(unnamed)".to_string()),
            card: c
                .rate_card_id
                .as_ref()
                .and_then(|i| st.rate_cards.get(i))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "—".into()),
            from: day(c.starting_at),
            until: c.ending_before.map(day).unwrap_or_else(|| "—".into()),
            commits,
            charges: c
                .scheduled_charges
                .iter()
                .map(|x| x.name.as_deref().unwrap_or("(unnamed)"))
                .collect::<Vec<_>>()
                .join(", "),
            overrides: c.overrides.iter().map(|o| describe_override(st, &o.body)).collect(),
            filters,
            custom: c
                .custom_fields
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

#[component]
pub fn Contracts() -> impl IntoView {
    let s = store();
    let customer = customer_from_query();
    // Each row as the text it shows, worked out once per change of the model; rows are keyed by
    // that text, so only the contracts a change touched are drawn again.
    let rows = Memo::new(move |_| {
        let request = tally_core::wire::ListContractsRequest {
            customer_id: customer.get(),
        };
        s.state.with(|st| {
            let list = tally_core::api::contracts::list_contracts(st, &request).unwrap_or_default();
            list.into_iter().map(|c| ContractRow::new(st, c)).collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card">
            <h2>"Contracts"</h2>
            <div class="form narrow"><Picker label="Customer" id="contracts-customer" value=customer items=customers() /></div>
            <table>
                <thead><tr><th scope="col">"Contract"</th><th scope="col">"Rate card"</th><th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col">"Commits, credits"</th><th scope="col">"Charges"</th><th scope="col">"Overrides"</th><th scope="col">"Usage filter"</th><th scope="col">"Custom fields"</th></tr></thead>
                <tbody><For each=move || rows.get() key=|r| r.clone() let:r>
                    <tr class="contract-row">
                        <td>{r.name}<div class="mono">{r.id}</div></td>
                        <td>{r.card}</td>
                        <td>{r.from}</td>
                        <td>{r.until}</td>
                        <td>{r.commits}</td>
                        <td>{r.charges}</td>
                        <td class="overrides"><ul class="plain">{r.overrides.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul></td>
                        <td>{r.filters}</td>
                        <td>{r.custom}</td>
                    </tr>
                </For></tbody>
            </table>
        </section>
        <ContractForm customer />
        <ContractEdit customer />
    }
}
