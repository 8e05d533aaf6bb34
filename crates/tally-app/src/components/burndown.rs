//! A commit burn-down: the remaining prepaid balance of each contract month by month, as the core's
//! `getNetBalance` answers it, drawn as SVG, with a mark at each auto-recharge (the core's recharge
//! invoices).

use crate::components::money::format_cents;
use crate::store::{now, store};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use tally_core::contract::Contract;
use tally_core::invoice::InvoiceType;
use tally_core::Timestamp;

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD_L: f64 = 80.0;
const PAD_B: f64 = 28.0;

/// Where each of the contract's auto-recharges falls on the chart's span (0 to 1), with what it billed.
/// Invoices the core cannot rate mark nothing (the invoice list says why).
fn recharges(customer_id: &str, contract: &Contract, first: Timestamp, last: Timestamp) -> Vec<(f64, String)> {
    let span = (last.0 - first.0).num_seconds().max(1) as f64;
    let rated = store().invoices(customer_id);
    let Ok(invoices) = rated.as_ref() else {
        return Vec::new();
    };
    invoices
        .iter()
        .filter(|i| i.kind == InvoiceType::Scheduled && i.contract_id == contract.id)
        .flat_map(|i| &i.line_items)
        .filter(|l| l.commit_id.as_deref().is_some_and(|c| c.contains(":recharge:")))
        .filter_map(|l| {
            let at = l.starting_at;
            let f = (at.0 - first.0).num_seconds() as f64 / span;
            let billed = format_cents(l.total.amount());
            let shown: String = at.to_string().chars().take(16).collect();
            (0.0..=1.0)
                .contains(&f)
                .then(|| (f, format!("Recharged {shown}: billed {billed}")))
        })
        .collect()
}

/// (month label, balance in cents as the core answered; none where it could not), month by month.
type Points = Vec<(String, Option<Decimal>)>;

/// One contract's points, and the months' span.
fn points(customer_id: &str, contract: &Contract) -> (Points, Option<(Timestamp, Timestamp)>) {
    let s = store();
    let (start, end) = (contract.starting_at, contract.ending_before);
    // The months to show: through the contract's end, or a year when it has none (at most 3 years).
    let mut ats = Vec::new();
    for k in 0..=36 {
        let at = start.add_months(k);
        ats.push(at);
        if end.is_some_and(|e| at >= e) || (end.is_none() && k >= 12) {
            break;
        }
    }
    // One rating for the whole series.
    let balances = s
        .state
        .with(|st| tally_core::api::queries::net_balances(st, customer_id, Some(&contract.id), &ats, now()))
        .ok();
    let out: Points = ats
        .iter()
        .enumerate()
        .map(|(i, at)| {
            let balance = balances.as_ref().and_then(|b| b.get(i)).map(|b| b.balance.amount());
            (at.to_string().chars().take(7).collect(), balance)
        })
        .collect();
    (out, ats.first().copied().zip(ats.last().copied()))
}

/// Whether a contract has a balance to burn down: a commit, a credit or an auto-recharge.
fn has_balance(c: &Contract) -> bool {
    !c.commits.is_empty()
        || !c.credits.is_empty()
        || c.prepaid_balance_threshold_configuration
            .as_ref()
            .is_some_and(|t| t.is_enabled)
}

#[component]
pub fn BurnDown(#[prop(into)] customer_id: Signal<String>) -> impl IntoView {
    let s = store();
    let charts = move || {
        let id = customer_id.get();
        let request = tally_core::wire::ListContractsRequest {
            customer_id: id.clone(),
        };
        let contracts: Vec<Contract> = s.state.with(|st| {
            tally_core::api::contracts::list_contracts(st, &request)
                .map(|list| list.into_iter().filter(|c| has_balance(c)).cloned().collect())
                .unwrap_or_default()
        });
        contracts
            .into_iter()
            .map(|c| {
                let (pts, span) = points(&id, &c);
                let marks = span.map(|(a, b)| recharges(&id, &c, a, b)).unwrap_or_default();
                let name = c.name.clone().unwrap_or_else(|| "contract".to_string());
                chart(name, pts, marks)
            })
            .collect_view()
    };
    view! { <div class="burndowns">{charts}</div> }
}

fn chart(name: String, pts: Points, marks: Vec<(f64, String)>) -> impl IntoView {
    let values: Vec<f64> = pts
        .iter()
        .map(|(_, v)| v.and_then(|d| d.to_f64()).unwrap_or(0.0))
        .collect();
    let max = values.iter().cloned().fold(0.0_f64, f64::max).max(1.0);
    let n = pts.len().max(2) - 1;
    let x = |i: usize| PAD_L + (W - PAD_L - 10.0) * i as f64 / n as f64;
    let y = |v: f64| 10.0 + (H - PAD_B - 10.0) * (1.0 - v / max);
    let line: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let top = pts
        .iter()
        .filter_map(|(_, v)| *v)
        .max()
        .map(format_cents)
        .unwrap_or_default();
    let label = format!("Commit balance of {name}, monthly");
    view! {
        <figure class="burndown">
            <figcaption>{format!("Commit burn-down — {name}")}</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
                <line x1=PAD_L y1=H - PAD_B x2=W - 10.0 y2=H - PAD_B class="axis" />
                <line x1=PAD_L y1="10" x2=PAD_L y2=H - PAD_B class="axis" />
                <text x=PAD_L - 6.0 y="16" text-anchor="end" class="tick">{top}</text>
                <text x=PAD_L - 6.0 y=H - PAD_B text-anchor="end" class="tick">"$0.00"</text>
                <polyline points=line class="balance" />
                {marks.into_iter().map(|(f, tip)| {
                    let mx = PAD_L + (W - PAD_L - 10.0) * f;
                    view! {
                        <path class="recharge" d=format!("M{:.1},{:.1} l-5,9 h10 z", mx, H - PAD_B - 10.0)><title>{tip}</title></path>
                    }
                }).collect_view()}
                {pts.iter().enumerate().map(|(i, (m, v))| {
                    let tip = format!("{m}: {}", v.map(format_cents).unwrap_or_default());
                    view! {
                        <circle cx=x(i) cy=y(values[i]) r="3.5" class="point"><title>{tip}</title></circle>
                        {(i == 0 || i + 1 == pts.len() || i % 3 == 0).then(|| view! {
                            <text x=x(i) y=H - 8.0 text-anchor=if i + 1 == pts.len() { "end" } else if i == 0 { "start" } else { "middle" } class="tick">{m.clone()}</text>
                        })}
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
