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

/// Archives the record `id` of `records` (a `what`, named at `path` in a refusal) once: a second
/// archive is refused, so the first time stays.
fn archive_in<T>(
    records: &mut indexmap::IndexMap<String, T>,
    archived_at: impl Fn(&mut T) -> &mut Option<Timestamp>,
    (what, path, id): (&str, &str, &str),
    now: Timestamp,
) -> Result<Value> {
    let record = records
        .get_mut(id)
        .ok_or_else(|| Error::not_found(path, format!("no {what} with id `{id}`")))?;
    let at = archived_at(record);
    if let Some(when) = at {
        return Err(Error::invalid(
            path,
            format!("{what} `{id}` was archived at {when} already"),
        ));
    }
    *at = Some(now);
    created(id)
}

/// Archives a product.
pub fn product(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveProduct { product_id } = parse(body)?;
    let named = ("product", "product_id", product_id.as_str());
    archive_in(&mut state.products, |p| &mut p.archived_at, named, now)
}

/// Archives a rate card.
pub fn rate_card(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveById { id } = parse(body)?;
    archive_in(
        &mut state.rate_cards,
        |r| &mut r.archived_at,
        ("rate card", "id", id.as_str()),
        now,
    )
}

/// Archives a billable metric.
pub fn metric(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let ArchiveById { id } = parse(body)?;
    archive_in(
        &mut state.billable_metrics,
        |m| &mut m.archived_at,
        ("billable metric", "id", id.as_str()),
        now,
    )
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
    archive_in(
        &mut state.customers,
        |c| &mut c.archived_at,
        ("customer", "id", id.as_str()),
        now,
    )
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
