//! Rating: from the stored state and a time horizon to a customer's invoices. Pure and deterministic.
//!
//! The words used here:
//! - a *feed* is a usage product with the billable metric that feeds it;
//! - a *line* is one feed's usage on one contract in one service period, for one set of pricing and
//!   presentation group values;
//! - a line is cut into *pieces* only where its own price may change: a rate for its own pricing group
//!   values starts or ends, or an override that targets it does. Each piece aggregates its own events;
//!   a line without such a change is one piece, so UNIQUE counts a value once and MAX is the period's;
//! - a *cell* is the part of a piece between two instants where a balance window (commit or credit
//!   segment) that may pay for the feed starts or ends. Cells never cut a line: they only tell a balance
//!   which of the line's events fall inside its window, and so how much of the line it may pay.
//!
//! Usage is indexed once per call: each event is routed to one contract (usage filters) and added to the
//! aggregate of its line, piece and cell. Lines are then priced piece by piece, in time order, with tiers
//! counting the units billed so far in the period.

use crate::commit::{BalanceKind, Segment};
use crate::contract::Contract;
use crate::drawdown::Ledger;
use crate::error::{Error, Result};
use crate::invoice::{Invoice, InvoiceStatus, InvoiceType, LineItem, LineType, TierInfo, USD_CENTS};
use crate::metric::{property_decimal, property_text, Aggregation, BillableMetric};
use crate::money::{add, mul, round_cents, take_overflow, tidy};
use crate::overrides::effective_rate;
use crate::product::{Product, ProductType};
use crate::rate_card::{Price, RateCard};
use crate::schedule::Occurrence;
use crate::state::State;
use crate::time::{Timestamp, Window};
use crate::usage::Event;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The clock and the reach of one rating.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Invoices whose period ended by `now` are FINALIZED, the rest DRAFT.
    pub now: Timestamp,
    /// Open-ended schedules are generated through the period that contains `horizon`.
    pub horizon: Timestamp,
}

/// The running aggregate of some events under one metric. Aggregates of disjoint sets of events merge
/// exactly (a cell's into its piece's), which is why UNIQUE keeps the values themselves.
#[derive(Default, Clone, Debug)]
pub(crate) enum Agg {
    #[default]
    Empty,
    Count(Decimal),
    Sum(Decimal),
    Max(Decimal),
    Unique(HashSet<String>),
    Latest(Timestamp, Decimal),
    /// A sum past `Decimal`'s range: the line that holds it is refused, never billed.
    Overflow,
}

impl Agg {
    /// Adds one event. A value that is not a number (for SUM, MAX, LATEST) adds nothing: ingest refuses
    /// such events, and ones stored before their metric existed are listed as not billable.
    pub(crate) fn add(&mut self, how: Aggregation, e: &Event, key: Option<&str>) {
        let raw = key.and_then(|k| e.properties.get(k));
        let numeric = matches!(how, Aggregation::Sum | Aggregation::Max | Aggregation::Latest);
        let number = match raw.filter(|_| numeric).map(property_decimal) {
            Some(None) => return,
            Some(Some(v)) => Some(v),
            None => None,
        };
        let item = match how {
            Aggregation::Count => Agg::Count(Decimal::ONE),
            // An event without the property adds nothing, but its line still appears.
            Aggregation::Sum => Agg::Sum(number.unwrap_or_default()),
            Aggregation::Max => match number {
                Some(v) => Agg::Max(v),
                None => return,
            },
            Aggregation::Unique => match raw.and_then(property_text) {
                Some(v) => Agg::Unique(HashSet::from([v])),
                None => return,
            },
            Aggregation::Latest => match number {
                Some(v) => Agg::Latest(e.timestamp, v),
                None => return,
            },
        };
        self.merge(item);
    }

    pub(crate) fn merge(&mut self, other: Agg) {
        *self = match (std::mem::take(self), other) {
            (Agg::Empty, x) | (x, Agg::Empty) => x,
            (Agg::Overflow, _) | (_, Agg::Overflow) => Agg::Overflow,
            (Agg::Count(a), Agg::Count(b)) => Agg::Count(a + b),
            (Agg::Sum(a), Agg::Sum(b)) => a.checked_add(b).map_or(Agg::Overflow, Agg::Sum),
            (Agg::Max(a), Agg::Max(b)) => Agg::Max(a.max(b)),
            (Agg::Unique(mut a), Agg::Unique(b)) => {
                a.extend(b);
                Agg::Unique(a)
            }
            // The value of the latest event wins, whatever order events arrive in; at the same
            // instant, the one added last.
            (Agg::Latest(t, v), Agg::Latest(u, w)) => {
                if u >= t {
                    Agg::Latest(u, w)
                } else {
                    Agg::Latest(t, v)
                }
            }
            (a, _) => a,
        };
    }

