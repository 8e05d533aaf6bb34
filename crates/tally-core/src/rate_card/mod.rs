//! Rate cards: the list price of each product over time, flat or tiered, optionally per pricing group.

use crate::error::{Error, Result};
use crate::record::record;
use crate::time::{Timestamp, Window};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod price;
pub use price::{validate_tiers, Price, RateType, Tier};

/// One price of a product on a rate card over a window; also the body of `addRate`, which names
/// `rate_card_id`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rate {
    /// `addRate` only: the rate card to add the rate to; not kept on the stored rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    /// The product this rate prices.
    pub product_id: String,
    /// When the rate takes effect (inclusive).
    pub starting_at: Timestamp,
    /// When the rate stops (exclusive); none: open-ended, until a later rate of the same product
    /// and pricing group values starts.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// Whether contracts on the card may bill the product at all (overrides can change it); default
    /// true.
    #[serde(default = "yes")]
    pub entitled: bool,
    /// FLAT (a price per unit), TIERED (per-unit prices by band), PERCENTAGE or TIERED_PERCENTAGE
    /// (a COMPOSITE product's share of spend) or SUBSCRIPTION (a price per seat per billing
    /// period).
    pub rate_type: RateType,
    /// The unit price in the rate's credit type (e.g. USD cents), needed by FLAT and SUBSCRIPTION;
    /// for PERCENTAGE a fraction from 0 to 1 (0.1 is 10 %).
    #[serde(default)]
    pub price: Option<Decimal>,
    /// The bands of a TIERED or TIERED_PERCENTAGE rate, every one sized but the last.
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
    /// The rate applies only to usage with these values of the product's `pricing_group_key`
    /// properties; empty: any. The rate matching the most values wins.
    #[serde(default)]
    pub pricing_group_values: IndexMap<String, String>,
    /// Metronome's separate price for drawing down commits; not supported yet, so absent or null
    /// (draw-down uses the rate itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_rate: Option<serde_json::Value>,
    /// What the price is in: the card's currency (the default) or a custom pricing unit the card
    /// converts (`credit_type_conversions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_type_id: Option<String>,
    /// A SUBSCRIPTION rate: the period its price is for (a subscription names the same).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_frequency: Option<crate::subscription::BillingFrequency>,
    /// A SUBSCRIPTION rate: whether a partial period is prorated (a subscription's own `proration`
    /// wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_prorated: Option<bool>,
    /// A PERCENTAGE or TIERED_PERCENTAGE rate: the least a full period's charge is (prorated by time
    /// in a partial period), in the credit type's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Decimal>,
}

fn yes() -> bool {
    true
}

impl Rate {
    /// The rate's window, `[starting_at, ending_before)`.
    pub fn window(&self) -> Window {
        Window {
            start: self.starting_at,
            end: self.ending_before,
        }
    }

    /// The price rating uses: the tiers of a tiered rate, else the flat `price` (0 when absent).
    pub fn price(&self) -> Price {
        match (&self.rate_type, &self.tiers) {
            (RateType::Tiered | RateType::TieredPercentage, Some(t)) => Price::Tiered(t.clone()),
            _ => Price::Flat(self.price.unwrap_or_default()),
        }
    }

