//! Usage: ingesting events, and the events that belong to a customer.

use super::answer;
use crate::error::{parse, Result};
use crate::state::State;
use crate::usage::{validate_events, Event};
use crate::wire::Ingested;
use serde_json::Value;

pub fn ingest(state: &mut State, body: &Value) -> Result<Value> {
    ingest_events(state, parse(body)?)
}

/// `POST /v1/ingest` for events already parsed (the JS binding hands them over without JSON).
/// A repeated `transaction_id` is counted once; a bad event refuses the whole batch.
pub fn ingest_events(state: &mut State, events: Vec<Event>) -> Result<Value> {
    validate_events(&events)?;
    crate::usage::validate_values(&state.billable_metrics, &events, "")?;
    let (mut added, mut duplicates) = (0, 0);
    let first = state.events.len();
    for e in events {
        if state.is_known_transaction(&e.transaction_id) {
            duplicates += 1;
        } else {
            state.push_event(e);
            added += 1;
        }
    }
    let not_billed = crate::unbilled::count_by_reason(state, &state.events[first..]);
    answer(Ingested {
        ingested: added,
        duplicates,
        not_billed,
    })
}

pub(crate) fn customer_events<'a>(state: &'a State, customer_id: &str) -> Vec<&'a Event> {
    let keys = state.customer_keys(customer_id);
    state
        .events
        .iter()
        .filter(|e| keys.contains(e.customer_id.as_str()))
        .collect()
}
