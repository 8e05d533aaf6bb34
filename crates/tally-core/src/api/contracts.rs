//! Contracts: creation, edits, usage filters, end dates.

use super::requests::{ContractEdit, NewContract, SetUsageFilter, UpdateEndDate};
use super::{check_product, contract_of, created, customer};
use crate::balance::{CommitTerm, CreditTerm};
use crate::commit::RecurringCommit;
use crate::contract::{validate_filter, Contract, ScheduledCharge, TransitionType, UsageFilter};
use crate::error::{parse, Error, Result};
use crate::overrides::OverrideRule;
use crate::product::ProductType;
use crate::rate_card::RateType;
use crate::state::State;
use crate::subscription::Subscription;
use crate::time::Timestamp;
use crate::wire::ListContractsRequest;
use serde_json::Value;

fn check_products(state: &State, named: Vec<(String, String)>) -> Result<()> {
    named.iter().try_for_each(|(path, id)| check_product(state, path, id))
}

/// Recurring balances granted per seat name a subscription of the contract, pooled.
fn check_seat_balances(c: &Contract, list: &[RecurringCommit], field: &str) -> Result<()> {
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
fn resolve_temporary_ids(subs: &[Subscription], lists: [&mut [RecurringCommit]; 2]) {
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
fn check_subscriptions(state: &mut State, subs: &mut [Subscription], c: &Contract, field: &str) -> Result<()> {
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
fn assign_ids<'a>(state: &mut State, ids: impl Iterator<Item = &'a mut String>, overrides: &mut [OverrideRule]) {
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
fn term_ids<'a>(
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

pub fn create_contract(state: &mut State, body: &Value) -> Result<Value> {
    let new: NewContract = parse(body)?;
    if let Some(id) = new.id.as_ref().filter(|id| state.contracts.contains_key(*id)) {
        return Err(Error::conflict("id", format!("a contract with id `{id}` exists")));
    }
    let given = new.id.clone();
    // The id is settled once the checks pass (below), after the ids the checks make, as it always was.
    let mut c = new.into_contract(String::new());
    c.validate_terms()?;
    customer(state, &c.customer_id)?;
    match (&c.rate_card_id, &c.rate_card_alias) {
        (Some(id), _) => {
            if !state.rate_cards.contains_key(id) {
                return Err(Error::not_found("rate_card_id", format!("no rate card with id `{id}`")));
            }
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
    c.id = given.unwrap_or_else(|| state.make_id());
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

pub fn edit_contract(state: &mut State, body: &Value) -> Result<Value> {
    let mut e: ContractEdit = parse(body)?;
    contract_of(state, &e.customer_id, &e.contract_id)?;
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
    created(&e.contract_id)
}

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

pub fn update_end_date(state: &mut State, body: &Value) -> Result<Value> {
    let b: UpdateEndDate = parse(body)?;
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    if let Some(end) = b.ending_before {
        if end <= c.starting_at {
            return Err(Error::invalid(
                "ending_before",
                "ending_before must be after the contract's starting_at",
            ));
        }
    }
    let c = state.contracts.get_mut(&b.contract_id).expect("checked above");
    end_at(c, b.ending_before);
    created(&b.contract_id)
}

/// Moves a contract's end: its terms are cut there (access after it dropped, access across it
/// clipped, charges after it dropped).
fn end_at(c: &mut Contract, ending_before: Option<Timestamp>) {
    c.ending_before = ending_before;
    if let Some(end) = ending_before {
        let access = c
            .commits
            .iter_mut()
            .map(|cm| cm.access_mut())
            .chain(c.credits.iter_mut().map(|cm| cm.access_mut()));
        for items in access {
            items.retain(|i| i.starting_at < end);
            for i in items.iter_mut() {
                i.ending_before = i.ending_before.min(end);
            }
        }
        for ch in c.scheduled_charges.iter_mut().chain(c.discounts.iter_mut()) {
            ch.schedule.retain_before(end);
        }
        // A churned customer is not billed for services dated after the end.
        c.professional_service_invoices.retain(|i| i.issued_at < end);
        for cm in c.commits.iter_mut() {
            cm.drop_purchases_from(end);
        }
        for rc in c.recurring_commits.iter_mut().chain(c.recurring_credits.iter_mut()) {
            rc.ending_before = Some(rc.ending_before.map_or(end, |e| e.min(end)));
        }
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

/// `POST /v1/contracts/scheduleProServicesInvoice`: stores the invoice on the contract, all lines or
/// none; answers the contract's id and the invoice's (`rating` makes it, the caller lists it).
pub fn schedule_services_invoice(state: &mut State, body: &Value) -> Result<(String, String)> {
    let b: crate::services::ScheduleServicesInvoice = parse(body)?;
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    if b.line_items.is_empty() {
        return Err(Error::invalid(
            "line_items",
            "a professional-services invoice needs a line",
        ));
    }
    if b.issued_at < c.starting_at || c.ending_before.is_some_and(|e| b.issued_at >= e) {
        return Err(Error::invalid(
            "issued_at",
            format!(
                "a professional-services invoice is dated inside its contract (from {}{})",
                c.starting_at,
                c.ending_before.map(|e| format!(" until {e}")).unwrap_or_default()
            ),
        ));
    }
    for (i, l) in b.line_items.iter().enumerate() {
        let at = |f: &str| format!("line_items[{i}].{f}");
        if !c
            .professional_services
            .iter()
            .any(|p| p.id == l.professional_service_id)
        {
            return Err(Error::not_found(
                at("professional_service_id"),
                format!(
                    "contract `{}` has no professional service `{}`",
                    c.id, l.professional_service_id
                ),
            ));
        }
        for (f, v) in [
            ("amount", l.amount),
            ("unit_price", l.unit_price),
            ("quantity", l.quantity),
        ] {
            if v.is_some_and(|v| v < rust_decimal::Decimal::ZERO) {
                return Err(Error::invalid(at(f), format!("{f} cannot be negative")));
            }
        }
    }
    let c = state.contracts.get_mut(&b.contract_id).expect("checked above");
    c.professional_service_invoices.push(crate::services::ServicesInvoice {
        issued_at: b.issued_at,
        line_items: b.line_items,
    });
    let n = c.professional_service_invoices.len();
    Ok((
        c.id.clone(),
        crate::rating::services_invoice_id(&c.id, n - 1, b.issued_at),
    ))
}
