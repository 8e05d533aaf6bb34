//! Assembly: a contract's usage lines, scheduled items, draw-down and true-ups become its invoices.
//!
//! Here: a contract's USAGE and SCHEDULED invoices drafted and, once the ledger has drawn down, settled
//! (true-ups, totals, statuses), and where an item is placed. What goes on them is made in
//! `scheduled` (items on their dates, services invoices), `subscription` and `composite`; THRESHOLD
//! invoices are in `threshold`.

mod composite;
mod scheduled;
mod subscription;
mod threshold;

use super::lines::{usage_lines, Plan};
use super::{out_of_range, Clock, Feed};
use crate::commit::Billing;
use crate::contract::Contract;
use crate::credit_type::scale;
use crate::drawdown::Ledger;
use crate::drawdown::Piece;
use crate::error::Result;
use crate::invoice::{CreditType, Invoice, InvoiceStatus, InvoiceType, LineItem, LineType};
use crate::money::{Checked, Money, Overflow};
use crate::schedule::Occurrence;
use crate::state::State;
use crate::time::Timestamp;
use composite::composite_lines;
use rust_decimal::Decimal;
use scheduled::{billed_terms, recharge_items, scheduled_items, scheduled_line, services_invoices};
use subscription::subscription_lines;

pub(super) use threshold::bill_spend;

/// An empty draft invoice of `c`, its id made of the contract, the kind and the issue date.
pub(super) fn new_invoice(
    c: &Contract,
    kind: InvoiceType,
    start: Option<(Timestamp, Timestamp)>,
    issued_at: Timestamp,
    credit_type: CreditType,
) -> Invoice {
    let id = match kind {
        InvoiceType::Usage => format!("{}:usage:{}", c.id, issued_at),
        InvoiceType::Scheduled => format!("{}:scheduled:{}", c.id, issued_at),
        InvoiceType::Threshold => format!("{}:threshold:{}", c.id, issued_at),
    };
    Invoice {
        id,
        customer_id: c.customer_id.clone(),
        contract_id: c.id.clone(),
        kind,
        status: InvoiceStatus::Draft,
        start_timestamp: start.map(|s| s.0),
        end_timestamp: start.map(|s| s.1),
        issued_at,
        credit_type,
        total: Money::ZERO,
        line_items: Vec::new(),
        net_payment_terms_days: c.net_payment_terms_days,
    }
}

/// Places an item billed on `date` in `credit_type`: onto the usage invoice whose period ends that
/// day when `consolidate` (the contract consolidates, the item may wait, and the invoice is in the
/// same credit type), otherwise onto a SCHEDULED invoice of its own.
#[allow(clippy::too_many_arguments)]
fn place(
    state: &State,
    c: &Contract,
    consolidate: bool,
    usage: &mut [Invoice],
    scheduled: &mut Vec<Invoice>,
    (source, date): (&str, Timestamp),
    credit_type: &str,
    line: LineItem,
) {
    if consolidate {
        if let Some(inv) = usage
            .iter_mut()
            .find(|i| i.end_timestamp.is_some_and(|e| e.date() == date.date()) && i.credit_type.id == credit_type)
        {
            inv.line_items.push(line);
            return;
        }
    }
    let named = state.credit_type_named(credit_type).into();
    let mut inv = new_invoice(c, InvoiceType::Scheduled, None, date, named);
    // Named after the term and the date, so an edit elsewhere never renames it.
    inv.id = format!("{}:{}:scheduled:{}", c.id, source, date);
    let twins = scheduled.iter().filter(|i| i.id.starts_with(&inv.id)).count();
    if twins > 0 {
        inv.id = format!("{}:{}", inv.id, twins + 1);
    }
    inv.line_items.push(line);
    scheduled.push(inv);
}

/// A contract's invoices before draw-down: usage lines by period, scheduled items placed.
pub(super) struct Drafts {
    pub(super) usage: Vec<Invoice>,
    scheduled: Vec<Invoice>,
}

