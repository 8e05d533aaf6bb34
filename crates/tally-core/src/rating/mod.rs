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
//! The stages, one module each:
//! - `route`: each event goes to the one contract that claims it (usage filters, contract dates);
//! - `aggregate`: what a metric keeps of events, mergeable (count, sum, max, distinct values, latest);
//! - `lines`: events are indexed by line, piece and cell, and each piece is priced (rate card, then
//!   overrides), with tiers counting across the line's pieces; a piece remembers what each balance may
//!   pay on it;
//! - `assemble`: per contract, usage lines, scheduled items (consolidated or not), draw-down
//!   (`crate::drawdown`) and postpaid true-ups become invoices.
//!
//! Usage is indexed once per call: each event is routed to one contract (usage filters) and added to the
//! aggregate of its line, piece and cell. Lines are then priced piece by piece, in time order, with tiers
//! counting the units billed so far in the period.

mod aggregate;
mod assemble;
mod balances;
pub mod breakdown;
mod lines;
mod route;
mod spend;
pub mod unbilled;

pub(crate) use route::Router;
pub use route::{ambiguities, Ambiguity};

/// The id of contract `contract`'s `n`-th professional-services invoice (0-based), issued at `at`.
pub fn services_invoice_id(contract: &str, n: usize, at: Timestamp) -> String {
    format!("{contract}:services:{}:{at}", n + 1)
}

use crate::balance::{Holder, Segment};
use crate::contract::Contract;
use crate::drawdown::Ledger;
use crate::error::{Error, Result};
use crate::invoice::Invoice;
use crate::metric::BillableMetric;
use crate::money::Money;
use crate::product::{Product, ProductType};
use crate::state::State;
use crate::threshold::Recharge;
use crate::time::Timestamp;
use crate::usage::hourly::HOUR as HOUR_NS;
use crate::usage::rows::{customer_rows, UsageRow};
use crate::usage::store::nanos;
use crate::usage::Store;
use assemble::{draft, settle};
use lines::Plan;
use std::collections::HashMap;

/// The clock and the reach of one rating.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Invoices whose period ended by `now` are FINALIZED, the rest DRAFT.
    pub now: Timestamp,
    /// Open-ended schedules are generated through the period that contains `horizon`.
    pub horizon: Timestamp,
}

/// A usage product with the metric that feeds it.
struct Feed<'a> {
    product: &'a Product,
    metric: &'a BillableMetric,
}

/// A customer's invoices, and the draw-down ledger of its balances (for balance questions).
pub struct Rated {
    /// The invoices, in order of issue.
    pub invoices: Vec<Invoice>,
    /// One ledger for the customer: every contract's balances and the customer-level ones.
    pub ledger: Ledger,
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

/// Whose usage a rating reads.
#[derive(Clone, Copy)]
pub struct Usage<'a> {
    /// The customer's stored events (false: a preview that replaces them).
    pub stored: bool,
    /// Events of a preview, in a store of their own, counted after every stored event.
    pub extra: Option<&'a Store>,
}

impl Usage<'_> {
    /// The stored events, and nothing else: an ordinary rating.
    pub const STORED: Usage<'static> = Usage {
        stored: true,
        extra: None,
    };
}

/// Every invoice of a customer through `clock.horizon`, given whose usage counts, and the draw-down
/// ledger of its balances. Refused (never a wrong figure) when an amount overflows.
pub fn rate_customer(state: &State, customer_id: &str, usage: Usage, clock: Clock) -> Result<Rated> {
    let grants = recharges(state, customer_id, usage, clock)?;
    let mut rated = rate_once(state, customer_id, usage, clock, &grants, None)?;
    // Spend threshold charges change no balance, so they are found on the rating and shown on it.
    let bills = spend::spend_bills(state, customer_id, usage, clock, &grants, &rated)?;
    if !bills.is_empty() {
        assemble::bill_spend(state, &mut rated.invoices, &bills, clock)?;
    }
    Ok(rated)
}

