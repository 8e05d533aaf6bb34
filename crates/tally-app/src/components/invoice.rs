//! One invoice, line by line, as the core rated it.

use crate::components::money::{day, exact_in, money_in, price_in, quantity, quantity_short};
use crate::components::usage_chart::UsageChart;
use leptos::prelude::*;
use serde_json::Value;

fn period(inv: &Value) -> String {
    match (inv.get("start_timestamp"), inv.get("end_timestamp")) {
        (Some(s), Some(e)) => format!("{} → {}", day(s), day(e)),
        _ => format!("issued {}", day(&inv["issued_at"])),
    }
}

fn line_kind(t: &Value) -> String {
    t.as_str().unwrap_or_default().replace('_', " ")
}

/// What a usage line's quantity counts, from its product's billable metric: "events" for COUNT,
/// distinct values of the key for UNIQUE, else the property it adds up (`cpu_hours`). Nothing for
/// other lines (a charge, a commit).
fn quantity_unit(st: &tally_core::State, line: &Value) -> Option<String> {
    use tally_core::metric::Aggregation;
    if line["type"] == "subscription" {
        return Some("seats".to_string());
    }
    if line["type"] != "usage" {
        return None;
    }
    let product = st.products.get(line["product_id"].as_str()?)?;
    let metric = st.billable_metrics.get(product.billable_metric_id.as_ref()?)?;
    Some(match (&metric.aggregation_type, metric.aggregation_key.as_deref()) {
        (Aggregation::Count, _) | (_, None) => "events".to_string(),
        (Aggregation::Unique, Some(k)) => format!("distinct {k}"),
        (_, Some(k)) => k.to_string(),
    })
}

/// A step's kind as a short label.
fn step_label(kind: &Value) -> &'static str {
    match kind.as_str().unwrap_or_default() {
        "quantity" => "Quantity",
        "list_price" => "List price",
        "override" => "Override",
        "tier" => "Tier",
        "split" => "Split",
        "drawdown" => "Balance",
        "rounding" => "Amount",
        _ => "Source",
    }
}

#[component]
pub fn InvoiceCard(invoice: Value, contract_name: String) -> impl IntoView {
    let s = crate::store::store();
    let kind = invoice["type"].as_str().unwrap_or_default().to_string();
    let status = invoice["status"].as_str().unwrap_or_default().to_string();
    let lines = invoice["line_items"].as_array().cloned().unwrap_or_default();
    let empty = lines.is_empty();
    let invoice_unit = invoice.get("credit_type").cloned();
    let customer_id = invoice["customer_id"].as_str().unwrap_or_default().to_string();
    let contract_id = invoice["contract_id"].as_str().unwrap_or_default().to_string();
    view! {
        <article class="invoice card" data-total=invoice["total"].to_string()>
            <header class="invoice-head">
                <div>
                    <h3>{format!("{} invoice", match kind.as_str() { "USAGE" => "Usage", "THRESHOLD" => "Threshold", _ => "Scheduled" })}</h3>
                    <p class="muted">{period(&invoice)} " · " {contract_name}</p>
                </div>
                <span class=format!("badge {}", status.to_lowercase())>{status.clone()}</span>
            </header>
            <table>
                <thead><tr><th scope="col">"Line"</th><th scope="col">"Type"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th><th scope="col" class="num">"Total"</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let groups = l.get("pricing_group_values").or(l.get("presentation_group_values"))
                            .and_then(Value::as_object)
                            .map(|m| m.iter().map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default())).collect::<Vec<_>>().join(", "))
                            .unwrap_or_default();
                        let negative = l["total"].to_string().starts_with('-');
                        // A line in another credit type (a custom pricing unit) names it.
                        let unit = l.get("credit_type").or(invoice_unit.as_ref()).cloned();
                        let steps = l["explanation"]["steps"].as_array().cloned().unwrap_or_default();
                        // An applied commit or credit says what its balance has left after this invoice.
                        let left = (l["type"] == "applied_commit_or_credit")
                            .then(|| steps.iter().find_map(|s| s.get("balance_after").cloned()))
                            .flatten();
                        // A prorated charge (a partial period, seats added mid-period) says so beside its price.
                        let prorated = steps.iter().any(|s| s["text"].as_str().is_some_and(|t| t.starts_with("Prorated by time")));
                        let open = RwSignal::new(false);
                        let (customer_id, contract_id) = (customer_id.clone(), contract_id.clone());
                        let has_steps = !steps.is_empty();
                        let unit_ref = unit.as_ref();
                        view! {
                            <tr class:applied=negative class="line">
                                <td>{l["name"].as_str().unwrap_or_default().to_string()}
                                    {(!groups.is_empty()).then(|| view! { <span class="muted">" (" {groups} ")"</span> })}
                                    <div class="muted small">{format!("{} → {}", day(&l["starting_at"]), day(&l["ending_before"]))}</div>
                                    {left.map(|b| view! { <div class="small balance-left">"Balance left: " {money_in(&b, unit_ref)}</div> })}
                                    {has_steps.then(|| view! {
                                        <button type="button" class="link why no-print" aria-expanded=move || open.get().to_string()
                                            on:click=move |_| open.update(|o| *o = !*o)>
                                            {move || if open.get() { "Hide why" } else { "Why this amount?" }}
                                        </button>
                                    })}
                                </td>
                                <td>{line_kind(&l["type"])}</td>
                                <td class="num" title=quantity(&l["quantity"])>{quantity_short(&l["quantity"])}
                                    {s.state.with_untracked(|st| quantity_unit(st, &l)).map(|u| view! { <span class="unit">" " {u}</span> })}
                                </td>
                                <td class="num" title=exact_in(&l["unit_price"], unit_ref)>{price_in(&l["unit_price"], unit_ref)}
                                    {prorated.then(|| view! { <div class="small muted prorated">"prorated"</div> })}
                                </td>
                                <td class="num">{money_in(&l["total"], unit_ref)}</td>
                            </tr>
                            {move || open.get().then(|| view! {
                                <tr class="explain">
                                    <td colspan="5">
                                        <ol class="steps">
                                            {steps.iter().map(|st| view! {
                                                <li data-kind=st["kind"].as_str().unwrap_or_default().to_string()>
                                                    <span class="step-kind">{step_label(&st["kind"])}</span>" "
                                                    {st["text"].as_str().unwrap_or_default().to_string()}
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                        {(l["type"] == "usage").then(|| view! {
                                            <UsageChart customer_id=customer_id.clone() contract_id=contract_id.clone() line=l.clone() />
                                        })}
                                    </td>
                                </tr>
                            })}
                        }
                    }).collect_view()}
                    {empty.then(|| view! { <tr><td colspan="5" class="muted">"No usage in this period."</td></tr> })}
                </tbody>
                <tfoot><tr><th scope="row" colspan="4">"Total"</th><td class="num invoice-total">{money_in(&invoice["total"], invoice.get("credit_type"))}</td></tr></tfoot>
            </table>
        </article>
    }
}
