//! Pricing a line after overrides: which override applies (they never stack) and what it does to the
//! list price. Contract OVERWRITE beats contract MULTIPLIER/TIERED; among overwrites the last added
//! wins; among multipliers LOWEST_MULTIPLIER picks the one that costs the line least and EXPLICIT the
//! lowest `priority` (ties: last added). A multiplier scales whatever list price is in force, so it
//! follows later list changes; an overwrite replaces the price outright. Commit-specific overrides price
//! only what their commit pays for (`Pricing::commit_unit_price`, used by draw-down).

use crate::money::{add, mul, Checked, Quantity};
use crate::overrides::{Effect, MultiplierTier, OverrideRule, Prioritization};
use crate::product::Product;
use crate::rate_card::{Price, Rate, Tier};
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// What a product costs on a contract at one instant, after overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveRate {
    pub price: Price,
    pub list: Option<Price>,
}

/// The one MULTIPLIER or TIERED override among `active` that applies. LOWEST_MULTIPLIER: the biggest
/// discount, judged on money: the one that gives `base` the lowest amount over the quantity band `span`
/// (units used so far in the period to units used after this line), so a TIERED override is judged on
/// the units the line really has, not on its first band. EXPLICIT: the lowest `priority`. Ties go to the
/// last added.
fn pick_multiplier<'a>(
    active: &[&'a OverrideRule],
    prioritization: Prioritization,
    base: &Price,
    span: (Quantity, Quantity),
) -> Checked<Option<&'a OverrideRule>> {
    let candidates = active
        .iter()
        .copied()
        .filter(|o| matches!(o.effect, Some(Effect::Multiplier(_) | Effect::Bands(_))));
    // `min_by_key` keeps the first of equals, so walk newest first.
    Ok(match prioritization {
        Prioritization::LowestMultiplier => {
            let costs = candidates
                .rev()
                .map(|o| Ok((cost_under(o, base, span)?, o)))
                .collect::<Checked<Vec<_>>>()?;
            costs.into_iter().min_by_key(|(cost, _)| *cost).map(|(_, o)| o)
        }
        Prioritization::Explicit => candidates.rev().min_by_key(|o| (o.priority.is_none(), o.priority)),
    })
}

/// `base` under a MULTIPLIER or TIERED override (an OVERWRITE never reaches here).
fn multiplied(o: &OverrideRule, base: &Price) -> Checked<Price> {
    match &o.effect {
        Some(Effect::Bands(bands)) => multiply_bands(base, bands),
        Some(Effect::Multiplier(m)) => base.scaled(*m),
        _ => Ok(base.clone()),
    }
}

/// The override's effect when it is an OVERWRITE.
fn overwrite(o: &OverrideRule) -> Option<&Effect> {
    o.effect.as_ref().filter(|e| matches!(e, Effect::Overwrite(_)))
}

/// A contract's overrides with the rule that picks among its multipliers: what prices its lines.
#[derive(Debug, Clone, Copy)]
pub struct Pricing<'a> {
    pub overrides: &'a [OverrideRule],
    pub prioritization: Prioritization,
}

/// One line, at one instant: a product's usage with its pricing group values.
#[derive(Debug, Clone, Copy)]
pub struct LineAt<'a> {
    pub product: &'a Product,
    pub pgv: &'a IndexMap<String, String>,
    pub at: Timestamp,
}

