//! A state written back as a scenario file: what a model made in the app becomes to go into a
//! repository.

use crate::api;
use crate::api::requests::NewContract;
use crate::customer::NewCustomer;
use crate::metric::NewBillableMetric;
use crate::product::NewProduct;
use crate::rate_card::NewRateCard;
use crate::state::State;
use crate::time::Timestamp;
use serde_json::{json, Value};

/// A state as a scenario file: the calls that rebuild it (custom pricing units, metrics, products,
/// rate cards, customers, contracts with their overrides and usage filters, balances held by
/// customers, then the usage), under clock `now`, with no expectations. What a model made in the app
/// becomes to go into a repository. The calls are replayed on a scratch state before they are
/// handed out; each one refused there is said in the notes (a contract whose end date was moved
/// after it was created can hold terms its create call would refuse, such as a POSTPAID commit whose
/// invoice no longer equals its clipped access).
pub fn from_state(state: &State, now: Timestamp, name: Option<&str>) -> (Value, Vec<String>) {
    fn body<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap_or(Value::Null)
    }
    let mut calls: Vec<Value> = Vec::new();
    let mut push = |call: &str, body: Value| calls.push(json!({ "call": call, "body": body }));
    for c in state.credit_types.values() {
        push("POST /v1/credit-types/create", body(c));
    }
    // Each record's create body: the record less what only Tally fills in (when it was made).
    for m in state.billable_metrics.values() {
        push("POST /v1/billable-metrics/create", body(&NewBillableMetric::from(m)));
    }
    for p in state.products.values() {
        push("POST /v1/contract-pricing/products/create", body(&NewProduct::from(p)));
    }
    for r in state.rate_cards.values() {
        push(
            "POST /v1/contract-pricing/rate-cards/create",
            body(&NewRateCard::from(r)),
        );
    }
    for c in state.customers.values() {
        push("POST /v1/customers", body(&NewCustomer::from(c)));
    }
    for c in state.contracts.values() {
        push("POST /v1/contracts/create", body(&NewContract::from(c)));
    }
    // A contract is created with its usage filter; each one set later is a `setUsageFilter` (which
    // replaces one set for the same instant), and each services invoice a call of its own.
    for c in state.contracts.values() {
        let set_later = c
            .usage_filter_history
            .iter()
            .filter(|f| f.starting_at.is_some() && Some(*f) != c.usage_filter.as_ref());
        for f in set_later {
            push(
                "POST /v1/contracts/setUsageFilter",
                json!({ "customer_id": c.customer_id, "contract_id": c.id, "group_key": f.group_key,
                    "group_values": f.group_values, "starting_at": f.starting_at }),
            );
        }
        for inv in &c.professional_service_invoices {
            push(
                "POST /v1/contracts/scheduleProServicesInvoice",
                json!({ "customer_id": c.customer_id, "contract_id": c.id, "issued_at": inv.issued_at,
                    "line_items": inv.line_items }),
            );
        }
    }
    // A customer-level balance's body is its commit or credit, with who holds it beside the fields.
    fn held<const CREDIT: bool>(b: &crate::customer_balance::CustomerBalance<CREDIT>) -> Value {
        let mut v = body(&b.term);
        v["customer_id"] = json!(b.customer_id);
        if !b.applicable_contract_ids.is_empty() {
            v["applicable_contract_ids"] = json!(b.applicable_contract_ids);
        }
        if let Some(c) = &b.invoice_contract_id {
            v["invoice_contract_id"] = json!(c);
        }
        if let Some(k) = &b.uniqueness_key {
            v["uniqueness_key"] = json!(k);
        }
        v
    }
    for c in state.customer_commits.values() {
        push("POST /v1/customers/commits/create", held(c));
    }
    for c in state.customer_credits.values() {
        push("POST /v1/customers/credits/create", held(c));
    }
    // Archived records are archived once everything that names them exists.
    for (call, body) in archives(state) {
        push(call, body);
    }
    if !state.events.is_empty() {
        push(
            "POST /v1/ingest",
            serde_json::to_value(&state.events).unwrap_or(Value::Null),
        );
    }
    let mut notes = Vec::new();
    let mut scratch = State::default();
    for (i, c) in calls.iter().enumerate() {
        let call = c["call"].as_str().unwrap_or_default();
        if let Err(e) = api::call(&mut scratch, call, &c["body"], now) {
            notes.push(format!("call {i} ({call}) would be refused: {e}"));
        }
    }
    let mut out = json!({ "now": now.to_string(), "calls": calls });
    if let Some(n) = name {
        out["name"] = json!(n);
    }
    (out, notes)
}

/// The archive calls that put away what the state has archived.
fn archives(state: &State) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    for p in state.products.values().filter(|p| p.archived_at.is_some()) {
        out.push((
            "POST /v1/contract-pricing/products/archive",
            json!({ "product_id": p.id }),
        ));
    }
    for r in state.rate_cards.values().filter(|r| r.archived_at.is_some()) {
        out.push(("POST /v1/contract-pricing/rate-cards/archive", json!({ "id": r.id })));
    }
    for m in state.billable_metrics.values().filter(|m| m.archived_at.is_some()) {
        out.push(("POST /v1/billable-metrics/archive", json!({ "id": m.id })));
    }
    for c in state.customers.values().filter(|c| c.archived_at.is_some()) {
        out.push(("POST /v1/customers/archive", json!({ "id": c.id })));
    }
    out
}
