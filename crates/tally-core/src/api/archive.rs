//! Archiving, as Metronome's calls name it: a product, a rate card, a billable metric or a customer
//! archived at the engine's clock can no longer be named by a new term (a contract, a rate, a
//! commit, a product), and lists leave it out unless asked; what already uses it keeps billing, as in
//! Metronome. Nothing is deleted, so an archive can be explained later.

use super::{created, customer};
use crate::error::{parse, Error, Result};
use crate::state::State;
use crate::time::Timestamp;
use serde::Deserialize;
use serde_json::Value;

/// `POST /v1/contract-pricing/products/archive`.
#[derive(Deserialize)]
struct ArchiveProduct {
    product_id: String,
}

/// `POST /v1/contract-pricing/rate-cards/archive`, `/v1/billable-metrics/archive`,
/// `/v1/customers/archive`.
#[derive(Deserialize)]
struct ArchiveById {
    id: String,
}

/// Sets `archived_at` once; a second archive is refused, so the first time stays.
fn archive(archived_at: &mut Option<Timestamp>, now: Timestamp, what: &str, path: &str) -> Result<()> {
    if let Some(when) = archived_at {
        return Err(Error::invalid(path, format!("{what} was archived at {when} already")));
    }
    *archived_at = Some(now);
    Ok(())
}

/// Archives a product.
pub fn product(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveProduct { product_id } = parse(body)?;
    let p = state
        .products
        .get_mut(&product_id)
        .ok_or_else(|| Error::not_found("product_id", format!("no product with id `{product_id}`")))?;
    archive(
        &mut p.archived_at,
        now,
        &format!("product `{product_id}`"),
        "product_id",
    )?;
    created(&product_id)
}

/// Archives a rate card.
pub fn rate_card(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveById { id } = parse(body)?;
    let card = state
        .rate_cards
        .get_mut(&id)
        .ok_or_else(|| Error::not_found("id", format!("no rate card with id `{id}`")))?;
    archive(&mut card.archived_at, now, &format!("rate card `{id}`"), "id")?;
    created(&id)
}

/// Archives a billable metric.
pub fn metric(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveById { id } = parse(body)?;
    let m = state
        .billable_metrics
        .get_mut(&id)
        .ok_or_else(|| Error::not_found("id", format!("no billable metric with id `{id}`")))?;
    archive(&mut m.archived_at, now, &format!("billable metric `{id}`"), "id")?;
    created(&id)
}

/// Archives a customer, once none of its contracts runs past the clock: a customer still billed
/// under a live contract cannot be put away (end the contract first, `updateEndDate`).
pub fn customer_archive(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveById { id } = parse(body)?;
    customer(state, &id).map_err(|e| Error::not_found("id", e.message))?;
    let live = state
        .contracts
        .values()
        .find(|c| c.customer_id == id && c.ending_before.is_none_or(|e| e > now));
    if let Some(c) = live {
        return Err(Error::conflict(
            "id",
            format!(
                "customer `{id}` has contract `{}` running past {now}: end it first (updateEndDate), then archive the customer",
                c.id
            ),
        ));
    }
    if let Some(c) = state.customers.get_mut(&id) {
        archive(&mut c.archived_at, now, &format!("customer `{id}`"), "id")?;
    }
    created(&id)
}

/// Refuses a new term naming what was archived: `what` and `id` name it, `path` the field.
pub(crate) fn not_archived(archived_at: Option<Timestamp>, what: &str, id: &str, path: &str) -> Result<()> {
    match archived_at {
        Some(when) => Err(Error::invalid(
            path,
            format!("{what} `{id}` was archived at {when}: a new term cannot use it"),
        )),
        None => Ok(()),
    }
}
