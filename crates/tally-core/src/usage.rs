//! Usage events as ingested. An event names its customer by Tally id or by ingest alias; which customer
//! that is gets decided when rating, from the aliases as they are then, so an alias added later claims
//! earlier usage and usage for an unknown alias waits, kept, until some customer claims it.

use crate::error::{Error, Result};
use crate::metric::{property_decimal, property_text, Aggregation, BillableMetric};
use crate::time::Timestamp;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

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

/// Refuses an event whose property that a billable metric aggregates is not a value it can use: a
/// number (a numeric string such as "5" is one) for SUM, MAX and LATEST, a plain value for UNIQUE.
/// Counted as 0 it would bill a wrong figure in silence. An event without the property is fine: it adds
/// nothing to that metric. `prefix` is where the list sits in the body (`events` in a preview).
pub fn validate_values(metrics: &IndexMap<String, BillableMetric>, events: &[Event], prefix: &str) -> Result<()> {
    let mut readers: HashMap<&str, Vec<&BillableMetric>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let metrics = readers.entry(e.event_type.as_str()).or_insert_with(|| {
            metrics
                .values()
                .filter(|m| m.aggregation_type != Aggregation::Count && m.matches_event_type(&e.event_type))
                .collect()
        });
        for m in metrics.iter().filter(|m| m.matches_properties(&e.properties)) {
            let Some(key) = m.aggregation_key.as_deref() else {
                continue;
            };
            let Some(v) = e.properties.get(key) else { continue };
            let usable = match m.aggregation_type {
                Aggregation::Unique => property_text(v).is_some(),
                _ => property_decimal(v).is_some(),
            };
            if !usable {
                let wants = if m.aggregation_type == Aggregation::Unique {
                    "a plain value (text, number or boolean)"
                } else if v.is_number() {
                    "a number Tally can count exactly (at most about ±7.9e28, 28 decimal places)"
                } else {
                    "a number"
                };
                return Err(Error::invalid(
                    format!("{prefix}[{i}].properties.{key}"),
                    format!(
                        "`{v}` is not {wants}; billable metric `{}` aggregates `{key}` with {}",
                        m.id,
                        m.aggregation_type.as_str()
                    ),
                ));
            }
        }
    }
    Ok(())
}
