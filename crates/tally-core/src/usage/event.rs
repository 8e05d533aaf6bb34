//! Usage events as the API takes them, and the checks an event passes before it is stored.

use crate::error::{Error, Result};
use crate::metric::{property_decimal, property_text, Aggregation, BillableMetric, Props};
use crate::time::Timestamp;
use crate::usage::intern::Sym;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A usage event as `POST /v1/ingest` takes it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Unique per event: an event whose id is stored already is a duplicate and counts once.
    pub transaction_id: String,
    /// The customer's Tally id or one of its ingest aliases; which customer that is is decided when rating.
    pub customer_id: String,
    /// What happened (`api_call`, `tokens`); metrics select events by it.
    pub event_type: String,
    /// When it happened (RFC 3339, stored in UTC).
    pub timestamp: Timestamp,
    /// What metrics filter on, group by and aggregate; absent: none.
    #[serde(default)]
    pub properties: Map<String, Value>,
}

/// Refuses a batch with an event lacking its transaction id or customer, naming the event.
pub fn validate_events(events: &[Event]) -> Result<()> {
    for (i, e) in events.iter().enumerate() {
        if e.transaction_id.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].transaction_id"),
                "an event needs a transaction_id",
            ));
        }
        if e.customer_id.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].customer_id"),
                "an event needs a customer_id",
            ));
        }
    }
    Ok(())
}

/// How an incoming event's property reads, for the check below.
pub(crate) struct Reads {
    pub number: bool,
    pub plain: bool,
    pub json_number: bool,
}

/// An event about to be stored: its type and its properties, however it was read.
pub(crate) trait Incoming: Props {
    fn event_type(&self) -> &str;
    /// `None` when the event lacks `key`.
    fn reads(&self, key: &str) -> Option<Reads>;
    /// The value of `key` as JSON text, for a message.
    fn shown(&self, key: &str) -> String;
    /// The event type's symbol, when the event was read into a store: the check then finds the
    /// type's metrics and their keys by symbol, and hashes no text per event.
    fn type_sym(&self) -> Option<Sym> {
        None
    }
    /// `key`'s symbol in the store, if any text read so far was `key`.
    fn key_sym(&self, _key: &str) -> Option<Sym> {
        None
    }
    /// `reads`, given `key`'s symbol (from `key_sym`).
    fn reads_sym(&self, key: &str, _sym: Sym) -> Option<Reads> {
        self.reads(key)
    }
}

impl Incoming for Event {
    fn event_type(&self) -> &str {
        &self.event_type
    }
    fn reads(&self, key: &str) -> Option<Reads> {
        let v = self.properties.get(key)?;
        Some(Reads {
            number: property_decimal(v).is_some(),
            plain: property_text(v).is_some(),
            json_number: v.is_number(),
        })
    }
    fn shown(&self, key: &str) -> String {
        self.properties.get(key).map(|v| v.to_string()).unwrap_or_default()
    }
}

impl Props for Event {
    fn text(&self, key: &str) -> Option<&str> {
        self.properties.text(key)
    }
}

/// Refuses an event whose property that a billable metric aggregates is not a value it can use: a
/// number (a numeric string such as "5" is one) for SUM, MAX and LATEST, a plain value for UNIQUE.
/// Counted as 0 it would bill a wrong figure in silence. An event without the property is fine: it adds
/// nothing to that metric.
pub(crate) struct ValueCheck<'m> {
    metrics: &'m IndexMap<String, BillableMetric>,
    readers: rustc_hash::FxHashMap<String, Vec<&'m BillableMetric>>,
    /// The same by the type's symbol, with each metric's key symbol once it is known.
    by_sym: rustc_hash::FxHashMap<Sym, Vec<(&'m BillableMetric, Option<Sym>)>>,
}

impl<'m> ValueCheck<'m> {
    pub(crate) fn new(metrics: &'m IndexMap<String, BillableMetric>) -> Self {
        ValueCheck {
            metrics,
            readers: Default::default(),
            by_sym: Default::default(),
        }
    }

    /// The metrics that read event type `ty` (COUNT needs no value).
    fn readers_of(metrics: &'m IndexMap<String, BillableMetric>, ty: &str) -> Vec<&'m BillableMetric> {
        metrics
            .values()
            .filter(|m| m.aggregation_type != Aggregation::Count && m.matches_event_type(ty))
            .collect()
    }

    /// Checks event `i` of a list that sits at `prefix` in the body (`events` in a preview).
    pub(crate) fn check(&mut self, prefix: &str, i: usize, e: &impl Incoming) -> Result<()> {
        let all = self.metrics;
        let ty = e.event_type();
        if let Some(t) = e.type_sym() {
            let reading = self.by_sym.entry(t).or_insert_with(|| {
                Self::readers_of(all, ty)
                    .into_iter()
                    .map(|m| (m, m.aggregation_key.as_deref().and_then(|k| e.key_sym(k))))
                    .collect()
            });
            for (m, key_sym) in reading.iter_mut().filter(|(m, _)| m.matches_properties(e)) {
                let Some(key) = m.aggregation_key.as_deref() else {
                    continue;
                };
                // A key no event had named when the type was first met may be named since.
                if key_sym.is_none() {
                    *key_sym = e.key_sym(key);
                }
                let Some(r) = key_sym.and_then(|k| e.reads_sym(key, k)) else {
                    continue;
                };
                Self::usable(prefix, i, e, m, key, r)?;
            }
            return Ok(());
        }
        let reading = match self.readers.get(ty) {
            Some(r) => r,
            None => {
                let r = Self::readers_of(all, ty);
                self.readers.entry(ty.to_string()).or_insert(r)
            }
        };
        for m in reading.iter().filter(|m| m.matches_properties(e)) {
            let Some(key) = m.aggregation_key.as_deref() else {
                continue;
            };
            let Some(r) = e.reads(key) else { continue };
            Self::usable(prefix, i, e, m, key, r)?;
        }
        Ok(())
    }

    /// Refuses the value `r` of `key` if metric `m` cannot aggregate it.
    fn usable(prefix: &str, i: usize, e: &impl Incoming, m: &BillableMetric, key: &str, r: Reads) -> Result<()> {
        let usable = match m.aggregation_type {
            Aggregation::Unique => r.plain,
            _ => r.number,
        };
        if usable {
            return Ok(());
        }
        let wants = if m.aggregation_type == Aggregation::Unique {
            "a plain value (text, number or boolean)"
        } else if r.json_number {
            "a number Tally can count exactly (at most about ±7.9e28, 28 decimal places)"
        } else {
            "a number"
        };
        Err(Error::invalid(
            format!("{prefix}[{i}].properties.{key}"),
            format!(
                "`{}` is not {wants}; billable metric `{}` aggregates `{key}` with {}",
                e.shown(key),
                m.id,
                m.aggregation_type.as_str()
            ),
        ))
    }
}

/// Refuses an event whose property a metric aggregates is not a number (SUM, MAX) where it is read, naming the event and the metric.
pub fn validate_values(metrics: &IndexMap<String, BillableMetric>, events: &[Event], prefix: &str) -> Result<()> {
    let mut check = ValueCheck::new(metrics);
    for (i, e) in events.iter().enumerate() {
        check.check(prefix, i, e)?;
    }
    Ok(())
}
