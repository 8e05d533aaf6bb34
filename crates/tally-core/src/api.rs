//! The billing API's calls, as Metronome names them: each parses its body, checks it whole against
//! the state, and only then changes anything, so a refused call leaves no trace.

use crate::commit::{BalanceKind, Commit, RecurringCommit};
use crate::contract::{
    validate_filter, Contract, ContractEdit, ScheduledCharge, SetUsageFilter, UpdateEndDate, UsageFilter,
};
use crate::customer::{validate_aliases, Customer, SetIngestAliases};
use crate::error::{parse, Error, ErrorCode, Result};
use crate::invoice::{Invoice, InvoiceStatus, InvoiceType};
use crate::metric::BillableMetric;
use crate::overrides::{effective_rate, Override};
use crate::product::{Product, ProductType};
use crate::rate_card::{Rate, RateCard};
use crate::rating::{rate_customer, Clock, Rated};
use crate::state::State;
use crate::time::Timestamp;
use crate::usage::{validate_events, Event};
use crate::wire::*;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// Runs one call (`"POST /v1/customers"`, `"GET /v1/customers/c1/invoices?type=USAGE"`) against the
/// state at time `now`, answering the response body.
pub fn call(state: &mut State, call: &str, body: &Value, now: Timestamp) -> Result<Value> {
    // A refused call changes nothing at all, not even the counter behind made ids.
    let next_id = state.next_id;
    let answer = route(state, call, body, now);
    if answer.is_err() {
        state.next_id = next_id;
    }
    answer
}

fn route(state: &mut State, call: &str, body: &Value, now: Timestamp) -> Result<Value> {
    let (method, target) = call.trim().split_once(char::is_whitespace).unwrap_or(("", call));
    let (path, query) = target.trim().split_once('?').unwrap_or((target.trim(), ""));
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = method.to_ascii_uppercase();
    match (method.as_str(), parts.as_slice()) {
        ("POST", ["v1", "billable-metrics", "create"]) => create_metric(state, body),
        ("POST", ["v1", "contract-pricing", "products", "create"]) => create_product(state, body),
        ("POST", ["v1", "contract-pricing", "rate-cards", "create"]) => create_rate_card(state, body),
        ("POST", ["v1", "contract-pricing", "rate-cards", "addRate"]) => add_rate(state, body),
        ("POST", ["v1", "contract-pricing", "rate-cards", "addRates"]) => add_rates(state, body),
        ("POST", ["v1", "customers"]) => create_customer(state, body),
        ("GET", ["v1", "customers"]) => Ok(json!({ "data": state.customers.values().collect::<Vec<_>>() })),
        ("GET", ["v1", "customers", id]) => Ok(json!({ "data": customer(state, id)? })),
        ("POST", ["v1", "customers", id, "setIngestAliases"]) => set_ingest_aliases(state, id, body),
        ("POST", ["v1", "customers", id, "updateName"]) => update_name(state, id, body),
        ("POST", ["v1", "customFields", "setValues"]) => set_custom_fields(state, body),
        ("GET", ["v1", "customers", id, "invoices"]) => list_invoices(state, id, query, now),
        ("POST", ["v1", "customers", id, "previewEvents"]) => preview_events(state, id, body, now),
        ("POST", ["v1", "contracts", "create"]) => create_contract(state, body),
        ("POST", ["v1", "contracts", "list"]) => list_contracts(state, body),
        ("POST", ["v2", "contracts", "edit"]) => edit_contract(state, body),
        ("POST", ["v1", "contracts", "setUsageFilter"]) => set_usage_filter(state, body),
        ("POST", ["v1", "contracts", "updateEndDate"]) => update_end_date(state, body),
        ("POST", ["v1", "contracts", "getContractRateSchedule"]) => rate_schedule(state, body, now),
        ("POST", ["v1", "contracts", "customerBalances", "getNetBalance"]) => net_balance(state, body, now),
        ("POST", ["v1", "ingest"]) => ingest(state, body),
        ("GET", ["v1", "usage", "unmatched"]) => answer(crate::unbilled::unbilled(state)),
        _ => Err(Error::new(
            ErrorCode::UnknownCall,
            "",
            format!("Tally does not know the call `{call}`"),
        )),
    }
}

/// Every answer is `{"data": ...}`.
fn answer<T: serde::Serialize>(data: T) -> Result<Value> {
    Ok(json!({ "data": data }))
}

