//! Contracts: creation, edits, usage filters, end dates.
//!
//! Here: a contract created (checked whole, its transition from the contract it follows) and a
//! customer's contracts listed. The checks creation and edits share are in `checks`; edits and usage
//! filters in `edit`; end dates in `end`; professional-services invoices in `services`.

mod checks;
mod edit;
mod end;
mod services;

use crate::api::requests::NewContract;
use crate::api::{created, customer};
use crate::contract::{Contract, TransitionType};
use crate::error::{parse, Error, Result};
use crate::product::ProductType;
use crate::state::State;
use crate::time::Timestamp;
use crate::wire::ListContractsRequest;
use checks::{assign_ids, check_products, check_seat_balances, check_subscriptions, resolve_temporary_ids, term_ids};
use end::end_at;
use serde_json::Value;

pub use edit::{edit_contract, set_usage_filter};
pub use end::update_end_date;
pub use services::schedule_services_invoice;

/// A threshold's commit (a recharge, a spend charge) is bought, not metered: its product is not a
/// USAGE product.
fn check_threshold_products(state: &State, c: &Contract) -> Result<()> {
    let commits = [
        (
            "prepaid_balance_threshold_configuration",
            c.prepaid_balance_threshold_configuration
                .as_ref()
                .map(|t| &t.commit.product_id),
        ),
        (
            "spend_threshold_configuration",
            c.spend_threshold_configuration.as_ref().map(|t| &t.commit.product_id),
        ),
    ];
    for (field, id) in commits {
        let Some(id) = id else { continue };
        if state.products.get(id).is_some_and(|p| p.kind == ProductType::Usage) {
            return Err(Error::invalid(
                format!("{field}.commit.product_id"),
                format!("`{id}` is a USAGE product: a threshold's commit is sold as a FIXED product"),
            ));
        }
    }
    Ok(())
}

/// `POST /v1/contracts/create`: a contract from its `NewContract` body, checked whole before it is stored.
pub fn create_contract(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let new: NewContract = parse(body)?;
    if let Some(id) = new.id.as_ref().filter(|id| state.contracts.contains_key(*id)) {
        return Err(Error::conflict("id", format!("a contract with id `{id}` exists")));
    }
    let made = state
        .contracts
        .values()
        .map(|c| (c.uniqueness_key.as_ref(), c.id.as_str()));
    unused_key(made, new.uniqueness_key.as_ref(), "contract")?;
    let given = new.id.clone();
    // The id is settled once the checks pass (below), after the ids the checks make, as it always was.
    let mut c = new.into_record(String::new(), now);
    c.usage_filter_history = c.usage_filter.iter().cloned().collect();
    c.validate_terms()?;
    let holder = customer(state, &c.customer_id)?;
    crate::api::archive::not_archived(holder.archived_at, "customer", &c.customer_id, "customer_id")?;
    match (&c.rate_card_id, &c.rate_card_alias) {
        (Some(id), _) => {
            crate::api::check_rate_card(state, "rate_card_id", id)?;
        }
        (None, Some(alias)) => {
            let card = state
                .rate_cards
                .values()
                .find(|rc| rc.alias_matches(alias, c.starting_at))
                .ok_or_else(|| {
                    Error::not_found(
                        "rate_card_alias",
                        format!("no rate card has the alias `{alias}` at {}", c.starting_at),
                    )
                })?;
            c.rate_card_id = Some(card.id.clone());
        }
        (None, None) => {}
    }
    check_products(state, c.named_products())?;
    check_threshold_products(state, &c)?;
    let mut subs = std::mem::take(&mut c.subscriptions);
    check_subscriptions(state, &mut subs, &c, "subscriptions")?;
    resolve_temporary_ids(&subs, [&mut c.recurring_commits, &mut c.recurring_credits]);
    c.subscriptions = subs;
    check_seat_balances(&c, &c.recurring_commits, "recurring_commits")?;
    check_seat_balances(&c, &c.recurring_credits, "recurring_credits")?;
    let superseded = check_transition(state, &c)?;
    c.id = super::new_id(state, given.as_ref())?;
    let ids = term_ids(
        (&mut c.commits, &mut c.credits),
        (&mut c.recurring_commits, &mut c.recurring_credits),
        &mut c.scheduled_charges,
    );
    assign_ids(state, ids, &mut c.overrides);
    for d in c.discounts.iter_mut() {
        d.id = state.take_id(&d.id);
    }
    for p in c.professional_services.iter_mut() {
        p.id = state.take_id(&p.id);
    }
    if let Some((from, end)) = superseded {
        end_at(state.contracts.get_mut(&from).expect("checked above"), Some(end));
    }
    let id = c.id.clone();
    state.contracts.insert(id.clone(), c);
    created(&id)
}

/// A customer's contracts, in creation order.
pub fn list_contracts<'a>(state: &'a State, b: &ListContractsRequest) -> Result<Vec<&'a Contract>> {
    customer(state, &b.customer_id)?;
    Ok(state
        .contracts
        .values()
        .filter(|c| c.customer_id == b.customer_id)
        .collect())
}

/// Refuses a create naming `key` when one of `made` (each record's key and id, of one `kind`) was
/// created with it: 409, and nothing is created again.
pub(crate) fn unused_key<'a>(
    mut made: impl Iterator<Item = (Option<&'a String>, &'a str)>,
    key: Option<&String>,
    kind: &str,
) -> Result<()> {
    let Some(key) = key else { return Ok(()) };
    match made.find(|(k, _)| *k == Some(key)) {
        Some((_, id)) => Err(Error::conflict(
            "uniqueness_key",
            format!("uniqueness_key `{key}` was used to create {kind} `{id}`: nothing was created again"),
        )),
        None => Ok(()),
    }
}

/// Checks a new contract's `transition` against the contract it follows; a SUPERSEDE answers the end
/// to give that contract (the new start).
fn check_transition(state: &State, c: &Contract) -> Result<Option<(String, Timestamp)>> {
    let Some(t) = &c.transition else {
        return Ok(None);
    };
    let from = state
        .contracts
        .get(&t.from_contract_id)
        .filter(|f| f.customer_id == c.customer_id)
        .ok_or_else(|| {
            Error::not_found(
                "transition.from_contract_id",
                format!("customer `{}` has no contract `{}`", c.customer_id, t.from_contract_id),
            )
        })?;
    let taken = state
        .contracts
        .values()
        .any(|k| k.transition.as_ref().is_some_and(|x| x.from_contract_id == from.id));
    if taken {
        return Err(Error::conflict(
            "transition.from_contract_id",
            format!("contract `{}` has already been renewed or superseded", from.id),
        ));
    }
    let start = c.starting_at;
    match t.kind {
        TransitionType::Renewal => match from.ending_before {
            Some(end) if end <= start => Ok(None),
            _ => Err(Error::invalid(
                "transition.type",
                format!(
                    "a RENEWAL starts where contract `{}` ends (it {}); SUPERSEDE ends it at the new start instead",
                    from.id,
                    from.ending_before
                        .map_or("has no end".to_string(), |e| format!("ends at {e}"))
                ),
            )),
        },
        TransitionType::Supersede if from.starting_at >= start => Err(Error::invalid(
            "transition.type",
            format!("a SUPERSEDE starts after contract `{}` starts", from.id),
        )),
        TransitionType::Supersede => Ok(from
            .ending_before
            .is_none_or(|e| e > start)
            .then(|| (from.id.clone(), start))),
    }
}
