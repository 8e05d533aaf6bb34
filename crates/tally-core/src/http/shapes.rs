//! Where Tally's own answers differ from the shapes Metronome's SDK declares, the SDK's win on this
//! door (Tally's own API, `Engine.call` and scenario files, keeps its shapes):
//! - amounts are JSON numbers, as the SDK types them, where Tally's records write exact decimal
//!   strings; a field left empty is left out, not `null` (the SDK declares most as optional, not
//!   nullable);
//! - a customer carries `external_id`, `customer_config` and its times; a create answers the record;
//! - an invoice line carries its `credit_type`;
//! - a contract answers as v1 (`current`/`initial`/`amendments`) or v2 (flat, with `usage_filter` as
//!   the list of every filter) declares it, each commit and charge with its product's name.

use crate::state::State;
use serde_json::{json, Map, Value};

mod contracts;

/// The fields the SDK types as numbers (`number`), wherever they appear. Not `fraction` or
/// `fiat_per_custom_credit`, which it types as strings, nor `starting_at`, a time in most places.
const NUMBERS: &[&str] = &[
    "amount",
    "balance",
    "cost_basis",
    "price",
    "quantity",
    "unit_price",
    "total",
    "subtotal",
    "priority",
    "multiplier",
    "rollover_fraction",
    "max_amount",
    "threshold_amount",
    "recharge_to_amount",
    "total_contract_value",
    "net_payment_terms_days",
    "size",
    "level",
];

/// Who made a record, for the SDK's `created_by`: Metronome names the user or token; here it is
/// always Tally's door.
pub(super) const CREATED_BY: &str = "tally";

/// When a record made before Tally kept the time was made: the SDK requires one.
pub(super) const LONG_AGO: &str = "1970-01-01T00:00:00Z";

/// Reshapes the answer of `method` on the path `parts` (decoded segments) for the SDK.
pub(super) fn to_sdk(state: &State, method: &str, parts: &[&str], answer: &mut Value) {
    let data = &mut answer["data"];
    match (method, parts) {
        ("POST", ["v1", "customers"]) => *data = customer(state, data["id"].as_str().unwrap_or_default()),
        ("GET", ["v1", "customers", _]) | ("POST", ["v1", "customers", _, "setName" | "setIngestAliases"]) => {
            *data = customer(state, data["id"].as_str().unwrap_or_default())
        }
        ("GET", ["v1", "customers"]) => each(data, |c| *c = customer(state, c["id"].as_str().unwrap_or_default())),
        ("GET", ["v1", "customers", _, "invoices"])
        | ("POST", ["v1", "customers", _, "previewEvents"])
        | ("POST", ["v1", "contracts", "scheduleProServicesInvoice"]) => each(data, invoice),
        ("GET", ["v1", "customers", _, "invoices", _]) => invoice(data),
        ("POST", ["v1", "contracts", "get"]) => contracts::v1(state, data),
        ("POST", ["v1", "contracts", "list"]) => each(data, |c| contracts::v1(state, c)),
        ("POST", ["v2", "contracts", "get"]) => contracts::v2(state, data),
        ("POST", ["v2", "contracts", "list"]) => each(data, |c| contracts::v2(state, c)),
        ("POST", ["v1", "contract-pricing", "products", "get"]) => product(data),
        ("POST", ["v1", "contract-pricing", "products", "list"]) => each(data, product),
        ("POST", ["v1", "contract-pricing", "rate-cards", "get"]) => made(data),
        ("POST", ["v1", "contract-pricing", "rate-cards", "list"]) => each(data, made),
        ("POST", ["v1", "contracts", "getContractRateSchedule"]) => each(data, |row| {
            let product = row["product_id"].as_str().and_then(|id| state.products.get(id));
            row["product_custom_fields"] = json!(product.map(|p| &p.custom_fields));
        }),
        ("POST", ["v1", "contracts", "customerBalances", "getNetBalance"]) => {
            data["credit_type_id"] = data["credit_type"]["id"].clone()
        }
        ("POST", ["v1", "contracts", "customerCommits" | "customerCredits", "list"]) => each(data, |t| {
            t["product"] = product_named(state, &t["product_id"]);
            contracts::schedule_items(t);
            // A contract's commit was made with its contract; a customer's keeps its own time.
            let contract = t["contract"]["id"].as_str().and_then(|id| state.contracts.get(id));
            if let Some(made) = contract.and_then(|c| c.created_at) {
                t["created_at"] = json!(made);
            }
            if t.get("created_at").is_none_or(Value::is_null) {
                t["created_at"] = json!(LONG_AGO);
            }
        }),
        _ => {}
    }
    tidy(answer, "");
}

