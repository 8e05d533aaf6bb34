//! The billing API's calls, as Metronome names them. Each command parses its body, checks it whole
//! against the state, and only then changes anything, so a refused call leaves no trace; each query
//! reads the state without changing it.
//!
//! Two doors: the typed functions of each area (`catalog`, `customers`, `contracts`, `usage`,
//! `queries`), for Rust callers (the app, the JS package's typed methods), and `call`/`read`, the JSON
//! layer that routes `"POST /v1/customers"` or `"GET /v1/customers/c1/invoices?type=USAGE"` onto them
//! for scenario files, the CLI and `Engine.call`.

pub mod archive;
pub mod balances;
pub mod catalog;
pub mod contracts;
pub mod customers;
pub mod metronome;
pub mod queries;
pub(crate) mod query;
pub mod reads;
pub mod requests;
pub mod usage;

pub use usage::{check_ingest, delete_usage, ingest_events, ingest_text, restore_text, DeleteUsage};

use crate::contract::Contract;
use crate::customer::Customer;
use crate::error::{Error, ErrorCode, Result};
use crate::state::State;
use crate::time::Timestamp;
use crate::wire::Created;
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

/// Runs one call against the state at time `now`, answering the response body.
pub fn call(state: &mut State, call: &str, body: &Value, now: Timestamp) -> Result<Value> {
    call_changing(state, call, body, now).map(|(answer, _)| answer)
}

/// `call`, saying also whether the state changed (an accepted command), so a server knows to save.
pub fn call_changing(state: &mut State, call: &str, body: &Value, now: Timestamp) -> Result<(Value, bool)> {
    // A body is an object, but the ingest call's array of events: serde would read an array into a
    // struct field by field in order, past the checks that name each field.
    let t = target(call)?;
    if body.is_array()
        && !matches!(
            t.parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
            ["v1", "ingest"]
        )
    {
        return Err(Error::new(
            ErrorCode::InvalidBody,
            "",
            "the body is a JSON array: this call takes an object with named fields",
        ));
    }
    // A refused call changes nothing at all, not even the counter behind made ids.
    let next_id = state.next_id;
    let answer = command(state, call, body, now).map_err(|e| classify(call, e));
    if answer.is_err() {
        state.next_id = next_id;
    }
    match answer {
        Err(e) if e.code == ErrorCode::UnknownCall => read(state, call, body, now)
            .map(|a| (a, false))
            .map_err(|e| classify(call, e)),
        other => other.map(|a| (a, true)),
    }
}

