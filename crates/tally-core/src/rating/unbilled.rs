//! Usage that bills nothing, and why: an event should never vanish without a word. The app's Usage
//! page, `GET /v1/usage/unmatched`, the JS package and `tally run` all show this one list.

use super::route::Router;
use crate::contract::Contract;
use crate::metric::Aggregation;
use crate::product::{Product, ProductType};
use crate::state::State;
use crate::time::Timestamp;
use crate::usage::rows::customer_rows;
use crate::usage::store::nanos;
use crate::usage::{Event, EventRef, Sym};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// Why an event bills nothing.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No customer has this id or ingest alias (yet): kept, and billed once one does.
    NoCustomer,
    /// No billable metric of a usage product reads this event type (or its property filters leave it out).
    NoMetric,
    /// A property that a metric aggregates as a number is not one (stored before that metric existed).
    NotANumber,
    /// None of the customer's contracts claims it: outside every contract's dates, or left out by usage filters.
    NoContract,
    /// The contracts that claim it have no price (a rate, or an entitlement) for any product it feeds.
    NoPrice,
}

/// A stored event that bills nothing, and why.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Unbilled {
    /// The event as it was ingested.
    #[serde(flatten)]
    pub event: Event,
    /// Why it bills nothing.
    pub reason: Reason,
    /// The reason in a sentence, naming what would make the event bill.
    pub message: String,
}

/// Every stored event that bills nothing, in ingest order, with its reason.
pub fn unbilled(state: &State) -> Vec<Unbilled> {
    classify(state, 0..state.events.len())
        .into_iter()
        .map(|(e, why)| {
            let event = state.events.event(e.i);
            Unbilled {
                reason: why.reason(),
                message: why.message(&event),
                event,
            }
        })
        .collect()
}

/// How many of `events` bill nothing, by reason (the ingest answer says so at once; no sentence is
/// written for an answer that only counts).
pub fn count_by_reason(state: &State, rows: std::ops::Range<usize>) -> std::collections::BTreeMap<Reason, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for (_, why) in classify(state, rows) {
        *counts.entry(why.reason()).or_insert(0) += 1;
    }
    counts
}

/// Why one event bills nothing, with what the sentence about it names.
enum Why<'a> {
    NoCustomer,
    NoMetric,
    NotANumber {
        metric: &'a str,
        key: &'a str,
        value: serde_json::Value,
    },
    NoContract {
        customer: &'a str,
    },
    NoPrice {
        contract: &'a str,
    },
}

impl Why<'_> {
    fn reason(&self) -> Reason {
        match self {
            Why::NoCustomer => Reason::NoCustomer,
            Why::NoMetric => Reason::NoMetric,
            Why::NotANumber { .. } => Reason::NotANumber,
            Why::NoContract { .. } => Reason::NoContract,
            Why::NoPrice { .. } => Reason::NoPrice,
        }
    }

    fn message(&self, e: &Event) -> String {
        match self {
            Why::NoCustomer => format!("no customer has the id or ingest alias `{}`", e.customer_id),
            Why::NoMetric => format!(
                "no billable metric of a usage product reads event type `{}`",
                e.event_type
            ),
            Why::NotANumber { metric, key, value } => {
                format!("`{key}` is `{value}`, not a number; billable metric `{metric}` cannot count it")
            }
            Why::NoContract { customer } => format!(
                "no contract of customer `{customer}` claims it at {} (contract dates or usage filters)",
                e.timestamp
            ),
            Why::NoPrice { contract } => format!(
                "contract `{contract}` takes it, but no contract of the customer has a price (a rate or an \
                 entitlement) at {} for a product it feeds",
                e.timestamp
            ),
        }
    }
}

/// Which of the stored events `rows` bill nothing, in their order, and why.
fn classify(state: &State, rows: std::ops::Range<usize>) -> Vec<(EventRef<'_>, Why<'_>)> {
    let mut judge = Judge::new(state);
    rows.map(|i| state.events.event_ref(i))
        .filter_map(|e| judge.why(&e).map(|why| (e, why)))
        .collect()
}

