//! Which override priced a line and why it won, and why each other one in force did not: the
//! precedence rules of `Pricing::decide`, told.

use super::steps::step;
use super::text::{grouped, money, price_text, window};
use crate::contract::Contract;
use crate::invoice::{CreditType, LineItem, Step, StepKind};
use crate::money::Quantity;
use crate::overrides::{Effect, OverrideRule, Prioritization};
use crate::pricing::{cost_under, Decision, LineAt};
use crate::product::Product;
use crate::rate_card::{Price, Rate};
use rust_decimal::Decimal;

fn override_name(o: &OverrideRule) -> String {
    let id = o.id().map_or_else(String::new, |id| format!(" `{id}`"));
    let b = &o.body;
    let target = match (&b.product_id, b.applicable_product_tags.is_empty()) {
        (Some(p), _) => format!("on product `{p}`"),
        (None, false) => format!("on tags {}", b.applicable_product_tags.join(", ")),
        (None, true) => "on its specifiers".to_string(),
    };
    let what = match &o.effect {
        Some(Effect::Overwrite(_)) => "OVERWRITE",
        Some(Effect::Multiplier(_)) => "MULTIPLIER",
        Some(Effect::Bands(_)) => "TIERED",
        None => "entitlement",
    };
    format!("{what} override{id} {target}, {}", window(&o.window))
}

fn effect_text(o: &OverrideRule, ct: &CreditType) -> String {
    match &o.effect {
        Some(Effect::Overwrite(p)) => format!("sets the price to {}", price_text(p, ct)),
        Some(Effect::Multiplier(m)) => format!("multiplies the list price by {}", m.normalize()),
        Some(Effect::Bands(bands)) => {
            let mut start = Decimal::ZERO;
            let parts: Vec<String> = bands
                .iter()
                .map(|b| {
                    let part = match b.size {
                        Some(s) => format!(
                            "×{} for units {}–{}",
                            b.multiplier.normalize(),
                            grouped(start),
                            grouped(start.saturating_add(s))
                        ),
                        None => format!("×{} above {}", b.multiplier.normalize(), grouped(start)),
                    };
                    start = start.saturating_add(b.size.unwrap_or_default());
                    part
                })
                .collect();
            format!("multiplies the list price by the period's units: {}", parts.join(", "))
        }
        None => String::new(),
    }
}

/// The override steps: the one that priced the line and why it won, then each one in force that lost.
pub(super) fn override_steps(
    c: &Contract,
    product: &Product,
    line: &LineItem,
    list: Option<&Rate>,
    ct: &CreditType,
) -> Vec<Step> {
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    let span = line.trace.span.map(|(a, b)| (Quantity::new(a), Quantity::new(b)));
    let Ok(d) = c.pricing().decide(at, list, span) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Said only where the override changed it: the list rate alone would not have (or would have) entitled it.
    if let Some(o) = d.entitled_by.filter(|_| list.map(|r| r.entitled) != Some(d.entitled)) {
        let verb = if d.entitled { "entitles" } else { "removes" };
        out.push(with_id(o, format!("The {} {verb} the product.", override_name(o))));
    }
    let priced: Vec<&OverrideRule> = d.active.iter().copied().filter(|o| o.effect.is_some()).collect();
    let base = list.map(Rate::price);
    out.extend(winner_step(c, &d, &priced, base.as_ref(), ct));
    for &o in &priced {
        if d.overwrite.is_some_and(|w| std::ptr::eq(w, o)) || d.multiplier.is_some_and(|m| std::ptr::eq(m, o)) {
            continue;
        }
        let why = why_lost(c, &d, o, base.as_ref(), ct);
        out.push(with_id(
            o,
            format!(
                "The {} was in force but did not price this line: {why}.",
                override_name(o)
            ),
        ));
    }
    if !d.entitled {
        out.push(step(
            StepKind::Override,
            "The product is not entitled: nothing is billed.".to_string(),
        ));
    }
    out
}

/// An override step, naming the override.
fn with_id(o: &OverrideRule, text: String) -> Step {
    let mut s = step(StepKind::Override, text);
    s.override_id = o.id().map(str::to_string);
    s
}

/// The step of the override that priced the line (an overwrite, else the multiplier the
/// prioritization picked) and why it beat the others in force; none when no override priced it.
fn winner_step(
    c: &Contract,
    d: &Decision<'_>,
    priced: &[&OverrideRule],
    base: Option<&Price>,
    ct: &CreditType,
) -> Option<Step> {
    let overwrites = priced
        .iter()
        .filter(|o| matches!(o.effect, Some(Effect::Overwrite(_))))
        .count();
    let (o, why) = if let Some(o) = d.overwrite {
        let why = if overwrites > 1 {
            format!("the last added of the {overwrites} overwrites in force wins")
        } else if priced.len() > 1 {
            "an OVERWRITE beats multipliers and tiered overrides".to_string()
        } else {
            "the only override in force".to_string()
        };
        (o, why)
    } else {
        let o = d.multiplier?;
        let rivals = priced.iter().filter(|r| !std::ptr::eq(**r, o)).count();
        let why = if rivals == 0 {
            "the only override in force".to_string()
        } else {
            match c.prioritization() {
                Prioritization::Explicit => match o.priority {
                    Some(p) => format!(
                        "EXPLICIT prioritization: it has the lowest priority ({})",
                        p.normalize()
                    ),
                    None => "EXPLICIT prioritization, and none has a priority: the last added wins".to_string(),
                },
                Prioritization::LowestMultiplier => {
                    let cost = base.and_then(|b| cost_under(o, b, d.span).ok());
                    match cost {
                        Some(cost) => format!(
                            "LOWEST_MULTIPLIER: of the {} overrides in force it costs these units least ({})",
                            rivals + 1,
                            money(cost.amount(), ct)
                        ),
                        None => "LOWEST_MULTIPLIER: it costs these units least".to_string(),
                    }
                }
            }
        };
        (o, why)
    };
    Some(with_id(
        o,
        format!("The {} {}: {why}.", override_name(o), effect_text(o, ct)),
    ))
}

/// Why an override in force with a price effect did not price the line.
fn why_lost(c: &Contract, d: &Decision<'_>, o: &OverrideRule, base: Option<&Price>, ct: &CreditType) -> String {
    match (&o.effect, d.overwrite) {
        (Some(Effect::Overwrite(_)), _) => "a later overwrite wins".to_string(),
        (_, Some(_)) => "an overwrite beats it".to_string(),
        _ if d.multiplier.is_none() => "the line has no list price to multiply".to_string(),
        _ => match c.prioritization() {
            Prioritization::Explicit => "another has a lower priority".to_string(),
            Prioritization::LowestMultiplier => {
                let cost = |r: &OverrideRule| base.and_then(|b| cost_under(r, b, d.span).ok());
                match (cost(o), d.multiplier.and_then(cost)) {
                    (Some(mine), Some(won)) if mine == won => format!(
                        "it would cost these units the same ({}), and on a tie the last added wins",
                        money(mine.amount(), ct)
                    ),
                    (Some(mine), _) => format!("it would cost these units {}, more", money(mine.amount(), ct)),
                    _ => "another costs these units less".to_string(),
                }
            }
        },
    }
}