fn each(list: &mut Value, mut f: impl FnMut(&mut Value)) {
    if let Value::Array(items) = list {
        items.iter_mut().for_each(&mut f);
    }
}

/// A customer as the SDK's `CustomerDetail` declares it.
fn customer(state: &State, id: &str) -> Value {
    let Some(c) = state.customers.get(id) else {
        return Value::Null;
    };
    let made = c.created_at.map_or(json!(LONG_AGO), |t| json!(t));
    json!({
        "id": c.id,
        "name": c.name,
        "ingest_aliases": c.ingest_aliases,
        "custom_fields": c.custom_fields,
        // Metronome fills a customer's external id with its id when none is given.
        "external_id": c.external_id.as_deref().unwrap_or(&c.id),
        "customer_config": { "salesforce_account_id": null },
        "created_at": made,
        "updated_at": c.updated_at.map_or(made, |t| json!(t)),
    })
}

/// A record's `created_at` (when Tally did not keep it) and `created_by`, which the SDK requires.
fn made(v: &mut Value) {
    if v.get("created_at").is_none_or(Value::is_null) {
        v["created_at"] = json!(LONG_AGO);
    }
    v["created_by"] = json!(CREATED_BY);
}

/// A product as the SDK declares it: its id and type, and its fields under `current` and `initial`
/// (Tally changes no product after it is made, so the two are the same and `updates` is empty).
fn product(p: &mut Value) {
    made(p);
    let mut state = object(p);
    let kind = state.remove("type").unwrap_or(Value::Null);
    let kind = if kind == "PROFESSIONAL_SERVICE" {
        json!("PRO_SERVICE")
    } else {
        kind
    };
    let id = state.remove("id").unwrap_or(Value::Null);
    let state = Value::Object(state);
    *p = json!({ "id": id, "type": kind, "current": state, "initial": state, "updates": [] });
}

/// `{id, name}` of the product `id` names, as commits and charges carry it.
pub(super) fn product_named(state: &State, id: &Value) -> Value {
    let id = id.as_str().unwrap_or_default();
    json!({ "id": id, "name": state.products.get(id).map(|p| p.name.as_str()) })
}

/// Each line of an invoice carries the invoice's credit type, as the SDK requires, and its type by
/// the names the SDK documents: a composite product's charge is `usage`, a conversion out of a custom
/// pricing unit `cpu_conversion`, a discount (a scheduled negative charge) `scheduled`.
fn invoice(inv: &mut Value) {
    let credit_type = inv["credit_type"].clone();
    each(&mut inv["line_items"], |line| {
        if line.get("credit_type").is_none() {
            line["credit_type"] = credit_type.clone();
        }
        let renamed = match line["type"].as_str() {
            Some("composite") => "usage",
            Some("conversion") => "cpu_conversion",
            Some("discount") => "scheduled",
            _ => return,
        };
        line["type"] = json!(renamed);
    });
}

/// Amounts as numbers and no `null` fields, all the way down. `key` is the field `v` is the value of.
fn tidy(v: &mut Value, key: &str) {
    match v {
        Value::Object(map) => {
            // `next_page: null` is how a last page says so; every other null field is left out.
            map.retain(|k, x| !x.is_null() || k == "next_page" || k == "salesforce_account_id");
            for (k, x) in map.iter_mut() {
                tidy(x, k);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| tidy(x, key)),
        Value::String(s) if NUMBERS.contains(&key) => {
            if let Ok(n) = serde_json::from_str::<serde_json::Number>(s) {
                *v = Value::Number(n);
            }
        }
        _ => {}
    }
}

/// A map from a record's fields, for the reshaping helpers.
pub(super) fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_become_numbers_and_empty_fields_go() {
        let mut v = json!({ "data": { "price": "2.50", "name": "2.5", "tiers": null,
            "items": [{ "amount": "10000", "fraction": "0.1" }] }, "next_page": null });
        tidy(&mut v, "");
        // Exact: each number keeps the decimal's digits.
        assert_eq!(
            v.to_string(),
            r#"{"data":{"price":2.50,"name":"2.5","items":[{"amount":10000,"fraction":"0.1"}]},"next_page":null}"#
        );
    }
}
