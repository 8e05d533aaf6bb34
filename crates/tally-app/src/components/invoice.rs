//! One invoice, line by line, as the core rated it.

use crate::calls::wire_name;
use crate::components::money::{day, exact_in, money_in, price_in, quantity, quantity_short};
use crate::components::usage_chart::UsageChart;
use leptos::prelude::*;
use rust_decimal::Decimal;
use tally_core::invoice::{Invoice, InvoiceType, LineItem, LineType, Step, StepKind};

fn period(inv: &Invoice) -> String {
    match (inv.start_timestamp, inv.end_timestamp) {
        (Some(s), Some(e)) => format!("{} → {}", day(s), day(e)),
        _ => format!("issued {}", day(inv.issued_at)),
    }
}

/// A line's type as a person reads it: "applied commit or credit".
pub fn line_kind(kind: LineType) -> String {
    wire_name(&kind).replace('_', " ")
}

/// What a usage line's quantity counts, from its product's billable metric: "events" for COUNT,
/// distinct values of the key for UNIQUE, else the property it adds up (`cpu_hours`). Nothing for
/// other lines (a charge, a commit).
fn quantity_unit(st: &tally_core::State, line: &LineItem) -> Option<String> {
    use tally_core::metric::Aggregation;
    match line.kind {
        LineType::Subscription => return Some("seats".to_string()),
        LineType::Usage => {}
        _ => return None,
    }
    let product = st.products.get(&line.product_id)?;
    let metric = st.billable_metrics.get(product.billable_metric_id.as_ref()?)?;
    Some(match (&metric.aggregation_type, metric.aggregation_key.as_deref()) {
        (Aggregation::Count, _) | (_, None) => "events".to_string(),
        (Aggregation::Unique, Some(k)) => format!("distinct {k}"),
        (_, Some(k)) => k.to_string(),
    })
}

/// Whether two lines are parts of one line the core split (model.md): the same line but for what
/// paid it.
fn same_line(a: &LineItem, b: &LineItem) -> bool {
    a.kind == b.kind
        && a.product_id == b.product_id
        && a.name == b.name
        && a.starting_at == b.starting_at
        && a.ending_before == b.ending_before
        && a.pricing_group_values == b.pricing_group_values
        && a.presentation_group_values == b.presentation_group_values
        && a.tier == b.tier
        && a.credit_type == b.credit_type
}

/// The rows an invoice reads as: a usage or subscription line that balances paid part of (the core
/// answers it split, model.md: the covered parts and the rest) shows as one line with its whole
/// quantity and subtotal, followed by what each balance paid. Money is unchanged: the parts' totals
/// add up to the line's, and the applied lines follow as they are.
fn display_rows(lines: Vec<LineItem>) -> Vec<LineItem> {
    let part_of = |l: &LineItem| matches!(l.kind, LineType::Usage | LineType::Subscription);
    let mut rows: Vec<LineItem> = Vec::new();
    // The row being built from a line's parts (its index in `rows`), and how many parts it has.
    let mut open: Option<(usize, usize)> = None;
    let mut applied: Vec<LineItem> = Vec::new();
    for l in lines {
        if l.kind == LineType::AppliedCommitOrCredit && open.is_some() {
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
fn merge(row: &mut LineItem, l: &LineItem, first_merge: bool) {
    if let Some(q) = row.quantity.checked_add(l.quantity) {
        row.quantity = q.normalize();
    }
    if let Ok(t) = row.total.plus(l.total) {
        row.total = t;
    }
    if l.commit_id.is_none() {
        row.unit_price = l.unit_price;
    }
    if first_merge {
        row.commit_id = None;
        if let Some(e) = row.explanation.as_mut() {
            e.steps
                .retain(|st| !matches!(st.kind, StepKind::Drawdown | StepKind::Rounding));
        }
    }
}

/// A step's kind as a short label.
fn step_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Quantity => "Quantity",
        StepKind::ListPrice => "List price",
        StepKind::Override => "Override",
        StepKind::Tier => "Tier",
        StepKind::Split => "Split",
        StepKind::Drawdown => "Balance",
        StepKind::Rounding => "Amount",
        StepKind::Source => "Source",
    }
}

/// A line's group values as the invoice names them: "region: US, tier: gold".
fn groups(l: &LineItem) -> String {
    let values = if l.pricing_group_values.is_empty() {
        &l.presentation_group_values
    } else {
        &l.pricing_group_values
    };
    values
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn InvoiceCard(invoice: Invoice, contract_name: String) -> impl IntoView {
    let kind = match invoice.kind {
        InvoiceType::Usage => "Usage",
        InvoiceType::Threshold => "Threshold",
        InvoiceType::Scheduled => "Scheduled",
    };
    let status = wire_name(&invoice.status);
    let total = money_in(invoice.total.amount(), Some(&invoice.credit_type));
    let data_total = tally_core::money::number(invoice.total.amount()).to_string();
    let head = period(&invoice);
    let empty = invoice.line_items.is_empty();
    let lines = display_rows(invoice.line_items.clone());
    let invoice = std::sync::Arc::new(invoice);
    view! {
        <article class="invoice card" data-total=data_total>
            <header class="invoice-head">
                <div>
                    <h3>{format!("{kind} invoice")}</h3>
                    <p class="muted">{head} " · " {contract_name}</p>
                </div>
                <span class=format!("badge {}", status.to_lowercase())>{status.clone()}</span>
            </header>
            <table>
                <thead><tr><th scope="col">"Line"</th><th scope="col">"Type"</th><th scope="col" class="num">"Quantity"</th><th scope="col" class="num">"Unit price"</th><th scope="col" class="num">"Total"</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| view! { <InvoiceLine invoice=invoice.clone() line=l /> }).collect_view()}
                    {empty.then(|| view! { <tr><td colspan="5" class="muted">"No usage in this period."</td></tr> })}
                </tbody>
                <tfoot><tr><th scope="row" colspan="4">"Total"</th><td class="num invoice-total">{total}</td></tr></tfoot>
            </table>
        </article>
    }
}

