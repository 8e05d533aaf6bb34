//! Why each invoice line costs what it does, as data beside the line (`explain=true`). Worked out after
//! rating from the state and what rating kept on each line (`invoice::Trace`), with the same precedence
//! rules that priced it (`Pricing::decide`), so an explanation can never disagree with its figure and a
//! rating that is not asked to explain costs nothing more.
//!
//! Here: the entry and the explanation of each kind of line; the wording of figures is in `text`, the
//! steps several kinds share in `steps`, and which override priced a line in `precedence`.

mod precedence;
mod steps;
mod text;

use crate::contract::Contract;
use crate::invoice::{CreditType, Explanation, Invoice, LineItem, LineType, Step, StepKind};
use crate::pricing::LineAt;
use crate::product::Product;
use crate::rate_card::Price;
use crate::state::State;
use crate::time::Timestamp;
use precedence::override_steps;
use rust_decimal::Decimal;
use steps::{drawdown_step, list_step, quantity_step, rounding_step, split_steps, step};
use text::{grouped, when};

pub use text::{money, price};

/// Fills each line's `explanation`.
pub fn explain(state: &State, invoices: &mut [Invoice]) {
    for inv in invoices {
        let contract = state.contracts.get(&inv.contract_id);
        let period = (inv.period_start(), inv.period_end());
        let lines = inv.line_items.clone();
        for line in &mut inv.line_items {
            let ct = line.credit_type.clone().unwrap_or_else(|| inv.credit_type.clone());
            let steps = match (line.kind, contract) {
                (LineType::Usage, Some(c)) => usage(state, c, line, &lines, period, &ct),
                (LineType::Subscription, Some(c)) => subscription(state, c, line, &ct),
                _ => other(state, contract, line, &ct),
            };
            line.explanation = Some(Explanation { steps });
        }
    }
}

fn usage(
    state: &State,
    c: &Contract,
    line: &LineItem,
    lines: &[LineItem],
    period: (Timestamp, Timestamp),
    ct: &CreditType,
) -> Vec<Step> {
    let Some(product) = state.products.get(&line.product_id) else {
        return vec![rounding_step(line, ct)];
    };
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let list = card.and_then(|rc| rc.rate_at(&product.id, &line.pricing_group_values, line.starting_at));
    let mut out = Vec::new();
    out.extend(quantity_step(state, product, line));
    out.push(list_step(card, list, ct));
    out.extend(override_steps(c, product, line, list, ct));
    if let (Some(t), Some((from, to))) = (&line.tier, line.trace.span) {
        let band_end = t.size.and_then(|s| t.starting_at.checked_add(s));
        let band = match band_end {
            Some(e) => format!("units {}–{}", grouped(t.starting_at), grouped(e)),
            None => format!("units above {}", grouped(t.starting_at)),
        };
        let lo = from.max(t.starting_at);
        let hi = band_end.map_or(to, |e| to.min(e));
        out.push(step(
            StepKind::Tier,
            format!(
                "Tier {} ({band}): {} of these {} units fall in it{}.",
                t.level,
                grouped((hi - lo).max(Decimal::ZERO).normalize()),
                grouped((to - from).normalize()),
                if from > Decimal::ZERO {
                    format!(
                        " (tiers count the whole period: {} units came before these)",
                        grouped(from.normalize())
                    )
                } else {
                    String::new()
                }
            ),
        ));
    }
    out.extend(split_steps(card, c, product, line, period));
    if line.commit_id.is_some() {
        out.extend(drawdown_step(line, ct));
        if repriced(c, product, line) {
            out.push(step(
                StepKind::Override,
                format!(
                    "A commit-specific override prices the units this commit pays for at {} per unit.",
                    price(line.unit_price, ct)
                ),
            ));
        }
    } else if lines.iter().any(|l| {
        l.kind == LineType::Usage
            && l.commit_id.is_some()
            && l.piece == line.piece
            && l.product_id == line.product_id
            && l.tier == line.tier
    }) {
        out.push(step(
            StepKind::Split,
            "The rest of a line that balances paid part of: what they had left, or what of the usage fell inside their windows, ran out here.".to_string(),
        ));
    }
    out.push(rounding_step(line, ct));
    out
}

/// Whether a commit-specific override priced what `line`'s commit paid.
fn repriced(c: &Contract, product: &Product, line: &LineItem) -> bool {
    let (Some(id), Some(list)) = (line.commit_id.as_deref(), line.list_unit_price) else {
        return false;
    };
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    c.pricing()
        .commit_unit_price(at, id, list, line.tier.as_ref().map(|t| t.level))
        .is_ok_and(|p| p == Some(line.unit_price))
}

