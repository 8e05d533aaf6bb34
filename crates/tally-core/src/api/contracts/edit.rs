//! Changes to a contract's terms (`POST /v2/contracts/edit`) and its usage filter, each checked whole
//! before anything changes.

use super::checks::{
    assign_ids, check_products, check_seat_balances, check_subscriptions, resolve_temporary_ids, term_ids,
};
use crate::api::requests::{ContractEdit, SetUsageFilter};
use crate::api::{check_product, contract_of, created};
use crate::contract::{validate_filter, UsageFilter};
use crate::error::{parse, Error, Result};
use crate::state::State;
use serde_json::Value;

/// `POST /v2/contracts/edit`: terms added to a contract, and its subscriptions' quantities changed, all or nothing.
pub fn edit_contract(state: &mut State, body: &Value) -> Result<Value> {
    let mut e: ContractEdit = parse(body)?;
    let current = contract_of(state, &e.customer_id, &e.contract_id)?;
    if e.update_contract_name.as_ref().is_some_and(|n| n.trim().is_empty()) {
        return Err(Error::invalid(
            "update_contract_name",
            "a contract's name cannot be blank",
        ));
    }
    super::end::check_end(current, e.update_contract_end_date, "update_contract_end_date")?;
    check_added(state, &e)?;
    // Subscriptions: new ones checked and given ids, quantity updates applied to a copy, all or none.
    let mut contract = state.contracts.get(&e.contract_id).expect("checked above").clone();
    check_subscriptions(state, &mut e.add_subscriptions, &contract, "add_subscriptions")?;
    resolve_temporary_ids(
        &e.add_subscriptions,
        [&mut e.add_recurring_commits, &mut e.add_recurring_credits],
    );
    contract.subscriptions.extend(e.add_subscriptions);
    check_seat_balances(&contract, &e.add_recurring_commits, "add_recurring_commits")?;
    check_seat_balances(&contract, &e.add_recurring_credits, "add_recurring_credits")?;
    for (i, u) in e.update_subscriptions.iter().enumerate() {
        let (start, end) = (contract.starting_at, contract.ending_before);
        let s = contract
            .subscriptions
            .iter_mut()
            .find(|s| s.id == u.subscription_id)
            .ok_or_else(|| {
                Error::not_found(
                    format!("update_subscriptions[{i}].subscription_id"),
                    format!(
                        "contract `{}` has no subscription `{}`",
                        e.contract_id, u.subscription_id
                    ),
                )
            })?;
        s.update(
            &u.quantity_updates,
            &format!("update_subscriptions[{i}].quantity_updates"),
            start,
            end,
        )?;
    }
    let ids = term_ids(
        (&mut e.add_commits, &mut e.add_credits),
        (&mut e.add_recurring_commits, &mut e.add_recurring_credits),
        &mut e.add_scheduled_charges,
    );
    assign_ids(state, ids, &mut e.add_overrides);
    for (i, d) in e.add_discounts.iter_mut().enumerate() {
        check_product(state, &format!("add_discounts[{i}].product_id"), &d.product_id)?;
        d.id = state.take_id(&d.id);
    }
    for (i, p) in e.add_professional_services.iter_mut().enumerate() {
        let path = format!("add_professional_services[{i}]");
        p.validate(&path)?;
        check_product(state, &format!("{path}.product_id"), &p.product_id)?;
        p.id = state.take_id(&p.id);
    }
    let c = state.contracts.get_mut(&e.contract_id).expect("checked above");
    c.subscriptions = contract.subscriptions;
    c.discounts.extend(e.add_discounts);
    c.professional_services.extend(e.add_professional_services);
    c.overrides.extend(e.add_overrides);
    c.commits.extend(e.add_commits);
    c.credits.extend(e.add_credits);
    c.recurring_commits.extend(e.add_recurring_commits);
    c.recurring_credits.extend(e.add_recurring_credits);
    c.scheduled_charges.extend(e.add_scheduled_charges);
    apply_updates(
        c,
        e.update_contract_name,
        e.update_net_payment_terms_days,
        e.update_contract_end_date,
    );
    created(&e.contract_id)
}

/// The products the edit's new terms name exist and are not archived.
fn check_added(state: &State, e: &ContractEdit) -> Result<()> {
    for (i, o) in e.add_overrides.iter().enumerate() {
        let path = format!("add_overrides[{i}]");
        check_products(
            state,
            o.body
                .named_products()
                .into_iter()
                .map(|(f, p)| (crate::error::join_path(&path, &f), p))
                .collect(),
        )?;
    }
    for (i, c) in e.add_commits.iter().enumerate() {
        check_product(state, &format!("add_commits[{i}].product_id"), &c.product_id)?;
    }
    for (i, c) in e.add_credits.iter().enumerate() {
        check_product(state, &format!("add_credits[{i}].product_id"), &c.product_id)?;
    }
    for (field, list) in [
        ("add_recurring_commits", &e.add_recurring_commits),
        ("add_recurring_credits", &e.add_recurring_credits),
    ] {
        for (i, c) in list.iter().enumerate() {
            c.validate(&format!("{field}[{i}]"))?;
            check_product(state, &format!("{field}[{i}].product_id"), &c.product_id)?;
        }
    }
    for (i, c) in e.add_scheduled_charges.iter().enumerate() {
        check_product(state, &format!("add_scheduled_charges[{i}].product_id"), &c.product_id)?;
    }
    Ok(())
}

/// The edit's changes to the contract itself: its name, payment terms and end (which cuts its terms).
fn apply_updates(
    c: &mut crate::contract::Contract,
    name: Option<String>,
    days: Option<u32>,
    end: Option<crate::time::Timestamp>,
) {
    if let Some(name) = name {
        c.name = Some(name);
    }
    if let Some(days) = days {
        c.net_payment_terms_days = Some(days);
    }
    if let Some(end) = end {
        super::end::end_at(c, Some(end));
    }
}

/// `POST /v1/contracts/setUsageFilter`: from `starting_at`, only events in the group values count on the contract.
pub fn set_usage_filter(state: &mut State, body: &Value) -> Result<Value> {
    let b: SetUsageFilter = parse(body)?;
    contract_of(state, &b.customer_id, &b.contract_id)?;
    let f = UsageFilter {
        group_key: b.group_key,
        group_values: b.group_values,
        starting_at: Some(b.starting_at),
    };
    validate_filter(&f, "")?;
    let c = state.contracts.get_mut(&b.contract_id).expect("checked above");
    let start = |f: &UsageFilter| f.starting_at.unwrap_or(c.starting_at);
    // A filter set for an instant replaces one set for the same instant; history stays in date order.
    let at = start(&f);
    c.usage_filter_history
        .retain(|g| g.starting_at.unwrap_or(c.starting_at) != at);
    let pos = c
        .usage_filter_history
        .partition_point(|g| g.starting_at.unwrap_or(c.starting_at) < at);
    c.usage_filter_history.insert(pos, f);
    created(&b.contract_id)
}
