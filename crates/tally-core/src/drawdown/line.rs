//! One line drawn down: the pieces and cells rating priced it in, each cell paid by the balances in
//! force over it, what each balance shows paying (rounded over the line), and the covered, applied and
//! rest lines that come of it.

use super::Ledger;
use crate::balance::BalanceKind;
use crate::contract::Contract;
use crate::invoice::{LineItem, LineType};
use crate::money::{Checked, Money, Quantity};
use crate::pricing::LineAt;
use crate::state::State;
use crate::time::{Timestamp, Window};
use rust_decimal::Decimal;

/// A priced piece of a line, kept for draw-down: its exact amount, its cells in time order, and per
/// balance (in the ledger's order) the most that balance may pay on it.
pub struct Piece {
    pub total: Money,
    pub cells: Vec<Cell>,
    /// `None`: the balance's window holds the whole piece, so it may pay all of it.
    pub caps: Vec<Option<Money>>,
}

/// The part of a piece between two instants where a balance window may start or end: balances pay
/// for a line's usage cell by cell, earliest first, each cell by the balances in force over all of it.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub start: Timestamp,
    pub end: Timestamp,
    /// The most balances may pay on the cell together.
    pub amount: Money,
}

/// What balances have paid on one piece so far, at the line's own price.
#[derive(Debug, Clone, Default)]
pub(super) struct Paid {
    total: Money,
    cells: Vec<Money>,
    /// Per balance (ledger index).
    by: std::collections::HashMap<usize, Money>,
}

/// One balance's draw on one cell of a line.
struct Take {
    balance: usize,
    /// The cell's start: when the balance paid.
    at: Timestamp,
    units: Quantity,
    /// Exact; rounded with the line's other takes (`apply_line`).
    take: Money,
    price: Decimal,
}

/// One balance's takes on a line, added up: what the invoice shows it paying.
struct Drawn {
    balance: usize,
    units: Quantity,
    shown: Money,
    price: Decimal,
    /// The start of the last cell it paid on.
    last: Timestamp,
}

/// A billionth of a billionth of a cent: what is left of a line after a balance takes all but this
/// much of it is division dust, not usage.
const DUST: Decimal = Decimal::from_parts(1, 0, 0, false, 12);

impl Ledger {
    pub(super) fn apply_line(
        &mut self,
        line: LineItem,
        invoice_credit_type: &str,
        state: &State,
        contract: &Contract,
        pieces: &[Piece],
        out: &mut Vec<LineItem>,
    ) -> Checked<()> {
        // Balances are drawn by the exact amount (quantity × unit price, fractional cents and all);
        // what the invoice shows each one paying is rounded (`show_takes`), and it moves by that.
        let exact = Money::of(Quantity::new(line.quantity), line.unit_price)?;
        // Only usage and subscriptions draw on commits and credits: a scheduled charge costs the same
        // wherever it sits.
        let drawable = exact.is_positive()
            && line.unit_price > Decimal::ZERO
            && matches!(line.kind, LineType::Usage | LineType::Subscription);
        if !drawable {
            out.push(line);
            return Ok(());
        }
        // A balance pays only lines priced in its own credit type.
        let unit = line
            .credit_type
            .as_ref()
            .map_or(invoice_credit_type, |c| c.id.as_str())
            .to_string();
        let scale = crate::credit_type::scale(&unit);
        let before = self.remaining.clone();
        let takes = self.draw_cells(&line, &unit, exact, state, contract, pieces)?;
        let drawn = self.show_takes(&takes, scale)?;
        let mut left = Quantity::new(line.quantity);
        let mut covered_totals = Money::ZERO;
        let mut repriced = false;
        for Drawn {
            balance: i,
            units,
            shown,
            price,
            last,
        } in drawn
        {
            let after = before[i].minus(shown)?.max(Money::ZERO);
            self.remaining[i] = after;
            // A balance of fractional cents that shows a whole cent more than it had moves by what
            // it had: its draws add up to that.
            let overshoot = shown.minus(before[i].minus(after)?)?;
            if !overshoot.is_zero() {
                self.draws[i].push((last, -overshoot));
            }
            // A balance that shows nothing paid moved by nothing: its units stay on the rest line.
            if shown.is_zero() {
                continue;
            }
            repriced |= price != line.unit_price;
            left = left.minus(units)?;
            covered_totals = covered_totals.plus(shown)?;
            let balance = (before[i], after);
            out.extend(self.covered_lines(&line, i, (units, price, shown), balance));
        }
        if left == Quantity::new(line.quantity) {
            out.push(line);
            return Ok(());
        }
        // What is left of a covered line within DUST of nothing is division dust, not usage.
        if Money::of(left, line.unit_price)?.amount().abs() >= DUST {
            let mut rest = line;
            // The parts of a split line add up to what the whole line would have cost, unless a
            // commit priced its part differently.
            rest.total = if repriced {
                Money::of(left, rest.unit_price)?.rounded(scale)
            } else {
                exact.rounded(scale).minus(covered_totals)?
            };
            rest.quantity = left.value().normalize();
            // Covered parts rounded one by one can reach the whole line's total while a sliver of
            // it is left: nothing more is owed then, so no negative rest line.
            if rest.total >= Money::ZERO {
                out.push(rest);
            }
        }
        Ok(())
    }

