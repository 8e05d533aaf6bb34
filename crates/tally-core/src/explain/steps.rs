//! The steps more than one kind of line shows: how its quantity was metered, its list price, why it
//! was split from the rest of its period, which balance paid it, and the rounding of its total.

use super::text::{grouped, money, price, price_text, when, window};
use crate::balance::BalanceKind;
use crate::contract::Contract;
use crate::invoice::{CreditType, LineItem, LineType, Step, StepKind};
use crate::money::{Money, Quantity};
use crate::product::{ConversionOperation, Product, RoundingMethod};
use crate::rate_card::{Rate, RateCard};
use crate::state::State;
use crate::time::{Timestamp, Window};

pub(super) fn step(kind: StepKind, text: String) -> Step {
    Step::new(kind, text)
}

pub(super) fn quantity_step(state: &State, product: &Product, line: &LineItem) -> Option<Step> {
    let metered = line.trace.metered?;
    let metric = product
        .billable_metric_id
        .as_ref()
        .and_then(|m| state.billable_metrics.get(m));
    let how = match metric {
        Some(m) => match m.aggregation_key.as_deref() {
            Some(k) if m.aggregation_type.as_str() != "COUNT" => {
                format!(
                    "{} of `{k}` (billable metric “{}”)",
                    m.aggregation_type.as_str(),
                    m.name
                )
            }
            _ => format!("COUNT of events (billable metric “{}”)", m.name),
        },
        None => "the metric".to_string(),
    };
    let mut text = format!(
        "Metered {} by {how} from {} until {}",
        grouped(metered),
        when(line.starting_at),
        when(line.ending_before)
    );
    if let Some(c) = &product.quantity_conversion {
        let op = match c.operation {
            ConversionOperation::Multiply => "multiplied by",
            ConversionOperation::Divide => "divided by",
        };
        text.push_str(&format!(
            "; {op} {}{}",
            c.conversion_factor.normalize(),
            c.name.as_ref().map_or_else(String::new, |n| format!(" ({n})"))
        ));
    }
    if let Some(r) = &product.quantity_rounding {
        let how = match r.rounding_method {
            RoundingMethod::RoundUp => "rounded up",
            RoundingMethod::RoundDown => "rounded down",
            RoundingMethod::RoundHalfUp => "rounded half up",
        };
        text.push_str(&format!("; {how} to {} decimal places", r.decimal_places));
    }
    if let Some((from, to)) = line.trace.span {
        text.push_str(&format!(": {} billed units", grouped((to - from).normalize())));
    }
    text.push('.');
    Some(step(StepKind::Quantity, text))
}

pub(super) fn list_step(card: Option<&RateCard>, rate: Option<&Rate>, ct: &CreditType) -> Step {
    match (card, rate) {
        (Some(rc), Some(r)) => {
            let groups = if r.pricing_group_values.is_empty() {
                String::new()
            } else {
                let g: Vec<String> = r.pricing_group_values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(" for {}", g.join(", "))
            };
            let w = Window {
                start: r.starting_at,
                end: r.ending_before,
            };
            let mut s = step(
                StepKind::ListPrice,
                format!(
                    "List price {} from rate card “{}”: its rate{groups} in force {}{}.",
                    price_text(&r.price(), ct),
                    rc.name,
                    window(&w),
                    if r.entitled { "" } else { " (not entitled)" }
                ),
            );
            s.rate_card_id = Some(rc.id.clone());
            s
        }
        (Some(rc), None) => {
            let mut s = step(
                StepKind::ListPrice,
                format!("Rate card “{}” has no rate for this product then.", rc.name),
            );
            s.rate_card_id = Some(rc.id.clone());
            s
        }
        _ => step(StepKind::ListPrice, "The contract has no rate card.".to_string()),
    }
}

/// Why a line starts after (or ends before) its period: the rates and overrides that start or end there.
pub(super) fn split_steps(
    card: Option<&RateCard>,
    c: &Contract,
    product: &Product,
    line: &LineItem,
    period: (Timestamp, Timestamp),
) -> Vec<Step> {
    let mut out = Vec::new();
    for (t, edge) in [(line.starting_at, period.0), (line.ending_before, period.1)] {
        if t == edge {
            continue;
        }
        let mut why = Vec::new();
        for r in card.iter().flat_map(|rc| &rc.rates).filter(|r| {
            r.product_id == product.id
                && r.pricing_group_values
                    .iter()
                    .all(|(k, v)| line.pricing_group_values.get(k) == Some(v))
        }) {
            if r.starting_at == t {
                why.push("a rate starts".to_string());
            }
            if r.ending_before == Some(t) {
                why.push("a rate ends".to_string());
            }
        }
        for o in c
            .overrides
            .iter()
            .filter(|o| o.prices_line(product, &line.pricing_group_values))
        {
            let id = o.id().map_or_else(String::new, |id| format!(" `{id}`"));
            if o.window.start == t {
                why.push(format!("override{id} starts"));
            }
            if o.window.end == Some(t) {
                why.push(format!("override{id} ends"));
            }
        }
        why.dedup();
        let reason = if why.is_empty() {
            "the price may change there".to_string()
        } else {
            why.join(" and ")
        };
        let mut s = step(
            StepKind::Split,
            if t == line.starting_at {
                format!(
                    "Starts at {}, after its period starts, priced apart from the usage before: {reason}.",
                    when(t)
                )
            } else {
                format!(
                    "Ends at {}, before its period ends, priced apart from the usage after: {reason}.",
                    when(t)
                )
            },
        );
        s.at = Some(t);
        out.push(s);
    }
    out
}

fn kind_name(k: BalanceKind) -> &'static str {
    match k {
        BalanceKind::PrepaidCommit => "prepaid commit",
        BalanceKind::PostpaidCommit => "postpaid commit",
        BalanceKind::Credit => "credit",
    }
}

pub(super) fn drawdown_step(line: &LineItem, ct: &CreditType) -> Option<Step> {
    let b = line.trace.balance.as_ref()?;
    let name = &b.name;
    let paid = b.before.minus(b.after).ok()?;
    let text = if line.kind == LineType::AppliedCommitOrCredit {
        format!(
            "Applies the {} “{name}” (usable {}): {} taken off this invoice; balance {} before, {} left.",
            kind_name(b.kind),
            window(&b.window),
            money(paid.amount(), ct),
            money(b.before.amount(), ct),
            money(b.after.amount(), ct)
        )
    } else {
        format!(
            "Paid by the {} “{name}” (drawn in the spec's order among the balances that reach this line): {} of it; balance {} before, {} left.",
            kind_name(b.kind),
            money(paid.amount(), ct),
            money(b.before.amount(), ct),
            money(b.after.amount(), ct)
        )
    };
    let mut s = step(StepKind::Drawdown, text);
    s.commit_id = line.commit_id.clone();
    s.balance_before = Some(b.before);
    s.balance_after = Some(b.after);
    Some(s)
}

pub(super) fn rounding_step(line: &LineItem, ct: &CreditType) -> Step {
    let exact = Money::of(Quantity::new(line.quantity), line.unit_price)
        .map(Money::amount)
        .unwrap_or_default()
        .normalize();
    let product = format!(
        "{} × {} = {}",
        grouped(line.quantity.normalize()),
        price(line.unit_price, ct),
        price(exact, ct)
    );
    let text = if exact == line.total.amount() {
        format!("{product}.")
    } else {
        format!(
            "{product}, rounded half away from zero to the credit type's smallest unit: {}.",
            money(line.total.amount(), ct)
        )
    };
    step(StepKind::Rounding, text)
}
