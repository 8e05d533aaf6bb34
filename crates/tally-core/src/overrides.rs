//! Contract overrides of list prices, and the precedence that picks the one that applies.
//!
//! Overrides never stack: one applies per line. Contract OVERWRITE beats contract MULTIPLIER/TIERED; among
//! overwrites the last added wins; among multipliers LOWEST_MULTIPLIER picks the biggest discount and
//! EXPLICIT the lowest `priority` (ties: last added). A multiplier scales whatever list price is in force,
//! so it follows later list changes; an overwrite replaces the price outright.
//! Commit-specific overrides (specifiers with `commit_ids`) price only the usage drawn from those
//! commits, and come first: commit-specific overwrite, then commit-specific multiplier. This module holds
//! an override's terms and what it targets; `pricing` applies the precedence.

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

/// `overwrite_rate`: the price an OVERWRITE override puts in place of the list price, checked like
/// a rate card's rate.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OverwriteRate {
    /// How the price reads: FLAT, TIERED, PERCENTAGE, TIERED_PERCENTAGE or SUBSCRIPTION.
    pub rate_type: RateType,
    /// The unit price (FLAT, SUBSCRIPTION) in the line's credit type, or a fraction (PERCENTAGE).
    #[serde(default)]
    pub price: Option<Decimal>,
    /// The bands, for TIERED and TIERED_PERCENTAGE.
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
}

/// One band of a TIERED override: a multiplier for the units that fall in it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MultiplierTier {
    /// Units in the band, counted per line from the period's start; absent on the last band, which
    /// takes the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Decimal>,
    /// Factor on the list price for those units (0.8: 20% off); not negative.
    pub multiplier: Decimal,
}

/// One entry of `override_specifiers`: the lines it matches, every given condition holding.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Specifier {
    /// Only this product.
    #[serde(default)]
    pub product_id: Option<String>,
    /// Only products carrying all of these tags (Metronome: "products with all the specified tags").
    #[serde(default)]
    pub product_tags: Vec<String>,
    /// Only lines with these pricing group values.
    #[serde(default)]
    pub pricing_group_values: IndexMap<String, String>,
    /// Kept and answered back; Tally does not narrow the override by them yet.
    #[serde(default)]
    pub presentation_group_values: IndexMap<String, String>,
    /// Commit-specific: the override prices only the usage these commits or credits pay for.
    #[serde(default)]
    pub commit_ids: Vec<String>,
}

impl Specifier {
    /// Whether `product` carries every tag the specifier names (none named: any product).
    fn tags_fit(&self, product: &Product) -> bool {
        self.product_tags.iter().all(|t| product.tags.contains(t))
    }
}

/// An override of a contract's list prices or entitlements, as the API writes it (`overrides[]`,
/// `add_overrides`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Override {
    /// Given by Tally when the body has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it comes into force (inclusive).
    pub starting_at: Timestamp,
    /// When it stops (exclusive); absent: open-ended.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// true turns the products it targets on, false off, while in force (the last added in force
    /// decides); may stand alone, without a `type`.
    #[serde(default)]
    pub entitled: Option<bool>,
    /// OVERWRITE replaces the price and beats the others; MULTIPLIER and TIERED scale the list price.
    /// Absent only when the override just sets `entitled`.
    #[serde(rename = "type", default)]
    pub kind: Option<OverrideType>,
    /// For MULTIPLIER: the factor on the list price in force (0.9: 10% off); not negative.
    #[serde(default)]
    pub multiplier: Option<Decimal>,
    /// For OVERWRITE: the price that replaces the list price.
    #[serde(default)]
    pub overwrite_rate: Option<OverwriteRate>,
    /// For TIERED: a multiplier per band of the period's units.
    #[serde(default)]
    pub tiers: Option<Vec<MultiplierTier>>,
    /// Under EXPLICIT prioritization the MULTIPLIER or TIERED override with the lowest applies;
    /// absent: after those with one.
    #[serde(default)]
    pub priority: Option<Decimal>,
    /// The product whose price it overrides.
    #[serde(default)]
    pub product_id: Option<String>,
    /// Or every product carrying one of these tags (an OVERWRITE must name a product as well).
    #[serde(default)]
    pub applicable_product_tags: Vec<String>,
    /// Or the lines these match; a specifier with `commit_ids` makes the override commit-specific.
    #[serde(default)]
    pub override_specifiers: Vec<Specifier>,
}

