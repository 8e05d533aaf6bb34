//! Contracts: a customer's contracts as the core stores them, a form to create one, and edits (with a
//! what-if of the invoice totals before saving).

use crate::components::money::{day, money_in, unit};
use crate::components::pickers::{customer_from_query, customers, Picker};
use crate::pages::contract_edit::ContractEdit;
use crate::pages::contract_form::ContractForm;
use crate::store::store;
use leptos::prelude::*;
use serde_json::{json, Value};

fn names(list: &Value) -> String {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|c| c["name"].as_str().unwrap_or("(unnamed)").to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Each commit or credit by name with its access amounts in its credit type: "Prepaid ($500.00)".
fn balances(st: &tally_core::State, list: &Value) -> String {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let ct = unit(st, &m["access_schedule"]["credit_type_id"]);
                    let amounts = m["access_schedule"]["schedule_items"].as_array().map(|i| {
                        i.iter()
                            .map(|x| money_in(&x["amount"], ct.as_ref()))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    });
                    format!(
                        "{} ({})",
                        m["name"].as_str().unwrap_or("(unnamed)"),
                        amounts.unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

#[component]
pub fn Contracts() -> impl IntoView {
    let s = store();
    let customer = customer_from_query();
    let contracts = move || s.read_list("POST /v1/contracts/list", &json!({ "customer_id": customer.get() }));
    let card_name = move |id: &Value| {
        s.state.with_untracked(|st| {
            id.as_str()
                .and_then(|i| st.rate_cards.get(i))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "—".into())
        })
    };
    view! {
        <section class="card">
            <h2>"Contracts"</h2>
            <div class="form narrow"><Picker label="Customer" id="contracts-customer" value=customer items=customers() /></div>
            <table>
                <thead><tr><th scope="col">"Contract"</th><th scope="col">"Rate card"</th><th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col">"Commits, credits"</th><th scope="col">"Charges"</th><th scope="col">"Overrides"</th><th scope="col">"Usage filter"</th></tr></thead>
                <tbody>{move || contracts().into_iter().map(|c| {
                    let filters = c["usage_filter_history"].as_array().map(|a| a.iter().map(|f| format!("{} ∈ {} from {}", f["group_key"].as_str().unwrap_or_default(),
                        f["group_values"].as_array().map(|v| v.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("/")).unwrap_or_default(),
                        f.get("starting_at").map(day).unwrap_or_else(|| "start".into()))).collect::<Vec<_>>().join("; ")).unwrap_or_default();
                    let commits = s.state.with_untracked(|st| [balances(st, &c["commits"]), balances(st, &c["credits"])]).into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("; ");
                    view! {
                        <tr class="contract-row">
                            <td>{c["name"].as_str().unwrap_or("(unnamed)").to_string()}<div class="mono">{c["id"].as_str().unwrap_or_default().to_string()}</div></td>
                            <td>{card_name(&c["rate_card_id"])}</td>
                            <td>{day(&c["starting_at"])}</td>
                            <td>{c["ending_before"].as_str().map(|e| e.chars().take(10).collect::<String>()).unwrap_or_else(|| "—".into())}</td>
                            <td>{commits}</td>
                            <td>{names(&c["scheduled_charges"])}</td>
                            <td>{c["overrides"].as_array().map(|a| a.len()).unwrap_or(0)}</td>
                            <td>{filters}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </section>
        <ContractForm customer />
        <ContractEdit customer />
    }
}
