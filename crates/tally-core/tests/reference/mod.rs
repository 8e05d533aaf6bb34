//! The reference rater: model.md read as slowly and plainly as possible, for one contract over one
//! quarter, so that the engine can be checked against it. It shares no code with the engine but
//! `Decimal` itself: it rates a plain description of the world (`World`), not Tally's state.
//!
//! The rules, in the order they are applied:
//! 0. An event counts when the contract's usage filter in force at its time (the last one set to start
//!    by then; none yet: every event) lets its region through.
//! 1. A line is one product's usage in one monthly period for one region (when the product is priced
//!    by region) and one presentation value (when it is presented by tier). It is cut only where its own price may change: a rate for its product and region, or
//!    an override that targets it, starts or ends. Each piece aggregates its own events, once.
//! 2. A piece's quantity is its aggregate, converted, then rounded. Its price is the list rate in force
//!    at the piece's start (the most specific by region), after overrides: not entitled means not
//!    billed (and not counted); the last added OVERWRITE wins; otherwise the MULTIPLIER or TIERED
//!    override that gives the lowest amount for the piece's units wins (ties: the last added).
//! 3. Tiers count the units billed so far in the period across the line's pieces: a piece covers the
//!    units from `used` to `used + quantity`, one invoice line per price band it reaches.
//! 4. Draw-down, invoice by invoice: lines in the spec's order, balances in the spec's order. Inside a
//!    line, time order: the piece is cut into cells wherever a balance that may pay it starts or ends,
//!    and the cells are paid earliest first, each by the balances whose window holds it. A cell costs
//!    its events priced alone or the piece's next units (its price for the events up to the cell's
//!    end, less up to its start), whichever is more, at most the piece's total. A balance pays at most
//!    what is left of the cell, of the piece, and of its own limit on the piece: all of it when its
//!    window holds the piece, else the piece's price for the events inside its window, aggregated and
//!    priced alone.
//! 5. A line's takes are rounded to cents as a running total, in the order they happened; a balance
//!    moves by the sum of its rounded takes (never below 0). A line a balance covered in full (to
//!    within 1e-12 cents) nets to 0 on the invoice, a line covered in part nets to its rounded total
//!    less the rounded amounts taken, never below 0.
//! 6. Scheduled charges are never drawn on; with consolidation one dated on the day a period ends sits
//!    on that period's usage invoice, otherwise on its own invoice. A paid commit's purchase is billed
//!    on its own invoice on its date.
//! 7. A second contract (`second`) starts Jan 15 with periods from the 15th, the same list prices and
//!    no overrides; it claims every APAC event from its start (its usage filter), the first contract
//!    none of those, unless only the first has a price (a rate or an entitlement) for the event's line
//!    at its time: usage goes where it can be priced. Balances are held by the first contract, by the customer for every contract, or
//!    by the customer for the second contract only. Invoices draw in order of period end, then
//!    contract start; a balance pays only the contracts it reaches; at equal rank contract-level
//!    balances go before customer-level ones.
//! 8. Or the second contract renews the first (`Second::Renewal`): the first ends Mar 1, the renewal
//!    runs Mar 1 to Apr 1 with no filter and no overrides and takes all usage from then. Each prepaid
//!    commit of the first with a rollover fraction whose access started before Mar 1 and had not ended
//!    before it gives that fraction of what it has left after the first contract's invoices to a
//!    rollover commit of the renewal (Mar 1 to Apr 1, same products and priority), which burns before
//!    every other balance; the rest expires.
//! 9. Auto-recharge (`recharge`, on the first contract): at its first instant and at every whole hour
//!    after it, until it ends, the prepaid balance it may draw on (its own and the customer's balances
//!    in force then, after drawing the usage before that instant, as rule 4) is looked at; at or under
//!    the threshold, a prepaid commit of (recharge-to − balance) is granted from then to the contract's
//!    end, after every balance listed, and billed then at the payment fraction. The balance only
//!    changes where usage comes or a window starts or ends, so those are the hours looked at.
//! 10. Spend threshold (`spend`, on the first contract): at every whole hour strictly inside one of
//!     its periods, spend is what its usage invoice for the period bills for the usage before that hour
//!     (rule 5, scheduled charges aside); when spend less what threshold charges of the period billed is
//!     at or over the threshold, that much is billed then (at the payment fraction, rounded) and taken
//!     off the period's usage invoice.
//! 11. Pricing units (`tokens`): one product may be priced in a custom unit, worth a fixed number of
//!     USD cents each. A line is in the unit of its list rate (with none, in cents); a balance pays only
//!     lines in its own unit; a token line's totals are rounded to 0.01 token (rule 5 otherwise), and
//!     what token lines leave on an invoice is converted: its total in cents, rounded, is added to the
//!     invoice. Thresholds count cents only (balances in tokens are not the prepaid balance).
//! 12. Seats (`seats`, on the first contract, in worlds without balances or thresholds): a
//!     subscription at a price per seat per monthly period. A period's seats are the count at its
//!     start, billed at its start (ADVANCE) or its end (ARREARS). A count that rises inside a period
//!     above the most billed in it so far bills the rise times the share of the period left (or in
//!     full when not prorated), at the period's end (next collection) or, ADVANCE and immediately, at
//!     the rise. A fall bills nothing. Each charge is rounded to cents; it sits on the first contract's
//!     usage invoice whose period ends on its date, else on an invoice of its own.
//! 13. A discount (`discount`) of the same amount on Feb 1 and Mar 1 takes that much off, placed as a
//!     scheduled charge is (rule 6), never floored: an invoice of its own is negative.
//! 14. A composite charge (`composite`): on every usage invoice of either contract, the percentage of
//!     the period's spend on the products with its tag (the exact amounts of their lines, before any
//!     balance pays; a token line's in cents at the tokens' worth), at least the minimum times the period's share of a whole period, rounded to
//!     cents once; no balance pays it, and it is not spend (rule 10).
//! 15. Professional services (`services`, on the first contract): one term sold up to a maximum
//!     amount, invoiced by calls, each dated on an hour of the contract. A line bills its `amount`, or
//!     its quantity (else the term's) times its unit price (else the term's), rounded to cents; the
//!     term's running total of rounded lines, in the order the calls were made (not their dates) and
//!     line by line, never passes the maximum's whole cents: a line that would pass it bills what is
//!     left (nothing once it is reached); each call is an invoice of its own on its date, never consolidated and never drawn on.
//! 16. A pooled seat credit (`seats.pooled`, for one usage product): each seat charge of rule 12 (a
//!     period's seats, a rise) grants a credit of the amount per seat times the seats it bills times
//!     its share of the period (1 when not prorated), usable from the period's start (or the rise) to
//!     the period's end, drawn as any credit (rule 4); the seat lines themselves are not on its product.