    pub(crate) fn value(&self) -> Decimal {
        match self {
            Agg::Empty | Agg::Overflow => Decimal::ZERO,
            Agg::Count(n) | Agg::Sum(n) | Agg::Max(n) => *n,
            Agg::Unique(s) => Decimal::from(s.len() as u64),
            Agg::Latest(_, v) => *v,
        }
    }
}

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

/// A usage product with the metric that feeds it.
struct Feed<'a> {
    product: &'a Product,
    metric: &'a BillableMetric,
}

struct Plan<'a> {
    contract: &'a Contract,
    rate_card: Option<&'a RateCard>,
    periods: Vec<(Timestamp, Timestamp)>,
    /// Per feed: the instants where a balance window that may pay for it starts or ends.
    balance_cuts: Vec<Vec<Timestamp>>,
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
        cuts.push(o.starting_at);
        cuts.extend(o.ending_before);
    }
    cuts.sort();
    cuts.dedup();
    cuts
}

impl<'a> Plan<'a> {
    fn new(state: &'a State, contract: &'a Contract, feeds: &[Feed<'a>], horizon: Timestamp) -> Self {
        let rate_card = contract.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
        let periods = contract
            .statement_schedule()
            .periods(contract.starting_at, contract.ending_before, horizon);
        let segments = contract.segments(horizon);
        let balance_cuts = feeds
            .iter()
            .map(|f| {
                let mut cuts = Vec::new();
                for s in segments.iter().filter(|s| s.applies_to(&f.product.id, &f.product.tags)) {
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
            periods,
            balance_cuts,
            price_cuts: HashMap::new(),
            lines: HashMap::new(),
        }
    }

    fn period_of(&self, t: Timestamp) -> Option<usize> {
        let i = self.periods.partition_point(|(a, _)| *a <= t);
        (i > 0 && t < self.periods[i - 1].1).then(|| i - 1)
    }

    fn add(&mut self, feeds: &[Feed], fi: usize, period: usize, e: &Event) {
        let f = &feeds[fi];
        let pricing = group_values(&f.product.pricing_group_key, e);
        let (rate_card, contract) = (self.rate_card, self.contract);
        let cuts = self
            .price_cuts
            .entry((fi, pricing.clone()))
            .or_insert_with(|| price_cuts(rate_card, contract, f.product, &pricing));
        let piece = cuts.partition_point(|c| *c <= e.timestamp);
        let cell = self.balance_cuts[fi].partition_point(|c| *c <= e.timestamp);
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
            .add(f.metric.aggregation_type, e, f.metric.aggregation_key.as_deref());
    }
}

fn group_values(keys: &[String], e: &Event) -> Groups {
    keys.iter()
        .filter_map(|k| e.properties.get(k).and_then(property_text).map(|v| (k.clone(), v)))
        .collect()
}

/// A priced piece of a line, kept for draw-down: its exact amount, and per balance (in the ledger's
/// order) the most that balance may pay on it.
pub struct Piece {
    pub total: Decimal,
    /// `None`: the balance's window holds the whole piece, so it may pay all of it.
    pub caps: Vec<Option<Decimal>>,
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
    total: Decimal,
) -> Option<Decimal> {
    if window.covers(a, b) {
        return None;
    }
    let mut inside = Agg::Empty;
    for (&c, agg) in cells {
        let lo = if c == 0 { a } else { balance_cuts[c - 1].max(a) };
        let hi = balance_cuts.get(c).map_or(b, |t| (*t).min(b));
        if window.covers(lo, hi) {
            inside.merge(agg.clone());
        }
    }
    let quantity = product.billed_quantity(inside.value());
    Some(price.amount(Decimal::ZERO, quantity).min(total).max(Decimal::ZERO))
}

/// A customer's invoices, and the draw-down ledger of each contract (for balance questions).
pub struct Rated {
    pub invoices: Vec<Invoice>,
    pub ledgers: Vec<Ledger>,
}

fn out_of_range(contract: &Contract, what: &str) -> Error {
    Error::new(
        crate::ErrorCode::OutOfRange,
        "product_id",
        format!(
            "rating contract `{}`: {what} is beyond what Tally can represent (about ±7.9e28 cents); nothing is billed",
            contract.id
        ),
    )
}

/// Every invoice of a customer through `clock.horizon`, given the customer's events, and the
/// draw-down ledger of each of its contracts. Refused (never a wrong figure) when an amount overflows.
pub fn rate_customer(state: &State, customer_id: &str, events: &[&Event], clock: Clock) -> Result<Rated> {
    take_overflow();
    let feeds: Vec<Feed> = state
        .products
        .values()
        .filter(|p| p.kind == ProductType::Usage)
        .filter_map(|p| {
            Some(Feed {
                product: p,
                metric: state.billable_metrics.get(p.billable_metric_id.as_ref()?)?,
            })
        })
        .collect();
    let mut plans: Vec<Plan> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == customer_id)
        .map(|c| Plan::new(state, c, &feeds, clock.horizon))
        .collect();

    // Index usage once: which feeds an event type can reach, then one pass over the events.
    let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
    for e in events {
        let reach = by_type.entry(e.event_type.as_str()).or_insert_with(|| {
            (0..feeds.len())
                .filter(|&i| feeds[i].metric.matches_event_type(&e.event_type))
                .collect()
        });
        if reach.is_empty() {
            continue;
        }
        let Some(pi) = claimant(plans.iter().map(|p| p.contract), e) else {
            continue;
        };
        let plan = &mut plans[pi];
        let Some(period) = plan.period_of(e.timestamp) else {
            continue;
        };
        for &fi in reach.iter() {
            if feeds[fi].metric.matches_properties(&e.properties) {
                plan.add(&feeds, fi, period, e);
            }
        }
    }

    let mut invoices = Vec::new();
    let mut ledgers = Vec::new();
    for plan in &plans {
        let (ledger, list) = rate_contract(state, plan, &feeds, clock)?;
        invoices.extend(list);
        ledgers.push(ledger);
    }
    // Stable: contracts keep their creation order among invoices issued at the same instant.
    invoices.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.kind.cmp(&b.kind)));
    Ok(Rated { invoices, ledgers })
}

