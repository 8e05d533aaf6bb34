//! One invoice, line by line, as the core rated it.

use crate::components::money::{day, decimal, exact_in, money_in, price_in, quantity, quantity_short};
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

/// The rows an invoice reads as: a usage or subscription line that balances paid part of (the core
/// answers it split, model.md: the covered parts and the rest) shows as one line with its whole
/// quantity and subtotal, followed by what each balance paid. Money is unchanged: the parts' totals
/// add up to the line's, and the applied lines follow as they are.
fn display_rows(lines: Vec<Value>) -> Vec<Value> {
    let part_of = |l: &Value| matches!(l["type"].as_str(), Some("usage" | "subscription"));
    let same_line = |a: &Value, b: &Value| {
        [
            "type",
            "product_id",
            "name",
            "starting_at",
            "ending_before",
            "pricing_group_values",
            "presentation_group_values",
            "tier",
            "credit_type",
        ]
        .iter()
        .all(|k| a.get(*k) == b.get(*k))
    };
    let mut rows: Vec<Value> = Vec::new();
    // The row being built from a line's parts (its index in `rows`), and how many parts it has.
    let mut open: Option<(usize, usize)> = None;
    let mut applied: Vec<Value> = Vec::new();
    for l in lines {
        if l["type"] == "applied_commit_or_credit" && open.is_some() {
            applied.push(l);
            continue;
        }
        match open {
            Some((i, n)) if part_of(&l) && same_line(&rows[i], &l) => {
                merge(&mut rows[i], &l, n == 1);
                open = Some((i, n + 1));
            }
            _ => {
                rows.append(&mut applied);
                open = part_of(&l).then_some((rows.len(), 1));
                rows.push(l);
            }
        }
    }
    rows.append(&mut applied);
    rows
}

/// Adds part `l` of a line to its row: quantity and total add up; the row takes the price of the
/// part no balance paid (the line's own), and its explanation keeps what holds for the whole line
/// (the balances' steps go with their applied lines, the rounding with each part).
fn merge(row: &mut Value, l: &Value, first_merge: bool) {
    let add = |a: &Value, b: &Value| match (decimal(a), decimal(b)) {
        (Some(x), Some(y)) => Value::String((x + y).normalize().to_string()),
        _ => a.clone(),
    };
    row["quantity"] = add(&row["quantity"], &l["quantity"]);
    row["total"] = add(&row["total"], &l["total"]);
    if l.get("commit_id").is_none() {
        row["unit_price"] = l["unit_price"].clone();
    }
    if first_merge {
        if let Some(obj) = row.as_object_mut() {
            obj.remove("commit_id");
        }
        if let Some(steps) = row["explanation"]["steps"].as_array_mut() {
            steps.retain(|st| !matches!(st["kind"].as_str(), Some("drawdown" | "rounding")));
        }
    }
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
    let lines = display_rows(invoice["line_items"].as_array().cloned().unwrap_or_default());
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// 100 units at 10¢, a commit paying $6.55 of it: the core answers covered 65.5 units ($6.55),
    /// applied -$6.55, rest 34.5 units ($3.45); the invoice reads one line of 100 units, $10.00, then
    /// what the commit paid.
    #[test]
    fn a_partly_covered_line_reads_as_one_line_then_what_paid_it() {
        let line = |q: &str, t: &str, commit: bool| {
            let mut l = json!({"name": "API", "type": "usage", "product_id": "p", "quantity": q, "unit_price": "10",
                "total": t, "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-02-01T00:00:00Z"});
            if commit {
                l["commit_id"] = json!("c");
            }
            l
        };
        let applied = json!({"name": "Commit", "type": "applied_commit_or_credit", "quantity": "1", "unit_price": "-655", "total": "-655", "commit_id": "c"});
        let other = json!({"name": "Fee", "type": "scheduled", "quantity": "1", "unit_price": "500", "total": "500"});
        let rows = display_rows(vec![
            line("65.5", "655", true),
            applied.clone(),
            line("34.5", "345", false),
            other.clone(),
        ]);
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert_eq!(rows[0]["quantity"], json!("100"));
        assert_eq!(rows[0]["total"], json!("1000"));
        assert!(rows[0].get("commit_id").is_none());
        assert_eq!(rows[1], applied);
        assert_eq!(rows[2], other);
        // A line no balance paid, and one paid in full, stay as they are.
        assert_eq!(display_rows(vec![line("3", "30", false)]).len(), 1);
        let whole = display_rows(vec![line("3", "30", true), applied.clone()]);
        assert_eq!(whole, vec![line("3", "30", true), applied]);
    }
}