/// Drafts a contract's invoices; the pieces its usage lines were priced in join `pieces`, with what
/// each of `segments` (the customer's ledger) may pay on them.
pub(super) fn draft(
    state: &State,
    plan: &Plan,
    feeds: &[Feed],
    segments: &[crate::balance::Segment],
    pieces: &mut Vec<Piece>,
    clock: Clock,
    grants: &[crate::threshold::Recharge],
) -> Result<Drafts> {
    let c = plan.contract;
    let fiat: CreditType = state.credit_type_named(state.fiat_of(c)).into();
    let lines = usage_lines(plan, feeds, segments, pieces)?;
    let mut usage: Vec<Invoice> = lines
        .into_iter()
        .zip(&plan.periods)
        .map(|(lines, &(a, b))| {
            let mut inv = new_invoice(c, InvoiceType::Usage, Some((a, b)), b, fiat.clone());
            inv.line_items = lines;
            inv
        })
        .collect();
    composite_lines(state, c, &mut usage).map_err(|Overflow| out_of_range(c, "a composite charge"))?;
    let mut scheduled: Vec<Invoice> = Vec::new();
    let items = scheduled_items(state, c, clock.horizon)
        .map_err(|Overflow| out_of_range(c, "a scheduled charge or commit amount"))?;
    // Each recharge is bought when it is granted, at the payment fraction, on an invoice of its own
    // (billed at once, never held for a usage invoice).
    let recharges = recharge_items(state, c, grants, &fiat)?;
    for (source, ct, line) in items {
        let date = line.starting_at;
        place(
            state,
            c,
            c.consolidates(),
            &mut usage,
            &mut scheduled,
            (&source, date),
            &ct,
            line,
        );
    }
    for (source, ct, line) in recharges {
        let date = line.starting_at;
        place(state, c, false, &mut usage, &mut scheduled, (&source, date), &ct, line);
    }
    scheduled.extend(services_invoices(state, c, &fiat)?);
    // Subscription charges go on the usage invoice that closes on their date (Metronome's default
    // placement, ON_USAGE_INVOICE), else on one of their own (the first ADVANCE charge, an increase
    // billed immediately).
    let subscriptions =
        subscription_lines(state, c, clock.horizon).map_err(|Overflow| out_of_range(c, "a subscription amount"))?;
    for (source, date, own, line) in subscriptions {
        place(
            state,
            c,
            !own,
            &mut usage,
            &mut scheduled,
            (&source, date),
            &fiat.id,
            line,
        );
    }
    Ok(Drafts { usage, scheduled })
}

/// A contract's invoices once the customer's ledger has drawn down: postpaid true-ups, totals and
/// statuses.
pub(super) fn settle(
    state: &State,
    c: &Contract,
    drafts: Drafts,
    ledger: &Ledger,
    clock: Clock,
) -> Result<Vec<Invoice>> {
    let Drafts {
        mut usage,
        mut scheduled,
    } = drafts;
    let overflow = |what: &str| {
        let what = what.to_string();
        move |Overflow| out_of_range(c, &what)
    };
    let removed_after = super::balances::trueups_removed_after(state, c);
    for cm in billed_terms(state, c) {
        let Billing::Promised(schedule) = &cm.billing else {
            continue;
        };
        let due = schedule
            .occurrences(clock.horizon)
            .ok()
            .and_then(|o| o.first().map(|o| o.timestamp));
        // A transition's `trueup` and the contract's end concern the contract's own commits only.
        let own = c.commits.iter().any(|x| x.id == cm.id);
        if own && removed_after.is_some_and(|t| due.is_some_and(|d| d > t)) {
            continue;
        }
        let true_up = || -> Checked<Option<LineItem>> {
            let occurrences = schedule.occurrences(clock.horizon)?;
            let Some(o) = occurrences.into_iter().next() else {
                return Ok(None);
            };
            // The usual postpaid minimum is trued up on the contract's last day, so the end never
            // removes it; an end moved before the true-up brings it forward, against the access that
            // remains.
            let (date, owed) = match c.ending_before {
                Some(end) if own && o.timestamp > end => (
                    end,
                    Money::sum(cm.access_schedule.schedule_items.iter().map(|i| Money::cents(i.amount)))?,
                ),
                _ => (o.timestamp, o.total),
            };
            let shortfall = owed
                .minus(ledger.consumed(&cm.id)?)?
                .max(Money::ZERO)
                .rounded(scale(cm.credit_type_id()));
            let o = Occurrence {
                timestamp: date,
                quantity: Decimal::ONE,
                unit_price: shortfall.amount(),
                total: shortfall,
            };
            let mut l = scheduled_line(cm.display_name(), LineType::PostpaidTrueup, &cm.product_id, &o);
            l.commit_id = Some(cm.id.clone());
            Ok(Some(l))
        };
        if let Some(l) = true_up().map_err(overflow("a postpaid true-up"))? {
            let date = l.starting_at;
            place(
                state,
                c,
                c.consolidates(),
                &mut usage,
                &mut scheduled,
                (&format!("{}:trueup", cm.id), date),
                cm.credit_type_id(),
                l,
            );
        }
    }
    let mut all: Vec<Invoice> = usage.into_iter().chain(scheduled).collect();
    for inv in all.iter_mut() {
        inv.retotal().map_err(overflow("an invoice total"))?;
        if inv.period_end() <= clock.now {
            inv.status = InvoiceStatus::Finalized;
        }
    }
    Ok(all)
}