/// Most recharges one rating grants: each needs at least $10 of usage, so more means a loop.
const MAX_RECHARGES: usize = 1000;

/// The auto-recharges of the customer's contracts (`threshold`), earliest first: each found on a
/// rating with the recharges before it, as the balance falls hour by hour.
fn recharges(state: &State, customer_id: &str, usage: Usage, clock: Clock) -> Result<Vec<Recharge>> {
    let configured: Vec<&Contract> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == customer_id && c.recharge().is_some())
        .collect();
    let mut grants: Vec<Recharge> = Vec::new();
    let mut from: Vec<Timestamp> = configured.iter().map(|c| c.starting_at).collect();
    loop {
        let mut next: Option<(usize, Recharge)> = None;
        for (k, c) in configured.iter().enumerate() {
            if let Some(r) = next_recharge(state, customer_id, usage, clock, &grants, c, from[k])? {
                if next.as_ref().is_none_or(|(_, n)| r.at < n.at) {
                    next = Some((k, r));
                }
            }
        }
        let Some((k, r)) = next else {
            return Ok(grants);
        };
        if grants.len() >= MAX_RECHARGES {
            return Err(Error::new(
                crate::ErrorCode::OutOfRange,
                "prepaid_balance_threshold_configuration",
                format!(
                    "contract `{}` would recharge more than {MAX_RECHARGES} times; nothing is billed",
                    r.contract
                ),
            ));
        }
        from[k] = next_hour(r.at);
        grants.push(r);
    }
}

const HOUR: chrono::Duration = chrono::Duration::hours(1);

/// The instants strictly between `after` and `before` where a balance contract `contract` may draw
/// on starts, in order: between two of them its balance only falls and its spend only grows.
fn balance_starts(ledger: &Ledger, contract: &str, after: Timestamp, before: Timestamp) -> Vec<Timestamp> {
    let mut starts: Vec<Timestamp> = ledger
        .segments
        .iter()
        .filter(|s| s.holder.reaches(contract) && s.window.start > after && s.window.start < before)
        .map(|s| s.window.start)
        .collect();
    starts.sort();
    starts.dedup();
    starts
}

/// The first whole hour after `t`.
fn next_hour(t: Timestamp) -> Timestamp {
    use chrono::{DurationRound, TimeDelta};
    let floor = t.0.duration_trunc(TimeDelta::hours(1)).unwrap_or(t.0);
    Timestamp(floor + HOUR)
}

/// The first instant from `from` (then whole hours) at which contract `c`'s prepaid balance, after
/// the usage before it, is at its threshold or below; and the recharge it gets there.
fn next_recharge(
    state: &State,
    customer_id: &str,
    usage: Usage,
    clock: Clock,
    grants: &[Recharge],
    c: &Contract,
    from: Timestamp,
) -> Result<Option<Recharge>> {
    let Some(config) = c.recharge() else {
        return Ok(None);
    };
    let threshold = Money::cents(config.threshold_amount);
    // The search stops where a recharge's access does, so a recharge is always usable after it.
    let end = c.reach(clock.horizon);
    if from >= end {
        return Ok(None);
    }
    let balance = |h: Timestamp| -> Result<Money> {
        let r = rate_once(state, customer_id, usage, clock, grants, Some(h))?;
        balances::prepaid_balance(&r.ledger, &c.id, state.fiat_of(c), h)
            .map_err(|_| out_of_range(c, "a prepaid balance"))
    };
    // The instants the balance is looked at: the contract's first, then whole hours.
    let looked_at = |t: Timestamp| t == c.starting_at || next_hour(t) == Timestamp(t.0 + HOUR);
    // Between two instants where a balance this contract reaches starts, its balance only falls.
    let whole = rate_once(state, customer_id, usage, clock, grants, Some(from))?;
    let mut starts = balance_starts(&whole.ledger, &c.id, from, end);
    starts.push(end);
    let mut a = from;
    for b in starts {
        let recharge = |h: Timestamp, left: Money| Recharge {
            contract: c.id.clone(),
            at: h,
            amount: Money::cents(config.recharge_to_amount)
                .minus(left)
                .unwrap_or(Money::ZERO),
        };
        // The instants looked at in [a, b): `a` when it is one, then every whole hour after it.
        let mut looked: Vec<Timestamp> = Vec::new();
        let mut t = if looked_at(a) { a } else { next_hour(a) };
        while t < b {
            looked.push(t);
            t = next_hour(t);
        }
        if let (Some(&first), Some(&last)) = (looked.first(), looked.last()) {
            let at_first = balance(first)?;
            if at_first <= threshold {
                return Ok(Some(recharge(first, at_first)));
            }
            let at_last = balance(last)?;
            if at_last <= threshold {
                // Over at the first instant, at or under by the last: bisect.
                let (mut lo, mut hi) = (0, looked.len() - 1);
                let mut at_hi = at_last;
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2;
                    let m = balance(looked[mid])?;
                    if m <= threshold {
                        hi = mid;
                        at_hi = m;
                    } else {
                        lo = mid;
                    }
                }
                return Ok(Some(recharge(looked[hi], at_hi)));
            }
        }
        a = b;
        if a >= end {
            break;
        }
    }
    Ok(None)
}

