//! Contract overrides of list prices, and the precedence that picks the one that applies.
//!
//! Overrides never stack: one applies per line. Contract OVERWRITE beats contract MULTIPLIER/TIERED; among
//! overwrites the last added wins; among multipliers LOWEST_MULTIPLIER picks the biggest discount and
//! EXPLICIT the lowest `priority` (ties: last added). A multiplier scales whatever list price is in force,
//! so it follows later list changes; an overwrite replaces the price outright.
//! Commit-specific overrides (specifiers with `commit_ids`) price only the usage drawn from those
//! commits, and come first: commit-specific overwrite, then commit-specific multiplier (see
//! `commit_unit_price`, used by draw-down).

use crate::case::api_enum;
use crate::error::{join_path, Error, Result};
use crate::product::Product;
use crate::rate_card::{validate_tiers, Price, Rate, RateType, Tier};
use crate::time::{Timestamp, Window};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(OverrideType { Overwrite = "OVERWRITE", Multiplier = "MULTIPLIER", Tiered = "TIERED" });
api_enum!(Prioritization { LowestMultiplier = "LOWEST_MULTIPLIER", Explicit = "EXPLICIT" });

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OverwriteRate {
    pub rate_type: RateType,
    #[serde(default)]
    pub price: Option<Decimal>,
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MultiplierTier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Decimal>,
    pub multiplier: Decimal,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Specifier {
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub product_tags: Vec<String>,
    #[serde(default)]
    pub pricing_group_values: IndexMap<String, String>,
    #[serde(default)]
    pub presentation_group_values: IndexMap<String, String>,
    #[serde(default)]
    pub commit_ids: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Override {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub starting_at: Timestamp,
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    #[serde(default)]
    pub entitled: Option<bool>,
    #[serde(rename = "type", default)]
    pub kind: Option<OverrideType>,
    #[serde(default)]
    pub multiplier: Option<Decimal>,
    #[serde(default)]
    pub overwrite_rate: Option<OverwriteRate>,
    #[serde(default)]
    pub tiers: Option<Vec<MultiplierTier>>,
    #[serde(default)]
    pub priority: Option<Decimal>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub applicable_product_tags: Vec<String>,
    #[serde(default)]
    pub override_specifiers: Vec<Specifier>,
}

/// What a product costs on a contract at one instant, after overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveRate {
    pub price: Price,
    pub list: Option<Price>,
}

impl Override {
    pub fn window(&self) -> Window {
        Window {
            start: self.starting_at,
            end: self.ending_before,
        }
    }

    fn commit_specific(&self) -> bool {
        self.override_specifiers.iter().any(|s| !s.commit_ids.is_empty())
    }

    /// Product ids this override names, for the caller to check they exist.
    pub fn named_products(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .product_id
            .iter()
            .map(|p| ("product_id".to_string(), p.clone()))
            .collect();
        for (i, s) in self.override_specifiers.iter().enumerate() {
            if let Some(p) = &s.product_id {
                out.push((format!("override_specifiers[{i}].product_id"), p.clone()));
            }
        }
        out
    }

    pub fn validate(&self, path: &str) -> Result<()> {
        let at = |f: &str| join_path(path, f);
        if self.ending_before.is_some_and(|e| e <= self.starting_at) {
            return Err(Error::invalid(
                at("ending_before"),
                "ending_before must be after starting_at",
            ));
        }
        if self.product_id.is_none() && self.applicable_product_tags.is_empty() && self.override_specifiers.is_empty() {
            return Err(Error::invalid(
                at("product_id"),
                "an override needs a product_id, applicable_product_tags or override_specifiers",
            ));
        }
        match self.kind {
            None if self.entitled.is_none() => {
                return Err(Error::invalid(
                    at("type"),
                    "an override needs a type (OVERWRITE, MULTIPLIER, TIERED)",
                ))
            }
            None => {}
            Some(OverrideType::Multiplier) => match self.multiplier {
                None => {
                    return Err(Error::invalid(
                        at("multiplier"),
                        "a MULTIPLIER override needs a multiplier",
                    ))
                }
                Some(m) if m < Decimal::ZERO => {
                    return Err(Error::invalid(at("multiplier"), "a multiplier cannot be negative"))
                }
                _ => {}
            },
            Some(OverrideType::Overwrite) => {
                let tags_only = self.product_id.is_none()
                    && self.override_specifiers.iter().all(|s| s.product_id.is_none())
                    && (!self.applicable_product_tags.is_empty()
                        || self.override_specifiers.iter().any(|s| !s.product_tags.is_empty()));
                if tags_only {
                    return Err(Error::invalid(
                        at("applicable_product_tags"),
                        "an OVERWRITE override cannot target tags: name a product",
                    ));
                }
                let r = self.overwrite_rate.as_ref().ok_or_else(|| {
                    Error::invalid(at("overwrite_rate"), "an OVERWRITE override needs an overwrite_rate")
                })?;
                let rate = Rate {
                    rate_card_id: None,
                    product_id: String::new(),
                    starting_at: self.starting_at,
                    ending_before: None,
                    entitled: true,
                    rate_type: r.rate_type,
                    price: r.price,
                    tiers: r.tiers.clone(),
                    pricing_group_values: IndexMap::new(),
                    commit_rate: None,
                    credit_type_id: None,
                };
                rate.validate(&at("overwrite_rate"))?;
            }
            Some(OverrideType::Tiered) => {
                let tiers = self
                    .tiers
                    .as_deref()
                    .ok_or_else(|| Error::invalid(at("tiers"), "a TIERED override needs tiers"))?;
                validate_tiers(tiers, |t| t.size, &at("tiers"))?;
                if let Some(i) = tiers.iter().position(|t| t.multiplier < Decimal::ZERO) {
                    return Err(Error::invalid(
                        at(&format!("tiers[{i}].multiplier")),
                        "a multiplier cannot be negative",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether the override can change the price of `product`'s line with these pricing group
    /// values: it targets the line, or prices what one of its commits pays for on it.
    pub fn prices_line(&self, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        self.targets(product, pgv)
            || (self.product_id.as_deref().is_none_or(|p| p == product.id)
                && self.override_specifiers.iter().any(|s| {
                    !s.commit_ids.is_empty()
                        && s.product_id.as_deref().is_none_or(|p| p == product.id)
                        && (s.product_tags.is_empty() || s.product_tags.iter().any(|t| product.tags.contains(t)))
                        && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
                }))
    }

    fn targets(&self, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        let by_tag = |tags: &[String]| tags.iter().any(|t| product.tags.contains(t));
        if self.product_id.as_deref() == Some(product.id.as_str()) || by_tag(&self.applicable_product_tags) {
            return true;
        }
        self.override_specifiers.iter().any(|s| {
            let product_ok = s.product_id.as_deref().is_none_or(|p| p == product.id)
                && (s.product_tags.is_empty() || by_tag(&s.product_tags))
                && (s.product_id.is_some() || !s.product_tags.is_empty());
            product_ok && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
        })
    }

    fn overwrite_price(&self) -> Price {
        let r = self.overwrite_rate.as_ref();
        match r {
            Some(r) if r.rate_type == RateType::Tiered => Price::Tiered(r.tiers.clone().unwrap_or_default()),
            Some(r) => Price::Flat(r.price.unwrap_or_default()),
            None => Price::Flat(Decimal::ZERO),
        }
    }
}

impl Override {
    /// Whether this is a commit-specific override for usage of `product` drawn from `commit_id`.
    fn prices_commit(&self, commit_id: &str, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        self.product_id.as_deref().is_none_or(|p| p == product.id)
            && self.override_specifiers.iter().any(|s| {
                s.commit_ids.iter().any(|c| c == commit_id)
                    && s.product_id.as_deref().is_none_or(|p| p == product.id)
                    && (s.product_tags.is_empty() || s.product_tags.iter().any(|t| product.tags.contains(t)))
                    && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
            })
    }
}

/// The one MULTIPLIER or TIERED override among `active` that applies. LOWEST_MULTIPLIER: the biggest
/// discount, judged on money: the one that gives `base` the lowest amount over the quantity band `span`
/// (units used so far in the period to units used after this line), so a TIERED override is judged on
/// the units the line really has, not on its first band. EXPLICIT: the lowest `priority`. Ties go to the
/// last added.
fn pick_multiplier<'a>(
    active: &[&'a Override],
    prioritization: Prioritization,
    base: &Price,
    span: (Decimal, Decimal),
) -> Option<&'a Override> {
    let candidates = active
        .iter()
        .copied()
        .filter(|o| matches!(o.kind, Some(OverrideType::Multiplier | OverrideType::Tiered)));
    // `min_by_key` keeps the first of equals, so walk newest first.
    match prioritization {
        Prioritization::LowestMultiplier => candidates
            .rev()
            .min_by_key(|o| o.multiplied(base).amount(span.0, span.1)),
        Prioritization::Explicit => candidates.rev().min_by_key(|o| (o.priority.is_none(), o.priority)),
    }
}

impl Override {
    /// `base` under this MULTIPLIER or TIERED override.
    fn multiplied(&self, base: &Price) -> Price {
        match self.kind {
            Some(OverrideType::Tiered) => multiply_bands(base, self.tiers.as_deref().unwrap_or_default()),
            _ => base.scaled(self.multiplier.unwrap_or(Decimal::ONE)),
        }
    }
}

/// A contract's overrides with the rule that picks among its multipliers: what prices its lines.
#[derive(Debug, Clone, Copy)]
pub struct Pricing<'a> {
    pub overrides: &'a [Override],
    pub prioritization: Prioritization,
}

/// One line, at one instant: a product's usage with its pricing group values.
#[derive(Debug, Clone, Copy)]
pub struct LineAt<'a> {
    pub product: &'a Product,
    pub pgv: &'a IndexMap<String, String>,
    pub at: Timestamp,
}

impl Pricing<'_> {
    /// The unit price of usage drawn from `commit_id` when a commit-specific override is in force:
    /// the last added overwrite, else the multiplier picked by the prioritization, applied to the list
    /// unit price (`list_unit`; a tiered overwrite gives the price of the same tier). `None`: no such
    /// override.
    pub fn commit_unit_price(
        &self,
        line: LineAt,
        commit_id: &str,
        list_unit: Decimal,
        tier_level: Option<u32>,
    ) -> Option<Decimal> {
        let active: Vec<&Override> = self
            .overrides
            .iter()
            .filter(|o| o.window().contains(line.at) && o.prices_commit(commit_id, line.product, line.pgv))
            .collect();
        if let Some(o) = active.iter().rev().find(|o| o.kind == Some(OverrideType::Overwrite)) {
            return Some(match o.overwrite_price() {
                Price::Flat(p) => p,
                Price::Tiered(tiers) => {
                    let i = tier_level
                        .map_or(0, |l| l.saturating_sub(1) as usize)
                        .min(tiers.len().saturating_sub(1));
                    tiers.get(i).map(|t| t.price).unwrap_or_default()
                }
            });
        }
        let base = Price::Flat(list_unit);
        let chosen = pick_multiplier(&active, self.prioritization, &base, (Decimal::ZERO, Decimal::ONE))?;
        match chosen.multiplied(&base) {
            Price::Flat(p) => Some(p),
            Price::Tiered(t) => t.first().map(|t| t.price),
        }
    }

    /// The line's price, or `None` when it is not billable (not entitled, or no rate at all). `span`
    /// is the band of the period's quantity the line covers (used before it, used after it), which
    /// decides LOWEST_MULTIPLIER; without one, one unit from zero.
    pub fn effective_rate(
        &self,
        line: LineAt,
        list: Option<&Rate>,
        span: Option<(Decimal, Decimal)>,
    ) -> Option<EffectiveRate> {
        let LineAt { product, pgv, at: t } = line;
        let prioritization = self.prioritization;
        let active: Vec<&Override> = self
            .overrides
            .iter()
            .filter(|o| o.window().contains(t) && !o.commit_specific() && o.targets(product, pgv))
            .collect();
        let mut entitled = list.is_some_and(|r| r.entitled);
        for o in &active {
            if let Some(e) = o.entitled {
                entitled = e;
            }
        }
        if !entitled {
            return None;
        }
        let list_price = list.map(Rate::price);
        if let Some(o) = active.iter().rev().find(|o| o.kind == Some(OverrideType::Overwrite)) {
            return Some(EffectiveRate {
                price: o.overwrite_price(),
                list: list_price,
            });
        }
        let base = list_price.clone()?;
        let span = span.unwrap_or((Decimal::ZERO, Decimal::ONE));
        let price = match pick_multiplier(&active, prioritization, &base, span) {
            None => base,
            Some(o) => o.multiplied(&base),
        };
        Some(EffectiveRate {
            price,
            list: list_price,
        })
    }
}

/// Applies quantity bands of multipliers to a price, splitting bands where either list changes.
fn multiply_bands(base: &Price, bands: &[MultiplierTier]) -> Price {
    let base_tiers = match base {
        Price::Flat(p) => vec![Tier { size: None, price: *p }],
        Price::Tiered(t) => t.clone(),
    };
    let ends = |sizes: Vec<Option<Decimal>>| -> Vec<Option<Decimal>> {
        let mut acc = Decimal::ZERO;
        sizes
            .into_iter()
            .map(|s| {
                s.map(|s| {
                    acc = crate::money::add(acc, s);
                    acc
                })
            })
            .collect()
    };
    let base_ends = ends(base_tiers.iter().map(|t| t.size).collect());
    let band_ends = ends(bands.iter().map(|t| t.size).collect());
    let (mut i, mut j, mut start) = (0, 0, Decimal::ZERO);
    let mut out = Vec::new();
    while i < base_tiers.len() && j < bands.len() {
        let end = match (base_ends[i], band_ends[j]) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        out.push(Tier {
            size: end.map(|e| e - start),
            price: crate::money::mul(base_tiers[i].price, bands[j].multiplier),
        });
        match end {
            None => break,
            Some(e) => {
                start = e;
                if base_ends[i] == Some(e) {
                    i += 1;
                }
                if band_ends[j] == Some(e) {
                    j += 1;
                }
            }
        }
    }
    Price::Tiered(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn tiered_multiplier_bands_split_a_tiered_list_price() {
        // list: first 100 at 10, then 5; override: first 50 at ×1, then ×0.5
        let base = Price::Tiered(vec![
            Tier {
                size: Some(d("100")),
                price: d("10"),
            },
            Tier {
                size: None,
                price: d("5"),
            },
        ]);
        let bands = [
            MultiplierTier {
                size: Some(d("50")),
                multiplier: d("1"),
            },
            MultiplierTier {
                size: None,
                multiplier: d("0.5"),
            },
        ];
        let Price::Tiered(t) = multiply_bands(&base, &bands) else {
            panic!("tiered")
        };
        let got: Vec<(Option<Decimal>, Decimal)> = t.iter().map(|t| (t.size, t.price.normalize())).collect();
        assert_eq!(
            got,
            vec![(Some(d("50")), d("10")), (Some(d("50")), d("5")), (None, d("2.5"))]
        );
    }
}
