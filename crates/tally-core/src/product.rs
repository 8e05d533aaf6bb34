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
}

impl Product {
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a product needs a name"));
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
