//! The checks a new contract and an edit share: products named, subscriptions and the seat balances
//! that name them, and the ids given to terms that came without one.

use crate::api::check_product;
use crate::balance::{CommitTerm, CreditTerm};
use crate::commit::RecurringCommit;
use crate::contract::{Contract, ScheduledCharge};
use crate::error::{Error, Result};
use crate::overrides::OverrideRule;
use crate::product::ProductType;
use crate::rate_card::RateType;
use crate::state::State;
use crate::subscription::Subscription;

pub(super) fn check_products(state: &State, named: Vec<(String, String)>) -> Result<()> {
    named.iter().try_for_each(|(path, id)| check_product(state, path, id))
}

/// Recurring balances granted per seat name a subscription of the contract, pooled.
pub(super) fn check_seat_balances(c: &Contract, list: &[RecurringCommit], field: &str) -> Result<()> {
    for (i, rc) in list.iter().enumerate() {
        let Some(cfg) = &rc.subscription_config else {
            continue;
        };
        let path = format!("{field}[{i}].subscription_config");
        if cfg.allocation != crate::commit::Allocation::Pooled {
            return Err(Error::invalid(
                format!("{path}.allocation"),
                "only POOLED seat balances are supported: INDIVIDUAL needs named seats (SEAT_BASED)",
            ));
        }
        if !c.subscriptions.iter().any(|s| s.id == cfg.subscription_id) {
            return Err(Error::not_found(
                format!("{path}.subscription_id"),
                format!("the contract has no subscription `{}`", cfg.subscription_id),
            ));
        }
    }
    Ok(())
}

/// Recurring balances of the same body may name a new subscription by its `temporary_id`: they get
/// the id it was given.
pub(super) fn resolve_temporary_ids(subs: &[Subscription], lists: [&mut [RecurringCommit]; 2]) {
    for rc in lists.into_iter().flatten() {
        let Some(cfg) = rc.subscription_config.as_mut() else {
            continue;
        };
        if let Some(s) = subs
            .iter()
            .find(|s| s.temporary_id.as_deref() == Some(cfg.subscription_id.as_str()))
        {
            cfg.subscription_id = s.id.clone();
        }
    }
}

/// New subscriptions (`field`: where they sit in the body), checked whole and given ids: each sells a
/// SUBSCRIPTION product that the contract's rate card prices with a SUBSCRIPTION rate of the same
/// billing frequency at the subscription's start.
pub(super) fn check_subscriptions(
    state: &mut State,
    subs: &mut [Subscription],
    c: &Contract,
    field: &str,
) -> Result<()> {
    for (i, s) in subs.iter_mut().enumerate() {
        let path = format!("{field}[{i}]");
        s.validate(&path, c.starting_at)?;
        let product_path = format!("{path}.subscription_rate.product_id");
        let product = &s.subscription_rate.product_id;
        check_product(state, &product_path, product)?;
        if state.products.get(product).map(|p| p.kind) != Some(ProductType::Subscription) {
            return Err(Error::invalid(
                product_path,
                format!("product `{product}` is not a SUBSCRIPTION product"),
            ));
        }
        let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
        let start = s.start(c.starting_at);
        let frequency = s.subscription_rate.billing_frequency;
        let rate = card.and_then(|rc| rc.subscription_rate_at(product, start, frequency));
        if rate.is_none_or(|r| r.rate_type != RateType::Subscription) {
            // The frequencies the card does sell the product at then, to say which to name.
            let sold: Vec<&str> = card
                .iter()
                .flat_map(|rc| &rc.rates)
                .filter(|r| {
                    &r.product_id == product && r.rate_type == RateType::Subscription && r.window().contains(start)
                })
                .filter_map(|r| r.billing_frequency.map(|f| f.as_str()))
                .collect();
            if !sold.is_empty() {
                return Err(Error::invalid(
                    format!("{path}.subscription_rate.billing_frequency"),
                    format!(
                        "the rate card prices `{product}` {} at {start}: the subscription must name one of them",
                        sold.join(", ")
                    ),
                ));
            }
            return Err(Error::invalid(
                product_path,
                format!("the contract's rate card has no SUBSCRIPTION rate for `{product}` at {start}"),
            ));
        }
        if !s.id.is_empty() && c.subscriptions.iter().any(|x| x.id == s.id) {
            return Err(Error::conflict(
                format!("{path}.id"),
                format!("a subscription with id `{}` exists", s.id),
            ));
        }
        s.id = state.take_id(&s.id);
    }
    Ok(())
}

/// Gives every term that came without an id one of Tally's, in the order the body lists them:
/// commits, credits, recurring commits and credits, charges (`ids`), then overrides.
pub(super) fn assign_ids<'a>(
    state: &mut State,
    ids: impl Iterator<Item = &'a mut String>,
    overrides: &mut [OverrideRule],
) {
    for id in ids {
        *id = state.take_id(id);
    }
    for o in overrides.iter_mut() {
        if o.body.id.is_none() {
            o.body.id = Some(state.make_id());
        }
    }
}

/// The ids of a body's commits, credits, recurring commits and credits and charges, in that order.
pub(super) fn term_ids<'a>(
    (commits, credits): (&'a mut [CommitTerm], &'a mut [CreditTerm]),
    (recurring, recurring_credits): (&'a mut [RecurringCommit], &'a mut [RecurringCommit]),
    charges: &'a mut [ScheduledCharge],
) -> impl Iterator<Item = &'a mut String> {
    commits
        .iter_mut()
        .map(|c| c.id_mut())
        .chain(credits.iter_mut().map(|c| c.id_mut()))
        .chain(
            recurring
                .iter_mut()
                .chain(recurring_credits.iter_mut())
                .map(|c| &mut c.id),
        )
        .chain(charges.iter_mut().map(|c| &mut c.id))
}
