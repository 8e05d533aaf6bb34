//! Usage events as the API takes them, and the checks an event passes before it is stored.

use crate::error::{Error, Result};
use crate::metric::{property_decimal, property_text, Aggregation, BillableMetric, Props};
use crate::time::Timestamp;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub transaction_id: String,
    pub customer_id: String,
    pub event_type: String,
    pub timestamp: Timestamp,
    #[serde(default)]
    pub properties: Map<String, Value>,
}

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
}

impl<'m> ValueCheck<'m> {
    pub(crate) fn new(metrics: &'m IndexMap<String, BillableMetric>) -> Self {
        ValueCheck {
            metrics,
            readers: Default::default(),
        }
    }

    /// Checks event `i` of a list that sits at `prefix` in the body (`events` in a preview).
    pub(crate) fn check(&mut self, prefix: &str, i: usize, e: &impl Incoming) -> Result<()> {
        let all = self.metrics;
        let ty = e.event_type();
        let reading = match self.readers.get(ty) {
            Some(r) => r,
            None => {
                let r = all
                    .values()
                    .filter(|m| m.aggregation_type != Aggregation::Count && m.matches_event_type(ty))
                    .collect();
                self.readers.entry(ty.to_string()).or_insert(r)
            }
        };
        for m in reading.iter().filter(|m| m.matches_properties(e)) {
            let Some(key) = m.aggregation_key.as_deref() else {
                continue;
            };
            let Some(r) = e.reads(key) else { continue };
            let usable = match m.aggregation_type {
                Aggregation::Unique => r.plain,
                _ => r.number,
            };
            if !usable {
                let wants = if m.aggregation_type == Aggregation::Unique {
                    "a plain value (text, number or boolean)"
                } else if r.json_number {
                    "a number Tally can count exactly (at most about ±7.9e28, 28 decimal places)"
                } else {
                    "a number"
                };
                return Err(Error::invalid(
                    format!("{prefix}[{i}].properties.{key}"),
                    format!(
                        "`{}` is not {wants}; billable metric `{}` aggregates `{key}` with {}",
                        e.shown(key),
                        m.id,
                        m.aggregation_type.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }
}

pub fn validate_values(metrics: &IndexMap<String, BillableMetric>, events: &[Event], prefix: &str) -> Result<()> {
    let mut check = ValueCheck::new(metrics);
    for (i, e) in events.iter().enumerate() {
        check.check(prefix, i, e)?;
    }
    Ok(())
}
