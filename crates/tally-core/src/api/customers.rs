//! Customers: names, ingest aliases (one namespace with ids) and custom fields.

use super::{answer, created, customer, new_id};
use crate::customer::{validate_aliases, NewCustomer, SetIngestAliases};
use crate::error::{parse, Error, Result};
use crate::state::State;
use crate::time::Timestamp;
use crate::wire::{Created, EntityKind, SetCustomFields, UpdateName};
use serde_json::{json, Value};

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

/// `POST /v1/customers`: a customer with its ingest aliases and custom fields.
pub fn create_customer(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let new: NewCustomer = parse(body)?;
    let given = new.id.is_some();
    let id = new_id(state, new.id.as_ref())?;
    let mut c = new.into_record(id, now);
    c.validate()?;
    c.updated_at = Some(now);
    if given && state.customers.contains_key(&c.id) {
        return Err(Error::conflict("id", format!("a customer with id `{}` exists", c.id)));
    }
    // Ids and ingest aliases are one namespace: an event names its customer by either.
    if let Some(owner) = state.customer_for_key(&c.id).filter(|_| given) {
        return Err(Error::conflict(
            "id",
            format!("`{}` is an ingest alias of customer `{}`", c.id, owner.id),
        ));
    }
    check_alias_owners(state, &c.id, &c.ingest_aliases)?;
    let id = c.id.clone();
    state.customers.insert(id.clone(), c);
    created(&id)
}

/// `POST /v1/customers/{id}/setIngestAliases`: the keys its usage may arrive under, replacing the old ones.
pub fn set_ingest_aliases(state: &mut State, id: &str, body: &Value, now: Timestamp) -> Result<Value> {
    let body: SetIngestAliases = parse(body)?;
    customer(state, id)?;
    validate_aliases(&body.ingest_aliases, "ingest_aliases")?;
    check_alias_owners(state, id, &body.ingest_aliases)?;
    if let Some(c) = state.customers.get_mut(id) {
        c.ingest_aliases = body.ingest_aliases;
        c.updated_at = Some(now);
    }
    Ok(json!({ "data": customer(state, id)? }))
}

/// `POST /v1/customers/{id}/updateName`.
pub fn update_name(state: &mut State, id: &str, body: &Value, now: Timestamp) -> Result<Value> {
    let b: UpdateName = parse(body)?;
    customer(state, id)?;
    if b.name.trim().is_empty() {
        return Err(Error::invalid("name", "a customer needs a name"));
    }
    if let Some(c) = state.customers.get_mut(id) {
        c.name = b.name;
        c.updated_at = Some(now);
    }
    answer(customer(state, id)?)
}

/// Merges custom field values into a customer's or a contract's; an empty value removes the key.
pub fn set_custom_fields(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let b: SetCustomFields = parse(body)?;
    let fields = match b.entity {
        EntityKind::Customer => state.customers.get_mut(&b.entity_id).map(|c| {
            c.updated_at = Some(now);
            &mut c.custom_fields
        }),
        EntityKind::Contract => state.contracts.get_mut(&b.entity_id).map(|c| &mut c.custom_fields),
    };
    let what = b.entity.as_str().to_ascii_lowercase();
    let fields = fields.ok_or_else(|| Error::not_found("entity_id", format!("no {what} with id `{}`", b.entity_id)))?;
    for (k, v) in b.custom_fields {
        if v.is_empty() {
            fields.shift_remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
    answer(Created { id: b.entity_id })
}

/// The query keys `GET /v1/customers` reads (the door takes `limit` and `next_page`).
pub const LIST_KEYS: &[&str] = &[
    "customer_ids",
    "ingest_alias",
    "only_archived",
    "salesforce_account_ids",
];

/// `GET /v1/customers`: the customers not archived (or, with `only_archived=true`, those archived),
/// all or those the query names by id (`customer_ids`, comma separated, as the SDK sends a list) or
/// by an ingest alias. Tally keeps no Salesforce ids on customers.
pub fn list<'a>(state: &'a State, query: &[(String, String)]) -> Result<Vec<&'a crate::customer::Customer>> {
    let archived = query.iter().any(|(k, v)| k == "only_archived" && v == "true");
    let mut list: Vec<&crate::customer::Customer> = state
        .customers
        .values()
        .filter(|c| c.archived_at.is_some() == archived)
        .collect();
    for (k, v) in query {
        match k.as_str() {
            "customer_ids" => {
                let ids: Vec<&str> = v.split(',').map(str::trim).collect();
                list.retain(|c| ids.contains(&c.id.as_str()));
            }
            "ingest_alias" => list.retain(|c| c.ingest_aliases.iter().any(|a| a == v)),
            "only_archived" => {}
            _ => return Err(super::query::unimplemented_key(k)),
        }
    }
    Ok(list)
}
