//! Usage: ingesting events, as parsed values or straight from JSON text.

use super::answer;
use crate::error::{parse, Result};
use crate::state::State;
use crate::usage::{parse_into, validate_events, validate_values, Event, Format};
use crate::wire::Ingested;
use serde_json::Value;

/// `POST /v1/ingest`: a batch of events, all stored or none (a duplicate transaction id is counted, not stored twice).
pub fn ingest(state: &mut State, body: &Value) -> Result<Value> {
    // A plain parse first: a batch may hold a million events, and path tracking costs on each.
    let events = match <Vec<Event> as serde::Deserialize>::deserialize(body) {
        Ok(events) => events,
        Err(_) => parse(body)?,
    };
    ingest_events(state, events)
}

/// `POST /v1/ingest` for events already parsed. A repeated `transaction_id` is counted once; a bad
/// event refuses the whole batch.
pub fn ingest_events(state: &mut State, events: Vec<Event>) -> Result<Value> {
    validate_events(&events)?;
    validate_values(&state.billable_metrics, &events, "")?;
    let first = state.events.len();
    let store = state.events.make_mut();
    let added = events.iter().filter(|e| store.push(e)).count();
    ingested(state, first, added, events.len() - added)
}

/// `POST /v1/ingest` from JSON text (an array of events, or NDJSON), read without a JSON tree. The
/// same checks and answer as `ingest_events`; a bad event refuses the whole text.
pub fn ingest_text(state: &mut State, text: &str, format: Format) -> Result<Value> {
    let first = state.events.len();
    let added = parse_into(state.events.make_mut(), Some(&state.billable_metrics), text, format)?;
    ingested(state, first, added.added, added.duplicates)
}

/// Reads back events Tally itself stored (the app's IndexedDB batches): de-duplicated like any
/// ingest, but values are not checked against today's metrics, since an event stored before a metric
/// that refuses it is kept and listed as not billable, never dropped. Answers how many were added.
pub fn restore_text(state: &mut State, text: &str, format: Format) -> Result<usize> {
    Ok(parse_into(state.events.make_mut(), None, text, format)?.added)
}

/// Whether `POST /v1/ingest` would take `body`, without storing anything (or copying the store).
pub fn check_ingest(state: &State, body: &Value) -> Result<()> {
    let events: Vec<Event> = parse(body)?;
    validate_events(&events)?;
    validate_values(&state.billable_metrics, &events, "")
}

fn ingested(state: &State, first: usize, added: usize, duplicates: usize) -> Result<Value> {
    let not_billed = crate::unbilled::count_by_reason(state, first..state.events.len());
    answer(Ingested {
        ingested: added,
        duplicates,
        not_billed,
    })
}

/// Which stored events to delete: those of a customer (by its id and ingest aliases as they are now),
/// those in a time window, or those of a customer in a window. At least one must be given.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteUsage {
    /// The customer whose events go (by its id and its ingest aliases as they are now).
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Events at or after this instant.
    #[serde(default)]
    pub starting_at: Option<crate::time::Timestamp>,
    /// Events before this instant.
    #[serde(default)]
    pub ending_before: Option<crate::time::Timestamp>,
}

/// Deletes stored events; answers how many went. Nothing else changes.
pub fn delete_usage(state: &mut State, d: &DeleteUsage) -> Result<usize> {
    if d.customer_id.is_none() && d.starting_at.is_none() && d.ending_before.is_none() {
        return Err(crate::Error::invalid(
            "customer_id",
            "say whose usage to delete (customer_id) or when (starting_at, ending_before)",
        ));
    }
    let keys: Vec<&str> = match &d.customer_id {
        Some(id) => {
            super::customer(state, id)?;
            state.customer_keys(id)
        }
        None => Vec::new(),
    };
    let window = crate::time::Window {
        start: d
            .starting_at
            .unwrap_or(crate::time::Timestamp::ymd(crate::time::EARLIEST_YEAR, 1, 1)),
        end: d.ending_before,
    };
    let before = state.events.len();
    let kept = state.events.retain(|e| {
        let theirs = d.customer_id.is_none() || keys.contains(&e.customer_key());
        !(theirs && window.contains(e.at()))
    });
    let removed = before - kept.len();
    if removed > 0 {
        state.events.replace(kept);
    }
    Ok(removed)
}