fn created(id: &str) -> Result<Value> {
    answer(Created { id: id.to_string() })
}

fn customer<'a>(state: &'a State, id: &str) -> Result<&'a Customer> {
    state
        .customers
        .get(id)
        .ok_or_else(|| Error::not_found("customer_id", format!("no customer with id `{id}`")))
}

fn contract_of<'a>(state: &'a State, customer_id: &str, contract_id: &str) -> Result<&'a Contract> {
    customer(state, customer_id)?;
    state
        .contracts
        .get(contract_id)
        .filter(|c| c.customer_id == customer_id)
        .ok_or_else(|| {
            Error::not_found(
                "contract_id",
                format!("customer `{customer_id}` has no contract `{contract_id}`"),
            )
        })
}

fn check_product(state: &State, path: &str, id: &str) -> Result<()> {
    if state.products.contains_key(id) {
        Ok(())
    } else {
        Err(Error::not_found(path, format!("no product with id `{id}`")))
    }
}

fn create_metric(state: &mut State, body: &Value) -> Result<Value> {
    let mut m: BillableMetric = parse(body)?;
    m.validate()?;
    m.id = state.take_id(&m.id);
    if state.billable_metrics.contains_key(&m.id) {
        return Err(Error::conflict(
            "id",
            format!("a billable metric with id `{}` exists", m.id),
        ));
    }
    let id = m.id.clone();
    state.billable_metrics.insert(id.clone(), m);
    created(&id)
}

fn create_product(state: &mut State, body: &Value) -> Result<Value> {
    let mut p: Product = parse(body)?;
    p.validate()?;
    if let Some(m) = &p.billable_metric_id {
        if !state.billable_metrics.contains_key(m) {
            return Err(Error::not_found(
                "billable_metric_id",
                format!("no billable metric with id `{m}`"),
            ));
        }
    }
    if p.kind != ProductType::Usage && p.billable_metric_id.is_some() {
        return Err(Error::invalid(
            "billable_metric_id",
            "only a USAGE product has a billable metric",
        ));
    }
    p.id = state.take_id(&p.id);
    if state.products.contains_key(&p.id) {
        return Err(Error::conflict("id", format!("a product with id `{}` exists", p.id)));
    }
    let id = p.id.clone();
    state.products.insert(id.clone(), p);
    created(&id)
}

fn check_rate(state: &State, rate: &Rate, path: &str) -> Result<()> {
    rate.validate(path)?;
    check_product(state, &crate::error::join_path(path, "product_id"), &rate.product_id)
}

fn create_rate_card(state: &mut State, body: &Value) -> Result<Value> {
    let card: RateCard = parse(body)?;
    if card.name.trim().is_empty() {
        return Err(Error::invalid("name", "a rate card needs a name"));
    }
    let mut built = RateCard {
        rates: Vec::new(),
        ..card.clone()
    };
    for (i, r) in card.rates.iter().enumerate() {
        let path = format!("rates[{i}]");
        check_rate(state, r, &path)?;
        built.add_rate(r.clone(), &path)?;
    }
    if !built.id.is_empty() && state.rate_cards.contains_key(&built.id) {
        return Err(Error::conflict(
            "id",
            format!("a rate card with id `{}` exists", built.id),
        ));
    }
    built.id = state.take_id(&built.id);
    let id = built.id.clone();
    state.rate_cards.insert(id.clone(), built);
    created(&id)
}

/// The card a rate goes on, refused whole with `path` naming the field.
fn card_for<'a>(state: &'a State, id: Option<&String>, path: &str) -> Result<&'a RateCard> {
    let id = id.ok_or_else(|| Error::invalid(path, "name the rate card: rate_card_id"))?;
    state
        .rate_cards
        .get(id)
        .ok_or_else(|| Error::not_found(path, format!("no rate card with id `{id}`")))
}

fn add_rate(state: &mut State, body: &Value) -> Result<Value> {
    let rate: Rate = parse(body)?;
    let mut card = card_for(state, rate.rate_card_id.as_ref(), "rate_card_id")?.clone();
    check_rate(state, &rate, "")?;
    let stored = Rate {
        rate_card_id: None,
        ..rate
    };
    card.add_rate(stored.clone(), "")?;
    state.rate_cards.insert(card.id.clone(), card);
    answer(stored)
}