/// A metric that reads an event type: its aggregation key's symbol, and the usage products it feeds.
type Reader<'s> = (
    &'s crate::metric::BillableMetric,
    Option<Sym>,
    Vec<&'s crate::product::Product>,
);

/// What deciding whether an event bills looks up, built once per batch.
struct Judge<'s> {
    state: &'s State,
    /// Every key an event may name its customer by, as the store's symbol for it (events are read
    /// by symbol, so no text is hashed per event; a key no stored event names is left out), with
    /// the customer and its contracts (an index into `customers`).
    keys: HashMap<Sym, usize>,
    customers: Vec<(&'s crate::customer::Customer, Router<'s>)>,
    /// The metrics of usage products.
    readers: Vec<&'s crate::metric::BillableMetric>,
    /// Per metric id: the usage products it feeds.
    products: HashMap<&'s str, Vec<&'s crate::product::Product>>,
    /// The products one event feeds (a buffer, cleared per event).
    fed: Vec<&'s crate::product::Product>,
    /// The metrics that read an event type, each with its aggregation key's symbol, found once per
    /// type, not once per event.
    by_type: HashMap<Sym, Vec<Reader<'s>>>,
    /// Whether a stored value reads as a number, once per distinct value.
    numbers: HashMap<crate::usage::store::Val, bool>,
}

impl<'s> Judge<'s> {
    fn new(state: &'s State) -> Self {
        let mut by_text: HashMap<&str, &crate::customer::Customer> = HashMap::default();
        for c in state.customers.values() {
            by_text.insert(c.id.as_str(), c);
            for a in &c.ingest_aliases {
                by_text.entry(a.as_str()).or_insert(c);
            }
        }
        let mut contracts: HashMap<&str, Vec<&Contract>> = HashMap::default();
        for c in state.contracts.values() {
            contracts.entry(c.customer_id.as_str()).or_default().push(c);
        }
        let strings = &state.events.strings;
        let mut customers = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::default();
        let mut keys = HashMap::default();
        for (k, c) in by_text {
            let Some(sym) = strings.find(k) else { continue };
            let i = *index.entry(c.id.as_str()).or_insert_with(|| {
                let mine = contracts.get(c.id.as_str()).cloned().unwrap_or_default();
                customers.push((c, Router::new(state, mine)));
                customers.len() - 1
            });
            keys.insert(sym, i);
        }
        let readers = state
            .products
            .values()
            .filter(|p| p.kind == ProductType::Usage)
            .filter_map(|p| state.billable_metrics.get(p.billable_metric_id.as_ref()?))
            .collect();
        let mut products: HashMap<&str, Vec<&crate::product::Product>> = HashMap::default();
        for p in state.products.values().filter(|p| p.kind == ProductType::Usage) {
            if let Some(m) = &p.billable_metric_id {
                products.entry(m.as_str()).or_default().push(p);
            }
        }
        Judge {
            state,
            keys,
            customers,
            readers,
            products,
            fed: Vec::new(),
            by_type: HashMap::default(),
            numbers: HashMap::default(),
        }
    }

