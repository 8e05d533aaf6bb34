//! Usage lines: the index of a contract's events by line, piece and cell, and the priced lines and
//! pieces it gives (see the terms in `rating`).

use super::aggregate::Agg;
use super::{out_of_range, Feed};
use crate::balance::Segment;
use crate::contract::Contract;
use crate::drawdown::{Cell, Piece};
use crate::error::Result;
use crate::invoice::{LineItem, LineType, TierInfo, Trace};
use crate::metric::Props;
use crate::money::{add, tidy, Checked, Money, Overflow, Quantity};
use crate::pricing::LineAt;
use crate::product::Product;
use crate::rate_card::{Price, Rate, RateCard};
use crate::state::State;
use crate::time::{Timestamp, Window};
use crate::usage::rows::UsageRow;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

type Groups = Vec<(String, String)>;

#[derive(PartialEq, Eq, PartialOrd, Ord, Hash, Clone)]
struct LineKey {
    period: usize,
    product: usize,
    pricing: Groups,
    presentation: Groups,
}

/// A line's events: per piece, per cell, their aggregate.
type LineEvents = BTreeMap<usize, BTreeMap<usize, Agg>>;

pub(super) struct Plan<'a> {
    pub(super) contract: &'a Contract,
    rate_card: Option<&'a RateCard>,
    /// The customer's custom pricing units, to name a line priced in one.
    units: Vec<crate::credit_type::CreditType>,
    pub(super) periods: Vec<(Timestamp, Timestamp)>,
    /// Per feed: the instants where a balance window that may pay for it starts or ends.
    balance_cuts: Vec<Vec<Timestamp>>,
    /// The balances this contract's usage may draw on (its own, then the customer's that reach it),
    /// as draw-down segments, made once for both the cuts and the ledger.
    pub(super) segments: Checked<Vec<Segment>>,
    /// Per feed and pricing group values: the instants where that line's own price may change.
    price_cuts: HashMap<(usize, Groups), Vec<Timestamp>>,
    lines: HashMap<LineKey, LineEvents>,
}

/// Where the price of `product`'s line with pricing group values `pricing` may change on `contract`:
/// the rates that could price it (same product, pricing group values that agree) and the overrides
/// that target it start or end there.
fn price_cuts(
    rate_card: Option<&RateCard>,
    contract: &Contract,
    product: &Product,
    pricing: &Groups,
) -> Vec<Timestamp> {
    let pgv: IndexMap<String, String> = pricing.iter().cloned().collect();
    let mut cuts = Vec::new();
    if let Some(rc) = rate_card {
        for r in rc
            .rates
            .iter()
            .filter(|r| r.product_id == product.id && r.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v)))
        {
            cuts.push(r.starting_at);
            cuts.extend(r.ending_before);
        }
    }
    for o in contract.overrides.iter().filter(|o| o.prices_line(product, &pgv)) {
        cuts.push(o.window.start);
        cuts.extend(o.window.end);
    }
    cuts.sort();
    cuts.dedup();
    cuts
}

