//! Spend thresholds (`crate::threshold::SpendThreshold`): when a contract's outstanding usage spend in
//! a period reaches its threshold. Between two instants where a balance starts, spend grows as usage
//! comes in, so the first whole hour it reaches the threshold (counting what threshold charges of the
//! period already billed) is found by bisection over those hours, each looked at on a rating of the
//! usage before it. (Where a balance's share of a tiered, MAX, UNIQUE, rounded or LATEST line can grow
//! faster than the line, spend may fall as usage comes; Tally takes the hour the bisection finds.)

use super::{next_hour, out_of_range, rate_once, Clock, Rated, Usage};
use crate::contract::Contract;
use crate::error::Result;
use crate::invoice::{Invoice, InvoiceType, LineType};
use crate::money::{Checked, Money};
use crate::state::State;
use crate::threshold::{Recharge, SpendBill};
use crate::time::Timestamp;
use std::collections::HashMap;

/// What a usage invoice bills for usage: its usage lines less what commits and credits paid on them
/// (scheduled items consolidated onto it are not spend, nor are subscription lines, so neither is what
/// a balance paid on one). Draw-down puts each applied line right after the part of the line it paid.
pub(super) fn outstanding(inv: &Invoice) -> Checked<Money> {
    let spend = |k: LineType| matches!(k, LineType::Usage | LineType::Conversion);
    let mut paid_for = None;
    Money::sum(
        inv.line_items
            .iter()
            .filter(|l| {
                if l.kind != LineType::AppliedCommitOrCredit {
                    paid_for = Some(l.kind);
                }
                l.credit_type.is_none()
                    && (spend(l.kind) || (l.kind == LineType::AppliedCommitOrCredit && paid_for.is_some_and(spend)))
            })
            .map(|l| l.total),
    )
}

/// What a usage invoice bills for usage before commits and credits in its currency pay (usage in a
/// custom unit counts as converted).
fn gross(inv: &Invoice) -> Checked<Money> {
    Money::sum(
        inv.line_items
            .iter()
            .filter(|l| l.credit_type.is_none() && matches!(l.kind, LineType::Usage | LineType::Conversion))
            .map(|l| l.total),
    )
}

/// Every spend threshold charge of the customer's contracts, earliest first; `whole` is the rating
/// of all the usage (with the recharges `grants`), which tells the periods worth searching.
pub(super) fn spend_bills(
    state: &State,
    customer_id: &str,
    usage: Usage,
    clock: Clock,
    grants: &[Recharge],
    whole: &Rated,
) -> Result<Vec<SpendBill>> {
    let mut bills = Vec::new();
    for c in state.contracts.values().filter(|c| c.customer_id == customer_id) {
        let Some(config) = c.spend_threshold() else {
            continue;
        };
        let threshold = Money::cents(config.threshold_amount);
        for inv in whole
            .invoices
            .iter()
            .filter(|i| i.contract_id == c.id && i.kind == InvoiceType::Usage)
        {
            let (start, end) = (inv.period_start(), inv.period_end());
            // Spend never exceeds the period's usage before draws, which only grows with usage.
            if gross(inv).map_err(|_| out_of_range(c, "a usage spend"))? < threshold {
                continue;
            }
            // A balance starting inside the period may pay for usage already there, so spend only
            // grows between two such starts: the period's hours are searched run by run.
            let starts = super::balance_starts(&whole.ledger, &c.id, start, end);
            let mut runs: Vec<Vec<Timestamp>> = Vec::new();
            let mut run_of = usize::MAX;
            let mut t = next_hour(start);
            while t < end {
                let k = starts.partition_point(|s| *s < t);
                if k != run_of {
                    runs.push(Vec::new());
                    run_of = k;
                }
                if let Some(r) = runs.last_mut() {
                    r.push(t);
                }
                t = next_hour(t);
            }
            let mut seen: HashMap<Timestamp, Money> = HashMap::new();
            let mut spent = |h: Timestamp| -> Result<Money> {
                if let Some(m) = seen.get(&h) {
                    return Ok(*m);
                }
                let m = spent_before(state, customer_id, usage, clock, grants, c, end, h)?;
                seen.insert(h, m);
                Ok(m)
            };
            let mut billed = Money::ZERO;
            for hours in runs {
                let mut from = 0;
                while from < hours.len() {
                    let over = |m: Money| -> Result<bool> {
                        Ok(m.minus(billed).map_err(|_| out_of_range(c, "a usage spend"))? >= threshold)
                    };
                    if !over(spent(hours[hours.len() - 1])?)? {
                        break;
                    }
                    // Under before `lo` (or `lo` is the first hour looked at), over at `hi`.
                    let (mut lo, mut hi) = (from, hours.len() - 1);
                    if over(spent(hours[lo])?)? {
                        hi = lo;
                    }
                    while hi - lo > 1 {
                        let mid = (lo + hi) / 2;
                        if over(spent(hours[mid])?)? {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    let at = hours[hi];
                    let now = spent(at)?;
                    bills.push(SpendBill {
                        contract: c.id.clone(),
                        at,
                        period_end: end,
                        amount: now.minus(billed).map_err(|_| out_of_range(c, "a usage spend"))?,
                    });
                    billed = now;
                    from = hi + 1;
                }
            }
        }
    }
    bills.sort_by_key(|b| b.at);
    Ok(bills)
}

/// Contract `c`'s outstanding usage spend in the period ending at `end`, from the usage before `h`.
#[allow(clippy::too_many_arguments)]
fn spent_before(
    state: &State,
    customer_id: &str,
    usage: Usage,
    clock: Clock,
    grants: &[Recharge],
    c: &Contract,
    end: Timestamp,
    h: Timestamp,
) -> Result<Money> {
    let r = rate_once(state, customer_id, usage, clock, grants, Some(h))?;
    let inv = r
        .invoices
        .iter()
        .find(|i| i.contract_id == c.id && i.kind == InvoiceType::Usage && i.period_end() == end);
    match inv {
        Some(i) => outstanding(i).map_err(|_| out_of_range(c, "a usage spend")),
        None => Ok(Money::ZERO),
    }
}