/// `POST /v1/contract-pricing/rate-cards/addRates`: several rates on one card, all or none.
fn add_rates(state: &mut State, body: &Value) -> Result<Value> {
    let b: AddRates = parse(body)?;
    let mut card = card_for(state, Some(&b.rate_card_id), "rate_card_id")?.clone();
    for (i, r) in b.rates.iter().enumerate() {
        let path = format!("rates[{i}]");
        check_rate(state, r, &path)?;
        card.add_rate(
            Rate {
                rate_card_id: None,
                ..r.clone()
            },
            &path,
        )?;
    }
    let id = card.id.clone();
    state.rate_cards.insert(id.clone(), card);
    created(&id)
}

/// Refuses aliases another customer already answers to.
fn check_alias_owners(state: &State, me: &str, aliases: &[String]) -> Result<()> {
    for (i, a) in aliases.iter().enumerate() {
        if let Some(owner) = state.customer_for_key(a).filter(|c| c.id != me) {
            return Err(Error::conflict(
                format!("ingest_aliases[{i}]"),
                format!("ingest alias `{a}` belongs to customer `{}`", owner.id),
            ));
        }
    }
    Ok(())
}

fn create_customer(state: &mut State, body: &Value) -> Result<Value> {
    let mut c: Customer = parse(body)?;
    c.validate()?;
    if !c.id.is_empty() && state.customers.contains_key(&c.id) {
        return Err(Error::conflict("id", format!("a customer with id `{}` exists", c.id)));
    }
    // Ids and ingest aliases are one namespace: an event names its customer by either.
    if let Some(owner) = state.customer_for_key(&c.id).filter(|_| !c.id.is_empty()) {
        return Err(Error::conflict(
            "id",
            format!("`{}` is an ingest alias of customer `{}`", c.id, owner.id),
        ));
    }
    check_alias_owners(state, &c.id, &c.ingest_aliases)?;
    c.id = state.take_id(&c.id);
    let id = c.id.clone();
    state.customers.insert(id.clone(), c);
    created(&id)
}

fn set_ingest_aliases(state: &mut State, id: &str, body: &Value) -> Result<Value> {
    let body: SetIngestAliases = parse(body)?;
    customer(state, id)?;
    validate_aliases(&body.ingest_aliases, "ingest_aliases")?;
    check_alias_owners(state, id, &body.ingest_aliases)?;
    if let Some(c) = state.customers.get_mut(id) {
        c.ingest_aliases = body.ingest_aliases;
    }
    Ok(json!({ "data": customer(state, id)? }))
}

fn update_name(state: &mut State, id: &str, body: &Value) -> Result<Value> {
    let b: UpdateName = parse(body)?;
    customer(state, id)?;
    if b.name.trim().is_empty() {
        return Err(Error::invalid("name", "a customer needs a name"));
    }
    if let Some(c) = state.customers.get_mut(id) {
        c.name = b.name;
    }
    answer(customer(state, id)?)
}