/// One row of an invoice, and its explanation when opened.
#[component]
fn InvoiceLine(invoice: std::sync::Arc<Invoice>, line: LineItem) -> impl IntoView {
    let s = crate::store::store();
    let l = line;
    let negative = l.total.amount() < Decimal::ZERO;
    // A line in another credit type (a custom pricing unit) names it.
    let unit = invoice.credit_type_of(&l).clone();
    let steps: Vec<Step> = l.explanation.as_ref().map(|e| e.steps.clone()).unwrap_or_default();
    // An applied commit or credit says what its balance has left after this invoice.
    let left = (l.kind == LineType::AppliedCommitOrCredit)
        .then(|| steps.iter().find_map(|s| s.balance_after))
        .flatten()
        .map(|b| money_in(b.amount(), Some(&unit)));
    // A prorated charge (a partial period, seats added mid-period) says so beside its price.
    let prorated = steps.iter().any(|s| s.text.starts_with("Prorated by time"));
    let open = RwSignal::new(false);
    let has_steps = !steps.is_empty();
    let groups = groups(&l);
    let counted = s.state.with_untracked(|st| quantity_unit(st, &l));
    let chart =
        (l.kind == LineType::Usage).then(|| (invoice.customer_id.clone(), invoice.contract_id.clone(), l.clone()));
    view! {
        <tr class:applied=negative class="line">
            <td>{l.name.clone()}
                {(!groups.is_empty()).then(|| view! { <span class="muted">" (" {groups} ")"</span> })}
                <div class="muted small">{format!("{} → {}", day(l.starting_at), day(l.ending_before))}</div>
                {left.map(|b| view! { <div class="small balance-left">"Balance left: " {b}</div> })}
                {has_steps.then(|| view! {
                    <button type="button" class="link why no-print" aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { "Hide why" } else { "Why this amount?" }}
                    </button>
                })}
            </td>
            <td>{line_kind(l.kind)}</td>
            <td class="num" title=quantity(l.quantity)>{quantity_short(l.quantity)}
                {counted.map(|u| view! { <span class="unit">" " {u}</span> })}
            </td>
            <td class="num" title=exact_in(l.unit_price, Some(&unit))>{price_in(l.unit_price, Some(&unit))}
                {prorated.then(|| view! { <div class="small muted prorated">"prorated"</div> })}
            </td>
            <td class="num">{money_in(l.total.amount(), Some(&unit))}</td>
        </tr>
        {move || open.get().then(|| view! {
            <tr class="explain">
                <td colspan="5">
                    <ol class="steps">
                        {steps.iter().map(|st| view! {
                            <li data-kind=wire_name(&st.kind)>
                                <span class="step-kind">{step_label(st.kind)}</span>" "
                                {st.text.clone()}
                            </li>
                        }).collect_view()}
                    </ol>
                    {chart.clone().map(|(customer_id, contract_id, line)| view! {
                        <UsageChart customer_id contract_id line />
                    })}
                </td>
            </tr>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_core::money::Money;
    use tally_core::Timestamp;

    fn line(kind: LineType, (q, price, t): (&str, &str, &str), commit: Option<&str>) -> LineItem {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut l = LineItem::plain(
            if kind == LineType::Usage { "API" } else { "Other" }.into(),
            kind,
            "p".into(),
            (d(q), d(price)),
            Money::cents(d(t)),
            (Timestamp::ymd(2025, 1, 1), Timestamp::ymd(2025, 2, 1)),
        );
        l.commit_id = commit.map(str::to_string);
        l
    }

    /// 100 units at 10¢, a commit paying $6.55 of it: the core answers covered 65.5 units ($6.55),
    /// applied -$6.55, rest 34.5 units ($3.45); the invoice reads one line of 100 units, $10.00, then
    /// what the commit paid.
    #[test]
    fn a_partly_covered_line_reads_as_one_line_then_what_paid_it() {
        let applied = line(LineType::AppliedCommitOrCredit, ("1", "-655", "-655"), Some("c"));
        let other = line(LineType::Scheduled, ("1", "500", "500"), None);
        let rows = display_rows(vec![
            line(LineType::Usage, ("65.5", "10", "655"), Some("c")),
            applied.clone(),
            line(LineType::Usage, ("34.5", "10", "345"), None),
            other.clone(),
        ]);
        assert_eq!(rows.len(), 3, "{rows:#?}");
        assert_eq!(quantity(rows[0].quantity), "100");
        assert_eq!(money_in(rows[0].total.amount(), None), "$10.00");
        assert!(rows[0].commit_id.is_none());
        assert_eq!(rows[1], applied);
        assert_eq!(rows[2], other);
        // A line no balance paid, and one paid in full, stay as they are.
        assert_eq!(
            display_rows(vec![line(LineType::Usage, ("3", "10", "30"), None)]).len(),
            1
        );
        let paid = line(LineType::Usage, ("3", "10", "30"), Some("c"));
        let whole = display_rows(vec![paid.clone(), applied.clone()]);
        assert_eq!(whole, vec![paid, applied]);
    }
}
