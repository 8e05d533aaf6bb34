//! Aggregates: what a metric keeps of a set of events (count, sum, max, the distinct values, the latest
//! value), so that the aggregates of disjoint sets merge into the aggregate of their union.

use crate::metric::{property_decimal, property_text, Aggregation};
use crate::time::Timestamp;
use crate::usage::Event;
use rust_decimal::Decimal;
use std::collections::HashSet;

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