/// Merges custom field values into a customer's or a contract's; an empty value removes the key.
fn set_custom_fields(state: &mut State, body: &Value) -> Result<Value> {
    let b: SetCustomFields = parse(body)?;
    let fields = match b.entity.to_ascii_lowercase().as_str() {
        "customer" => state.customers.get_mut(&b.entity_id).map(|c| &mut c.custom_fields),
        "contract" => state.contracts.get_mut(&b.entity_id).map(|c| &mut c.custom_fields),
        other => {
            return Err(Error::invalid(
                "entity",
                format!("`{other}` is not customer or contract"),
            ))
        }
    };
    let fields =
        fields.ok_or_else(|| Error::not_found("entity_id", format!("no {} with id `{}`", b.entity, b.entity_id)))?;
    for (k, v) in b.custom_fields {
        if v.is_empty() {
            fields.shift_remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
    answer(Created { id: b.entity_id })
}

fn check_products(state: &State, named: Vec<(String, String)>) -> Result<()> {
    named.iter().try_for_each(|(path, id)| check_product(state, path, id))
}

/// Gives every term that came without an id one of Tally's.
#[allow(clippy::too_many_arguments)]
fn assign_ids(
    state: &mut State,
    commits: &mut [Commit],
    credits: &mut [Commit],
    recurring: &mut [RecurringCommit],
    recurring_credits: &mut [RecurringCommit],
    charges: &mut [ScheduledCharge],
    overrides: &mut [Override],
) {
    for c in commits.iter_mut().chain(credits.iter_mut()) {
        c.id = state.take_id(&c.id);
    }
    for c in recurring.iter_mut().chain(recurring_credits.iter_mut()) {
        c.id = state.take_id(&c.id);
    }
    for c in charges.iter_mut() {
        c.id = state.take_id(&c.id);
    }
    for o in overrides.iter_mut() {
        if o.id.is_none() {
            o.id = Some(state.make_id());
        }
    }
}

fn create_contract(state: &mut State, body: &Value) -> Result<Value> {
    let mut c: Contract = parse(body)?;
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
    if !c.id.is_empty() && state.contracts.contains_key(&c.id) {
        return Err(Error::conflict("id", format!("a contract with id `{}` exists", c.id)));
    }
    c.id = state.take_id(&c.id);
    assign_ids(
        state,
        &mut c.commits,
        &mut c.credits,
        &mut c.recurring_commits,
        &mut c.recurring_credits,
        &mut c.scheduled_charges,
        &mut c.overrides,
    );
    c.usage_filter_history = c.usage_filter.iter().cloned().collect();
    let id = c.id.clone();
    state.contracts.insert(id.clone(), c);
    created(&id)
}

fn list_contracts(state: &State, body: &Value) -> Result<Value> {
    let b: ListContractsRequest = parse(body)?;
    customer(state, &b.customer_id)?;
    Ok(json!({ "data": state.contracts.values().filter(|c| c.customer_id == b.customer_id).collect::<Vec<_>>() }))
}

fn edit_contract(state: &mut State, body: &Value) -> Result<Value> {
    let mut e: ContractEdit = parse(body)?;
    contract_of(state, &e.customer_id, &e.contract_id)?;
    for (i, o) in e.add_overrides.iter().enumerate() {
        let path = format!("add_overrides[{i}]");
        o.validate(&path)?;
        check_products(
            state,
            o.named_products()
                .into_iter()
                .map(|(f, p)| (crate::error::join_path(&path, &f), p))
                .collect(),
        )?;
    }
    for (field, list, credit) in [
        ("add_commits", &e.add_commits, false),
        ("add_credits", &e.add_credits, true),
    ] {
        for (i, c) in list.iter().enumerate() {
            c.validate(&format!("{field}[{i}]"), credit)?;
            check_product(state, &format!("{field}[{i}].product_id"), &c.product_id)?;
        }
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
        c.schedule.validate(&format!("add_scheduled_charges[{i}].schedule"))?;
        check_product(state, &format!("add_scheduled_charges[{i}].product_id"), &c.product_id)?;
    }
    assign_ids(
        state,
        &mut e.add_commits,
        &mut e.add_credits,
        &mut e.add_recurring_commits,
        &mut e.add_recurring_credits,
        &mut e.add_scheduled_charges,
        &mut e.add_overrides,
    );
    let c = state.contracts.get_mut(&e.contract_id).expect("checked above");
    c.overrides.extend(e.add_overrides);
    c.commits.extend(e.add_commits);
    c.credits.extend(e.add_credits);
    c.recurring_commits.extend(e.add_recurring_commits);
    c.recurring_credits.extend(e.add_recurring_credits);
    c.scheduled_charges.extend(e.add_scheduled_charges);
    created(&e.contract_id)
}

fn set_usage_filter(state: &mut State, body: &Value) -> Result<Value> {
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

fn update_end_date(state: &mut State, body: &Value) -> Result<Value> {
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
    c.ending_before = b.ending_before;
    if let Some(end) = b.ending_before {
        for cm in c.commits.iter_mut().chain(c.credits.iter_mut()) {
            cm.access_schedule.schedule_items.retain(|i| i.starting_at < end);
            for i in cm.access_schedule.schedule_items.iter_mut() {
                i.ending_before = i.ending_before.min(end);
            }
        }
        for ch in c.scheduled_charges.iter_mut() {
            ch.schedule.schedule_items.retain(|i| i.timestamp < end);
        }
        for rc in c.recurring_commits.iter_mut().chain(c.recurring_credits.iter_mut()) {
            rc.ending_before = Some(rc.ending_before.map_or(end, |e| e.min(end)));
        }
    }
    created(&b.contract_id)
}

fn ingest(state: &mut State, body: &Value) -> Result<Value> {
    ingest_events(state, parse(body)?)
}

/// `POST /v1/ingest` for events already parsed (the JS binding hands them over without JSON).
/// A repeated `transaction_id` is counted once; a bad event refuses the whole batch.
pub fn ingest_events(state: &mut State, events: Vec<Event>) -> Result<Value> {
    validate_events(&events)?;
    crate::usage::validate_values(state, &events, "")?;
    let (mut added, mut duplicates) = (0, 0);
    for e in events {
        if state.is_known_transaction(&e.transaction_id) {
            duplicates += 1;
        } else {
            state.push_event(e);
            added += 1;
        }
    }
    answer(Ingested {
        ingested: added,
        duplicates,
    })
}

fn customer_events<'a>(state: &'a State, customer_id: &str) -> Vec<&'a Event> {
    let keys = state.customer_keys(customer_id);
    state
        .events
        .iter()
        .filter(|e| keys.contains(e.customer_id.as_str()))
        .collect()
}

/// Decodes the few characters a timestamp in a query string may carry encoded.
fn query_value(v: &str) -> String {
    v.replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2B", "+")
        .replace("%2b", "+")
}

/// The end of the contract's usage period that holds `now` (its last period's end once it has ended,
/// `now` itself before it starts).
fn current_period_end(c: &Contract, now: Timestamp) -> Timestamp {
    let periods = c.statement_schedule().periods(c.starting_at, c.ending_before, now);
    periods
        .iter()
        .find(|(a, b)| *a <= now && now < *b)
        .or_else(|| periods.last().filter(|(_, b)| *b <= now))
        .map_or(now, |(_, b)| *b)
}

fn list_invoices(state: &State, customer_id: &str, query: &str, now: Timestamp) -> Result<Value> {
    customer(state, customer_id)?;
    let mut starting_on = None;
    let mut ending_before = None;
    let mut kind = None;
    let mut contract_id = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = query_value(v);
        let time = |v: &str| Timestamp::parse(v).map_err(|m| Error::new(ErrorCode::InvalidBody, k, m));
        match k {
            "starting_on" => starting_on = Some(time(&v)?),
            "ending_before" => ending_before = Some(time(&v)?),
            "type" => {
                kind = Some(match v.to_ascii_uppercase().as_str() {
                    "USAGE" => InvoiceType::Usage,
                    "SCHEDULED" => InvoiceType::Scheduled,
                    _ => {
                        return Err(Error::new(
                            ErrorCode::InvalidBody,
                            "type",
                            format!("`{v}` is not USAGE or SCHEDULED"),
                        ))
                    }
                })
            }
            "contract_id" => contract_id = Some(v),
            _ => {}
        }
    }
    // Without ending_before, each contract's list runs through the end of its usage period that
    // contains now, schedules included: rating reaches that far.
    let cutoffs: IndexMap<&str, Timestamp> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == customer_id)
        .map(|c| (c.id.as_str(), current_period_end(c, now)))
        .collect();
    let horizon = match ending_before {
        Some(e) => e.max(now),
        None => cutoffs.values().copied().fold(now, Timestamp::max),
    };
    let rated = rate_customer(
        state,
        customer_id,
        &customer_events(state, customer_id),
        Clock { now, horizon },
    )?;
    let cutoff = |inv: &Invoice| cutoffs.get(inv.contract_id.as_str()).copied().unwrap_or(now);
    let list: Vec<Invoice> = rated
        .invoices
        .into_iter()
        .filter(|i| starting_on.is_none_or(|s| i.period_start() >= s))
        .filter(|i| match ending_before {
            Some(e) => i.period_end() <= e,
            None => i.period_end() <= cutoff(i),
        })
        .filter(|i| kind.is_none_or(|k| i.kind == k))
        .filter(|i| contract_id.as_ref().is_none_or(|c| &i.contract_id == c))
        .collect();
    Ok(json!({ "data": list }))
}