// Test code: the reference rater applies model.md's rules in one plain pass, as the doc reads.
#![allow(clippy::too_many_lines)]

use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, BTreeSet};

/// The monthly periods of the generated contract, in quarter-hour ticks from its start (Jan 1).
pub const PERIODS: [(u32, u32); 3] = [(0, 744 * 4), (744 * 4, 1416 * 4), (1416 * 4, 2160 * 4)];
/// The second contract's start (Jan 15) and its periods, monthly on the 15th, the last cut short by
/// its end (Apr 1, as the first's).
pub const SECOND_START: u32 = 336 * 4;
pub const PERIODS2: [(u32, u32); 3] = [(336 * 4, 1080 * 4), (1080 * 4, 1752 * 4), (1752 * 4, 2160 * 4)];
/// Where a renewal takes over (Mar 1): the first contract's end and the renewal's start.
pub const RENEWAL_AT: u32 = 1416 * 4;
const END: u32 = 2160 * 4;

/// The customer's other contract, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Second {
    None,
    /// From Jan 15, beside the first, taking the APAC usage.
    Parallel,
    /// Renewing the first from `RENEWAL_AT`.
    Renewal,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Agg {
    Count,
    Sum,
    Max,
    Unique,
    /// The value of the latest event (at the same tick, the one ingested last).
    Latest,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Price {
    Flat(Decimal),
    /// Bands of (size, price); the last has no size.
    Tiered(Vec<(Option<Decimal>, Decimal)>),
}

#[derive(Debug, Clone)]
pub struct Product {
    pub name: String,
    pub tag: &'static str,
    pub agg: Agg,
    pub by_region: bool,
    /// Presented (not priced) by the event's `tier`.
    pub by_tier: bool,
    /// (multiply?, factor)
    pub conversion: Option<(bool, Decimal)>,
    /// (strategy, decimal places)
    pub rounding: Option<(RoundingStrategy, u32)>,
}

#[derive(Debug, Clone)]
pub struct Rate {
    pub product: usize,
    pub region: Option<&'static str>,
    pub start: u32,
    pub end: Option<u32>,
    pub price: Price,
}

#[derive(Debug, Clone)]
pub enum Effect {
    Multiplier(Decimal),
    /// Bands of (size, multiplier).
    Tiered(Vec<(Option<Decimal>, Decimal)>),
    Overwrite(Price),
    Entitled(bool),
}

#[derive(Debug, Clone)]
pub struct Override {
    /// By product, or by tag when `None`.
    pub product: Option<usize>,
    pub tag: &'static str,
    pub region: Option<&'static str>,
    pub start: u32,
    pub end: Option<u32>,
    pub effect: Effect,
}

#[derive(Debug, Clone)]
pub struct Balance {
    pub credit: bool,
    /// A prepaid commit bought on Jan 1 (its purchase is billed); otherwise complimentary.
    pub paid: bool,
    pub amount: Decimal,
    pub start: u32,
    pub end: u32,
    pub product: Option<usize>,
    pub priority: Option<u32>,
    /// 0: the first contract's own; 1: the customer's, for every contract; 2: the customer's, for
    /// the second contract only; 3: the second contract's own (a rollover commit).
    pub holder: u8,
    /// For a prepaid commit of the first contract: the share of what it has left that a renewal rolls
    /// over.
    pub rollover: Option<Decimal>,
    /// In the custom pricing unit (tokens), not cents.
    pub tokens: bool,
}

impl Balance {
    fn reaches(&self, contract: usize) -> bool {
        match self.holder {
            0 => contract == 0,
            1 => true,
            _ => contract == 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    pub tick: u32,
    pub product: usize,
    pub region: &'static str,
    pub user: u8,
    pub value: u32,
    pub tier: &'static str,
}

#[derive(Debug, Clone)]
pub struct World {
    pub products: Vec<Product>,
    pub rates: Vec<Rate>,
    pub overrides: Vec<Override>,
    /// Commits first, then credits: the contract's order.
    pub balances: Vec<Balance>,
    /// A charge of this amount on Jan 1, Feb 1 and Mar 1.
    pub monthly_charge: Option<Decimal>,
    pub consolidate: bool,
    /// Usage filters on region: (from tick, regions let through), in the order set.
    pub filters: Vec<(u32, Vec<&'static str>)>,
    pub events: Vec<Event>,
    /// The customer's second contract, if any.
    pub second: Second,
    /// Auto-recharge on the first contract.
    pub recharge: Option<Recharge>,
    /// Spend threshold on the first contract: (threshold, payment fraction).
    pub spend: Option<(Decimal, Decimal)>,
    /// The product priced in tokens, and the cents one token is worth.
    pub tokens: Option<(usize, Decimal)>,
    /// Seats on the first contract (rule 12).
    pub seats: Option<Seats>,
    /// A discount on Feb 1 and Mar 1 (rule 13), in cents.
    pub discount: Option<Decimal>,
    /// A composite charge (rule 14): (tag, percentage as a fraction, minimum per whole period).
    pub composite: Option<(&'static str, Decimal, Option<Decimal>)>,
    /// Professional services on the first contract (rule 15).
    pub services: Option<Services>,
}

#[derive(Debug, Clone)]
pub struct Services {
    /// The term: cents per unit, units, the most it may bill in all.
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub max: Decimal,
    /// The invoices, in the order scheduled: (tick on the hour, lines).
    pub invoices: Vec<(u32, Vec<ServiceLine>)>,
}

#[derive(Debug, Clone)]
pub enum ServiceLine {
    /// An amount in cents.
    Amount(Decimal),
    /// Quantity and unit price, each the term's when not given.
    Units(Option<Decimal>, Option<Decimal>),
}

#[derive(Debug, Clone)]
pub struct Seats {
    /// Cents per seat per period.
    pub price: Decimal,
    pub advance: bool,
    /// A rise billed at once (ADVANCE only).
    pub immediately: bool,
    pub prorated: bool,
    /// (tick on the hour, seats from then), the first at 0, in time order, one per tick.
    pub steps: Vec<(u32, u32)>,
    /// A credit pooled from the seats (rule 16): (cents per seat per period, the usage product it pays).
    pub pooled: Option<(Decimal, usize)>,
}

/// One seat charge of rule 12.
struct SeatBill {
    /// The seats billed and the share of the period they are billed for.
    seats: u32,
    share: Decimal,
    /// From the period's start or the rise, to the period's end.
    from: u32,
    until: u32,
    /// Where it is billed; `own`: on an invoice of its own, even on a period's end.
    date: u32,
    own: bool,
}

#[derive(Debug, Clone)]
pub struct Recharge {
    pub threshold: Decimal,
    pub to: Decimal,
    pub fraction: Decimal,
}

/// The first whole hour (4 ticks) after `t`, and the first at or after it.
fn next_hour(t: u32) -> u32 {
    (t / 4 + 1) * 4
}
fn ceil_hour(t: u32) -> u32 {
    t.div_ceil(4) * 4
}

/// Invoice totals by (type, date as ticks).
pub type Totals = BTreeMap<(&'static str, u32), Decimal>;

/// Half away from zero, to whole cents. A third of a unit is not exact in 28 digits: an amount is
/// taken to 20 places first, so 569.4999…(28 digits) is the half it stands for.
fn cents(d: Decimal) -> Decimal {
    round(d, 0)
}

fn round(d: Decimal, places: u32) -> Decimal {
    d.round_dp_with_strategy(20, RoundingStrategy::MidpointAwayFromZero)
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

fn amount(price: &Price, from: Decimal, units: Decimal) -> Decimal {
    bands(price, from, units).iter().map(|(q, p)| q * p).sum()
}

/// The `units` from `from` on, by the band they fall in: (units, unit price). A flat price is one
/// band of exactly `units` (not `from + units - from`, which may lose the last digit).
fn bands(price: &Price, from: Decimal, units: Decimal) -> Vec<(Decimal, Decimal)> {
    let to = from + units;
    match price {
        Price::Flat(p) => vec![(units, *p)],
        Price::Tiered(tiers) => {
            let mut out = Vec::new();
            let mut start = Decimal::ZERO;
            for (size, p) in tiers {
                let end = size.map(|s| start + s);
                let lo = from.max(start);
                let hi = end.map_or(to, |e| to.min(e));
                if hi > lo {
                    out.push((hi - lo, *p));
                }
                match end {
                    Some(e) if e < to => start = e,
                    _ => break,
                }
            }
            out
        }
    }
}

/// A price under a multiplier or multiplier bands: every unit at its list price times its band's
/// multiplier, with a band wherever either list changes.
fn multiplied(list: &Price, effect: &Effect) -> Price {
    let list_bands: Vec<(Option<Decimal>, Decimal)> = match list {
        Price::Flat(p) => vec![(None, *p)],
        Price::Tiered(t) => t.clone(),
    };
    let mult_bands: Vec<(Option<Decimal>, Decimal)> = match effect {
        Effect::Multiplier(m) => vec![(None, *m)],
        Effect::Tiered(b) => b.clone(),
        _ => unreachable!(),
    };
    let ends = |b: &[(Option<Decimal>, Decimal)]| -> Vec<Decimal> {
        let mut acc = Decimal::ZERO;
        b.iter()
            .filter_map(|(s, _)| {
                s.map(|s| {
                    acc += s;
                    acc
                })
            })
            .collect()
    };
    let cuts: BTreeSet<Decimal> = ends(&list_bands).into_iter().chain(ends(&mult_bands)).collect();
    let at = |b: &[(Option<Decimal>, Decimal)], u: Decimal| {
        let mut acc = Decimal::ZERO;
        for (s, v) in b {
            match s {
                Some(s) if u >= acc + s => acc += s,
                _ => return *v,
            }
        }
        b.last().unwrap().1
    };
    let mut out = Vec::new();
    let mut start = Decimal::ZERO;
    for c in cuts {
        out.push((Some(c - start), at(&list_bands, start) * at(&mult_bands, start)));
        start = c;
    }
    out.push((None, at(&list_bands, start) * at(&mult_bands, start)));
    Price::Tiered(out)
}

impl World {
    fn inside(start: u32, end: Option<u32>, t: u32) -> bool {
        start <= t && end.is_none_or(|e| t < e)
    }

    fn targets(&self, o: &Override, product: usize, region: Option<&str>) -> bool {
        let p = &self.products[product];
        let by = match o.product {
            Some(x) => x == product,
            None => o.tag == p.tag,
        };
        by && o.region.is_none_or(|r| Some(r) == region)
    }

    fn list_rate(&self, product: usize, region: Option<&str>, t: u32) -> Option<&Rate> {
        self.rates
            .iter()
            .filter(|r| r.product == product && Self::inside(r.start, r.end, t))
            .filter(|r| r.region.is_none_or(|x| Some(x) == region))
            .max_by_key(|r| r.region.is_some())
    }

    /// The price of the line at `t` for `units` units from `from` on, or `None` when it is not billed.
    fn price(
        &self,
        contract: usize,
        product: usize,
        region: Option<&str>,
        t: u32,
        from: Decimal,
        units: Decimal,
    ) -> Option<Price> {
        let active: Vec<&Override> = self
            .overrides
            .iter()
            .filter(|o| contract == 0 && Self::inside(o.start, o.end, t) && self.targets(o, product, region))
            .collect();
        let list = self.list_rate(product, region, t);
        let mut entitled = list.is_some();
        for o in &active {
            if let Effect::Entitled(e) = o.effect {
                entitled = e;
            }
        }
        if !entitled {
            return None;
        }
        if let Some(o) = active.iter().rev().find(|o| matches!(o.effect, Effect::Overwrite(_))) {
            let Effect::Overwrite(p) = &o.effect else {
                unreachable!()
            };
            return Some(p.clone());
        }
        let list = &list?.price;
        let mut best: Option<Price> = None;
        for o in active.iter().rev() {
            if matches!(o.effect, Effect::Multiplier(_) | Effect::Tiered(_)) {
                let p = multiplied(list, &o.effect);
                if best
                    .as_ref()
                    .is_none_or(|b| amount(&p, from, units) < amount(b, from, units))
                {
                    best = Some(p);
                }
            }
        }
        Some(best.unwrap_or_else(|| list.clone()))
    }

    fn quantity(&self, product: usize, events: &[&Event]) -> Decimal {
        let p = &self.products[product];
        let raw = match p.agg {
            Agg::Count => Decimal::from(events.len()),
            Agg::Sum => events.iter().map(|e| Decimal::from(e.value)).sum(),
            Agg::Max => events.iter().map(|e| Decimal::from(e.value)).max().unwrap_or_default(),
            Agg::Unique => Decimal::from(events.iter().map(|e| e.user).collect::<BTreeSet<_>>().len()),
            Agg::Latest => events
                .iter()
                .fold(None::<&&Event>, |best, e| match best {
                    Some(b) if b.tick > e.tick => Some(b),
                    _ => Some(e),
                })
                .map_or(Decimal::ZERO, |e| Decimal::from(e.value)),
        };
        let converted = match p.conversion {
            Some((true, f)) => raw * f,
            Some((false, f)) => raw / f,
            None => raw,
        };
        match p.rounding {
            Some((s, dp)) => converted.round_dp_with_strategy(dp, s),
            None => converted,
        }
    }

    /// Invoice totals by (type, date as ticks): "USAGE" keyed by period start, "SCHEDULED" and
    /// "THRESHOLD" by date.
    pub fn invoice_totals(&self) -> Totals {
        let grants = self.recharges();
        let (mut totals, _) = self.rate(&grants);
        if let Some(r) = &self.recharge {
            for (h, amount) in &grants {
                *totals.entry(("SCHEDULED", *h)).or_default() += cents(amount * r.fraction);
            }
        }
        self.seat_charges(&mut totals);
        self.service_charges(&mut totals);
        if let Some((_, fraction)) = self.spend {
            for (a, h, amount) in self.spend_charges(&grants) {
                *totals.entry(("THRESHOLD", h)).or_default() += cents(amount * fraction);
                *totals.entry(("USAGE", a)).or_default() -= amount;
                // Shown on the usage invoice as an applied line too.
                *totals.entry(("PAID", a)).or_default() += amount;
            }
        }
        totals
    }

    /// Each usage invoice's usage lines, as quantities billed per product and unit price (balances
    /// split a line but never change what it bills): (period start, product, unit price) → units.
    pub fn usage_quantities(&self) -> BTreeMap<(u32, usize, Decimal), Decimal> {
        let mut periods: Vec<(usize, u32, u32)> = match self.second {
            Second::Renewal => PERIODS[..2].iter().map(|&(a, b)| (0, a, b)).collect(),
            _ => PERIODS.iter().map(|&(a, b)| (0, a, b)).collect(),
        };
        match self.second {
            Second::None => {}
            Second::Parallel => periods.extend(PERIODS2.iter().map(|&(a, b)| (1, a, b))),
            Second::Renewal => periods.push((1, RENEWAL_AT, END)),
        }
        let mut out = BTreeMap::new();
        for (contract, a, b) in periods {
            for line in self.usage_lines(contract, a, b).0 {
                if !line.quantity.is_zero() {
                    *out.entry((a, line.product, line.unit_price.normalize()))
                        .or_insert(Decimal::ZERO) += line.quantity;
                }
            }
        }
        out.retain(|_, q| !q.is_zero());
        out
    }

    /// Rule 12: the seat charges of the first contract, period by period.
    fn seat_bills(&self) -> Vec<SeatBill> {
        let Some(s) = &self.seats else {
            return Vec::new();
        };
        let seats_at = |t: u32| s.steps.iter().rev().find(|(at, _)| *at <= t).map_or(0, |(_, q)| *q);
        let mut out = Vec::new();
        for &(a, b) in PERIODS.iter().filter(|(a, _)| *a < self.end0()) {
            let base = seats_at(a);
            if base > 0 {
                out.push(SeatBill {
                    seats: base,
                    share: Decimal::ONE,
                    from: a,
                    until: b,
                    date: if s.advance { a } else { b },
                    own: false,
                });
            }
            let mut billed = base;
            for &(t, q) in s.steps.iter().filter(|(t, _)| a < *t && *t < b) {
                if q <= billed {
                    continue;
                }
                let share = if s.prorated {
                    Decimal::from(b - t) / Decimal::from(b - a)
                } else {
                    Decimal::ONE
                };
                let now = s.advance && s.immediately;
                out.push(SeatBill {
                    seats: q - billed,
                    share,
                    from: t,
                    until: b,
                    date: if now { t } else { b },
                    own: now,
                });
                billed = q;
            }
        }
        out
    }

    /// Rule 12: each seat charge added to the invoice it sits on.
    fn seat_charges(&self, totals: &mut Totals) {
        let Some(s) = &self.seats else {
            return;
        };
        let periods: Vec<(u32, u32)> = PERIODS.iter().copied().filter(|(a, _)| *a < self.end0()).collect();
        for bill in self.seat_bills() {
            let amount = cents(Decimal::from(bill.seats) * (s.price * bill.share));
            match periods.iter().find(|(_, b)| *b == bill.date).filter(|_| !bill.own) {
                Some((a, _)) => *totals.entry(("USAGE", *a)).or_default() += amount,
                None => *totals.entry(("SCHEDULED", bill.date)).or_default() += amount,
            }
        }
    }

    /// Rule 16: the credits a pooled seat credit grants, one per seat charge.
    fn pooled_credits(&self) -> Vec<Balance> {
        let Some((per_seat, product)) = self.seats.as_ref().and_then(|s| s.pooled) else {
            return Vec::new();
        };
        self.seat_bills()
            .into_iter()
            .map(|bill| Balance {
                credit: true,
                paid: false,
                amount: per_seat * (Decimal::from(bill.seats) * bill.share),
                start: bill.from,
                end: bill.until,
                product: Some(product),
                priority: None,
                holder: 0,
                rollover: None,
                tokens: false,
            })
            .collect()
    }

    /// Rule 15: each professional-services invoice on its date.
    fn service_charges(&self, totals: &mut Totals) {
        let Some(s) = &self.services else {
            return;
        };
        let mut used = Decimal::ZERO;
        for (at, lines) in &s.invoices {
            let mut total = Decimal::ZERO;
            for line in lines {
                let want = match line {
                    ServiceLine::Amount(a) => *a,
                    ServiceLine::Units(q, p) => q.unwrap_or(s.quantity) * p.unwrap_or(s.unit_price),
                };
                // Lines are rounded first; their running total never passes the cap's whole cents.
                let billed = cents(want).min((s.max.trunc() - used).max(Decimal::ZERO));
                used += billed;
                total += billed;
            }
            *totals.entry(("SCHEDULED", *at)).or_default() += total;
        }
    }

    /// The first contract's end.
    fn end0(&self) -> u32 {
        if self.second == Second::Renewal {
            RENEWAL_AT
        } else {
            END
        }
    }

    /// The same world with only the usage before `h`, and no scheduled charges.
    fn before(&self, h: u32) -> World {
        let mut w = self.clone();
        w.events.retain(|e| e.tick < h);
        w.monthly_charge = None;
        w.discount = None;
        w.composite = None;
        w
    }

    /// Rule 9: the recharges granted, as (tick, amount), in time order.
    fn recharges(&self) -> Vec<(u32, Decimal)> {
        let Some(r) = &self.recharge else {
            return Vec::new();
        };
        let end0 = self.end0();
        let mut looked: BTreeSet<u32> = BTreeSet::from([0]);
        looked.extend(self.events.iter().map(|e| next_hour(e.tick)));
        looked.extend(
            self.balances
                .iter()
                .flat_map(|b| [ceil_hour(b.start), ceil_hour(b.end)]),
        );
        let mut grants: Vec<(u32, Decimal)> = Vec::new();
        for h in looked.into_iter().filter(|h| *h < end0) {
            let (_, left) = self.before(h).rate(&grants);
            let balance: Decimal = left
                .iter()
                .filter(|(b, _)| b.reaches(0) && !b.tokens && b.start <= h && h < b.end)
                .map(|(_, l)| *l)
                .sum();
            if balance <= r.threshold {
                grants.push((h, r.to - balance));
            }
        }
        grants
    }

    /// Rule 10: the spend threshold charges, as (period start, tick, amount).
    fn spend_charges(&self, grants: &[(u32, Decimal)]) -> Vec<(u32, u32, Decimal)> {
        let Some((threshold, _)) = self.spend else {
            return Vec::new();
        };
        let periods: &[(u32, u32)] = if self.second == Second::Renewal {
            &PERIODS[..2]
        } else {
            &PERIODS
        };
        let mut out = Vec::new();
        for &(a, b) in periods {
            // Spend changes only where usage comes (the first contract's or another's, which may
            // take shared balances first).
            let looked: BTreeSet<u32> = self
                .events
                .iter()
                .filter(|e| a <= e.tick && e.tick < b)
                .map(|e| next_hour(e.tick))
                .filter(|h| *h < b)
                .collect();
            let mut billed = Decimal::ZERO;
            for h in looked {
                let (totals, _) = self.before(h).rate(grants);
                let spent = totals.get(&("USAGE", a)).copied().unwrap_or_default();
                if spent - billed >= threshold {
                    out.push((a, h, spent - billed));
                    billed = spent;
                }
            }
        }
        out
    }

    /// Usage and scheduled invoice totals with the recharges `grants`, and each balance drawn on
    /// (recharges included) with what it has left after every invoice (in a renewal, before any rolled over).
    fn rate(&self, grants: &[(u32, Decimal)]) -> (Totals, Vec<(Balance, Decimal)>) {
        let mut totals: Totals = BTreeMap::new();
        let (balances, rolled_from) = self.ledger(grants);
        let mut left_by_first: Option<Vec<Decimal>> = None;
        let mut remaining: Vec<Decimal> = balances.iter().map(|b| b.amount).collect();
        // Every product of the catalog counts, the FIXED one the commits are sold as included.
        let order = Self::balance_order(&balances, self.products.len() + 1);
        // Usage invoices of both contracts, in order of period end, then contract start.
        let mut invoices: Vec<(u32, u32, usize, u32)> = match self.second {
            Second::Renewal => PERIODS[..2].iter().map(|&(a, b)| (b, 0, 0, a)).collect(),
            _ => PERIODS.iter().map(|&(a, b)| (b, 0, 0, a)).collect(),
        };
        match self.second {
            Second::None => {}
            Second::Parallel => invoices.extend(PERIODS2.iter().map(|&(a, b)| (b, SECOND_START, 1, a))),
            Second::Renewal => invoices.push((END, RENEWAL_AT, 1, RENEWAL_AT)),
        }
        invoices.sort();
        let mut rolled = false;
        for (b, _, contract, a) in invoices {
            // The renewal's first invoice: every invoice of the first contract is drawn, so what
            // rolls over is known.
            if contract == 1 && self.second == Second::Renewal && !rolled {
                rolled = true;
                // What the first contract's balances had left before any rolled over.
                left_by_first = Some(remaining.clone());
                for (i, from) in rolled_from.iter().enumerate() {
                    if let Some(j) = *from {
                        remaining[i] = remaining[j] * self.balances[j].rollover.unwrap_or_default();
                        remaining[j] = Decimal::ZERO;
                    }
                }
            }
            let (lines, pieces) = self.usage_lines(contract, a, b);
            if let Some((tag, pct, minimum)) = self.composite {
                // Token spend counts too, in cents at the tokens' worth.
                let worth = |l: &Line| {
                    if l.tokens {
                        self.tokens.map_or(Decimal::ONE, |t| t.1)
                    } else {
                        Decimal::ONE
                    }
                };
                let spend: Decimal = lines
                    .iter()
                    .filter(|l| self.products[l.product].tag == tag)
                    .map(|l| l.quantity * l.unit_price * worth(l))
                    .sum();
                // A whole period is a month on the contract's grid: the second contract's last period
                // (Mar 15 to its Apr 1 end) is 408 of the 744 hours to Apr 15.
                let share = if contract == 1 && self.second == Second::Parallel && b == END {
                    Decimal::from(b - a) / Decimal::from(744 * 4)
                } else {
                    Decimal::ONE
                };
                let floor = minimum.unwrap_or_default() * share;
                *totals.entry(("USAGE", a)).or_default() += cents((pct * spend).max(floor));
            }
            let mut paid: Vec<PaidOn> = pieces.iter().map(|_| PaidOn::default()).collect();
            let mut net = Decimal::ZERO;
            let mut token_net = Decimal::ZERO;
            for line in lines {
                let places = if line.tokens { 2 } else { 0 };
                let exact = line.quantity * line.unit_price;
                let mut left = line.quantity;
                let piece = &pieces[line.piece];
                let pays = |bal: &Balance| {
                    bal.product.is_none_or(|p| p == line.product) && bal.reaches(contract) && bal.tokens == line.tokens
                };
                // The piece's cells: cut wherever a balance that may pay it starts or ends.
                let mut cuts: BTreeSet<u32> = BTreeSet::from([line.start, line.end]);
                for bal in balances.iter().filter(|b| pays(b)) {
                    cuts.extend(
                        [bal.start, bal.end]
                            .into_iter()
                            .filter(|t| line.start < *t && *t < line.end),
                    );
                }
                let cuts: Vec<u32> = cuts.into_iter().collect();
                let cells = self.cells(line.product, piece, &cuts);
                let on = &mut paid[line.piece];
                on.cell.resize(cells.len(), Decimal::ZERO);
                // The takes in the order they happen: (balance, exact amount).
                let mut taken: Vec<(usize, Decimal)> = Vec::new();
                let before = remaining.clone();
                if exact > Decimal::ZERO && line.unit_price > Decimal::ZERO {
                    for (k, &(cs, ce, cell_amount)) in cells.iter().enumerate() {
                        for &bi in &order {
                            let bal = &balances[bi];
                            let in_force = bal.start <= cs && ce <= bal.end;
                            if left <= Decimal::ZERO || !pays(bal) || !in_force || remaining[bi] <= Decimal::ZERO {
                                continue;
                            }
                            // The most this balance may pay on the piece: all of it when its window
                            // holds the piece, else its events inside the window priced alone.
                            let limit = if bal.start <= line.start && line.end <= bal.end {
                                piece.total
                            } else {
                                let inside: Vec<&Event> = piece
                                    .events
                                    .iter()
                                    .copied()
                                    .filter(|e| bal.start <= e.tick && e.tick < bal.end)
                                    .collect();
                                amount(&piece.price, Decimal::ZERO, self.quantity(line.product, &inside))
                                    .min(piece.total)
                            };
                            let by = on.by.get(&bi).copied().unwrap_or_default();
                            let room = (limit - by).min(cell_amount - on.cell[k]).min(piece.total - on.total);
                            if room <= Decimal::ZERO {
                                continue;
                            }
                            let want = (left * line.unit_price).min(room);
                            let take = remaining[bi].min(want);
                            remaining[bi] -= take;
                            on.total += take;
                            on.cell[k] += take;
                            on.by.insert(bi, by + take);
                            taken.push((bi, take));
                            // What is left within 1e-12 cents of nothing is division dust: covered.
                            let covered = (left * line.unit_price - take).abs() < Decimal::new(1, 12);
                            left -= if covered { left } else { take / line.unit_price };
                        }
                    }
                }
                // A balance moves by what the invoice shows it paid: the line's takes are rounded as a
                // running total, in order, and each balance shows the sum of its rounded takes.
                let mut shown: BTreeMap<usize, Decimal> = BTreeMap::new();
                let (mut exact_so_far, mut shown_so_far) = (Decimal::ZERO, Decimal::ZERO);
                for (bi, take) in taken {
                    exact_so_far += take;
                    let r = round(exact_so_far, places) - shown_so_far;
                    shown_so_far += r;
                    *shown.entry(bi).or_default() += r;
                }
                for (&bi, r) in &shown {
                    remaining[bi] = (before[bi] - r).max(Decimal::ZERO);
                }
                let shown: Vec<Decimal> = shown.into_values().collect();
                let line_net = if !shown.is_empty() && left <= Decimal::ZERO {
                    Decimal::ZERO
                } else {
                    // Rounded covered parts can reach the line's total with a sliver left: never below 0.
                    (round(exact, places) - shown.iter().sum::<Decimal>()).max(Decimal::ZERO)
                };
                if line.tokens {
                    token_net += line_net;
                } else {
                    net += line_net;
                    // What balances paid on the invoice, as its applied lines show it.
                    let applied: Decimal = shown.iter().sum();
                    if !applied.is_zero() {
                        *totals.entry(("PAID", a)).or_default() += applied;
                    }
                }
            }
            if let Some((_, worth)) = self.tokens {
                net += cents(token_net * worth);
            }
            *totals.entry(("USAGE", a)).or_default() += net;
        }
        if let Some(c) = self.monthly_charge {
            // A renewed contract ends Mar 1: its charge on that day is past its end.
            let ends = if self.second == Second::Renewal {
                RENEWAL_AT
            } else {
                END
            };
            for (_, start) in [(0, 0u32), (1, 744 * 4), (2, 1416 * 4)]
                .into_iter()
                .filter(|(_, t)| *t < ends)
            {
                let on_usage = PERIODS
                    .iter()
                    .find(|(_, end)| *end == start)
                    .filter(|_| self.consolidate);
                match on_usage {
                    Some((a, _)) => *totals.entry(("USAGE", *a)).or_default() += cents(c),
                    None => *totals.entry(("SCHEDULED", start)).or_default() += cents(c),
                }
            }
        }
        if let Some(d) = self.discount {
            for date in [744 * 4, 1416 * 4u32].into_iter().filter(|t| *t < self.end0()) {
                let on_usage = PERIODS
                    .iter()
                    .find(|(_, end)| *end == date)
                    .filter(|_| self.consolidate);
                match on_usage {
                    Some((a, _)) => *totals.entry(("USAGE", *a)).or_default() -= cents(d),
                    None => *totals.entry(("SCHEDULED", date)).or_default() -= cents(d),
                }
            }
        }
        for b in self.balances.iter().filter(|b| b.paid && !b.credit) {
            *totals.entry(("SCHEDULED", 0)).or_default() += cents(b.amount);
        }
        let left = left_by_first.unwrap_or(remaining);
        (totals, balances.into_iter().zip(left).collect())
    }

    /// The balances drawn on: the world's, then in a renewal one rollover commit (amount decided at
    /// the renewal) per prepaid commit of the first contract with a rollover fraction, with the index
    /// of the balance it rolls over.
    fn ledger(&self, grants: &[(u32, Decimal)]) -> (Vec<Balance>, Vec<Option<usize>>) {
        let mut all: Vec<Balance> = self.balances.clone();
        all.extend(self.pooled_credits());
        // Recharges: the first contract's own prepaid commits, after every balance listed.
        all.extend(grants.iter().map(|&(h, amount)| Balance {
            credit: false,
            paid: true,
            amount,
            start: h,
            end: self.end0(),
            product: None,
            priority: None,
            holder: 0,
            rollover: None,
            tokens: false,
        }));
        let mut from: Vec<Option<usize>> = vec![None; all.len()];
        if self.second == Second::Renewal {
            for (j, b) in self.balances.iter().enumerate() {
                if b.holder != 0 || b.credit || b.rollover.is_none() {
                    continue;
                }
                all.push(Balance {
                    credit: false,
                    paid: true,
                    amount: Decimal::ZERO,
                    start: RENEWAL_AT,
                    end: END,
                    product: b.product,
                    priority: b.priority,
                    holder: 3,
                    rollover: None,
                    tokens: b.tokens,
                });
                // Only access that started before the renewal and had not ended before it rolls.
                let unexpired = b.start < RENEWAL_AT && b.end >= RENEWAL_AT;
                from.push(unexpired.then_some(j));
            }
        }
        (all, from)
    }

    /// Balances in the spec's order: rollover commits first; lower priority first (none last);
    /// credits and complimentary commits before paid; fewest applicable products (of `catalog`);
    /// earliest end; earliest start; contract-level before customer-level; as listed.
    fn balance_order(balances: &[Balance], catalog: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..balances.len()).collect();
        order.sort_by_key(|&i| {
            let b = &balances[i];
            (
                b.holder != 3,
                b.priority.is_none(),
                b.priority,
                b.paid && !b.credit,
                if b.product.is_some() { 1 } else { catalog },
                b.end,
                b.start,
                matches!(b.holder, 1 | 2),
                i,
            )
        });
        order
    }

    /// Whether `contract` claims the event: the second claims APAC usage from its start (its filter,
    /// more specific than none and set later than any of the first's); the first, what its own usage
    /// filter in force at the event's time lets through.
    fn claims(&self, contract: usize, e: &Event) -> bool {
        if self.second == Second::Renewal {
            return match contract {
                1 => e.tick >= RENEWAL_AT,
                _ => e.tick < RENEWAL_AT && self.filtered_in(e),
            };
        }
        let second = self.second == Second::Parallel && e.region == "APAC" && e.tick >= SECOND_START;
        let first = self.filtered_in(e);
        // The second's claim is the stronger; it gives way only when it has no price for the event
        // and the first, which also claims it, has one.
        let to_second = second && (self.priced(1, e) || !first || !self.priced(0, e));
        match contract {
            1 => to_second,
            _ => first && !to_second,
        }
    }

    /// Whether `contract` has a price (a rate or an entitlement) for the event's line at its time.
    fn priced(&self, contract: usize, e: &Event) -> bool {
        let region = self.products[e.product].by_region.then_some(e.region);
        self.price(contract, e.product, region, e.tick, Decimal::ZERO, Decimal::ONE)
            .is_some()
    }

    /// Whether the first contract's usage filter in force at the event's time lets it through.
    fn filtered_in(&self, e: &Event) -> bool {
        let mut in_force: Option<&Vec<&'static str>> = None;
        let mut since = 0;
        for (start, values) in &self.filters {
            // A filter set again for the same instant replaces the earlier one.
            if *start <= e.tick && (in_force.is_none() || *start >= since) {
                in_force = Some(values);
                since = *start;
            }
        }
        in_force.is_none_or(|v| v.contains(&e.region))
    }

    /// A piece's cells between consecutive `cuts`, in time order, each with the most balances may pay
    /// on it together: what its events cost priced alone, or as the piece's next units (the piece's
    /// price for its events up to the cell's end, less up to its start), whichever is more, at most the
    /// piece's total.
    fn cells(&self, product: usize, piece: &RefPiece, cuts: &[u32]) -> Vec<(u32, u32, Decimal)> {
        let mut out = Vec::new();
        let mut before = Decimal::ZERO;
        for w in cuts.windows(2) {
            let (cs, ce) = (w[0], w[1]);
            let mine: Vec<&Event> = piece
                .events
                .iter()
                .copied()
                .filter(|e| cs <= e.tick && e.tick < ce)
                .collect();
            let upto: Vec<&Event> = piece.events.iter().copied().filter(|e| e.tick < ce).collect();
            let q = self.quantity(product, &upto);
            let upto = (amount(&piece.price, piece.from, q)).min(piece.total).max(before);
            let alone = amount(&piece.price, Decimal::ZERO, self.quantity(product, &mine));
            out.push((cs, ce, alone.max(upto - before).min(piece.total).max(Decimal::ZERO)));
            before = upto;
        }
        out
    }

    fn usage_lines(&self, contract: usize, a: u32, b: u32) -> (Vec<Line>, Vec<RefPiece<'_>>) {
        let mut lines = Vec::new();
        let mut pieces = Vec::new();
        let counted: Vec<&Event> = self.events.iter().filter(|e| self.claims(contract, e)).collect();
        for (pi, p) in self.products.iter().enumerate() {
            let keys: BTreeSet<(Option<&'static str>, Option<&'static str>)> = counted
                .iter()
                .filter(|e| e.product == pi && a <= e.tick && e.tick < b)
                .map(|e| (p.by_region.then_some(e.region), p.by_tier.then_some(e.tier)))
                .collect();
            for (region, tier) in keys {
                let mine: Vec<&Event> = counted
                    .iter()
                    .copied()
                    .filter(|e| e.product == pi && a <= e.tick && e.tick < b)
                    .filter(|e| !p.by_region || Some(e.region) == region)
                    .filter(|e| !p.by_tier || Some(e.tier) == tier)
                    .collect();
                // Where this line's own price may change.
                let mut cuts: BTreeSet<u32> = BTreeSet::from([a, b]);
                for r in self
                    .rates
                    .iter()
                    .filter(|r| r.product == pi && r.region.is_none_or(|x| Some(x) == region))
                {
                    cuts.extend([r.start].into_iter().chain(r.end).filter(|t| a < *t && *t < b));
                }
                for o in self
                    .overrides
                    .iter()
                    .filter(|o| contract == 0 && self.targets(o, pi, region))
                {
                    cuts.extend([o.start].into_iter().chain(o.end).filter(|t| a < *t && *t < b));
                }
                let cuts: Vec<u32> = cuts.into_iter().collect();
                let mut used = Decimal::ZERO;
                for w in cuts.windows(2) {
                    let (s, e) = (w[0], w[1]);
                    let events: Vec<&Event> = mine.iter().copied().filter(|x| s <= x.tick && x.tick < e).collect();
                    if events.is_empty() {
                        continue;
                    }
                    let q = self.quantity(pi, &events);
                    let Some(price) = self.price(contract, pi, region, s, used, q) else {
                        continue;
                    };
                    let total = amount(&price, used, q);
                    let tokens = self.tokens.is_some_and(|(tp, _)| tp == pi) && self.list_rate(pi, region, s).is_some();
                    let piece = pieces.len();
                    for (quantity, unit_price) in bands(&price, used, q) {
                        lines.push(Line {
                            product: pi,
                            tokens,
                            name: p.name.clone(),
                            start: s,
                            end: e,
                            quantity,
                            unit_price,
                            piece,
                        });
                    }
                    used += q;
                    pieces.push(RefPiece {
                        total,
                        price,
                        from: used - q,
                        events,
                    });
                }
            }
        }
        // Usage lines in the spec's order: earlier start; higher unit price; name A→Z (stable beyond).
        lines.sort_by(|x, y| {
            x.start
                .cmp(&y.start)
                .then(y.unit_price.cmp(&x.unit_price))
                .then(x.name.cmp(&y.name))
        });
        (lines, pieces)
    }
}

struct Line {
    product: usize,
    /// Priced in tokens (rule 11).
    tokens: bool,
    name: String,
    start: u32,
    end: u32,
    quantity: Decimal,
    unit_price: Decimal,
    piece: usize,
}

struct RefPiece<'a> {
    total: Decimal,
    price: Price,
    /// The units billed in the period before this piece (where its tiers start counting).
    from: Decimal,
    events: Vec<&'a Event>,
}

/// What balances paid on one piece so far: in all, per cell, per balance.
#[derive(Default)]
struct PaidOn {
    total: Decimal,
    cell: Vec<Decimal>,
    by: BTreeMap<usize, Decimal>,
}
