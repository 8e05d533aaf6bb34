//! Products: what a customer is billed for. A USAGE product is fed by a billable metric.

use crate::case::api_enum;
use crate::error::{Error, Result};
use indexmap::IndexMap;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

api_enum!(ProductType { Usage = "USAGE", Fixed = "FIXED", Composite = "COMPOSITE", Subscription = "SUBSCRIPTION" });
api_enum!(ConversionOperation { Multiply = "MULTIPLY", Divide = "DIVIDE" });
api_enum!(RoundingMethod { RoundUp = "ROUND_UP", RoundDown = "ROUND_DOWN", RoundHalfUp = "ROUND_HALF_UP" });

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityConversion {
    pub conversion_factor: Decimal,
    pub operation: ConversionOperation,
    #[serde(default)]
    pub name: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityRounding {
    pub rounding_method: RoundingMethod,
    pub decimal_places: u32,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Product {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ProductType,
    #[serde(default)]
    pub billable_metric_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub pricing_group_key: Vec<String>,
    #[serde(default)]
    pub presentation_group_key: Vec<String>,
    #[serde(default)]
    pub quantity_conversion: Option<QuantityConversion>,
    #[serde(default)]
    pub quantity_rounding: Option<QuantityRounding>,
    #[serde(default)]
    pub custom_fields: IndexMap<String, String>,
    /// A COMPOSITE product: the products whose spend it charges a percentage of, by id or by tag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composite_product_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composite_tags: Vec<String>,
    /// A COMPOSITE product: leave out usage priced at zero (it adds no spend either way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_free_usage: Option<bool>,
}

impl Product {
    /// Whether a COMPOSITE product's percentage counts spend on `other`.
    pub fn composes(&self, other: &Product) -> bool {
        other.id != self.id
            && other.kind != ProductType::Composite
            && (self.composite_product_ids.contains(&other.id)
                || other.tags.iter().any(|t| self.composite_tags.contains(t)))
    }

    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a product needs a name"));
        }
        let composite = !self.composite_product_ids.is_empty() || !self.composite_tags.is_empty();
        if composite && self.kind != ProductType::Composite {
            return Err(Error::invalid(
                "composite_product_ids",
                "only a COMPOSITE product names composite products or tags",
            ));
        }
        if self.kind == ProductType::Composite && !composite {
            return Err(Error::invalid(
                "composite_product_ids",
                "a COMPOSITE product names the products (composite_product_ids) or tags (composite_tags) it charges on",
            ));
        }
        if self.kind == ProductType::Usage && self.billable_metric_id.is_none() {
            return Err(Error::invalid(
                "billable_metric_id",
                "a USAGE product needs a billable_metric_id",
            ));
        }
        if let Some(c) = &self.quantity_conversion {
            if c.conversion_factor <= Decimal::ZERO {
                return Err(Error::invalid(
                    "quantity_conversion.conversion_factor",
                    "must be greater than 0",
                ));
            }
        }
        if let Some(r) = &self.quantity_rounding {
            if r.decimal_places > 20 {
                return Err(Error::invalid(
                    "quantity_rounding.decimal_places",
                    "at most 20 decimal places",
                ));
            }
        }
        Ok(())
    }

    /// The billed quantity from the metric's aggregate: conversion first, then rounding.
    pub fn billed_quantity(&self, raw: Decimal) -> crate::money::Checked<crate::money::Quantity> {
        let mut q = raw;
        if let Some(c) = &self.quantity_conversion {
            q = match c.operation {
                ConversionOperation::Multiply => crate::money::mul(q, c.conversion_factor)?,
                ConversionOperation::Divide => crate::money::div(q, c.conversion_factor)?,
            };
        }
        if let Some(r) = &self.quantity_rounding {
            let strategy = match r.rounding_method {
                RoundingMethod::RoundUp => RoundingStrategy::AwayFromZero,
                RoundingMethod::RoundDown => RoundingStrategy::ToZero,
                RoundingMethod::RoundHalfUp => RoundingStrategy::MidpointAwayFromZero,
            };
            q = q.round_dp_with_strategy(r.decimal_places, strategy);
        }
        Ok(crate::money::Quantity::new(q))
    }
}