    /// Why `e` bills nothing, if it does not bill. Never inlined: in a browser each event is then a
    /// call of its own, which V8 runs in optimized code once it has made it (a loop that stays in one
    /// call runs in baseline code to its end; see `usage::scan`).
    #[inline(never)]
    fn why(&mut self, e: &EventRef<'s>) -> Option<Why<'s>> {
        let state = self.state;
        let store = &*state.events;
        let Some(&who) = self.keys.get(&store.keys[e.i]) else {
            return Some(Why::NoCustomer);
        };
        let readers = &self.readers;
        let products = &self.products;
        let by_type = self.by_type.entry(store.types[e.i]).or_insert_with(|| {
            readers
                .iter()
                .copied()
                .filter(|m| m.matches_event_type(e.event_type()))
                .map(|m| {
                    let key = m.aggregation_key.as_deref().and_then(|k| store.strings.find(k));
                    let fed = products.get(m.id.as_str()).cloned().unwrap_or_default();
                    (m, key, fed)
                })
                .collect::<Vec<_>>()
        });
        // One pass over the metrics that read the event (no list made per event): any at all, and
        // the first that cannot count its value.
        let numbers = &mut self.numbers;
        let props = store.props_of(e.i);
        let mut read = false;
        let not_a_number = by_type
            .iter()
            .filter(|(m, _, _)| m.matches_properties(e))
            .find_map(|&(m, key_sym, _)| {
                read = true;
                let key = m.aggregation_key.as_deref()?;
                let key_sym = key_sym?;
                let value = props.iter().find(|p| p.0 == key_sym)?.1;
                let numeric = matches!(
                    m.aggregation_type,
                    Aggregation::Sum | Aggregation::Max | Aggregation::Latest
                );
                let number = *numbers
                    .entry(value)
                    .or_insert_with(|| state.events.decimal_of(value).is_some());
                (numeric && !number).then(|| Why::NotANumber {
                    metric: &m.id,
                    key,
                    value: state.events.json(value),
                })
            });
        if !read {
            return Some(Why::NoMetric);
        }
        if not_a_number.is_some() {
            return not_a_number;
        }
        // The products the event feeds, into a buffer kept across events (this runs per event).
        let fed = &mut self.fed;
        fed.clear();
        for (_, _, products) in by_type.iter().filter(|(m, _, _)| m.matches_properties(e)) {
            fed.extend(products.iter().copied());
        }
        let (customer, router) = &mut self.customers[who];
        let Some(i) = router.route(e.at(), e, fed) else {
            return Some(Why::NoContract { customer: &customer.id });
        };
        (!router.prices(i, e.at(), e, fed)).then(|| Why::NoPrice {
            contract: &router.contracts[i].id,
        })
    }
}

/// How many events, stored or read as hourly aggregates (a warehouse's files), bill nothing through
/// `horizon`, by reason: usage under a key no customer has, of an event type no usage product's metric
/// reads, that no contract claims, or that no claiming contract can price. What `tally rate` reports,
/// as the not-billed list does event by event (an aggregate holds no value a metric could refuse).
pub fn not_billed_by_reason(state: &State, horizon: Timestamp) -> std::collections::BTreeMap<Reason, u64> {
    let mut counts = std::collections::BTreeMap::new();
    let mut add = |r: Reason, n: u64| *counts.entry(r).or_insert(0) += n;
    let feeds = super::feeds(state);
    let layout = state.usage_layout();
    let hourly = state.events.hourly(&layout);
    let store = &*state.events;
    let mut owned: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in state.customers.keys() {
        let keys = state.customer_keys(c);
        owned.extend(keys.iter().copied());
        let contracts: Vec<&Contract> = state.contracts.values().filter(|k| &k.customer_id == c).collect();
        let mut cuts: Vec<i64> = Vec::new();
        for k in &contracts {
            cuts.extend(
                super::lines::Plan::new(state, k, &[], horizon, &[])
                    .cuts()
                    .into_iter()
                    .map(nanos),
            );
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut router = Router::new(state, contracts);
        for r in customer_rows(store, Some(&hourly), &keys, None, &cuts) {
            let fed: Vec<&Product> = feeds
                .iter()
                .filter(|f| f.metric.matches_event_type(r.event_type) && f.metric.matches_properties(&r))
                .map(|f| f.product)
                .collect();
            if fed.is_empty() {
                add(Reason::NoMetric, r.events);
                continue;
            }
            match router.route(r.at, &r, &fed) {
                None => add(Reason::NoContract, r.events),
                Some(i) if !router.prices(i, r.at, &r, &fed) => add(Reason::NoPrice, r.events),
                Some(_) => {}
            }
        }
    }
    let unowned: Vec<&str> = hourly
        .by_key
        .keys()
        .map(|k| store.text(*k))
        .filter(|k| !owned.contains(k))
        .collect();
    for r in customer_rows(store, Some(&hourly), &unowned, None, &[]) {
        add(Reason::NoCustomer, r.events);
    }
    counts
}
