//! Billable metrics: which events count, and how they aggregate into a quantity.

use crate::case::api_enum;
use crate::error::{Error, Result};
use crate::record::record;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

api_enum!(Aggregation { Count = "COUNT", Sum = "SUM", Max = "MAX", Unique = "UNIQUE", Latest = "LATEST" });

/// Which event types a metric counts: one of `in_values` (when given) and none of `not_in_values`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct InValues {
    /// The event types that count; absent: any type not excluded.
    #[serde(default)]
    pub in_values: Option<Vec<String>>,
    /// The event types that never count; absent: none excluded.
    #[serde(default)]
    pub not_in_values: Option<Vec<String>>,
}

/// A rule on one event property; an event counts toward the metric only if it passes every rule.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PropertyFilter {
    /// The event property the rule reads.
    pub name: String,
    /// true: the event must have the property; false: it must not; absent: either.
    #[serde(default)]
    pub exists: Option<bool>,
    /// The property must have one of these values (compared as text); absent: any value.
    #[serde(default)]
    pub in_values: Option<Vec<String>>,
    /// The property must not have one of these values (compared as text); an event without it
    /// passes.
    #[serde(default)]
    pub not_in_values: Option<Vec<String>>,
}

record! {
    /// A billable metric, how events become a quantity: the body of `POST /v1/billable-metrics/create`,
    /// and the metric as stored.
    pub struct BillableMetric, body NewBillableMetric of "POST /v1/billable-metrics/create" {
        /// The metric's display name; must not be blank.
        pub name: String,
        /// Which `event_type`s count; absent: every event type.
        #[serde(default)]
        pub event_type_filter: Option<InValues>,
        /// Rules on event properties an event must all pass to count; empty: no rule.
        #[serde(default)]
        pub property_filters: Vec<PropertyFilter>,
        /// How matching events become a quantity: COUNT them, or the SUM, MAX, number of UNIQUE values,
        /// or LATEST value of `aggregation_key`.
        pub aggregation_type: Aggregation,
        /// The event property SUM, MAX, UNIQUE and LATEST read; required for every aggregation but
        /// COUNT.
        #[serde(default)]
        pub aggregation_key: Option<String>,
        /// Sets of event properties usage can be grouped by (Metronome's field); kept, while invoice
        /// lines split by the product's group keys.
        #[serde(default)]
        pub group_keys: Vec<Vec<String>>,
        /// Free-form key/value metadata; kept and answered back, not used in rating.
        #[serde(default)]
        pub custom_fields: IndexMap<String, String>,
    }
}

/// A property's value as text, the form filters and group keys compare on.
pub fn property_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where rating reads an event's properties: a JSON object, a stored event, or an aggregate's
/// dimensions. Every filter and group key compares on `text`.
pub trait Props {
    /// The property's value as text (`property_text`), if it has one.
    fn text(&self, key: &str) -> Option<&str>;
}

impl Props for serde_json::Map<String, Value> {
    fn text(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.as_str()),
            Value::Bool(b) => Some(if *b { "true" } else { "false" }),
            _ => None,
        }
    }
}

/// A JSON number's text as a quantity: exactly when it has one, else through its float (1e3).
pub fn number_decimal(text: &str) -> Option<Decimal> {
    text.parse::<Decimal>()
        .ok()
        .or_else(|| text.parse::<f64>().ok().and_then(|f| Decimal::try_from(f).ok()))
}

/// A property's value as a quantity: a JSON number, or a string that reads as a decimal.
pub fn property_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => number_decimal(n.as_str()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl BillableMetric {
    /// Refuses a blank name, or an aggregation other than COUNT without an `aggregation_key`.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a billable metric needs a name"));
        }
        if self.aggregation_type != Aggregation::Count && self.aggregation_key.is_none() {
            return Err(Error::invalid(
                "aggregation_key",
                format!(
                    "{} aggregation needs an aggregation_key",
                    self.aggregation_type.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// Whether an event of type `event_type` passes `event_type_filter`.
    pub fn matches_event_type(&self, event_type: &str) -> bool {
        match &self.event_type_filter {
            None => true,
            Some(f) => {
                f.in_values.as_ref().is_none_or(|v| v.iter().any(|x| x == event_type))
                    && f.not_in_values
                        .as_ref()
                        .is_none_or(|v| !v.iter().any(|x| x == event_type))
            }
        }
    }

    /// Whether an event's properties pass every rule of `property_filters`.
    pub fn matches_properties(&self, props: &impl Props) -> bool {
        self.property_filters.iter().all(|f| {
            let v = props.text(&f.name);
            if let Some(exists) = f.exists {
                if exists != v.is_some() {
                    return false;
                }
            }
            if let Some(ins) = &f.in_values {
                if !v.is_some_and(|v| ins.iter().any(|x| x == v)) {
                    return false;
                }
            }
            if let (Some(outs), Some(v)) = (&f.not_in_values, v) {
                if outs.iter().any(|x| x == v) {
                    return false;
                }
            }
            true
        })
    }
}
