//! Rate cards: the list price of each product over time, flat or tiered, optionally per pricing group.

use crate::case::api_enum;
use crate::error::{Error, Result};
use crate::money::{add, mul, sub, Checked, Money, Quantity};
use crate::time::{Timestamp, Window};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(RateType { Flat = "FLAT", Tiered = "TIERED", Percentage = "PERCENTAGE", TieredPercentage = "TIERED_PERCENTAGE", Subscription = "SUBSCRIPTION" });

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Decimal>,
    pub price: Decimal,
}

/// A price as the rating engine uses it: one unit price, or bands of quantity with their prices.
#[derive(Debug, Clone, PartialEq)]
pub enum Price {
    Flat(Decimal),
    Tiered(Vec<Tier>),
}

impl Price {
    /// Every unit price times `m` (a multiplier override).
    pub fn scaled(&self, m: Decimal) -> Checked<Price> {
        Ok(match self {
            Price::Flat(p) => Price::Flat(mul(*p, m)?),
            Price::Tiered(t) => Price::Tiered(
                t.iter()
                    .map(|t| {
                        Ok(Tier {
                            size: t.size,
                            price: mul(t.price, m)?,
                        })
                    })
                    .collect::<Checked<_>>()?,
            ),
        })
    }

    /// What the units from `from` to `to` of a period cost at this price: a flat price per unit, or
    /// each band's price for the units of the span that fall in it (bands count from unit 0).
    pub fn amount(&self, from: Quantity, to: Quantity) -> Checked<Money> {
        let (from, to) = (from.value(), to.value());
        match self {
            Price::Flat(p) => Money::of(Quantity::new(sub(to, from)?), *p),
            Price::Tiered(tiers) => {
                let mut start = Decimal::ZERO;
                let mut total = Money::ZERO;
                for t in tiers {
                    let end = t.size.map(|s| add(start, s)).transpose()?;
                    let lo = from.max(start);
                    let hi = end.map_or(to, |e| to.min(e));
                    if hi > lo {
                        total = total.plus(Money::of(Quantity::new(hi - lo), t.price)?)?;
                    }
                    match end {
                        Some(e) if e < to => start = e,
                        _ => break,
                    }
                }
                Ok(total)
            }
        }
    }
}

/// Checks a tier list: not empty, every tier sized but the last, no negative price.
pub fn validate_tiers<T>(tiers: &[T], size: impl Fn(&T) -> Option<Decimal>, path: &str) -> Result<()> {
    if tiers.is_empty() {
        return Err(Error::invalid(path, "a tiered rate needs at least one tier"));
    }
    for (i, t) in tiers.iter().enumerate() {
        let last = i + 1 == tiers.len();
        match (size(t), last) {
            (Some(_), true) => {
                return Err(Error::invalid(
                    format!("{path}[{i}].size"),
                    "the last tier must have no size: it covers everything above",
                ))
            }
            (None, false) => {
                return Err(Error::invalid(
                    format!("{path}[{i}].size"),
                    "every tier but the last needs a size",
                ))
            }
            (Some(s), false) if s <= Decimal::ZERO => {
                return Err(Error::invalid(
                    format!("{path}[{i}].size"),
                    "a tier size must be greater than 0",
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    pub product_id: String,
    pub starting_at: Timestamp,
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    #[serde(default = "yes")]
    pub entitled: bool,
    pub rate_type: RateType,
    #[serde(default)]
    pub price: Option<Decimal>,
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
    #[serde(default)]
    pub pricing_group_values: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_rate: Option<serde_json::Value>,
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
    pub fn window(&self) -> Window {
        Window {
            start: self.starting_at,
            end: self.ending_before,
        }
    }

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
            return Err(Error::invalid(
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

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RateCardAlias {
    pub name: String,
    #[serde(default)]
    pub starting_at: Option<Timestamp>,
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RateCard {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub aliases: Vec<RateCardAlias>,
    #[serde(default)]
    pub rates: Vec<Rate>,
    /// The fiat currency the card bills in (USD cents when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiat_credit_type_id: Option<String>,
    /// What one unit of each custom pricing unit its rates use costs in the card's currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credit_type_conversions: Vec<CreditTypeConversion>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreditTypeConversion {
    pub custom_credit_type_id: String,
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
