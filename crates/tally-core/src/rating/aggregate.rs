//! Aggregates: what a metric keeps of a set of events (count, sum, max, the distinct values, the latest
//! value), so that the aggregates of disjoint sets merge into the aggregate of their union.

use crate::metric::Aggregation;
use crate::time::Timestamp;
use crate::usage::rows::UsageRow;
use crate::usage::store::timestamp;
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
    /// The latest value, with its time and ingest order (of two at one instant, the later ingested).
    Latest(Timestamp, u32, Decimal),
    /// A sum past `Decimal`'s range: the line that holds it is refused, never billed.
    Overflow,
}

impl Agg {
    /// What `row` adds to a metric that aggregates `key` with `how`. A value that is not a number
    /// (for SUM, MAX, LATEST) adds nothing: ingest refuses such events, and ones stored before their
    /// metric existed are listed as not billable.
    pub(crate) fn of(row: &UsageRow, how: Aggregation, key: Option<&str>) -> Agg {
        if how == Aggregation::Count {
            return Agg::Count(Decimal::from(row.events));
        }
        let Some(m) = key.and_then(|k| row.measure(k)) else {
            // Without a key only COUNT reads anything; an event without the property adds nothing,
            // though its line still appears.
            return if how == Aggregation::Sum {
                Agg::Sum(Decimal::ZERO)
            } else {
                Agg::Empty
            };
        };
        match how {
            Aggregation::Count => Agg::Count(Decimal::from(row.events)),
            Aggregation::Sum if m.overflow => Agg::Overflow,
            Aggregation::Sum if m.numeric + m.absent > 0 => Agg::Sum(m.sum),
            Aggregation::Max if m.numeric > 0 => Agg::Max(m.max),
            Aggregation::Latest => m
                .latest
                .map_or(Agg::Empty, |(t, row, v)| Agg::Latest(timestamp(t), row, v)),
            Aggregation::Unique if !m.distinct.is_empty() => {
                Agg::Unique(m.distinct.iter().map(|&s| row.store.text(s).to_string()).collect())
            }
            _ => Agg::Empty,
        }
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
            (Agg::Latest(t, r, v), Agg::Latest(u, q, w)) => {
                if (u, q) >= (t, r) {
                    Agg::Latest(u, q, w)
                } else {
                    Agg::Latest(t, r, v)
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
            Agg::Latest(_, _, v) => *v,
        }
    }
}