fn preview_events(state: &State, customer_id: &str, body: &Value, now: Timestamp) -> Result<Value> {
    customer(state, customer_id)?;
    let b: PreviewEventsRequest = parse(body)?;
    let replace = match b.mode.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("replace") => true,
        Some("merge") => false,
        Some(other) => {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                "mode",
                format!("`{other}` is not replace or merge"),
            ))
        }
    };
    let extra: Vec<Event> = b
        .events
        .into_iter()
        .map(|e| Event {
            transaction_id: e.transaction_id.unwrap_or_default(),
            customer_id: e.customer_id.unwrap_or_else(|| customer_id.to_string()),
            event_type: e.event_type,
            timestamp: e.timestamp,
            properties: e.properties,
        })
        .collect();
    crate::usage::validate_values(state, &extra, "events")?;
    let mut events: Vec<&Event> = if replace {
        Vec::new()
    } else {
        customer_events(state, customer_id)
    };
    // As if ingested: an id already stored (merge) or repeated in the preview counts once. Preview
    // events without an id are each their own and never match another.
    let stored: std::collections::HashSet<&str> = if replace {
        Default::default()
    } else {
        state.events.iter().map(|e| e.transaction_id.as_str()).collect()
    };
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for e in extra.iter() {
        let id = e.transaction_id.as_str();
        if id.is_empty() {
            events.push(e);
            continue;
        }
        if !stored.contains(id) && seen.insert(id) {
            events.push(e);
        }
    }
    let rated = rate_customer(state, customer_id, &events, Clock { now, horizon: now })?;
    let drafts: Vec<Invoice> = rated
        .invoices
        .into_iter()
        .filter(|i| i.kind == InvoiceType::Usage && i.status == InvoiceStatus::Draft && i.period_start() <= now)
        .collect();
    Ok(json!({ "data": drafts }))
}

