//! Draw-down: usage spends commit and credit balances, in the spec's order between balances and
//! between lines. A covered part of a line carries the `commit_id`; for prepaid commits and credits an
//! `applied_commit_or_credit` line takes the same amount off the invoice. Postpaid commits are drawn the
//! same way but bill the usage in full; what they leave unspent is trued up at their invoice date.
//!
//! Here: the ledger (the balances in the spec's order, what each has left and when it was spent,
//! rollovers) and an invoice drawn down; how one line draws, cell by cell, is in `line`.

mod line;

use crate::balance::{BalanceKind, Holder, Segment};
use crate::contract::Contract;
use crate::invoice::{Invoice, LineItem, LineType};
use crate::money::{Checked, Money, Quantity};
use crate::state::State;
use crate::time::Timestamp;
use line::Paid;
use std::cmp::Ordering;

pub use line::{Cell, Piece};

/// What each segment has left and when it was spent.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub segments: Vec<Segment>,
    pub remaining: Vec<Money>,
    /// Per segment: (start of the cell drawn on, amount); a line's entries add up to its rounded draw.
    pub draws: Vec<Vec<(Timestamp, Money)>>,
    /// Segments whose leftover has already rolled into the next one.
    rolled: Vec<bool>,
    /// Per priced piece of usage: what balances have paid on it so far.
    paid: std::collections::HashMap<usize, Paid>,
}

/// Contract-level balances before customer-level ones (the last of the spec's tie-breaks).
fn level(s: &Segment) -> u8 {
    matches!(s.holder, Holder::Customer { .. }) as u8
}

/// Order between balances: rollover commits first; prepaid commits and credits before postpaid
/// commits; lower priority;
/// free before paid; fewest applicable products; earliest end; earliest start; contract-level before
/// customer-level; then as listed.
fn balance_order((a, breadth_a): &(Segment, usize), (b, breadth_b): &(Segment, usize)) -> Ordering {
    // Rollover commits burn before every other balance, whatever their priority.
    let rank = |s: &Segment| {
        (
            s.rollover.is_none() as u8,
            matches!(s.kind, BalanceKind::PostpaidCommit) as u8,
        )
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| match (a.priority, b.priority) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| b.free.cmp(&a.free))
        .then_with(|| breadth_a.cmp(breadth_b))
        .then_with(|| a.window.end.cmp(&b.window.end))
        .then_with(|| a.window.start.cmp(&b.window.start))
        .then_with(|| level(a).cmp(&level(b)))
        .then_with(|| a.ordinal.cmp(&b.ordinal))
}

/// Order between lines: usage lines first, then subscription lines; earlier start; higher unit
/// price; name A→Z.
pub fn line_order(a: &LineItem, b: &LineItem) -> Ordering {
    let rank = |l: &LineItem| match l.kind {
        LineType::Usage => 0,
        LineType::Subscription => 1,
        _ => 2,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| a.starting_at.cmp(&b.starting_at))
        .then_with(|| b.unit_price.cmp(&a.unit_price))
        .then_with(|| a.name.cmp(&b.name))
}

impl Ledger {
    pub fn new(segments: Vec<Segment>, state: &State) -> Self {
        let mut keyed: Vec<(Segment, usize)> = segments
            .into_iter()
            .map(|s| {
                let n = s.breadth(state.products.values());
                (s, n)
            })
            .collect();
        keyed.sort_by(balance_order);
        let segments: Vec<Segment> = keyed.into_iter().map(|(s, _)| s).collect();
        let remaining = segments.iter().map(|s| s.amount).collect();
        let draws = vec![Vec::new(); segments.len()];
        let rolled = vec![false; segments.len()];
        Ledger {
            segments,
            remaining,
            draws,
            rolled,
            paid: Default::default(),
        }
    }

    /// Carries `rollover_fraction` of what recurring balances of `contract` ended by `t` left into the
    /// next balance of the same recurring commit or credit. Without a fraction nothing carries over:
    /// it expires. Only the contract's own invoices roll its balances, as when it is rated alone.
    fn roll_over(&mut self, t: Timestamp, contract: &str) -> Checked<()> {
        for i in 0..self.segments.len() {
            let s = &self.segments[i];
            if s.holder != Holder::Contract(contract.to_string()) {
                continue;
            }
            let (Some(f), Some(end)) = (s.rollover_fraction, s.window.end) else {
                continue;
            };
            if self.rolled[i] || end > t {
                continue;
            }
            self.rolled[i] = true;
            let next = (0..self.segments.len())
                .filter(|&j| {
                    self.segments[j].commit_id == s.commit_id && self.segments[j].window.start > s.window.start
                })
                .min_by_key(|&j| self.segments[j].window.start);
            if let Some(j) = next {
                let carried = self.remaining[i].times(f)?;
                self.segments[j].amount = self.segments[j].amount.plus(carried)?;
                self.remaining[j] = self.remaining[j].plus(carried)?;
            }
        }
        Ok(())
    }

