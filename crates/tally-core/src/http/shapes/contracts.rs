//! A contract as the SDK declares it: v2 flat (`ContractV2`), v1 with its terms under `current` and
//! `initial` and no amendments (Tally edits terms in place; `getEditHistory` belongs to the lifecycle).

use super::{object, CREATED_BY, LONG_AGO};
use crate::state::State;
use serde_json::{json, Value};

/// A contract record (Tally's answer) as `ContractV2`.
pub(super) fn v2(state: &State, c: &mut Value) {
    let made = c.get("created_at").cloned().unwrap_or_else(|| json!(LONG_AGO));
    terms(state, c, &made);
    c["usage_filter"] = usage_filters(c);
    if let Some(map) = c.as_object_mut() {
        map.remove("usage_filter_history");
    }
}

/// A contract record as v1's `Contract`: its terms as they stand, under both `current` and
/// `initial`.
pub(super) fn v1(state: &State, c: &mut Value) {
    let made = c.get("created_at").cloned().unwrap_or_else(|| json!(LONG_AGO));
    terms(state, c, &made);
    let mut current = object(c);
    for k in [
        "id",
        "customer_id",
        "usage_filter",
        "usage_filter_history",
        "custom_fields",
    ] {
        current.remove(k);
    }
    let current = Value::Object(current);
    *c = json!({
        "id": c["id"],
        "customer_id": c["customer_id"],
        "custom_fields": c["custom_fields"],
        "amendments": [],
        "current": current,
        "initial": current,
    });
}

/// What v1 and v2 share: the times, the products' names, the transitions, the statement schedule.
fn terms(state: &State, c: &mut Value, made: &Value) {
    c["created_at"] = made.clone();
    c["created_by"] = json!(CREATED_BY);
    for list in ["commits", "credits", "scheduled_charges", "discounts"] {
        super::each(&mut c[list], |t| {
            t["product"] = super::product_named(state, &t["product_id"]);
            t["created_at"] = made.clone();
        });
    }
    super::each(&mut c["credits"], |t| t["type"] = json!("CREDIT"));
    for list in ["commits", "credits", "scheduled_charges", "discounts"] {
        super::each(&mut c[list], schedule_items);
    }
    super::each(&mut c["overrides"], |o| o["created_at"] = made.clone());
    c["transitions"] = transitions(state, c);
    if c["usage_statement_schedule"].is_null() {
        c["usage_statement_schedule"] = json!({ "frequency": "MONTHLY" });
    }
    if c["usage_statement_schedule"].get("billing_anchor_date").is_none() {
        c["usage_statement_schedule"]["billing_anchor_date"] = c["starting_at"].clone();
    }
}

/// Each schedule item with the id and the quantity and unit price the SDK requires: an id made from
/// the term's and the item's place (stable while the term is unchanged), and an item given as an
/// amount read as one unit at that price.
pub(super) fn schedule_items(term: &mut Value) {
    let id = term["id"].as_str().unwrap_or_default().to_string();
    for (schedule, billed) in [
        ("access_schedule", false),
        ("invoice_schedule", true),
        ("schedule", true),
    ] {
        let Some(items) = term[schedule]["schedule_items"].as_array_mut() else {
            continue;
        };
        for (i, item) in items.iter_mut().enumerate() {
            item["id"] = json!(format!("{id}:{schedule}:{i}"));
            if billed && item.get("quantity").is_none_or(Value::is_null) {
                item["quantity"] = json!(1);
                item["unit_price"] = item["amount"].clone();
            }
        }
    }
}

/// The renewals into and out of this contract.
fn transitions(state: &State, c: &Value) -> Value {
    let id = c["id"].as_str().unwrap_or_default();
    let into = state
        .contracts
        .get(id)
        .and_then(|k| k.transition.as_ref())
        .map(|t| json!({ "from_contract_id": t.from_contract_id, "to_contract_id": id, "type": t.kind }));
    let out = state.contracts.values().filter_map(|k| {
        let t = k.transition.as_ref().filter(|t| t.from_contract_id == id)?;
        Some(json!({ "from_contract_id": id, "to_contract_id": k.id, "type": t.kind }))
    });
    Value::Array(into.into_iter().chain(out).collect())
}

/// Every usage filter the contract has had, each until the next one starts (v2's `usage_filter`).
fn usage_filters(c: &Value) -> Value {
    let history = c["usage_filter_history"].as_array().cloned().unwrap_or_default();
    let starts: Vec<Value> = history
        .iter()
        .map(|f| {
            f.get("starting_at")
                .filter(|s| !s.is_null())
                .unwrap_or(&c["starting_at"])
                .clone()
        })
        .collect();
    let filters = history.iter().enumerate().map(|(i, f)| {
        let mut out =
            json!({ "group_key": f["group_key"], "group_values": f["group_values"], "starting_at": starts[i] });
        if let Some(next) = starts.get(i + 1) {
            out["ending_before"] = next.clone();
        }
        out
    });
    Value::Array(filters.collect())
}
