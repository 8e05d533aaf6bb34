//! Subscription charges priced: the rate card's SUBSCRIPTION rate after overrides, times each
//! charge's fraction of its period.

use crate::contract::Contract;
use crate::credit_type::scale;
use crate::invoice::{LineItem, LineType};
use crate::money::{mul, tidy, Checked, Money, Quantity};
use crate::state::State;
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// Every subscription charge of `c` through the period holding `horizon`, priced: the rate card's
/// SUBSCRIPTION rate for the product at the charge's instant, after overrides, times the charge's
/// fraction of the period. Each comes with its subscription's id, its billing date and whether it is
/// billed on an invoice of its own (an immediate increase, or `ON_SCHEDULED_INVOICE`).
pub(super) fn subscription_lines(
    state: &State,
    c: &Contract,
    horizon: Timestamp,
) -> Checked<Vec<(String, Timestamp, bool, LineItem)>> {
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let anchor = c.statement_schedule().anchor(c.starting_at);
    let scale = scale(state.fiat_of(c));
    let none = IndexMap::new();
    let mut out = Vec::new();
    for s in &c.subscriptions {
        let product_id = &s.subscription_rate.product_id;
        let Some(product) = state.products.get(product_id) else {
            continue;
        };
        let frequency = s.subscription_rate.billing_frequency;
        let rate_at = |t: Timestamp| card.and_then(|rc| rc.subscription_rate_at(product_id, t, frequency));
        let prorated = rate_at(s.start(c.starting_at)).and_then(|r| r.is_prorated);
        let name = s.name.clone().unwrap_or_else(|| product.name.clone());
        let bounds = (c.starting_at, c.ending_before);
        for ch in crate::subscription::charges(s, s.anchor(anchor), bounds, horizon, prorated)? {
            let at = crate::pricing::LineAt {
                product,
                pgv: &none,
                at: ch.priced_at,
            };
            let Some(rate) = c.pricing().effective_rate(at, rate_at(ch.priced_at), None)? else {
                continue;
            };
            let per_period = match &rate.price {
                crate::rate_card::Price::Flat(p) => *p,
                crate::rate_card::Price::Tiered(t) => t.first().map(|t| t.price).unwrap_or_default(),
            };
            let unit_price = mul(per_period, ch.fraction)?;
            let mut total = Money::of(Quantity::new(ch.quantity), unit_price)?;
            // `proration.rounding` rounds what a partial period bills, before the line rule.
            if let Some(r) = s.proration.rounding.filter(|_| ch.fraction != Decimal::ONE) {
                total = Money::cents(r.apply(total.amount())?);
            }
            out.push((
                s.id.clone(),
                ch.date,
                ch.immediate || !s.on_usage_invoices(),
                LineItem::plain(
                    name.clone(),
                    LineType::Subscription,
                    product_id.clone(),
                    (tidy(ch.quantity), tidy(unit_price)),
                    total.rounded(scale),
                    (ch.from, ch.until),
                ),
            ));
        }
    }
    Ok(out)
}
