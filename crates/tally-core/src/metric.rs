//! Billable metrics: which events count, and how they aggregate into a quantity.

use crate::case::api_enum;
use crate::error::{Error, Result};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

api_enum!(Aggregation { Count = "COUNT", Sum = "SUM", Max = "MAX", Unique = "UNIQUE", Latest = "LATEST" });

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct InValues {
    #[serde(default)]
    pub in_values: Option<Vec<String>>,
    #[serde(default)]
    pub not_in_values: Option<Vec<String>>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PropertyFilter {
    pub name: String,
    #[serde(default)]
    pub exists: Option<bool>,
    #[serde(default)]
    pub in_values: Option<Vec<String>>,
    #[serde(default)]
    pub not_in_values: Option<Vec<String>>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BillableMetric {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub event_type_filter: Option<InValues>,
    #[serde(default)]
    pub property_filters: Vec<PropertyFilter>,
    pub aggregation_type: Aggregation,
    #[serde(default)]
    pub aggregation_key: Option<String>,
    #[serde(default)]
    pub group_keys: Vec<Vec<String>>,
    #[serde(default)]
    pub custom_fields: IndexMap<String, String>,
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

pub fn property_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => number_decimal(n.as_str()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl BillableMetric {
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
