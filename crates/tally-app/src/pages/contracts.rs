//! Contracts: a customer's contracts as the core stores them, a form to create one, and edits (with a
//! what-if of the invoice totals before saving).

use crate::components::money::{day, money_in, price_in, unit};
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

/// An override as a billing person reads it: what it changes, on what, when. "×0.95 on tags cloud
/// from 2025-01-01".
fn describe_override(st: &tally_core::State, o: &Value) -> String {
    let product = |id: &Value| {
        id.as_str()
            .map(|id| st.products.get(id).map_or_else(|| id.to_string(), |p| p.name.clone()))
    };
    let effect = match o["type"].as_str().map(str::to_ascii_uppercase).as_deref() {
        Some("MULTIPLIER") => format!("×{}", crate::components::money::quantity(&o["multiplier"])),
        Some("OVERWRITE") => match o["overwrite_rate"]["rate_type"].as_str() {
            Some("TIERED") => "tiered price".to_string(),
            _ => format!("price {}", price_in(&o["overwrite_rate"]["price"], None)),
        },
        Some("TIERED") => "tiered multipliers".to_string(),
        _ => match o["entitled"].as_bool() {
            Some(true) => "entitled".to_string(),
            Some(false) => "not entitled".to_string(),
            None => "override".to_string(),
        },
    };
    let on = if let Some(name) = product(&o["product_id"]) {
        name
    } else if let Some(tags) = o["applicable_product_tags"].as_array().filter(|t| !t.is_empty()) {
        format!(
            "tags {}",
            tags.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        )
    } else if let Some(specs) = o["override_specifiers"].as_array().filter(|s| !s.is_empty()) {
        specs
            .iter()
            .map(|sp| {
                product(&sp["product_id"]).unwrap_or_else(|| {
                    sp["product_tags"]
                        .as_array()
                        .map(|t| {
                            format!(
                                "tags {}",
                                t.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
                            )
                        })
                        .unwrap_or_else(|| "specifier".to_string())
                })
            })
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        "all products".to_string()
    };
    let until = o["ending_before"]
        .as_str()
        .map(|_| format!(" until {}", day(&o["ending_before"])));
    format!(
        "{effect} on {on} from {}{}",
        day(&o["starting_at"]),
        until.unwrap_or_default()
    )
}

/// Custom fields as `key=value` pairs.
fn custom_fields(c: &Value) -> String {
    c["custom_fields"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
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
    fn new(st: &tally_core::State, c: &Value) -> ContractRow {
        let filters = c["usage_filter_history"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        format!(
                            "{} ∈ {} from {}",
                            f["group_key"].as_str().unwrap_or_default(),
                            f["group_values"]
                                .as_array()
                                .map(|v| v.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("/"))
                                .unwrap_or_default(),
                            f.get("starting_at").map(day).unwrap_or_else(|| "start".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let commits = [balances(st, &c["commits"]), balances(st, &c["credits"])]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        ContractRow {
            id: c["id"].as_str().unwrap_or_default().to_string(),
            name: c["name"].as_str().unwrap_or("(unnamed)").to_string(),
            card: c["rate_card_id"]
                .as_str()
                .and_then(|i| st.rate_cards.get(i))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "—".into()),
            from: day(&c["starting_at"]),
            until: c["ending_before"]
                .as_str()
                .map(|e| e.chars().take(10).collect::<String>())
                .unwrap_or_else(|| "—".into()),
            commits,
            charges: names(&c["scheduled_charges"]),
            overrides: c["overrides"]
                .as_array()
                .map(|a| a.iter().map(|o| describe_override(st, o)).collect())
                .unwrap_or_default(),
            filters,
            custom: custom_fields(c),
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
        let list = s.read_list("POST /v1/contracts/list", &json!({ "customer_id": customer.get() }));
        s.state
            .with(|st| list.iter().map(|c| ContractRow::new(st, c)).collect::<Vec<_>>())
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