    /// The part of `line` that balance `i` paid (`units` at `price`, shown `shown`; the balance went
    /// from `before` to `after`), and for a prepaid balance the applied line that takes it off.
    fn covered_lines(
        &self,
        line: &LineItem,
        i: usize,
        (units, price, shown): (Quantity, Decimal, Money),
        (before, after): (Money, Money),
    ) -> Vec<LineItem> {
        let seg = &self.segments[i];
        let trace = crate::invoice::Trace {
            balance: Some(crate::invoice::BalanceTrace {
                name: seg.name.clone(),
                kind: seg.kind,
                window: seg.window,
                before,
                after,
            }),
            ..line.trace.clone()
        };
        let mut covered = line.clone();
        covered.quantity = units.value().normalize();
        covered.unit_price = price.normalize();
        covered.total = shown;
        covered.commit_id = Some(seg.commit_id.clone());
        covered.trace = trace.clone();
        if seg.kind == BalanceKind::PostpaidCommit {
            return vec![covered];
        }
        let mut applied = LineItem::plain(
            seg.name.clone(),
            LineType::AppliedCommitOrCredit,
            seg.product_id.clone(),
            (Decimal::ONE, -shown.amount().normalize()),
            -shown,
            (line.starting_at, line.ending_before),
        );
        applied.commit_id = Some(seg.commit_id.clone());
        applied.credit_type = line.credit_type.clone();
        applied.trace = trace;
        vec![covered, applied]
    }

    /// What each balance shows paying on a line, from its takes in the order they happened: rounded
    /// as a running total over the line, so what the balances show adds up to the rounded money they
    /// covered and a take of whole cents shows as itself. Records each shown amount as a draw.
    fn show_takes(&mut self, takes: &[Take], scale: crate::credit_type::Scale) -> Checked<Vec<Drawn>> {
        let mut drawn: Vec<Drawn> = Vec::new();
        let (mut exact_so_far, mut shown_so_far) = (Money::ZERO, Money::ZERO);
        for t in takes {
            exact_so_far = exact_so_far.plus(t.take)?;
            let shown = exact_so_far.rounded(scale).minus(shown_so_far)?;
            shown_so_far = shown_so_far.plus(shown)?;
            self.draws[t.balance].push((t.at, shown));
            match drawn.iter_mut().find(|d| d.balance == t.balance) {
                Some(d) => {
                    d.units = d.units.plus(t.units)?;
                    d.shown = d.shown.plus(shown)?;
                    d.last = t.at;
                }
                None => drawn.push(Drawn {
                    balance: t.balance,
                    units: t.units,
                    shown,
                    price: t.price,
                    last: t.at,
                }),
            }
        }
        Ok(drawn)
    }

