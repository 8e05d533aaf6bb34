//! Products: what a customer is billed for. A USAGE product is fed by a billable metric.

use crate::case::api_enum;
use crate::error::{Error, Result};
use crate::record::record;
use indexmap::IndexMap;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

api_enum!(ProductType { Usage = "USAGE", Fixed = "FIXED", Composite = "COMPOSITE", Subscription = "SUBSCRIPTION" });
api_enum!(ConversionOperation { Multiply = "MULTIPLY", Divide = "DIVIDE" });
api_enum!(RoundingMethod { RoundUp = "ROUND_UP", RoundDown = "ROUND_DOWN", RoundHalfUp = "ROUND_HALF_UP" });

/// Converts the metric's quantity into the unit the product is priced in (e.g. MB sent, priced per
/// GB: DIVIDE by 1000).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityConversion {
    /// What the quantity is multiplied or divided by; must be greater than 0.
    pub conversion_factor: Decimal,
    /// Whether the quantity is multiplied or divided by `conversion_factor`.
    pub operation: ConversionOperation,
    /// A label for the conversion (e.g. `MB to GB`); kept, not used in rating.
    #[serde(default)]
    pub name: Option<String>,
}

/// Rounds the product's quantity (after any conversion) before it is priced.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityRounding {
    /// ROUND_UP (away from zero), ROUND_DOWN (toward zero) or ROUND_HALF_UP (halves away from
    /// zero).
    pub rounding_method: RoundingMethod,
    /// Decimal places the quantity keeps (0 to 20); 0 rounds to a whole number.
    pub decimal_places: u32,
}

record! {
    /// A product: the body of `POST /v1/contract-pricing/products/create`, and the product as stored.
    pub struct Product, body NewProduct of "POST /v1/contract-pricing/products/create" {
        /// The product's display name, shown on its invoice lines; must not be blank.
        pub name: String,
        /// USAGE (billed from a billable metric), FIXED (for commits, credits and scheduled charges),
        /// COMPOSITE (a percentage of other products' spend) or SUBSCRIPTION (billed per seat by a
        /// subscription).
        #[serde(rename = "type")]
        pub kind: ProductType,
        /// The metric whose quantity a USAGE product bills; required for USAGE.
        #[serde(default)]
        pub billable_metric_id: Option<String>,
        /// Labels commits, credits, overrides and composite products can name to select this product.
        #[serde(default)]
        pub tags: Vec<String>,
        /// USAGE only: event properties whose values are priced apart (rates can match them by
        /// `pricing_group_values`), each value its own invoice line.
        #[serde(default)]
        pub pricing_group_key: Vec<String>,
        /// USAGE only: event properties whose values split the product's invoice lines, without
        /// changing the price.
        #[serde(default)]
        pub presentation_group_key: Vec<String>,
        /// USAGE only: converts the metric's quantity into the priced unit; absent: billed as measured.
        #[serde(default)]
        pub quantity_conversion: Option<QuantityConversion>,
        /// USAGE only: rounds the quantity after any conversion; absent: not rounded.
        #[serde(default)]
        pub quantity_rounding: Option<QuantityRounding>,
        /// Free-form key/value metadata; kept and answered back, not used in rating.
        #[serde(default)]
        pub custom_fields: IndexMap<String, String>,
        /// A COMPOSITE product: the products whose spend it charges a percentage of, by id or by tag.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub composite_product_ids: Vec<String>,
        /// A COMPOSITE product: the tags whose products' spend it charges a percentage of.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub composite_tags: Vec<String>,
        /// A COMPOSITE product: leave out usage priced at zero (it adds no spend either way).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exclude_free_usage: Option<bool>,
    }
}

impl Product {
    /// Whether a COMPOSITE product's percentage counts spend on `other`.
    pub fn composes(&self, other: &Product) -> bool {
        other.id != self.id
            && other.kind != ProductType::Composite
            && (self.composite_product_ids.contains(&other.id)
                || other.tags.iter().any(|t| self.composite_tags.contains(t)))
    }

    /// Refuses a product whose fields do not fit its type (a USAGE product without a metric,
    /// composite fields on a non-COMPOSITE product) or a non-positive conversion factor.
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