fn rate_schedule(state: &State, body: &Value, now: Timestamp) -> Result<Value> {
    let b: RateScheduleRequest = parse(body)?;
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    let at = b.at.unwrap_or(now);
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let mut rows = Vec::new();
    for p in state.products.values().filter(|p| p.kind == ProductType::Usage) {
        // One row per distinct set of pricing group values the card prices this product by.
        let mut groups: Vec<IndexMap<String, String>> = card
            .map(|rc| {
                rc.rates
                    .iter()
                    .filter(|r| r.product_id == p.id && r.window().contains(at))
                    .map(|r| r.pricing_group_values.clone())
                    .collect()
            })
            .unwrap_or_default();
        if groups.is_empty() {
            groups.push(IndexMap::new());
        }
        groups.dedup();
        for pgv in groups {
            let list = card.and_then(|rc| rc.rate_at(&p.id, &pgv, at));
            let eff = effective_rate(&c.overrides, c.prioritization(), p, &pgv, list, at, None);
            if list.is_none() && eff.is_none() {
                continue;
            }
            let list_price = list.map(Rate::price);
            let override_rate = eff
                .as_ref()
                .filter(|e| Some(&e.price) != list_price.as_ref())
                .map(|e| PriceView::from(&e.price));
            let row = RateScheduleRow {
                product_id: p.id.clone(),
                product_name: p.name.clone(),
                product_tags: p.tags.clone(),
                entitled: eff.is_some(),
                list_rate: list_price.as_ref().map(PriceView::from),
                override_rate,
                pricing_group_values: pgv.clone(),
                starting_at: list.map(|r| r.starting_at),
                ending_before: list.and_then(|r| r.ending_before),
            };
            rows.push(row);
        }
    }
    answer(rows)
}

fn net_balance(state: &State, body: &Value, now: Timestamp) -> Result<Value> {
    let b: NetBalanceRequest = parse(body)?;
    customer(state, &b.customer_id)?;
    let at = b.at.or(b.effective_before).unwrap_or(now);
    let Rated { ledgers, .. } = rate_customer(
        state,
        &b.customer_id,
        &customer_events(state, &b.customer_id),
        Clock {
            now,
            horizon: at.max(now),
        },
    )?;
    let contract_ids: Vec<&String> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == b.customer_id)
        .map(|c| &c.id)
        .collect();
    let mut by_kind = [Decimal::ZERO; 3];
    for (ledger, id) in ledgers.iter().zip(contract_ids) {
        if b.contract_id.as_ref().is_some_and(|c| c != id) {
            continue;
        }
        for (i, kind) in [
            BalanceKind::PrepaidCommit,
            BalanceKind::Credit,
            BalanceKind::PostpaidCommit,
        ]
        .into_iter()
        .enumerate()
        {
            by_kind[i] = crate::money::add(by_kind[i], ledger.balance_at(at, kind));
        }
    }
    answer(NetBalance {
        at,
        balance: crate::money::add(by_kind[0], by_kind[1]).normalize(),
        by_type: BalancesByType {
            PREPAID_COMMIT: by_kind[0].normalize(),
            CREDIT: by_kind[1].normalize(),
            POSTPAID_COMMIT: by_kind[2].normalize(),
        },
        credit_type: crate::invoice::USD_CENTS,
    })
}