/// Every usage product with the metric that feeds it.
fn feeds(state: &State) -> Vec<Feed<'_>> {
    state
        .products
        .values()
        .filter(|p| p.kind == ProductType::Usage)
        .filter_map(|p| {
            Some(Feed {
                product: p,
                metric: state.billable_metrics.get(p.billable_metric_id.as_ref()?)?,
            })
        })
        .collect()
}

/// The instants off the hour where rating may cut some customer's usage (contract dates, periods,
/// usage filters, rates, overrides, balance windows), through the period holding `horizon`. Usage in
/// the hours that hold them must reach rating as events, not hourly aggregates: a warehouse passes
/// those hours' events through as rows.
pub fn off_hour_cuts(state: &State, horizon: Timestamp) -> Vec<Timestamp> {
    let feeds = feeds(state);
    let mut out = Vec::new();
    for customer_id in state.customers.keys() {
        let shared = balances::customer_segments(state, customer_id);
        for c in state.contracts.values().filter(|c| &c.customer_id == customer_id) {
            let plan = Plan::new(state, c, &feeds, horizon, &shared);
            out.extend(plan.cuts().into_iter().filter(|t| nanos(*t).rem_euclid(HOUR_NS) != 0));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// One rating with the recharges `grants`; `until`: only the usage before it (a threshold's search).
fn rate_once(
    state: &State,
    customer_id: &str,
    usage: Usage,
    clock: Clock,
    grants: &[Recharge],
    until: Option<Timestamp>,
) -> Result<Rated> {
    let feeds = feeds(state);
    let shared = balances::customer_segments(state, customer_id);
    // Balances a plan cuts its cells for: the customer's, and the recharges granted (each held by
    // its contract, so only that contract's plan takes it).
    let mut extra = shared.clone();
    for g in grants {
        if let Some((c, config)) = state.contracts.get(&g.contract).and_then(|c| Some((c, c.recharge()?))) {
            extra.push(g.segment(
                config,
                config.commit.line_name(&state.products),
                state.fiat_of(c),
                c.reach(clock.horizon),
            ));
        }
    }
    let mut plans: Vec<Plan> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == customer_id)
        .map(|c| Plan::new(state, c, &feeds, clock.horizon, &extra))
        .collect();

    // The customer's usage as rows that each route and price as one (`usage::rows`): hourly
    // aggregates rolled up between the instants where anything about rating may change.
    let mut cuts: Vec<i64> = Vec::new();
    for p in &plans {
        cuts.extend(p.cuts().into_iter().map(nanos));
    }
    cuts.extend(until.map(nanos));
    cuts.sort_unstable();
    cuts.dedup();
    let layout = state.usage_layout();
    let hourly = usage.stored.then(|| state.events.hourly(&layout));
    let mut rows = customer_rows(
        &state.events,
        hourly.as_deref(),
        &state.customer_keys(customer_id),
        usage.extra.map(|x| (x, &layout)),
        &cuts,
    );
    if let Some(t) = until {
        // `until` is a cut, so no row straddles it.
        rows.retain(|r| r.at < t);
    }

    route_rows(state, &feeds, &mut plans, &rows);
    draw_and_settle(state, &plans, &feeds, shared, clock, grants)
}

/// One pass over the rows: which feeds an event type can reach, which contract takes the row; each
/// row is added to the plan of the contract that takes it.
fn route_rows<'a>(state: &'a State, feeds: &[Feed<'a>], plans: &mut [Plan<'a>], rows: &[UsageRow<'_>]) {
    let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut router = Router::new(state, plans.iter().map(|p| p.contract).collect());
    // Buffers kept across rows: the feeds a row reaches, and their products.
    let (mut fed, mut products): (Vec<usize>, Vec<&Product>) = (Vec::new(), Vec::new());
    for r in rows {
        let reach = by_type.entry(r.event_type).or_insert_with(|| {
            (0..feeds.len())
                .filter(|&i| feeds[i].metric.matches_event_type(r.event_type))
                .collect()
        });
        fed.clear();
        fed.extend(
            reach
                .iter()
                .copied()
                .filter(|&fi| feeds[fi].metric.matches_properties(r)),
        );
        if fed.is_empty() {
            continue;
        }
        products.clear();
        products.extend(fed.iter().map(|&fi| feeds[fi].product));
        let Some(pi) = router.route(r.at, r, &products) else {
            continue;
        };
        let plan = &mut plans[pi];
        let Some(period) = plan.period_of(r.at) else {
            continue;
        };
        for &fi in &fed {
            plan.add(feeds, fi, period, r);
        }
    }
}

/// The customer's invoices from its plans, fed: drafted per contract, drawn down by one ledger for
/// the customer (each contract's own balances, then the customer's `shared` ones), then settled.
fn draw_and_settle(
    state: &State,
    plans: &[Plan],
    feeds: &[Feed],
    shared: Vec<Segment>,
    clock: Clock,
    grants: &[Recharge],
) -> Result<Rated> {
    // One ledger for the customer, so a customer-level balance is spent once whichever contract
    // draws on it: each contract's own balances, then the customer's.
    let mut segments = Vec::new();
    for p in plans {
        let own = p
            .segments
            .as_ref()
            .map_err(|_| out_of_range(p.contract, "a commit or credit amount"))?;
        segments.extend(own.iter().filter(|s| matches!(s.holder, Holder::Contract(_))).cloned());
    }
    segments.extend(shared);
    let mut ledger = Ledger::new(segments, state);
    let mut pieces = Vec::new();
    let mut drafts = plans
        .iter()
        .map(|p| draft(state, p, feeds, &ledger.segments, &mut pieces, clock, grants))
        .collect::<Result<Vec<_>>>()?;
    // Usage draws in time order of the invoice periods (earlier end first), then by contract start.
    let mut order: Vec<(Timestamp, Timestamp, usize, usize)> = Vec::new();
    for (k, d) in drafts.iter().enumerate() {
        for (i, inv) in d.usage.iter().enumerate() {
            order.push((inv.period_end(), plans[k].contract.starting_at, k, i));
        }
    }
    order.sort();
    for (_, _, k, i) in order {
        let c = plans[k].contract;
        ledger
            .apply(&mut drafts[k].usage[i], state, c, &pieces)
            .map_err(|_| out_of_range(c, "a commit or credit draw-down"))?;
    }
    let mut invoices = Vec::new();
    for (p, d) in plans.iter().zip(drafts) {
        invoices.extend(settle(state, p.contract, d, &ledger, clock)?);
    }
    // Stable: contracts keep their creation order among invoices issued at the same instant.
    invoices.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.kind.cmp(&b.kind)));
    Ok(Rated { invoices, ledger })
}
