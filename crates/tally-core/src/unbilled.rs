//! Usage that bills nothing, and why: an event should never vanish without a word. The app's Usage
//! page, `GET /v1/usage/unmatched`, the JS package and `tally run` all show this one list.

use crate::contract::Contract;
use crate::metric::Aggregation;
use crate::product::ProductType;
use crate::rating::claimant;
use crate::state::State;
use crate::usage::{Event, EventRef};
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
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Unbilled {
    #[serde(flatten)]
    pub event: Event,
    pub reason: Reason,
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
}

impl Why<'_> {
    fn reason(&self) -> Reason {
        match self {
            Why::NoCustomer => Reason::NoCustomer,
            Why::NoMetric => Reason::NoMetric,
            Why::NotANumber { .. } => Reason::NotANumber,
            Why::NoContract { .. } => Reason::NoContract,
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
        }
    }
}

/// Which of the stored events `rows` bill nothing, in their order, and why.
fn classify(state: &State, rows: std::ops::Range<usize>) -> Vec<(EventRef<'_>, Why<'_>)> {
    // Every key an event may name its customer by, looked up once per event.
    let mut keys: HashMap<&str, &crate::customer::Customer> = HashMap::default();
    for c in state.customers.values() {
        keys.insert(c.id.as_str(), c);
        for a in &c.ingest_aliases {
            keys.entry(a.as_str()).or_insert(c);
        }
    }
    let readers: Vec<_> = state
        .products
        .values()
        .filter(|p| p.kind == ProductType::Usage)
        .filter_map(|p| state.billable_metrics.get(p.billable_metric_id.as_ref()?))
        .collect();
    let mut contracts: HashMap<&str, Vec<&Contract>> = HashMap::default();
    for c in state.contracts.values() {
        contracts.entry(c.customer_id.as_str()).or_default().push(c);
    }
    let mut by_type: HashMap<&str, Vec<&crate::metric::BillableMetric>> = HashMap::default();
    // Whether a stored value reads as a number, once per distinct value.
    let mut numbers: HashMap<crate::usage::store::Val, bool> = HashMap::default();
    let mut out = Vec::new();
    for e in rows.map(|i| state.events.event_ref(i)) {
        let Some(customer) = keys.get(e.customer_key()) else {
            out.push((e, Why::NoCustomer));
            continue;
        };
        // The metrics that read an event type are found once per type, not once per event.
        let by_type = by_type.entry(e.event_type()).or_insert_with(|| {
            readers
                .iter()
                .copied()
                .filter(|m| m.matches_event_type(e.event_type()))
                .collect::<Vec<_>>()
        });
        // One pass over the metrics that read the event (no list made per event): any at all, and
        // the first that cannot count its value.
        let mut read = false;
        let not_a_number = by_type.iter().filter(|m| m.matches_properties(&e)).find_map(|m| {
            read = true;
            let key = m.aggregation_key.as_deref()?;
            let value = e.value(key)?;
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
            out.push((e, Why::NoMetric));
            continue;
        }
        if let Some(why) = not_a_number {
            out.push((e, why));
            continue;
        }
        let mine = contracts
            .get(customer.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        if claimant(mine.iter().copied(), e.at(), &e).is_none() {
            out.push((e, Why::NoContract { customer: &customer.id }));
        }
    }
    out
}