    /// Draws `line` (priced in `unit`, worth `exact`) down, cell by cell in time order, each cell by the
    /// balances in force over it in the ledger's order: so usage is never left to cash while a balance
    /// in force over it has money, and a balance that starts inside the period pays for the usage after
    /// its start that earlier ones did not. Answers the takes in the order they happened; the balances'
    /// remaining amounts are left exact, for `apply_line` to settle.
    fn draw_cells(
        &mut self,
        line: &LineItem,
        unit: &str,
        exact: Money,
        state: &State,
        contract: &Contract,
        pieces: &[Piece],
    ) -> Checked<Vec<Take>> {
        let product = state.products.get(&line.product_id);
        let tags: &[String] = product.map(|p| p.tags.as_slice()).unwrap_or(&[]);
        let piece = line.piece.and_then(|p| pieces.get(p).map(|x| (p, x)));
        // A line that is not usage of a piece (a subscription) is one cell, its own span.
        let own = [Cell {
            start: line.starting_at,
            end: line.ending_before,
            amount: exact,
        }];
        let (cells, total, caps) = match piece {
            Some((_, x)) => (x.cells.as_slice(), x.total, Some(&x.caps)),
            None => (&own[..], exact, None),
        };
        // Taken out while the line draws, put back after: the tier lines of one piece share it.
        let mut paid = piece.and_then(|(p, _)| self.paid.remove(&p)).unwrap_or_default();
        paid.cells.resize(cells.len(), Money::ZERO);
        let mut left = Quantity::new(line.quantity);
        let mut takes: Vec<Take> = Vec::new();
        for (k, cell) in cells.iter().enumerate() {
            for i in 0..self.segments.len() {
                if left <= Quantity::ZERO {
                    break;
                }
                let seg = &self.segments[i];
                let in_force = match piece {
                    Some(_) => seg.window.covers(cell.start, cell.end),
                    None => seg.window.overlaps(&Window {
                        start: cell.start,
                        end: Some(cell.end),
                    }),
                };
                if !in_force
                    || !seg.holder.reaches(&contract.id)
                    || seg.credit_type_id != unit
                    || !seg.applies_to(&line.product_id, tags)
                    || !self.remaining[i].is_positive()
                {
                    continue;
                }
                // What this balance may still pay here, at the line's own price: within what its
                // window allows on the piece, what the cell's usage costs and the piece's total.
                let cap = caps
                    .and_then(|c| c.get(i).copied().flatten())
                    .unwrap_or(total)
                    .min(total);
                let by = paid.by.get(&i).copied().unwrap_or_default();
                let room = cap
                    .minus(by)?
                    .min(cell.amount.minus(paid.cells[k])?)
                    .min(total.minus(paid.total)?);
                if !room.is_positive() {
                    continue;
                }
                let price = self.commit_price(line, &seg.commit_id, product, contract)?;
                if price <= Decimal::ZERO {
                    continue;
                }
                let units = left.min(room.units_at(line.unit_price)?);
                let want = Money::of(units, price)?;
                let take = self.remaining[i].min(want);
                // A take within DUST of what the line has left covers it: dividing money back into
                // units leaves a remainder in the 28th digit that must not become a line of its own.
                let covers = take == want || want.minus(take)?.amount().abs() < DUST;
                let quantity = if covers { units } else { take.units_at(price)? };
                let at_line_price = if price == line.unit_price {
                    take
                } else {
                    Money::of(quantity, line.unit_price)?
                };
                paid.total = paid.total.plus(at_line_price)?;
                paid.cells[k] = paid.cells[k].plus(at_line_price)?;
                paid.by.insert(i, by.plus(at_line_price)?);
                self.remaining[i] = self.remaining[i].minus(take)?;
                left = left.minus(quantity)?;
                takes.push(Take {
                    balance: i,
                    at: cell.start,
                    units: quantity,
                    take,
                    price,
                });
            }
        }
        if let Some((p, _)) = piece {
            self.paid.insert(p, paid);
        }
        Ok(takes)
    }

    /// The unit price `line`'s usage is drawn at from commit `commit_id`: a commit-specific override's,
    /// or the line's own.
    fn commit_price(
        &self,
        line: &LineItem,
        commit_id: &str,
        product: Option<&crate::product::Product>,
        contract: &Contract,
    ) -> Checked<Decimal> {
        let Some(p) = product else {
            return Ok(line.unit_price);
        };
        let at = LineAt {
            product: p,
            pgv: &line.pricing_group_values,
            at: line.starting_at,
        };
        let price = contract.pricing().commit_unit_price(
            at,
            commit_id,
            line.list_unit_price.unwrap_or(line.unit_price),
            line.tier.as_ref().map(|t| t.level),
        )?;
        Ok(price.unwrap_or(line.unit_price))
    }
}
