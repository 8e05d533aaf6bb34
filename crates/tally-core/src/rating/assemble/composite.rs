//! COMPOSITE products' charges: a percentage of the period's spend on the products they name.

use crate::contract::Contract;
use crate::credit_type::scale;
use crate::invoice::{Invoice, LineItem, LineType};
use crate::money::{tidy, Checked, Money, Quantity};
use crate::state::State;
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// COMPOSITE products' charges, one line per period on its usage invoice: the percentage (or the
/// tiered percentages) the rate card's PERCENTAGE rate gives, after overrides, of the period's spend on
/// the products the composite names: the exact amounts of the usage lines (before commits and
/// credits pay, before rounding), the charge rounded once; at least the rate's `minimum`, prorated by
/// time in a partial period. Never drawn on by a balance.
pub(super) fn composite_lines(state: &State, c: &Contract, usage: &mut [Invoice]) -> Checked<()> {
    let Some(card) = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id)) else {
        return Ok(());
    };
    let none = IndexMap::new();
    let schedule = c.statement_schedule();
    let (anchor, months) = (schedule.anchor(c.starting_at), schedule.frequency.months());
    let scale = scale(state.fiat_of(c));
    for composite in state
        .products
        .values()
        .filter(|p| p.kind == crate::product::ProductType::Composite)
    {
        for inv in usage.iter_mut() {
            let (a, b) = (inv.period_start(), inv.period_end());
            let Some(list) = card.rate_at(&composite.id, &none, a).filter(|r| {
                matches!(
                    r.rate_type,
                    crate::rate_card::RateType::Percentage | crate::rate_card::RateType::TieredPercentage
                )
            }) else {
                continue;
            };
            let at = crate::pricing::LineAt {
                product: composite,
                pgv: &none,
                at: a,
            };
            let Some(rate) = c.pricing().effective_rate(at, Some(list), None)? else {
                continue;
            };
            let mut spend = Money::ZERO;
            for l in &inv.line_items {
                let Some(p) = state.products.get(&l.product_id) else {
                    continue;
                };
                if !composite.composes(p) || (composite.exclude_free_usage == Some(true) && l.unit_price.is_zero()) {
                    continue;
                }
                let mut amount = Money::of(Quantity::new(l.quantity), l.unit_price)?;
                // Spend in a custom pricing unit counts in the card's currency, at its conversion.
                if let Some(u) = &l.credit_type {
                    let Some(rate) = card.fiat_per(&u.id) else {
                        continue;
                    };
                    amount = amount.times(rate)?;
                }
                spend = spend.plus(amount)?;
            }
            let charge = rate.price.amount(Quantity::ZERO, Quantity::new(spend.amount()))?;
            let share = crate::calendar::share(a, b, crate::calendar::grid_cell(anchor, months, a))?;
            let minimum = match list.minimum {
                Some(m) => Money::cents(m).times(share)?,
                None => Money::ZERO,
            };
            if charge.is_zero() && minimum.is_zero() {
                continue;
            }
            // Spend × a flat percentage shows as such; a tiered charge or a minimum as one amount.
            let (quantity, unit_price) = match &rate.price {
                crate::rate_card::Price::Flat(p) if charge >= minimum => (spend.amount(), *p),
                _ => (Decimal::ONE, charge.max(minimum).amount()),
            };
            inv.line_items.push(LineItem::plain(
                composite.name.clone(),
                LineType::Composite,
                composite.id.clone(),
                (tidy(quantity), tidy(unit_price)),
                Money::of(Quantity::new(quantity), unit_price)?.rounded(scale),
                (a, b),
            ));
        }
    }
    Ok(())
}