    /// Decides the amount of `contract`'s rollover commits, at its first invoice: every invoice of the
    /// contract it follows ends by then (invoices draw in order of period end), so what the commit
    /// rolled over has left is final. The share that rolls moves; the rest expires with the old term.
    fn carry_over(&mut self, contract: &str) -> Checked<()> {
        for i in 0..self.segments.len() {
            let Some(r) = self.segments[i].rollover.clone() else {
                continue;
            };
            if self.rolled[i] || !self.segments[i].holder.reaches(contract) {
                continue;
            }
            self.rolled[i] = true;
            let mut amount = Money::ZERO;
            for j in 0..self.segments.len() {
                let s = &self.segments[j];
                let unexpired = s.window.start < r.since && s.window.end.is_none_or(|e| e >= r.since);
                if s.commit_id == r.commit_id && s.holder == Holder::Contract(r.from.clone()) && unexpired {
                    amount = amount.plus(self.remaining[j].times(r.fraction)?)?;
                    self.remaining[j] = Money::ZERO;
                    // Its access ends with the old term: what did not roll expires, and a balance
                    // asked for later does not count it again.
                    self.segments[j].window.end = Some(r.since);
                }
            }
            self.segments[i].amount = amount;
            self.remaining[i] = amount;
        }
        Ok(())
    }

    /// What a commit's balances paid for, as the invoices show it: the sum of its covered line totals.
    /// A true-up bills against this figure so that a reader can check it from the invoices alone.
    pub fn consumed(&self, commit_id: &str) -> Checked<Money> {
        // Each line's draws add up to its rounded covered total (`apply_line`).
        Money::sum(
            self.segments
                .iter()
                .zip(&self.draws)
                .filter(|(s, _)| s.commit_id == commit_id)
                .flat_map(|(_, d)| d.iter().map(|(_, amount)| *amount)),
        )
    }

    /// Remaining balance at `t` of the segments `which` picks whose window holds `t`.
    pub fn balance_at(&self, t: Timestamp, which: impl Fn(&Segment) -> bool) -> Checked<Money> {
        let left = self
            .segments
            .iter()
            .zip(&self.draws)
            .filter(|(s, _)| which(s) && s.window.contains(t))
            .map(|(s, d)| {
                s.amount
                    .minus(Money::sum(d.iter().filter(|(at, _)| *at < t).map(|(_, a)| *a))?)
            })
            .collect::<Checked<Vec<Money>>>()?;
        Money::sum(left)
    }

    /// Draws the invoice's lines down against the balances, splitting covered lines.
    pub fn apply(
        &mut self,
        invoice: &mut Invoice,
        state: &State,
        contract: &Contract,
        pieces: &[Piece],
    ) -> Checked<()> {
        self.roll_over(invoice.period_start(), &contract.id)?;
        self.carry_over(&contract.id)?;
        invoice.line_items.sort_by(line_order);
        let lines = std::mem::take(&mut invoice.line_items);
        let own = invoice.credit_type.id.clone();
        for line in lines {
            self.apply_line(line, &own, state, contract, pieces, &mut invoice.line_items)?;
        }
        convert(invoice, state, contract)
    }
}

/// Usage priced in a custom pricing unit that balances in that unit left unpaid becomes money: one
/// `conversion` line per unit, its remaining amount at the rate card's `fiat_per_custom_credit`,
/// rounded in the invoice's currency.
fn convert(invoice: &mut Invoice, state: &State, contract: &Contract) -> Checked<()> {
    let card = contract.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let mut units: Vec<crate::invoice::CreditType> = Vec::new();
    for l in &invoice.line_items {
        if let Some(u) = &l.credit_type {
            if !units.contains(u) {
                units.push(u.clone());
            }
        }
    }
    let scale = crate::credit_type::scale(&invoice.credit_type.id);
    for u in units {
        let left = Money::sum(
            invoice
                .line_items
                .iter()
                .filter(|l| l.credit_type.as_ref() == Some(&u))
                .map(|l| l.total),
        )?;
        // Rates in a custom unit are refused on a card without its conversion.
        let Some(rate) = card.and_then(|c| c.fiat_per(&u.id)) else {
            continue;
        };
        if left.is_zero() {
            continue;
        }
        let (a, b) = (invoice.period_start(), invoice.period_end());
        invoice.line_items.push(LineItem::plain(
            format!("{} in {}", u.name, invoice.credit_type.name),
            LineType::Conversion,
            String::new(),
            (left.amount().normalize(), rate.normalize()),
            Money::of(Quantity::new(left.amount()), rate)?.rounded(scale),
            (a, b),
        ));
    }
    Ok(())
}