/// How strongly `contract` claims an event at its time: a matching filter beats no filter, and of two
/// matching filters the more recently set one wins. `None`: not this contract's event.
fn claim(contract: &Contract, e: &Event) -> Option<(u8, Timestamp)> {
    if !contract.window().contains(e.timestamp) {
        return None;
    }
    match contract.filter_at(e.timestamp) {
        None => Some((0, contract.starting_at)),
        Some(f) => {
            let v = e.properties.get(&f.group_key).and_then(property_text)?;
            f.group_values
                .contains(&v)
                .then(|| (1, f.starting_at.unwrap_or(contract.starting_at)))
        }
    }
}

/// Which of a customer's contracts (index into `contracts`) an event's usage belongs to, if any.
pub(crate) fn claimant<'a>(contracts: impl Iterator<Item = &'a Contract>, e: &Event) -> Option<usize> {
    let mut best: Option<(usize, (u8, Timestamp))> = None;
    for (i, c) in contracts.enumerate() {
        if let Some(c) = claim(c, e) {
            if best.is_none_or(|(_, b)| c > b) {
                best = Some((i, c));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// Per period, the usage lines of a contract; and the pieces they were priced in.
fn usage_lines(plan: &Plan, feeds: &[Feed], segments: &[Segment]) -> Result<(Vec<Vec<LineItem>>, Vec<Piece>)> {
    let mut per_period: Vec<Vec<LineItem>> = vec![Vec::new(); plan.periods.len()];
    let mut pieces: Vec<Piece> = Vec::new();
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
        let mut used = Decimal::ZERO;
        for (&k, cells) in line {
            let a = if k == 0 { pa } else { cuts[k - 1].max(pa) };
            let b = cuts.get(k).map_or(pb, |c| (*c).min(pb));
            let mut agg = Agg::Empty;
            for c in cells.values() {
                agg.merge(c.clone());
            }
            if matches!(agg, Agg::Overflow) {
                return Err(out_of_range(
                    plan.contract,
                    &format!("the usage of product `{}`", product.id),
                ));
            }
            let quantity = product.billed_quantity(agg.value());
            let list = plan.rate_card.and_then(|rc| rc.rate_at(&product.id, &pgv, a));
            let (from, to) = (used, add(used, quantity));
            let Some(rate) = effective_rate(
                &plan.contract.overrides,
                plan.contract.prioritization(),
                product,
                &pgv,
                list,
                a,
                Some((from, to)),
            ) else {
                continue;
            };
            used = to;
            let piece_id = pieces.len();
            let line = |quantity: Decimal, unit_price: Decimal, tier: Option<TierInfo>| LineItem {
                name: product.name.clone(),
                kind: LineType::Usage,
                product_id: product.id.clone(),
                quantity: tidy(quantity),
                unit_price: tidy(unit_price),
                total: round_cents(mul(quantity, unit_price)),
                starting_at: a,
                ending_before: b,
                pricing_group_values: pgv.clone(),
                presentation_group_values: key.presentation.iter().cloned().collect(),
                list_unit_price: match &rate.list {
                    Some(Price::Flat(p)) => Some(*p),
                    Some(Price::Tiered(t)) => tier.as_ref().and_then(|i| t.get(i.level as usize - 1)).map(|t| t.price),
                    None => None,
                },
                tier,
                commit_id: None,
                piece: Some(piece_id),
            };
            let out = &mut per_period[key.period];
            match &rate.price {
                Price::Flat(p) => out.push(line(quantity, *p, None)),
                Price::Tiered(tiers) => {
                    let mut start = Decimal::ZERO;
                    let mut emitted = false;
                    for (level, t) in tiers.iter().enumerate() {
                        let end = t.size.map(|s| add(start, s));
                        let lo = from.max(start);
                        let hi = end.map_or(to, |e| to.min(e));
                        let info = || TierInfo {
                            level: level as u32 + 1,
                            starting_at: tidy(start),
                            size: t.size.map(tidy),
                        };
                        if hi > lo || (quantity <= Decimal::ZERO && end.is_none_or(|e| from < e) && !emitted) {
                            out.push(line((hi - lo).max(quantity.min(Decimal::ZERO)), t.price, Some(info())));
                            emitted = true;
                        }
                        match end {
                            Some(e) if e < to => start = e,
                            _ => break,
                        }
                    }
                }
            }
            let total = rate.price.amount(from, to);
            let caps = segments
                .iter()
                .map(|s| cap(&s.window, (a, b), cells, balance_cuts, product, &rate.price, total))
                .collect();
            pieces.push(Piece { total, caps });
            if take_overflow() {
                return Err(out_of_range(
                    plan.contract,
                    &format!("an amount of product `{}`", product.id),
                ));
            }
        }
    }
    Ok((per_period, pieces))
}

fn scheduled_line(name: String, kind: LineType, product_id: &str, o: &Occurrence) -> LineItem {
    LineItem {
        name,
        kind,
        product_id: product_id.to_string(),
        quantity: tidy(o.quantity),
        unit_price: tidy(o.unit_price),
        total: o.total,
        starting_at: o.timestamp,
        ending_before: o.timestamp,
        pricing_group_values: IndexMap::new(),
        presentation_group_values: IndexMap::new(),
        tier: None,
        commit_id: None,
        list_unit_price: None,
        piece: None,
    }
}

fn product_name(state: &State, id: &str) -> String {
    state
        .products
        .get(id)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Charges and commit purchases on their dates, before any consolidation.
/// Each item comes with the id of the term it belongs to (charge or commit), which names its invoice.
fn scheduled_items(state: &State, c: &Contract, horizon: Timestamp) -> Vec<(String, LineItem)> {
    let mut items = Vec::new();
    for ch in &c.scheduled_charges {
        let name = ch.name.clone().unwrap_or_else(|| product_name(state, &ch.product_id));
        for o in ch.schedule.occurrences(horizon) {
            items.push((
                ch.id.clone(),
                scheduled_line(name.clone(), LineType::Scheduled, &ch.product_id, &o),
            ));
        }
    }
    for cm in c
        .commits
        .iter()
        .filter(|cm| cm.kind == Some(crate::commit::CommitType::Prepaid))
    {
        for o in cm.invoice_schedule.iter().flat_map(|s| s.occurrences(horizon)) {
            let mut l = scheduled_line(cm.display_name(), LineType::CommitPurchase, &cm.product_id, &o);
            l.commit_id = Some(cm.id.clone());
            items.push((cm.id.clone(), l));
        }
    }
    let schedule = c.statement_schedule();
    let (anchor, months) = (schedule.anchor(c.starting_at), schedule.frequency.months());
    for rc in &c.recurring_commits {
        let Some(inv) = rc.invoice_amount.as_ref().filter(|a| !a.total().is_zero()) else {
            continue;
        };
        for (a, _, fraction) in rc.periods(anchor, months, c.ending_before, horizon) {
            let q = inv.quantity.unwrap_or(Decimal::ONE);
            let unit_price = mul(inv.unit_price, fraction);
            let o = Occurrence {
                timestamp: a,
                quantity: q,
                unit_price,
                total: round_cents(mul(q, unit_price)),
            };
            let mut l = scheduled_line(rc.display_name(false), LineType::CommitPurchase, &rc.product_id, &o);
            l.commit_id = Some(rc.id.clone());
            items.push((rc.id.clone(), l));
        }
    }
    // updateEndDate drops whatever was scheduled at or after the new end.
    items.retain(|(_, l)| c.ending_before.is_none_or(|e| l.starting_at < e));
    items
}

fn new_invoice(
    c: &Contract,
    kind: InvoiceType,
    start: Option<(Timestamp, Timestamp)>,
    issued_at: Timestamp,
) -> Invoice {
    let id = match kind {
        InvoiceType::Usage => format!("{}:usage:{}", c.id, issued_at),
        InvoiceType::Scheduled => format!("{}:scheduled:{}", c.id, issued_at),
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
        credit_type: USD_CENTS,
        total: Decimal::ZERO,
        line_items: Vec::new(),
    }
}

/// Places a dated item: onto the usage invoice whose period ends that day when the contract
/// consolidates, otherwise onto a SCHEDULED invoice of its own.
fn place(c: &Contract, usage: &mut [Invoice], scheduled: &mut Vec<Invoice>, source: &str, line: LineItem) {
    if c.consolidates() {
        if let Some(inv) = usage
            .iter_mut()
            .find(|i| i.end_timestamp.is_some_and(|e| e.date() == line.starting_at.date()))
        {
            inv.line_items.push(line);
            return;
        }
    }
    let mut inv = new_invoice(c, InvoiceType::Scheduled, None, line.starting_at);
    // Named after the term and the date, so an edit elsewhere never renames it.
    inv.id = format!("{}:{}:scheduled:{}", c.id, source, line.starting_at);
    let twins = scheduled.iter().filter(|i| i.id.starts_with(&inv.id)).count();
    if twins > 0 {
        inv.id = format!("{}:{}", inv.id, twins + 1);
    }
    inv.line_items.push(line);
    scheduled.push(inv);
}

/// The ledger after draw-down and the contract's invoices.
fn rate_contract(state: &State, plan: &Plan, feeds: &[Feed], clock: Clock) -> Result<(Ledger, Vec<Invoice>)> {
    let c = plan.contract;
    let mut ledger = Ledger::new(c.segments(clock.horizon), state);
    let (lines, pieces) = usage_lines(plan, feeds, &ledger.segments)?;
    let mut usage: Vec<Invoice> = lines
        .into_iter()
        .zip(&plan.periods)
        .map(|(lines, &(a, b))| {
            let mut inv = new_invoice(c, InvoiceType::Usage, Some((a, b)), b);
            inv.line_items = lines;
            inv
        })
        .collect();
    let mut scheduled: Vec<Invoice> = Vec::new();
    for (source, line) in scheduled_items(state, c, clock.horizon) {
        place(c, &mut usage, &mut scheduled, &source, line);
    }
    if take_overflow() {
        return Err(out_of_range(c, "a scheduled charge or commit amount"));
    }
    for inv in usage.iter_mut() {
        ledger.apply(inv, state, c, &pieces);
    }
    for cm in c
        .commits
        .iter()
        .filter(|cm| cm.balance_kind() == BalanceKind::PostpaidCommit)
    {
        let Some(o) = cm
            .invoice_schedule
            .as_ref()
            .and_then(|s| s.occurrences(clock.horizon).into_iter().next())
        else {
            continue;
        };
        // The usual postpaid minimum is trued up on the contract's last day, so the end never removes
        // it; an end moved before the true-up brings it forward, against the access that remains.
        let (date, owed) = match c.ending_before {
            Some(end) if o.timestamp > end => (
                end,
                crate::money::sum(cm.access_schedule.schedule_items.iter().map(|i| i.amount)),
            ),
            _ => (o.timestamp, o.total),
        };
        let shortfall = round_cents(crate::money::sub(owed, ledger.consumed(&cm.id)).max(Decimal::ZERO));
        let o = Occurrence {
            timestamp: date,
            quantity: Decimal::ONE,
            unit_price: shortfall,
            total: shortfall,
        };
        let mut l = scheduled_line(cm.display_name(), LineType::PostpaidTrueup, &cm.product_id, &o);
        l.commit_id = Some(cm.id.clone());
        place(c, &mut usage, &mut scheduled, &format!("{}:trueup", cm.id), l);
    }
    let mut all: Vec<Invoice> = usage.into_iter().chain(scheduled).collect();
    for inv in all.iter_mut() {
        inv.retotal();
        if inv.period_end() <= clock.now {
            inv.status = InvoiceStatus::Finalized;
        }
    }
    if take_overflow() {
        return Err(out_of_range(c, "a balance or invoice total"));
    }
    Ok((ledger, all))
}
