//! Rating: from the stored state and a time horizon to a customer's invoices. Pure and deterministic.
//!
//! Usage is indexed once per call: each of the customer's events is routed to one contract (usage
//! filters), matched to the products its metric feeds, and aggregated into a bucket keyed by
//! (product, service period, price interval, group values). Lines are then priced bucket by bucket.

use crate::commit::BalanceKind;
use crate::contract::Contract;
use crate::drawdown::Ledger;
use crate::invoice::{Invoice, InvoiceStatus, InvoiceType, LineItem, LineType, TierInfo, USD_CENTS};
use crate::metric::{property_decimal, property_text, Aggregation, BillableMetric};
use crate::money::{mul, round_cents, tidy};
use crate::overrides::effective_rate;
use crate::product::{Product, ProductType};
use crate::rate_card::{Price, RateCard};
use crate::schedule::Occurrence;
use crate::state::State;
use crate::time::Timestamp;
use crate::usage::Event;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// The clock and the reach of one rating.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Invoices whose period ended by `now` are FINALIZED, the rest DRAFT.
    pub now: Timestamp,
    /// Open-ended schedules are generated through the period that contains `horizon`.
    pub horizon: Timestamp,
}

#[derive(Default)]
enum Agg {
    #[default]
    Empty,
    Count(Decimal),
    Sum(Decimal),
    Max(Decimal),
    Unique(HashSet<String>),
    Latest(Timestamp, Decimal),
}

impl Agg {
    fn add(&mut self, how: Aggregation, e: &Event, key: Option<&str>) {
        let value = || key.and_then(|k| e.properties.get(k));
        match how {
            Aggregation::Count => match self {
                Agg::Count(n) => *n += Decimal::ONE,
                _ => *self = Agg::Count(Decimal::ONE),
            },
            Aggregation::Sum => {
                let v = value().and_then(property_decimal).unwrap_or_default();
                match self {
                    Agg::Sum(s) => *s = s.saturating_add(v),
                    _ => *self = Agg::Sum(v),
                }
            }
            Aggregation::Max => {
                let Some(v) = value().and_then(property_decimal) else {
                    return;
                };
                match self {
                    Agg::Max(m) => *m = (*m).max(v),
                    _ => *self = Agg::Max(v),
                }
            }
            Aggregation::Unique => {
                let Some(v) = value().and_then(property_text) else {
                    return;
                };
                match self {
                    Agg::Unique(s) => {
                        s.insert(v);
                    }
                    _ => *self = Agg::Unique(HashSet::from([v])),
                }
            }
            Aggregation::Latest => {
                let Some(v) = value().and_then(property_decimal) else {
                    return;
                };
                // The value of the latest event wins, whatever order events arrive in.
                if !matches!(self, Agg::Latest(t, _) if *t > e.timestamp) {
                    *self = Agg::Latest(e.timestamp, v);
                }
            }
        }
    }

    fn value(&self) -> Decimal {
        match self {
            Agg::Empty => Decimal::ZERO,
            Agg::Count(n) | Agg::Sum(n) | Agg::Max(n) => *n,
            Agg::Unique(s) => Decimal::from(s.len() as u64),
            Agg::Latest(_, v) => *v,
        }
    }
}

type Groups = Vec<(String, String)>;

#[derive(PartialEq, Eq, PartialOrd, Ord, Hash, Clone)]
struct BucketKey {
    period: usize,
    product: usize,
    sub: usize,
    pricing: Groups,
    presentation: Groups,
}

/// A usage product with the metric that feeds it.
struct Feed<'a> {
    product: &'a Product,
    metric: &'a BillableMetric,
}

struct Plan<'a> {
    contract: &'a Contract,
    rate_card: Option<&'a RateCard>,
    periods: Vec<(Timestamp, Timestamp)>,
    /// Per feed: the instants at which its price may change on this contract.
    change_points: Vec<Vec<Timestamp>>,
    buckets: HashMap<BucketKey, Agg>,
}