    /// Shape rules of a single rate; `path` is where the rate sits in the body.
    pub fn validate(&self, path: &str) -> Result<()> {
        let at = |f: &str| crate::error::join_path(path, f);
        if self.commit_rate.as_ref().is_some_and(|v| !v.is_null()) {
            return Err(Error::new(
                crate::error::ErrorCode::NotSupported,
                at("commit_rate"),
                "a separate commit_rate is not supported by Tally yet: draw-down is priced at the rate itself",
            ));
        }
        if let Some(e) = self.ending_before {
            if e <= self.starting_at {
                return Err(Error::invalid(
                    at("ending_before"),
                    "ending_before must be after starting_at",
                ));
            }
        }
        if self.minimum.is_some_and(|m| m < Decimal::ZERO) {
            return Err(Error::invalid(at("minimum"), "a minimum cannot be negative"));
        }
        if self.minimum.is_some() && !matches!(self.rate_type, RateType::Percentage | RateType::TieredPercentage) {
            return Err(Error::invalid(
                at("minimum"),
                "only a PERCENTAGE or TIERED_PERCENTAGE rate has a minimum",
            ));
        }
        match self.rate_type {
            RateType::Flat | RateType::Subscription => match self.price {
                None => return Err(Error::invalid(at("price"), "a FLAT rate needs a price")),
                Some(p) if p < Decimal::ZERO => return Err(Error::invalid(at("price"), "a price cannot be negative")),
                _ => {}
            },
            RateType::Tiered => {
                let tiers = self
                    .tiers
                    .as_deref()
                    .ok_or_else(|| Error::invalid(at("tiers"), "a TIERED rate needs tiers"))?;
                validate_tiers(tiers, |t| t.size, &at("tiers"))?;
                if let Some(i) = tiers.iter().position(|t| t.price < Decimal::ZERO) {
                    return Err(Error::invalid(
                        at(&format!("tiers[{i}].price")),
                        "a price cannot be negative",
                    ));
                }
            }
            RateType::Percentage => match self.price {
                None => {
                    return Err(Error::invalid(
                        at("price"),
                        "a PERCENTAGE rate needs a price (0.1 is 10 %)",
                    ))
                }
                Some(p) if p < Decimal::ZERO || p > Decimal::ONE => {
                    return Err(Error::invalid(
                        at("price"),
                        "a percentage is a fraction from 0 to 1 (0.1 is 10 %)",
                    ))
                }
                _ => {}
            },
            RateType::TieredPercentage => {
                let tiers = self
                    .tiers
                    .as_deref()
                    .ok_or_else(|| Error::invalid(at("tiers"), "a TIERED_PERCENTAGE rate needs tiers"))?;
                validate_tiers(tiers, |t| t.size, &at("tiers"))?;
                if let Some(i) = tiers
                    .iter()
                    .position(|t| t.price < Decimal::ZERO || t.price > Decimal::ONE)
                {
                    return Err(Error::invalid(
                        at(&format!("tiers[{i}].price")),
                        "a percentage is a fraction from 0 to 1 (0.1 is 10 %)",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A name a contract can give (`rate_card_alias`) instead of the card's id, over a window.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RateCardAlias {
    /// The alias contracts name.
    pub name: String,
    /// From when the alias names this card (inclusive); absent: from the beginning.
    #[serde(default)]
    pub starting_at: Option<Timestamp>,
    /// Until when the alias names this card (exclusive); absent: open-ended.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
}

record! {
    /// A rate card, the list prices contracts start from: the body of
    /// `POST /v1/contract-pricing/rate-cards/create`, and the card as stored.
    pub struct RateCard, body NewRateCard of "POST /v1/contract-pricing/rate-cards/create" {
        /// The rate card's display name; must not be blank.
        pub name: String,
        /// Free-text description; kept, not used in rating.
        #[serde(default)]
        pub description: Option<String>,
        /// Names contracts can use instead of the id (`rate_card_alias`), each over its window; a
        /// contract's alias is matched at its start.
        #[serde(default)]
        pub aliases: Vec<RateCardAlias>,
        /// The card's rates; on create each is added in order, as `addRate` would.
        #[serde(default)]
        pub rates: Vec<Rate>,
        /// The fiat currency the card bills in (USD cents when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fiat_credit_type_id: Option<String>,
        /// What one unit of each custom pricing unit its rates use costs in the card's currency.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub credit_type_conversions: Vec<CreditTypeConversion>,
    }
}

/// The price of one unit of a custom pricing unit in the card's currency, for rates priced in that
/// unit.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreditTypeConversion {
    /// The custom pricing unit converted (not a fiat currency); at most one conversion each per
    /// card.
    pub custom_credit_type_id: String,
    /// What one unit costs in the card's currency's unit (e.g. 2 = 2 cents on a USD card); above 0.
    pub fiat_per_custom_credit: Decimal,
}

impl RateCard {
    /// The currency the card's usage is invoiced in.
    pub fn fiat(&self) -> &str {
        self.fiat_credit_type_id
            .as_deref()
            .unwrap_or(crate::credit_type::USD_CENTS_ID)
    }

    /// What a rate is priced in: its own credit type, or the card's currency.
    pub fn credit_type_of<'a>(&'a self, rate: &'a Rate) -> &'a str {
        rate.credit_type_id.as_deref().unwrap_or(self.fiat())
    }

    /// How much of the card's currency one unit of custom pricing unit `id` costs.
    pub fn fiat_per(&self, id: &str) -> Option<Decimal> {
        self.credit_type_conversions
            .iter()
            .find(|c| c.custom_credit_type_id == id)
            .map(|c| c.fiat_per_custom_credit)
    }

    /// The card's currency is a currency; each conversion is from a custom unit, at a positive rate,
    /// given once.
    pub fn validate_credit_types(&self) -> Result<()> {
        if !crate::credit_type::is_currency(self.fiat()) {
            return Err(Error::invalid(
                "fiat_credit_type_id",
                "a rate card bills in a fiat currency, not a custom pricing unit",
            ));
        }
        for (i, c) in self.credit_type_conversions.iter().enumerate() {
            let at = |f: &str| format!("credit_type_conversions[{i}].{f}");
            if crate::credit_type::is_currency(&c.custom_credit_type_id) {
                return Err(Error::invalid(
                    at("custom_credit_type_id"),
                    "a conversion is from a custom pricing unit into the card's currency",
                ));
            }
            if c.fiat_per_custom_credit <= Decimal::ZERO {
                return Err(Error::invalid(
                    at("fiat_per_custom_credit"),
                    "a conversion rate is above 0",
                ));
            }
            if self.credit_type_conversions[..i]
                .iter()
                .any(|x| x.custom_credit_type_id == c.custom_credit_type_id)
            {
                return Err(Error::invalid(
                    at("custom_credit_type_id"),
                    "this pricing unit already has a conversion on the card",
                ));
            }
        }
        Ok(())
    }

    /// Whether the card answers to alias `name` at `at`.
    pub fn alias_matches(&self, name: &str, at: Timestamp) -> bool {
        self.aliases
            .iter()
            .any(|a| a.name == name && a.starting_at.is_none_or(|s| s <= at) && a.ending_before.is_none_or(|e| at < e))
    }

    /// Adds a rate. A rate that starts later than an open-ended rate of the same product and pricing
    /// group values is a scheduled price change: the open-ended rate ends where the new one starts (and
    /// does not resume after it). Any other overlap with such a rate is refused.
    pub fn add_rate(&mut self, rate: Rate, path: &str) -> Result<()> {
        let ct = self.credit_type_of(&rate);
        if ct != self.fiat() && self.fiat_per(ct).is_none() {
            return Err(Error::invalid(
                crate::error::join_path(path, "credit_type_id"),
                format!(
                    "a rate is priced in the card's currency or in a custom pricing unit the card converts \
                     (credit_type_conversions); `{ct}` is neither"
                ),
            ));
        }
        // One subscription product may be sold at once monthly, quarterly and annually: rates overlap
        // only when their billing frequencies match too.
        let same = |r: &Rate| {
            r.product_id == rate.product_id
                && r.pricing_group_values == rate.pricing_group_values
                && r.billing_frequency == rate.billing_frequency
        };
        let mut ended = None;
        for (i, r) in self.rates.iter().enumerate() {
            if !same(r) || !r.window().overlaps(&rate.window()) {
                continue;
            }
            if r.ending_before.is_none() && r.starting_at < rate.starting_at && ended.is_none() {
                ended = Some(i);
                continue;
            }
            return Err(Error::invalid(
                crate::error::join_path(path, "starting_at"),
                format!(
                    "this rate's window overlaps another rate of product {} on the rate card (from {}{}); \
                     a price change starts after the current open-ended rate's start",
                    rate.product_id,
                    r.starting_at,
                    r.ending_before.map(|e| format!(" until {e}")).unwrap_or_default()
                ),
            ));
        }
        if let Some(i) = ended {
            self.rates[i].ending_before = Some(rate.starting_at);
        }
        self.rates.push(rate);
        Ok(())
    }

    /// The SUBSCRIPTION rate of `product_id` at `t` for a subscription billed every `frequency`: the
    /// rate of that frequency, else one that names none.
    pub fn subscription_rate_at(
        &self,
        product_id: &str,
        t: Timestamp,
        frequency: crate::subscription::BillingFrequency,
    ) -> Option<&Rate> {
        let at_t = || {
            self.rates
                .iter()
                .filter(move |r| r.product_id == product_id && r.window().contains(t))
        };
        at_t()
            .find(|r| r.billing_frequency == Some(frequency))
            .or_else(|| at_t().find(|r| r.billing_frequency.is_none()))
    }

    /// The list rate of a product at `t` for a line with these pricing group values: the most specific
    /// matching rate (most pricing group values that all agree).
    pub fn rate_at(&self, product_id: &str, pgv: &IndexMap<String, String>, t: Timestamp) -> Option<&Rate> {
        self.rates
            .iter()
            .filter(|r| r.product_id == product_id && r.window().contains(t))
            .filter(|r| r.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v)))
            .max_by_key(|r| r.pricing_group_values.len())
    }
}

#[cfg(test)]
#[path = "rate_card_tests.rs"]
mod tests;
