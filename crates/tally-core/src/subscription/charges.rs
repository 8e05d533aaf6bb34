//! The charges a subscription bills: each period's quantity at its start, prorated by time, and the
//! increases within a period over the most already billed in it.

use super::{CollectionSchedule, InvoiceBehavior, QuantityStep, Subscription};
use crate::calendar::{grid_cell, recurring_boundaries, share};
use crate::money::{sub, Checked};
use crate::time::Timestamp;
use rust_decimal::Decimal;

/// The quantity in force at `t` (0 before the first step).
pub fn quantity_at(steps: &[QuantityStep], t: Timestamp) -> Decimal {
    steps
        .iter()
        .take_while(|s| s.starting_at <= t)
        .last()
        .map_or(Decimal::ZERO, |s| s.quantity)
}

/// One charge of a subscription: `quantity` units at `fraction` of the period's price, for the service
/// `[from, until)`, billed on `date` (`immediate`: on an invoice of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    /// When it is billed: a period's own charge at its start (ADVANCE) or end (ARREARS); an increase
    /// at the period's end, or at the change with BILL_IMMEDIATELY.
    pub date: Timestamp,
    /// The start of the service it pays for (inclusive).
    pub from: Timestamp,
    /// The end of the service it pays for (exclusive).
    pub until: Timestamp,
    /// Units billed: the period's count, or for an increase what exceeds the most already billed.
    pub quantity: Decimal,
    /// The share of a full period's price it bills: 1 unless prorated.
    pub fraction: Decimal,
    /// The instant whose price applies (the period's start, or the increase).
    pub priced_at: Timestamp,
    /// On an invoice of its own at `date` (BILL_IMMEDIATELY), not on the next collection date.
    pub immediate: bool,
    /// An increase within the period (else the period's own charge).
    pub increase: bool,
}

/// Every charge of `s` through the period that holds `horizon`, on the grid `anchor + k·months`.
pub fn charges(
    s: &Subscription,
    anchor: Timestamp,
    (contract_start, contract_end): (Timestamp, Option<Timestamp>),
    horizon: Timestamp,
    rate_prorated: Option<bool>,
) -> Checked<Vec<Charge>> {
    let Some(months) = s.subscription_rate.billing_frequency.months() else {
        return Ok(Vec::new());
    };
    let prorated = s.proration.is_prorated.or(rate_prorated).unwrap_or(true);
    let advance = s.collection_schedule == CollectionSchedule::Advance;
    let immediately = advance && s.proration.invoice_behavior == Some(InvoiceBehavior::BillImmediately);
    let mut out = Vec::new();
    for (a, b) in recurring_boundaries(anchor, months, s.start(contract_start), s.end(contract_end), horizon) {
        let whole = grid_cell(anchor, months, a);
        let fraction = if prorated { share(a, b, whole)? } else { Decimal::ONE };
        let base = quantity_at(&s.quantity_schedule, a);
        if base > Decimal::ZERO {
            out.push(Charge {
                date: if advance { a } else { b },
                from: a,
                until: b,
                quantity: base,
                fraction,
                priced_at: a,
                immediate: false,
                increase: false,
            });
        }
        // Increases over the highest quantity billed so far in the period.
        let mut billed = base;
        for step in s
            .quantity_schedule
            .iter()
            .filter(|q| q.starting_at > a && q.starting_at < b)
        {
            if step.quantity <= billed {
                continue;
            }
            let t = step.starting_at;
            out.push(Charge {
                date: if immediately { t } else { b },
                from: t,
                until: b,
                quantity: sub(step.quantity, billed)?,
                fraction: if prorated { share(t, b, whole)? } else { Decimal::ONE },
                priced_at: t,
                immediate: immediately,
                increase: true,
            });
            billed = step.quantity;
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "charges_tests.rs"]
mod tests;