/// A subscription line: its seats and service span, the rate and override that price a period, the
/// share of the period billed, and what paid it.
fn subscription(state: &State, c: &Contract, line: &LineItem, ct: &CreditType) -> Vec<Step> {
    let Some(product) = state.products.get(&line.product_id) else {
        return vec![rounding_step(line, ct)];
    };
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    // The rate of the subscription's own billing frequency (a card may sell the product at several).
    let frequency = c
        .subscriptions
        .iter()
        .find(|sub| sub.subscription_rate.product_id == product.id)
        .map(|sub| sub.subscription_rate.billing_frequency);
    let list = card.and_then(|rc| match frequency {
        Some(f) => rc.subscription_rate_at(&product.id, line.starting_at, f),
        None => rc.rate_at(&product.id, &line.pricing_group_values, line.starting_at),
    });
    let mut out = vec![step(
        StepKind::Source,
        format!(
            "Subscription to “{}”: {} from {} until {}.",
            product.name,
            grouped(line.quantity.normalize()),
            when(line.starting_at),
            when(line.ending_before)
        ),
    )];
    out.push(list_step(card, list, ct));
    out.extend(override_steps(c, product, line, list, ct));
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    if let Ok(Some(rate)) = c.pricing().effective_rate(at, list, None) {
        if let Price::Flat(p) = rate.price {
            if !p.is_zero() && p != line.unit_price {
                let share = (line.unit_price / p).round_dp(6).normalize();
                // Proration is a factor on the price, in days where the span is whole days:
                // 5 seats × $30.00 × 16/31.
                let factor = days_fraction(line, line.unit_price / p).unwrap_or_else(|| share.to_string());
                out.push(step(
                    StepKind::Split,
                    format!(
                        "Prorated by time: {} × {} × {factor} = {}, for the part of the period billed.",
                        grouped(line.quantity.normalize()),
                        price(p, ct),
                        money(line.total.amount(), ct)
                    ),
                ));
            }
        }
    }
    out.extend(drawdown_step(line, ct));
    out.push(rounding_step(line, ct));
    out
}

/// The share of a period a line bills, as `billed days/period days` when both are whole days.
fn days_fraction(line: &LineItem, share: Decimal) -> Option<String> {
    const DAY: i64 = 86_400;
    let span = (line.ending_before.0 - line.starting_at.0).num_seconds();
    if span <= 0 || span % DAY != 0 || share <= Decimal::ZERO {
        return None;
    }
    let days = Decimal::from(span / DAY);
    let period = days.checked_div(share)?;
    let whole = period.round();
    ((period - whole).abs() < Decimal::new(1, 6)).then(|| format!("{}/{}", days, whole.normalize()))
}

fn other(state: &State, c: Option<&Contract>, line: &LineItem, ct: &CreditType) -> Vec<Step> {
    if let Some(s) = drawdown_step(line, ct) {
        return vec![s];
    }
    let product = state
        .products
        .get(&line.product_id)
        .map_or(line.product_id.clone(), |p| format!("“{}”", p.name));
    let contract = c.map_or_else(String::new, |c| format!(" of contract `{}`", c.id));
    let text = match line.kind {
        LineType::Scheduled => format!(
            "A scheduled charge{contract} for {product}, due {}: {} × {}.",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
        LineType::CommitPurchase => format!(
            "The purchase of commit {product}{contract}, on its invoice schedule's date {}.",
            when(line.starting_at)
        ),
        LineType::PostpaidTrueup => format!(
            "What the postpaid commit {product} left unspent by its invoice date {}: trued up.",
            when(line.starting_at)
        ),
        LineType::Conversion => format!(
            "{} left unpaid by balances in that unit, at the rate card's {} per unit.",
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
        LineType::AppliedCommitOrCredit => {
            "Paid earlier by a spend threshold charge: its threshold invoice billed this usage.".to_string()
        }
        LineType::Usage => format!("Usage of {product}."),
        LineType::Subscription => format!("A subscription to {product}."),
        LineType::Composite => format!(
            "A percentage of the period's spend on the products {product} names (their usage lines' exact amounts, before commits and credits pay), at least its minimum prorated by time: {} × {}.",
            grouped(line.quantity.normalize()),
            line.unit_price.normalize()
        ),
        LineType::Discount => format!(
            "A discount{contract} on {product}, on its schedule's date {}: {} × {}, taken off (never below zero per line, the invoice may go negative).",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(-line.unit_price, ct)
        ),
        LineType::ProfessionalService => format!(
            "Professional services{contract} ({product}), invoiced {}: {} × {}, the term's running total capped at its max_amount.",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
    };
    let mut out = vec![step(StepKind::Source, text)];
    if line.kind != LineType::AppliedCommitOrCredit {
        out.push(rounding_step(line, ct));
    }
    out
}
