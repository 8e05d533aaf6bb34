//! The balances a customer's usage may draw on that only the whole state can tell: the customer's
//! own commits and credits, the rollover commits a renewal receives from the contract it follows
//! (whose amount the draw-down ledger decides at the transition), true-ups a later transition drops,
//! and a prepaid balance's level at an instant (what a threshold recharge looks at).
//!
//! A renewal or supersede (`transition`) gives the new contract, as rollover commits,
//! `rollover_fraction` of what the earlier contract's prepaid commits have left unspent (and
//! unexpired) when it ends: here each gets its terms, the commit's products, tags and priority, usable
//! from the new contract's start to its end (`Contract::reach` when it has none).

use crate::balance::{BalanceKind, Holder, Rollover, Segment};
use crate::commit::Billing;
use crate::contract::Contract;
use crate::drawdown::Ledger;
use crate::money::{Checked, Money};
use crate::state::State;
use crate::time::{Timestamp, Window};

/// The rollover commits of `contract`, one per commit of the contract it follows that rolls over.
pub fn rollover_segments(state: &State, contract: &Contract, horizon: Timestamp) -> Vec<Segment> {
    let Some(t) = &contract.transition else {
        return Vec::new();
    };
    let Some(from) = state.contracts.get(&t.from_contract_id) else {
        return Vec::new();
    };
    let at = contract.starting_at;
    let since = from.ending_before.unwrap_or(at).min(at);
    let end = contract.reach(horizon).max(at);
    from.commits
        .iter()
        .filter(|cm| matches!(cm.billing, Billing::Bought(_) | Billing::Complimentary))
        .filter_map(|cm| {
            let fraction = cm.rollover_fraction?;
            Some(Segment {
                commit_id: format!("{}:rollover:{}", cm.id, contract.id),
                product_id: cm.product_id.clone(),
                name: format!("{} (rolled over)", cm.display_name()),
                kind: BalanceKind::PrepaidCommit,
                amount: Money::ZERO,
                window: Window {
                    start: at,
                    end: Some(end),
                },
                priority: cm.priority,
                // Paid for on the earlier contract; nothing is billed for it again.
                free: false,
                applicable_product_ids: cm.applicable_product_ids.clone(),
                applicable_product_tags: cm.applicable_product_tags.clone(),
                ordinal: 0,
                holder: Holder::Contract(contract.id.clone()),
                rollover: Some(Rollover {
                    from: from.id.clone(),
                    commit_id: cm.id.clone(),
                    fraction,
                    since,
                }),
                rollover_fraction: None,
                credit_type_id: cm.credit_type_id().to_string(),
            })
        })
        .collect()
}

/// Whether a later contract's transition drops `contract`'s postpaid true-ups dated after `at`:
/// the instant of that transition, when it says `trueup: REMOVE`.
pub fn trueups_removed_after(state: &State, contract: &Contract) -> Option<Timestamp> {
    state.contracts.values().find_map(|k| {
        let t = k.transition.as_ref()?;
        (t.from_contract_id == contract.id && t.removes_trueups()).then_some(k.starting_at)
    })
}

/// The customer-level balances of `customer_id` as draw-down segments: commits, then credits, each
/// in the order created.
pub fn customer_segments(state: &State, customer_id: &str) -> Vec<Segment> {
    let commits = state
        .customer_commits
        .values()
        .filter(|b| b.customer_id == customer_id)
        .map(|b| b.term.segments(0, &b.holder()));
    let credits = state
        .customer_credits
        .values()
        .filter(|b| b.customer_id == customer_id)
        .map(|b| b.term.segments(0, &b.holder()));
    commits
        .chain(credits)
        .enumerate()
        .flat_map(|(ordinal, segs)| {
            segs.into_iter().map(move |mut s| {
                s.ordinal = ordinal;
                s
            })
        })
        .collect()
}

/// The prepaid balance in `credit_type_id` (the contract's currency) that `contract`'s usage may draw
/// on at `at`, from a ledger of the usage before it:
/// each balance in force then less what that usage drew, as it stood at `at` (a renewal later in
/// the ledger moves what a commit has left, which `at` must not see).
pub fn prepaid_balance(ledger: &Ledger, contract: &str, credit_type_id: &str, at: Timestamp) -> Checked<Money> {
    ledger.balance_at(at, |s| {
        s.kind != BalanceKind::PostpaidCommit && s.holder.reaches(contract) && s.credit_type_id == credit_type_id
    })
}
