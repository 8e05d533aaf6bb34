//! A rate's price: flat, tiered or a percentage, and the checks its tiers must pass.

use crate::case::api_enum;
use crate::error::{Error, Result};
use crate::money::{add, mul, sub, Checked, Money, Quantity};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(RateType { Flat = "FLAT", Tiered = "TIERED", Percentage = "PERCENTAGE", TieredPercentage = "TIERED_PERCENTAGE", Subscription = "SUBSCRIPTION" });

/// One band of a TIERED or TIERED_PERCENTAGE rate: the next `size` units of the period, at `price`
/// each.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tier {
    /// How many units the band covers; must be above 0, and absent on the last band, which covers
    /// everything above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Decimal>,
    /// The band's price per unit in the rate's credit type (e.g. USD cents); for TIERED_PERCENTAGE
    /// a fraction from 0 to 1.
    pub price: Decimal,
}

/// A price as the rating engine uses it: one unit price, or bands of quantity with their prices.
#[derive(Debug, Clone, PartialEq)]
pub enum Price {
    /// One price per unit, whatever the quantity.
    Flat(Decimal),
    /// Bands of quantity counted from the period's first unit, each with its own unit price.
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