/// `error` as Metronome's field list classes it: `not_supported` for a field of Metronome's call.
fn classify(call: &str, error: Error) -> Error {
    match target(call) {
        Ok(t) => metronome::classify(
            error,
            &t.method,
            &t.parts.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        Err(_) => error,
    }
}

/// A call split into its method, decoded path segments and raw query string.
struct Target {
    method: String,
    parts: Vec<String>,
    query: String,
}

fn target(call: &str) -> Result<Target> {
    let (method, rest) = call.trim().split_once(char::is_whitespace).unwrap_or(("", call));
    let (path, query) = rest.trim().split_once('?').unwrap_or((rest.trim(), ""));
    // Each segment is decoded on its own, so an id holding `/` travels as `%2F`.
    let parts = path
        .trim_matches('/')
        .split('/')
        .map(|p| {
            percent_decode_str(p)
                .decode_utf8()
                .map(|p| p.into_owned())
                .map_err(|_| Error::new(ErrorCode::UnknownCall, "", format!("`{p}` is not UTF-8 once decoded")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Target {
        method: method.to_ascii_uppercase(),
        parts,
        query: query.to_string(),
    })
}

fn unknown(call: &str) -> Error {
    Error::new(
        ErrorCode::UnknownCall,
        "",
        format!("Tally does not know the call `{call}`"),
    )
}

/// The calls that change the state.
fn command(state: &mut State, call: &str, body: &Value, now: Timestamp) -> Result<Value> {
    let t = target(call)?;
    let parts: Vec<&str> = t.parts.iter().map(String::as_str).collect();
    // A body naming a credit type Tally does not know is refused whole (events carry none).
    if !matches!(parts.as_slice(), ["v1", "ingest"] | ["v1", "usage", "delete"]) {
        state.check_credit_types(body)?;
    }
    match (t.method.as_str(), parts.as_slice()) {
        // Tally's own: Metronome makes custom pricing units in its app, not through the API.
        ("POST", ["v1", "credit-types", "create"]) => catalog::create_credit_type(state, body),
        ("POST", ["v1", "billable-metrics", "create"]) => catalog::create_metric(state, body, now),
        ("POST", ["v1", "contract-pricing", "products", "create"]) => catalog::create_product(state, body, now),
        ("POST", ["v1", "contract-pricing", "rate-cards", "create"]) => catalog::create_rate_card(state, body, now),
        ("POST", ["v1", "contract-pricing", "rate-cards", "addRate"]) => catalog::add_rate(state, body),
        ("POST", ["v1", "contract-pricing", "rate-cards", "addRates"]) => catalog::add_rates(state, body),
        ("POST", ["v1", "contract-pricing", "products", "archive"]) => archive::product(state, body, now),
        ("POST", ["v1", "contract-pricing", "rate-cards", "archive"]) => archive::rate_card(state, body, now),
        ("POST", ["v1", "billable-metrics", "archive"]) => archive::metric(state, body, now),
        ("POST", ["v1", "customers", "archive"]) => archive::customer_archive(state, body, now),
        ("POST", ["v1", "customers"]) => customers::create_customer(state, body, now),
        ("POST", ["v1", "customers", id, "setIngestAliases"]) => customers::set_ingest_aliases(state, id, body, now),
        // `setName` is Metronome's; `updateName` the spelling Tally had first.
        ("POST", ["v1", "customers", id, "setName" | "updateName"]) => customers::update_name(state, id, body, now),
        ("POST", ["v1", "customFields", "setValues"]) => customers::set_custom_fields(state, body, now),
        ("POST", ["v1", "contracts", "create"]) => contracts::create_contract(state, body, now),
        // The docs name both spellings of these two.
        ("POST", ["v1", "customers", "commits", "create"] | ["v1", "contracts", "customerCommits", "create"]) => {
            balances::create_customer_commit(state, body, now)
        }
        ("POST", ["v1", "customers", "credits", "create"] | ["v1", "contracts", "customerCredits", "create"]) => {
            balances::create_customer_credit(state, body, now)
        }
        ("POST", ["v2", "contracts", "edit"]) => contracts::edit_contract(state, body),
        ("POST", ["v1", "contracts", "setUsageFilter"]) => contracts::set_usage_filter(state, body),
        ("POST", ["v1", "contracts", "updateEndDate"]) => contracts::update_end_date(state, body),
        ("POST", ["v1", "contracts", "scheduleProServicesInvoice"]) => {
            let (contract, id) = contracts::schedule_services_invoice(state, body)?;
            let customer_id = state.contracts[&contract].customer_id.clone();
            let issued = state.contracts[&contract]
                .professional_service_invoices
                .last()
                .map(|i| i.issued_at)
                .unwrap_or(now);
            let q = queries::InvoiceQuery {
                ending_before: Some(issued),
                contract_id: Some(contract),
                ..Default::default()
            };
            // A refused call changes nothing: an invoice that cannot be rated is taken back.
            match queries::invoices(state, &customer_id, &q, now) {
                Ok(list) => answer(list.into_iter().filter(|i| i.id == id).collect::<Vec<_>>()),
                Err(e) => {
                    if let Some(c) = q.contract_id.as_ref().and_then(|k| state.contracts.get_mut(k)) {
                        c.professional_service_invoices.pop();
                    }
                    Err(e)
                }
            }
        }
        ("POST", ["v1", "ingest"]) => usage::ingest(state, body),
        // Tally's own: Metronome keeps usage forever; a model in a browser needs to drop some.
        ("POST", ["v1", "usage", "delete"]) => {
            let n = usage::delete_usage(state, &crate::error::parse(body)?)?;
            answer(json!({ "deleted": n }))
        }
        _ => Err(unknown(call)),
    }
}

/// The calls that only read: they take the state by reference, so asking never copies it.
pub fn read(state: &State, call: &str, body: &Value, now: Timestamp) -> Result<Value> {
    let t = target(call)?;
    let parts: Vec<&str> = t.parts.iter().map(String::as_str).collect();
    match (t.method.as_str(), parts.as_slice()) {
        ("GET", ["v1", "customers"]) => answer(customers::list(state, &query::keys(&t.query, customers::LIST_KEYS)?)?),
        ("GET", ["v1", "customers", id]) => {
            query::keys(&t.query, &[])?;
            answer(customer(state, id)?)
        }
        ("GET", ["v1", "customers", id, "invoices"]) => answer(queries::invoices(
            state,
            id,
            &queries::InvoiceQuery::parse(&t.query)?,
            now,
        )?),
        ("POST", ["v1", "customers", id, "previewEvents"]) => {
            answer(queries::preview_events(state, id, crate::error::parse(body)?, now)?)
        }
        ("POST", ["v1" | "v2", "contracts", "list"]) => {
            answer(contracts::list_contracts(state, &crate::error::parse(body)?)?)
        }
        // `breakdowns` is Metronome's endpoint, not an invoice id (Tally does not serve it yet).
        ("GET", ["v1", "customers", id, "invoices", invoice]) if *invoice != "breakdowns" => {
            let q = queries::InvoiceQuery::parse(&t.query)?;
            answer(reads::invoice(state, id, invoice, q.skip_zero_qty_line_items, now)?)
        }
        ("GET", ["v1", "billable-metrics"]) => {
            let all = query::keys(&t.query, &["include_archived"])?
                .iter()
                .any(|(_, v)| v == "true");
            let listed = state
                .billable_metrics
                .values()
                .filter(|m| all || m.archived_at.is_none());
            answer(listed.collect::<Vec<_>>())
        }
        ("GET", ["v1", "billable-metrics", id]) => {
            query::keys(&t.query, &[])?;
            answer(reads::metric(state, id)?)
        }
        ("POST", ["v1", "contract-pricing", "products", "get"]) => answer(reads::product(state, body)?),
        ("POST", ["v1", "contract-pricing", "products", "list"]) => answer(reads::products(state, body)?),
        ("POST", ["v1", "contract-pricing", "rate-cards", "get"]) => answer(reads::rate_card(state, body)?),
        ("POST", ["v1", "contract-pricing", "rate-cards", "list"]) => answer(reads::rate_cards(state, body)?),
        ("POST", ["v1", "contract-pricing", "rate-cards", "getRates"]) => answer(reads::rates_at(state, body)?),
        ("POST", ["v1", "contract-pricing", "rate-cards", "getRateSchedule"]) => {
            answer(reads::rate_schedule(state, body)?)
        }
        ("POST", ["v1", "customFields", "listKeys"]) => answer(reads::field_keys(state, body)?),
        ("POST", ["v2", "contracts", "get"] | ["v1", "contracts", "get"]) => {
            let b: crate::wire::GetContract = crate::error::parse(body)?;
            answer(contract_of(state, &b.customer_id, &b.contract_id)?)
        }
        ("POST", ["v1", "contracts", "getContractRateSchedule"]) => {
            answer(queries::rate_schedule(state, &crate::error::parse(body)?, now)?)
        }
        ("POST", ["v1", "contracts", "customerBalances", "getNetBalance"]) => {
            answer(queries::net_balance(state, &crate::error::parse(body)?, now)?)
        }
        ("POST", ["v1", "contracts", "customerCommits", "list"]) => answer(balances::list_balances(
            state,
            &crate::error::parse(body)?,
            balances::Listed::Commits,
            now,
        )?),
        ("POST", ["v1", "contracts", "customerCredits", "list"]) => answer(balances::list_balances(
            state,
            &crate::error::parse(body)?,
            balances::Listed::Credits,
            now,
        )?),
        ("GET", ["v1", "usage", "unmatched"]) => {
            query::keys(&t.query, &[])?;
            answer(crate::unbilled::unbilled(state))
        }
        // Tally's own: contracts that could both take the same usage (model.md, second round).
        ("GET", ["v1", "usage", "ambiguities"]) => {
            query::keys(&t.query, &[])?;
            answer(crate::rating::ambiguities(state))
        }
        ("GET", ["v1", "credit-types", "list"]) => {
            query::keys(&t.query, &[])?;
            Ok(json!({ "data": state.all_credit_types(), "next_page": null }))
        }
        _ => Err(metronome::unserved(&t.method, &parts).unwrap_or_else(|| unknown(call))),
    }
}

/// Every answer is `{"data": ...}`.
pub(crate) fn answer<T: serde::Serialize>(data: T) -> Result<Value> {
    Ok(json!({ "data": data }))
}

/// The id a create body gives its record, or one Tally makes when it gives none; a blank one is
/// refused (it would name nothing a later call could reach).
pub(crate) fn new_id(state: &mut State, given: Option<&String>) -> Result<String> {
    match given {
        Some(id) if id.trim().is_empty() => Err(Error::invalid(
            "id",
            "an id must not be blank: leave it out and Tally makes one",
        )),
        Some(id) => Ok(id.clone()),
        None => Ok(state.make_id()),
    }
}

/// Moves the engine's clock to `to`, which only moves forward (model.md, "Finalized invoices hold once
/// time has passed them"): an earlier time is refused at `path`.
pub fn advance_clock(clock: &mut Timestamp, to: Timestamp, path: &str) -> Result<()> {
    if to < *clock {
        return Err(Error::invalid(
            path,
            format!("the clock only moves forward: `{to}` is before `{clock}`"),
        ));
    }
    *clock = to;
    Ok(())
}

pub(crate) fn created(id: &str) -> Result<Value> {
    answer(Created { id: id.to_string() })
}

/// The customer `id` names, or `not_found` at `customer_id`.
pub fn customer<'a>(state: &'a State, id: &str) -> Result<&'a Customer> {
    state
        .customers
        .get(id)
        .ok_or_else(|| Error::not_found("customer_id", format!("no customer with id `{id}`")))
}

/// The contract `contract_id` names, if it belongs to `customer_id`; else `not_found`.
pub fn contract_of<'a>(state: &'a State, customer_id: &str, contract_id: &str) -> Result<&'a Contract> {
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

/// A rate card a new term may name: one that exists and is not archived.
pub(crate) fn check_rate_card<'a>(state: &'a State, path: &str, id: &str) -> Result<&'a crate::rate_card::RateCard> {
    let card = state
        .rate_cards
        .get(id)
        .ok_or_else(|| Error::not_found(path, format!("no rate card with id `{id}`")))?;
    archive::not_archived(card.archived_at, "rate card", id, path)?;
    Ok(card)
}

/// A product a new term may name: one that exists and is not archived.
pub(crate) fn check_product(state: &State, path: &str, id: &str) -> Result<()> {
    match state.products.get(id) {
        Some(p) => archive::not_archived(p.archived_at, "product", id, path),
        None => Err(Error::not_found(path, format!("no product with id `{id}`"))),
    }
}