impl<'p> Pricing<'p> {
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
    ) -> Checked<Option<Decimal>> {
        let active: Vec<&OverrideRule> = self
            .overrides
            .iter()
            .filter(|o| o.window.contains(line.at) && o.prices_commit(commit_id, line.product, line.pgv))
            .collect();
        if let Some(Effect::Overwrite(price)) = active.iter().rev().find_map(|o| overwrite(o)) {
            return Ok(Some(match price {
                Price::Flat(p) => *p,
                Price::Tiered(tiers) => {
                    let i = tier_level
                        .map_or(0, |l| l.saturating_sub(1) as usize)
                        .min(tiers.len().saturating_sub(1));
                    tiers.get(i).map(|t| t.price).unwrap_or_default()
                }
            }));
        }
        let base = Price::Flat(list_unit);
        let Some(chosen) = pick_multiplier(
            &active,
            self.prioritization,
            &base,
            (Quantity::ZERO, Quantity::new(Decimal::ONE)),
        )?
        else {
            return Ok(None);
        };
        Ok(match multiplied(chosen, &base)? {
            Price::Flat(p) => Some(p),
            Price::Tiered(t) => t.first().map(|t| t.price),
        })
    }

    /// The line's price, or `None` when it is not billable (not entitled, or no rate at all). `span`
    /// is the band of the period's quantity the line covers (used before it, used after it), which
    /// decides LOWEST_MULTIPLIER; without one, one unit from zero.
    pub fn effective_rate(
        &self,
        line: LineAt,
        list: Option<&Rate>,
        span: Option<(Quantity, Quantity)>,
    ) -> Checked<Option<EffectiveRate>> {
        let d = self.decide(line, list, span)?;
        if !d.entitled {
            return Ok(None);
        }
        let list_price = list.map(Rate::price);
        if let Some(Effect::Overwrite(price)) = d.overwrite.and_then(overwrite) {
            return Ok(Some(EffectiveRate {
                price: price.clone(),
                list: list_price,
            }));
        }
        let Some(base) = list_price.clone() else {
            return Ok(None);
        };
        let price = match d.multiplier {
            None => base,
            Some(o) => multiplied(o, &base)?,
        };
        Ok(Some(EffectiveRate {
            price,
            list: list_price,
        }))
    }

    /// Which overrides decide a line's price: the one source of the precedence rules, for pricing
    /// and for explaining a price.
    pub fn decide(
        &self,
        line: LineAt,
        list: Option<&Rate>,
        span: Option<(Quantity, Quantity)>,
    ) -> Checked<Decision<'p>> {
        let LineAt { product, pgv, at: t } = line;
        let active: Vec<&OverrideRule> = self
            .overrides
            .iter()
            .filter(|o| o.window.contains(t) && !o.commit_specific() && o.targets(product, pgv))
            .collect();
        let mut entitled = list.is_some_and(|r| r.entitled);
        let mut entitled_by = None;
        for o in &active {
            if let Some(e) = o.entitled {
                entitled = e;
                entitled_by = Some(*o);
            }
        }
        let overwrite_rule = active.iter().rev().copied().find(|o| overwrite(o).is_some());
        let span = span.unwrap_or((Quantity::ZERO, Quantity::new(Decimal::ONE)));
        let multiplier = match (overwrite_rule, list) {
            (None, Some(r)) => pick_multiplier(&active, self.prioritization, &r.price(), span)?,
            _ => None,
        };
        Ok(Decision {
            active,
            entitled,
            entitled_by,
            overwrite: overwrite_rule,
            multiplier,
            span,
        })
    }
}

/// The overrides in force on a line and the ones that decided its price.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    /// Every override in force on the line at that instant, in the order added.
    pub active: Vec<&'a OverrideRule>,
    pub entitled: bool,
    /// The last override in force that set `entitled`, which decided it.
    pub entitled_by: Option<&'a OverrideRule>,
    /// The OVERWRITE that sets the price (the last added), which beats every multiplier.
    pub overwrite: Option<&'a OverrideRule>,
    /// Without an overwrite, the MULTIPLIER or TIERED override picked by the prioritization.
    pub multiplier: Option<&'a OverrideRule>,
    /// The band of the period's units the decision judged on.
    pub span: (Quantity, Quantity),
}

/// What `base` over the units `span` costs under a MULTIPLIER or TIERED override: how
/// LOWEST_MULTIPLIER compares them.
pub fn cost_under(o: &OverrideRule, base: &Price, span: (Quantity, Quantity)) -> Checked<crate::money::Money> {
    multiplied(o, base)?.amount(span.0, span.1)
}

/// Applies quantity bands of multipliers to a price, splitting bands where either list changes.
fn multiply_bands(base: &Price, bands: &[MultiplierTier]) -> Checked<Price> {
    let base_tiers = match base {
        Price::Flat(p) => vec![Tier { size: None, price: *p }],
        Price::Tiered(t) => t.clone(),
    };
    let ends = |sizes: Vec<Option<Decimal>>| -> Checked<Vec<Option<Decimal>>> {
        let mut acc = Decimal::ZERO;
        sizes
            .into_iter()
            .map(|s| {
                s.map(|s| {
                    acc = add(acc, s)?;
                    Ok(acc)
                })
                .transpose()
            })
            .collect()
    };
    let base_ends = ends(base_tiers.iter().map(|t| t.size).collect())?;
    let band_ends = ends(bands.iter().map(|t| t.size).collect())?;
    let (mut i, mut j, mut start) = (0, 0, Decimal::ZERO);
    let mut out = Vec::new();
    while i < base_tiers.len() && j < bands.len() {
        let end = match (base_ends[i], band_ends[j]) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        out.push(Tier {
            size: end.map(|e| e - start),
            price: mul(base_tiers[i].price, bands[j].multiplier)?,
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
    Ok(Price::Tiered(out))
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
        let Ok(Price::Tiered(t)) = multiply_bands(&base, &bands) else {
            panic!("tiered")
        };
        let got: Vec<(Option<Decimal>, Decimal)> = t.iter().map(|t| (t.size, t.price.normalize())).collect();
        assert_eq!(
            got,
            vec![(Some(d("50")), d("10")), (Some(d("50")), d("5")), (None, d("2.5"))]
        );
    }
}