impl<'a> Plan<'a> {
    /// `shared`: the customer-level balances; those that reach this contract cut its cells too.
    pub(super) fn new(
        state: &'a State,
        contract: &'a Contract,
        feeds: &[Feed<'a>],
        horizon: Timestamp,
        shared: &[Segment],
    ) -> Self {
        let rate_card = contract.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
        let periods = contract
            .statement_schedule()
            .periods(contract.starting_at, contract.ending_before, horizon);
        let segments = contract.segments(horizon).map(|mut own| {
            own.extend(super::balances::rollover_segments(state, contract, horizon));
            own.extend(shared.iter().filter(|s| s.holder.reaches(&contract.id)).cloned());
            own
        });
        // A balance past range is refused when the contract is assembled; it cuts nothing here.
        let balance_cuts = feeds
            .iter()
            .map(|f| {
                let mut cuts = Vec::new();
                let all = segments.as_deref().unwrap_or_default();
                for s in all.iter().filter(|s| s.applies_to(&f.product.id, &f.product.tags)) {
                    cuts.push(s.window.start);
                    cuts.extend(s.window.end);
                }
                cuts.sort();
                cuts.dedup();
                cuts
            })
            .collect();
        Plan {
            contract,
            rate_card,
            units: state.credit_types.values().cloned().collect(),
            periods,
            balance_cuts,
            segments,
            price_cuts: HashMap::new(),
            lines: HashMap::new(),
        }
    }

    pub(super) fn period_of(&self, t: Timestamp) -> Option<usize> {
        let i = self.periods.partition_point(|(a, _)| *a <= t);
        (i > 0 && t < self.periods[i - 1].1).then(|| i - 1)
    }

    /// Every instant where anything about rating this contract may change: its dates and periods,
    /// usage filters, rates, overrides and balance windows. Usage never needs cutting elsewhere.
    pub(super) fn cuts(&self) -> Vec<Timestamp> {
        let c = self.contract;
        let mut cuts = vec![c.starting_at];
        cuts.extend(c.ending_before);
        for (a, b) in &self.periods {
            cuts.push(*a);
            cuts.push(*b);
        }
        cuts.extend(c.usage_filter_history.iter().filter_map(|f| f.starting_at));
        for r in self.rate_card.iter().flat_map(|rc| &rc.rates) {
            cuts.push(r.starting_at);
            cuts.extend(r.ending_before);
        }
        for o in &c.overrides {
            cuts.push(o.window.start);
            cuts.extend(o.window.end);
        }
        for s in self.segments.as_deref().unwrap_or_default() {
            cuts.push(s.window.start);
            cuts.extend(s.window.end);
        }
        cuts
    }

    pub(super) fn add(&mut self, feeds: &[Feed], fi: usize, period: usize, e: &UsageRow) {
        let f = &feeds[fi];
        let pricing = group_values(&f.product.pricing_group_key, e);
        let (rate_card, contract) = (self.rate_card, self.contract);
        let cuts = self
            .price_cuts
            .entry((fi, pricing.clone()))
            .or_insert_with(|| price_cuts(rate_card, contract, f.product, &pricing));
        let piece = cuts.partition_point(|c| *c <= e.at);
        let cell = self.balance_cuts[fi].partition_point(|c| *c <= e.at);
        let key = LineKey {
            period,
            product: fi,
            pricing,
            presentation: group_values(&f.product.presentation_group_key, e),
        };
        self.lines
            .entry(key)
            .or_default()
            .entry(piece)
            .or_default()
            .entry(cell)
            .or_default()
            .merge(Agg::of(
                e,
                f.metric.aggregation_type,
                f.metric.aggregation_key.as_deref(),
            ));
    }
}

fn group_values(keys: &[String], e: &UsageRow) -> Groups {
    keys.iter()
        .filter_map(|k| e.text(k).map(|v| (k.clone(), v.to_string())))
        .collect()
}

/// The bounds of cell `c` of a piece `[a, b)` cut at `balance_cuts`.
fn cell_bounds(c: usize, (a, b): (Timestamp, Timestamp), balance_cuts: &[Timestamp]) -> (Timestamp, Timestamp) {
    let lo = if c == 0 { a } else { balance_cuts[c - 1].max(a) };
    let hi = balance_cuts.get(c).map_or(b, |t| (*t).min(b));
    (lo, hi)
}

/// What a balance whose window is `window` may pay on a piece `[a, b)`: all of it when the window holds
/// the piece; otherwise the piece's price for the events inside the window, aggregated and priced as
/// that part alone, and never more than the piece's total.
fn cap(
    window: &Window,
    (a, b): (Timestamp, Timestamp),
    cells: &BTreeMap<usize, Agg>,
    balance_cuts: &[Timestamp],
    product: &Product,
    price: &Price,
    total: Money,
) -> Checked<Option<Money>> {
    if window.covers(a, b) {
        return Ok(None);
    }
    let mut inside = Agg::Empty;
    for (&c, agg) in cells {
        let (lo, hi) = cell_bounds(c, (a, b), balance_cuts);
        if window.covers(lo, hi) {
            inside.merge(agg.clone());
        }
    }
    let quantity = product.billed_quantity(inside.value())?;
    Ok(Some(
        price.amount(Quantity::ZERO, quantity)?.min(total).max(Money::ZERO),
    ))
}

/// The piece's cells in time order, each with what its usage costs: priced alone, or as the next units
/// of the piece (the piece's price for the usage up to the cell's end, less that up to its start),
/// whichever is more, and never more than the piece's total. The first keeps a balance whose window
/// holds only this cell paying what the cell's events cost alone; the second makes the cells add up to
/// at least the piece, so balances in force over every cell can pay all of it.
fn piece_cells(
    (a, b): (Timestamp, Timestamp),
    cells: &BTreeMap<usize, Agg>,
    balance_cuts: &[Timestamp],
    product: &Product,
    (price, from): (&Price, Quantity),
    total: Money,
) -> Checked<Vec<Cell>> {
    let mut out = Vec::with_capacity(cells.len());
    let mut prefix = Agg::Empty;
    let mut before = Money::ZERO;
    for (&c, agg) in cells {
        let (start, end) = cell_bounds(c, (a, b), balance_cuts);
        prefix.merge(agg.clone());
        let upto = product.billed_quantity(prefix.value())?;
        let upto = price.amount(from, from.plus(upto)?)?.min(total).max(before);
        let alone = price.amount(Quantity::ZERO, product.billed_quantity(agg.value())?)?;
        let amount = alone.max(upto.minus(before)?).min(total).max(Money::ZERO);
        before = upto;
        out.push(Cell { start, end, amount });
    }
    Ok(out)
}

/// The credit type a line priced at `list` is named in: its list rate's, when that is not the card's
/// currency (a custom pricing unit); `None` for the currency.
fn line_unit(plan: &Plan, list: Option<&Rate>) -> Option<crate::invoice::CreditType> {
    match (plan.rate_card, list) {
        (Some(rc), Some(r)) if rc.credit_type_of(r) != rc.fiat() => {
            let id = rc.credit_type_of(r);
            Some(
                plan.units
                    .iter()
                    .find(|u| u.id == id)
                    .cloned()
                    .unwrap_or_else(|| crate::credit_type::CreditType {
                        id: id.to_string(),
                        name: id.to_string(),
                        is_currency: false,
                    })
                    .into(),
            )
        }
        _ => None,
    }
}

/// The lines of a piece priced at `price` over the period's units `from..to` (`quantity` of them):
/// one at a flat price, else one per tier band the span meets (one, for a piece of no units).
fn push_lines(
    out: &mut Vec<LineItem>,
    price: &Price,
    (from, to, quantity): (Decimal, Decimal, Decimal),
    line: impl Fn(Decimal, Decimal, Option<TierInfo>) -> Checked<LineItem>,
) -> Checked<()> {
    match price {
        Price::Flat(p) => out.push(line(quantity, *p, None)?),
        Price::Tiered(tiers) => {
            let mut start = Decimal::ZERO;
            let mut emitted = false;
            for (level, t) in tiers.iter().enumerate() {
                let end = t.size.map(|s| add(start, s)).transpose()?;
                let lo = from.max(start);
                let hi = end.map_or(to, |e| to.min(e));
                let info = || TierInfo {
                    level: level as u32 + 1,
                    starting_at: tidy(start),
                    size: t.size.map(tidy),
                };
                if hi > lo || (quantity <= Decimal::ZERO && end.is_none_or(|e| from < e) && !emitted) {
                    out.push(line((hi - lo).max(quantity.min(Decimal::ZERO)), t.price, Some(info()))?);
                    emitted = true;
                }
                match end {
                    Some(e) if e < to => start = e,
                    _ => break,
                }
            }
        }
    }
    Ok(())
}

/// A priced piece as draw-down reads it: its total, its cells, and what each of the ledger's
/// `segments` may pay on it (nothing, for a balance that does not reach `contract`).
fn piece(
    contract: &Contract,
    segments: &[Segment],
    (a, b): (Timestamp, Timestamp),
    cells: &BTreeMap<usize, Agg>,
    balance_cuts: &[Timestamp],
    product: &Product,
    (price, from, total): (&Price, Quantity, Money),
) -> Checked<Piece> {
    let caps = segments
        .iter()
        .map(|s| {
            if s.holder.reaches(&contract.id) {
                cap(&s.window, (a, b), cells, balance_cuts, product, price, total)
            } else {
                Ok(Some(Money::ZERO))
            }
        })
        .collect::<Checked<_>>()?;
    let cells = piece_cells((a, b), cells, balance_cuts, product, (price, from), total)?;
    Ok(Piece { total, cells, caps })
}

/// Per period, the usage lines of a contract; the pieces they were priced in are added to `pieces`
/// (one list for the customer, as its ledger is one), with what each of the ledger's `segments` may
/// pay on them (nothing, for a balance this contract cannot draw on).
pub(super) fn usage_lines(
    plan: &Plan,
    feeds: &[Feed],
    segments: &[Segment],
    pieces: &mut Vec<Piece>,
) -> Result<Vec<Vec<LineItem>>> {
    let mut per_period: Vec<Vec<LineItem>> = vec![Vec::new(); plan.periods.len()];
    let mut sorted: Vec<(&LineKey, &LineEvents)> = plan.lines.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (key, line) in sorted {
        let feed = &feeds[key.product];
        let product = feed.product;
        let pgv: IndexMap<String, String> = key.pricing.iter().cloned().collect();
        let cuts = &plan.price_cuts[&(key.product, key.pricing.clone())];
        let balance_cuts = &plan.balance_cuts[key.product];
        let (pa, pb) = plan.periods[key.period];
        // Tiers count the units billed so far in the period, across the line's pieces.
        let mut used = Quantity::ZERO;
        for (&k, cells) in line {
            let a = if k == 0 { pa } else { cuts[k - 1].max(pa) };
            let b = cuts.get(k).map_or(pb, |c| (*c).min(pb));
            let mut agg = Agg::Empty;
            for c in cells.values() {
                agg.merge(c.clone());
            }
            let mut price_piece = || -> Checked<()> {
                if matches!(agg, Agg::Overflow) {
                    return Err(Overflow);
                }
                let quantity = product.billed_quantity(agg.value())?;
                let list = plan.rate_card.and_then(|rc| rc.rate_at(&product.id, &pgv, a));
                let (from, to) = (used, used.plus(quantity)?);
                let at = LineAt {
                    product,
                    pgv: &pgv,
                    at: a,
                };
                let Some(rate) = plan.contract.pricing().effective_rate(at, list, Some((from, to)))? else {
                    return Ok(());
                };
                used = to;
                let piece_id = pieces.len();
                // Priced in its list rate's credit type; one other than the card's currency (a custom
                // pricing unit) is named on the line.
                let unit = line_unit(plan, list);
                let scale = crate::credit_type::scale(unit.as_ref().map_or(
                    plan.rate_card.map_or(crate::credit_type::USD_CENTS_ID, |rc| rc.fiat()),
                    |u: &crate::invoice::CreditType| u.id.as_str(),
                ));
                let trace = Trace {
                    metered: Some(agg.value()),
                    span: Some((from.value(), to.value())),
                    balance: None,
                };
                let line = |quantity: Decimal, unit_price: Decimal, tier: Option<TierInfo>| -> Checked<LineItem> {
                    Ok(LineItem {
                        name: product.name.clone(),
                        kind: LineType::Usage,
                        product_id: product.id.clone(),
                        quantity: tidy(quantity),
                        unit_price: tidy(unit_price),
                        total: Money::of(Quantity::new(quantity), unit_price)?.rounded(scale),
                        starting_at: a,
                        ending_before: b,
                        pricing_group_values: pgv.clone(),
                        presentation_group_values: key.presentation.iter().cloned().collect(),
                        list_unit_price: match &rate.list {
                            Some(Price::Flat(p)) => Some(*p),
                            Some(Price::Tiered(t)) => {
                                tier.as_ref().and_then(|i| t.get(i.level as usize - 1)).map(|t| t.price)
                            }
                            None => None,
                        },
                        tier,
                        commit_id: None,
                        credit_type: unit.clone(),
                        piece: Some(piece_id),
                        trace: trace.clone(),
                        explanation: None,
                    })
                };
                let out = &mut per_period[key.period];
                let total = rate.price.amount(from, to)?;
                // The bands are walked in units: where the piece's span (from..to) meets each tier.
                let (from, to, quantity) = (from.value(), to.value(), quantity.value());
                push_lines(out, &rate.price, (from, to, quantity), line)?;
                pieces.push(piece(
                    plan.contract,
                    segments,
                    (a, b),
                    cells,
                    balance_cuts,
                    product,
                    (&rate.price, Quantity::new(from), total),
                )?);
                Ok(())
            };
            price_piece()
                .map_err(|Overflow| out_of_range(plan.contract, &format!("an amount of product `{}`", product.id)))?;
        }
    }
    Ok(per_period)
}
