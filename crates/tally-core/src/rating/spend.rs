//! Spend thresholds (`crate::threshold::SpendThreshold`): when a contract's outstanding usage spend in
//! a period reaches its threshold. Spend only grows within a period as usage comes in, so the first
//! whole hour it reaches the threshold (counting what threshold charges already billed) is found by
//! bisection over the period's hours, each looked at on a rating of the usage before it.

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
/// (scheduled items consolidated onto it are not spend).
pub(super) fn outstanding(inv: &Invoice) -> Checked<Money> {
    Money::sum(
        inv.line_items
            .iter()
            .filter(|l| matches!(l.kind, LineType::Usage | LineType::AppliedCommitOrCredit))
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
            // Spend at the period's end bounds spend at every hour before it.
            if outstanding(inv).map_err(|_| out_of_range(c, "a usage spend"))? < threshold {
                continue;
            }
            let mut hours = Vec::new();
            let mut t = next_hour(start);
            while t < end {
                hours.push(t);
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
            let mut from = 0;
            while let Some(&last) = hours.last() {
                if from >= hours.len() {
                    break;
                }
                let over = |m: Money| -> Result<bool> {
                    Ok(m.minus(billed).map_err(|_| out_of_range(c, "a usage spend"))? >= threshold)
                };
                if !over(spent(last)?)? {
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