impl Override {
    /// `[starting_at, ending_before)`.
    pub fn window(&self) -> Window {
        Window {
            start: self.starting_at,
            end: self.ending_before,
        }
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

    /// Parses the body into the rule the engine prices with, naming the field it refuses.
    pub fn parse(&self, path: &str) -> Result<OverrideRule> {
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
        let effect = match self.kind {
            None if self.entitled.is_none() => {
                return Err(Error::invalid(
                    at("type"),
                    "an override needs a type (OVERWRITE, MULTIPLIER, TIERED)",
                ))
            }
            None => None,
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
                Some(m) => Some(Effect::Multiplier(m)),
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
                    billing_frequency: None,
                    is_prorated: None,
                    minimum: None,
                };
                rate.validate(&at("overwrite_rate"))?;
                Some(Effect::Overwrite(rate.price()))
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
                Some(Effect::Bands(tiers.to_vec()))
            }
        };
        Ok(OverrideRule {
            window: self.window(),
            target: Target {
                product_id: self.product_id.clone(),
                tags: self.applicable_product_tags.clone(),
                specifiers: self.override_specifiers.clone(),
            },
            effect,
            entitled: self.entitled,
            priority: self.priority,
            body: self.clone(),
        })
    }
}

/// What an override prices: a product, products with a tag, or the lines its specifiers name.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// A product it targets by id.
    pub product_id: Option<String>,
    /// It targets products carrying any of these tags.
    pub tags: Vec<String>,
    /// It targets the lines any of these matches (commit-specific ones: what their commits pay for).
    pub specifiers: Vec<Specifier>,
}

/// What an override does to the price of the lines it targets.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The price outright (a later list change does not reach it).
    Overwrite(Price),
    /// The list price in force, times this.
    Multiplier(Decimal),
    /// The list price in force, times each band's multiplier by quantity within the period.
    Bands(Vec<MultiplierTier>),
}

/// An override as the engine prices with it: parsed once from its body, so it cannot hold a shape the
/// body rules refuse (a MULTIPLIER without a multiplier, an OVERWRITE of tags...). It is stored and
/// written back as the body it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Override", into = "Override")]
pub struct OverrideRule {
    /// When it is in force.
    pub window: Window,
    /// What it prices.
    pub target: Target,
    /// `None`: the override only turns a product on or off (`entitled`).
    pub effect: Option<Effect>,
    /// While in force, turns its products on (`Some(true)`) or off; `None` leaves entitlement alone.
    pub entitled: Option<bool>,
    /// Its rank under EXPLICIT prioritization: the lowest applies.
    pub priority: Option<Decimal>,
    /// The body as given (with the id Tally gave it), for answers and exports.
    pub body: Override,
}

impl TryFrom<Override> for OverrideRule {
    type Error = crate::error::InBody;
    fn try_from(body: Override) -> std::result::Result<Self, Self::Error> {
        body.parse("").map_err(crate::error::InBody)
    }
}

impl From<OverrideRule> for Override {
    fn from(rule: OverrideRule) -> Override {
        rule.body
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for OverrideRule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Override as schemars::JsonSchema>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Override as schemars::JsonSchema>::json_schema(g)
    }
}

impl OverrideRule {
    /// Its id (Tally gives one when the body has none).
    pub fn id(&self) -> Option<&str> {
        self.body.id.as_deref()
    }

    pub(crate) fn commit_specific(&self) -> bool {
        self.target.specifiers.iter().any(|s| !s.commit_ids.is_empty())
    }

    /// Whether the override can change the price of `product`'s line with these pricing group
    /// values: it targets the line, or prices what one of its commits pays for on it.
    pub fn prices_line(&self, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        self.targets(product, pgv)
            || (self.target.product_id.as_deref().is_none_or(|p| p == product.id)
                && self.target.specifiers.iter().any(|s| {
                    !s.commit_ids.is_empty()
                        && s.product_id.as_deref().is_none_or(|p| p == product.id)
                        && s.tags_fit(product)
                        && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
                }))
    }

    pub(crate) fn targets(&self, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        let by_tag = |tags: &[String]| tags.iter().any(|t| product.tags.contains(t));
        if self.target.product_id.as_deref() == Some(product.id.as_str()) || by_tag(&self.target.tags) {
            return true;
        }
        self.target.specifiers.iter().any(|s| {
            let product_ok = s.product_id.as_deref().is_none_or(|p| p == product.id)
                && s.tags_fit(product)
                && (s.product_id.is_some() || !s.product_tags.is_empty());
            product_ok && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
        })
    }

    /// Whether this is a commit-specific override for usage of `product` drawn from `commit_id`.
    pub(crate) fn prices_commit(&self, commit_id: &str, product: &Product, pgv: &IndexMap<String, String>) -> bool {
        self.target.product_id.as_deref().is_none_or(|p| p == product.id)
            && self.target.specifiers.iter().any(|s| {
                s.commit_ids.iter().any(|c| c == commit_id)
                    && s.product_id.as_deref().is_none_or(|p| p == product.id)
                    && s.tags_fit(product)
                    && s.pricing_group_values.iter().all(|(k, v)| pgv.get(k) == Some(v))
            })
    }
}