impl<'a> Plan<'a> {
    fn new(state: &'a State, contract: &'a Contract, feeds: &[Feed<'a>], horizon: Timestamp) -> Self {
        let rate_card = contract.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
        let periods = contract
            .statement_schedule()
            .periods(contract.starting_at, contract.ending_before, horizon);
        let segments = contract.segments(horizon);
        let change_points = feeds
            .iter()
            .map(|f| {
                let mut cps = Vec::new();
                if let Some(rc) = rate_card {
                    rc.change_points(&f.product.id, &mut cps);
                }
                for o in contract.overrides.iter().filter(|o| o.may_target(f.product)) {
                    cps.push(o.starting_at);
                    cps.extend(o.ending_before);
                }
                for s in segments.iter().filter(|s| s.applies_to(&f.product.id, &f.product.tags)) {
                    cps.push(s.window.start);
                    cps.extend(s.window.end);
                }
                cps.sort();
                cps.dedup();
                cps
            })
            .collect();
        Plan {
            contract,
            rate_card,
            periods,
            change_points,
            buckets: HashMap::new(),
        }
    }

    /// How strongly this contract claims an event at its time: a matching filter beats no filter, and
    /// of two matching filters the more recently set one wins. `None`: not this contract's event.
    fn claim(&self, e: &Event) -> Option<(u8, Timestamp)> {
        if !self.contract.window().contains(e.timestamp) {
            return None;
        }
        match self.contract.filter_at(e.timestamp) {
            None => Some((0, self.contract.starting_at)),
            Some(f) => {
                let v = e.properties.get(&f.group_key).and_then(property_text)?;
                f.group_values
                    .contains(&v)
                    .then(|| (1, f.starting_at.unwrap_or(self.contract.starting_at)))
            }
        }
    }

    fn period_of(&self, t: Timestamp) -> Option<usize> {
        let i = self.periods.partition_point(|(a, _)| *a <= t);
        (i > 0 && t < self.periods[i - 1].1).then(|| i - 1)
    }

    fn sub_bounds(&self, feed: usize, period: usize, sub: usize) -> (Timestamp, Timestamp) {
        let (a, b) = self.periods[period];
        let cps = &self.change_points[feed];
        let lo = if sub == 0 { a } else { cps[sub - 1].max(a) };
        let hi = cps.get(sub).map_or(b, |c| (*c).min(b));
        (lo, hi)
    }
}

fn group_values(keys: &[String], e: &Event) -> Groups {
    keys.iter()
        .filter_map(|k| e.properties.get(k).and_then(property_text).map(|v| (k.clone(), v)))
        .collect()
}

/// A customer's invoices, and the draw-down ledger of each contract (for balance questions).
pub struct Rated {
    pub invoices: Vec<Invoice>,
    pub ledgers: Vec<Ledger>,
}

/// Every invoice of a customer through `clock.horizon`, given the customer's events, and the
/// draw-down ledger of each of its contracts.
pub fn rate_customer(state: &State, customer_id: &str, events: &[&Event], clock: Clock) -> Rated {
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
        let mut best: Option<(usize, (u8, Timestamp))> = None;
        for (i, plan) in plans.iter().enumerate() {
            if let Some(c) = plan.claim(e) {
                if best.is_none_or(|(_, b)| c > b) {
                    best = Some((i, c));
                }
            }
        }
        let Some((pi, _)) = best else { continue };
        let plan = &mut plans[pi];
        let Some(period) = plan.period_of(e.timestamp) else {
            continue;
        };
        for &fi in reach.iter() {
            let f = &feeds[fi];
            if !f.metric.matches_properties(&e.properties) {
                continue;
            }
            let sub = plan.change_points[fi].partition_point(|c| *c <= e.timestamp);
            let key = BucketKey {
                period,
                product: fi,
                sub,
                pricing: group_values(&f.product.pricing_group_key, e),
                presentation: group_values(&f.product.presentation_group_key, e),
            };
            plan.buckets
                .entry(key)
                .or_default()
                .add(f.metric.aggregation_type, e, f.metric.aggregation_key.as_deref());
        }
    }

    let mut invoices = Vec::new();
    let mut ledgers = Vec::new();
    for plan in &plans {
        let (ledger, list) = rate_contract(state, plan, &feeds, clock);
        invoices.extend(list);
        ledgers.push(ledger);
    }
    // Stable: contracts keep their creation order among invoices issued at the same instant.
    invoices.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.kind.cmp(&b.kind)));
    Rated { invoices, ledgers }
}

fn usage_lines(plan: &Plan, feeds: &[Feed]) -> Vec<Vec<LineItem>> {
    let mut per_period: Vec<Vec<LineItem>> = vec![Vec::new(); plan.periods.len()];
    let mut sorted: Vec<(&BucketKey, &Agg)> = plan.buckets.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    // Tiers count what was used so far in the period, per group, across price intervals.
    let mut used: HashMap<(usize, usize, &Groups, &Groups), Decimal> = HashMap::new();
    for (key, agg) in sorted {
        let feed = &feeds[key.product];
        let (a, b) = plan.sub_bounds(key.product, key.period, key.sub);
        let quantity = feed.product.billed_quantity(agg.value());
        let pgv: IndexMap<String, String> = key.pricing.iter().cloned().collect();
        let list = plan.rate_card.and_then(|rc| rc.rate_at(&feed.product.id, &pgv, a));
        let Some(rate) = effective_rate(
            &plan.contract.overrides,
            plan.contract.prioritization(),
            feed.product,
            &pgv,
            list,
            a,
        ) else {
            continue;
        };
        let line = |quantity: Decimal, unit_price: Decimal, tier: Option<TierInfo>| LineItem {
            name: feed.product.name.clone(),
            kind: LineType::Usage,
            product_id: feed.product.id.clone(),
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
        };
        let out = &mut per_period[key.period];
        match rate.price {
            Price::Flat(p) => out.push(line(quantity, p, None)),
            Price::Tiered(tiers) => {
                let so_far = used
                    .entry((key.period, key.product, &key.pricing, &key.presentation))
                    .or_default();
                let (from, to) = (*so_far, so_far.saturating_add(quantity));
                *so_far = to;
                let mut start = Decimal::ZERO;
                let mut emitted = false;
                for (level, t) in tiers.iter().enumerate() {
                    let end = t.size.map(|s| start.saturating_add(s));
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
    }
    per_period
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
fn rate_contract(state: &State, plan: &Plan, feeds: &[Feed], clock: Clock) -> (Ledger, Vec<Invoice>) {
    let c = plan.contract;
    let mut usage: Vec<Invoice> = usage_lines(plan, feeds)
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
    let mut ledger = Ledger::new(c.segments(clock.horizon), state);
    for inv in usage.iter_mut() {
        ledger.apply(inv, state, c);
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
        if c.ending_before.is_some_and(|e| o.timestamp >= e) {
            continue;
        }
        let shortfall = round_cents((o.total - ledger.consumed(&cm.id)).max(Decimal::ZERO));
        let o = Occurrence {
            timestamp: o.timestamp,
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
    (ledger, all)
}
