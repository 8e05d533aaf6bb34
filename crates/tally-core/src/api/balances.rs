//! Customer-level commits and credits: `POST /v1/customers/commits/create`, `.../credits/create`, and
//! their lists (`POST /v1/contracts/customerCommits/list`, `.../customerCredits/list`).

use super::{check_product, contract_of, created, customer};
use crate::balance::Balance;
use crate::commit::Billing;
use crate::customer_balance::CustomerBalance;
use crate::error::{parse, Error, Result};
use crate::rating::{rate_customer, Clock, Usage};
use crate::state::State;
use crate::time::Timestamp;
use crate::wire::{BalanceHolder, ListBalancesRequest};
use serde_json::{json, Map, Value};

/// `POST /v1/customers/commits/create`: a commit the customer holds rather than one contract.
pub fn create_customer_commit(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let b = holding::<false>(state, body, now)?;
    let made = state
        .customer_commits
        .values()
        .map(|c| (c.uniqueness_key.as_ref(), c.term.id.as_str()));
    super::contracts::unused_key(made, b.uniqueness_key.as_ref(), "commit")?;
    let id = b.term.id.clone();
    state.customer_commits.insert(id.clone(), b);
    created(&id)
}

/// `POST /v1/customers/credits/create`: a credit the customer holds rather than one contract.
pub fn create_customer_credit(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let b = holding::<true>(state, body, now)?;
    let made = state
        .customer_credits
        .values()
        .map(|c| (c.uniqueness_key.as_ref(), c.term.id.as_str()));
    super::contracts::unused_key(made, b.uniqueness_key.as_ref(), "credit")?;
    let id = b.term.id.clone();
    state.customer_credits.insert(id.clone(), b);
    created(&id)
}

/// An object body cut in two: its fields named in `keys`, and the rest (anything else is left to
/// the parse to refuse).
fn split(body: &Value, keys: &[&str]) -> (Value, Value) {
    let Some(all) = body.as_object() else {
        return (body.clone(), body.clone());
    };
    let (mine, rest): (serde_json::Map<String, Value>, serde_json::Map<String, Value>) =
        all.clone().into_iter().partition(|(k, _)| keys.contains(&k.as_str()));
    (Value::Object(mine), Value::Object(rest))
}

/// Reads and checks a customer-level commit or credit whole, and gives it its id.
fn holding<const CREDIT: bool>(state: &mut State, body: &Value, now: Timestamp) -> Result<CustomerBalance<CREDIT>> {
    // The body's fields about who holds the balance; the rest is the commit or credit itself. Each
    // part is parsed alone, so a field neither defines is refused by name.
    let (holder, rest) = split(
        body,
        &[
            "customer_id",
            "applicable_contract_ids",
            "invoice_contract_id",
            "uniqueness_key",
        ],
    );
    let h: BalanceHolder = parse(&holder)?;
    let mut term: Balance<CREDIT> = parse(&rest)?;
    let holder = customer(state, &h.customer_id)?;
    super::archive::not_archived(holder.archived_at, "customer", &h.customer_id, "customer_id")?;
    check_product(state, "product_id", &term.product_id)?;
    for (i, p) in term.applicable_product_ids.iter().enumerate() {
        check_product(state, &format!("applicable_product_ids[{i}]"), p)?;
    }
    let of_customer = |path: String, id: &str| {
        contract_of(state, &h.customer_id, id)
            .map(|_| ())
            .map_err(|e| Error { path, ..e })
    };
    for (i, id) in h.applicable_contract_ids.iter().enumerate() {
        of_customer(format!("applicable_contract_ids[{i}]"), id)?;
    }
    let billed = matches!(term.billing, Billing::Bought(_) | Billing::Promised(_));
    match &h.invoice_contract_id {
        Some(_) if CREDIT => {
            return Err(Error::invalid(
                "invoice_contract_id",
                "a credit is never invoiced, so it names no invoice contract",
            ))
        }
        Some(id) => of_customer("invoice_contract_id".into(), id)?,
        None if billed => {
            return Err(Error::invalid(
                "invoice_contract_id",
                "a POSTPAID commit, or a PREPAID one with an invoice schedule, is billed on one of the customer's contracts: name it in invoice_contract_id",
            ))
        }
        None => {}
    }
    if term.rollover_fraction.is_some() {
        return Err(Error::invalid(
            "rollover_fraction",
            "a customer-level balance outlives every contract, so it has nothing to roll over into",
        ));
    }
    if !term.id.is_empty() && state.id_in_use(&term.id) {
        return Err(Error::conflict("id", format!("the id `{}` is already in use", term.id)));
    }
    let id = state.take_id(&term.id);
    *term.id_mut() = id;
    Ok(CustomerBalance {
        customer_id: h.customer_id,
        applicable_contract_ids: h.applicable_contract_ids,
        invoice_contract_id: h.invoice_contract_id,
        term,
        uniqueness_key: h.uniqueness_key,
        created_at: Some(now),
    })
}

/// Which of a customer's balances to list.
#[derive(Clone, Copy, PartialEq)]
pub enum Listed {
    /// Commits (`customerCommits/list`).
    Commits,
    /// Credits (`customerCredits/list`).
    Credits,
}

/// A customer's commits or credits: the customer-level ones, and the contracts' own when asked
/// (`include_contract_commits` / `include_contract_credits`), each as created plus `contract` or
/// `invoice_contract`, and its `balance` at `now` when `include_balance` is set.
pub fn list_balances(state: &State, b: &ListBalancesRequest, which: Listed, now: Timestamp) -> Result<Vec<Value>> {
    customer(state, &b.customer_id)?;
    let credit = which == Listed::Credits;
    let mut out: Vec<(&crate::commit::Commit, Value)> = Vec::new();
    let with_contracts = if credit {
        b.include_contract_credits
    } else {
        b.include_contract_commits
    };
    if with_contracts {
        for c in state.contracts.values().filter(|c| c.customer_id == b.customer_id) {
            let terms: Vec<&crate::commit::Commit> = if credit {
                c.credits.iter().map(|t| &**t).collect()
            } else {
                c.commits.iter().map(|t| &**t).collect()
            };
            for t in terms {
                out.push((t, json!({"contract": {"id": c.id}})));
            }
        }
    }
    let customer_level: Vec<(&crate::commit::Commit, Value)> = if credit {
        state
            .customer_credits
            .values()
            .filter(|x| x.customer_id == b.customer_id)
            .map(|x| (&*x.term, holder_fields(&x.applicable_contract_ids, None)))
            .collect()
    } else {
        state
            .customer_commits
            .values()
            .filter(|x| x.customer_id == b.customer_id)
            .map(|x| {
                (
                    &*x.term,
                    holder_fields(&x.applicable_contract_ids, x.invoice_contract_id.as_deref()),
                )
            })
            .collect()
    };
    out.extend(customer_level);

    let id_filter = if credit { &b.credit_id } else { &b.commit_id };
    let ledger = if b.include_balance {
        let horizon = now;
        Some(rate_customer(state, &b.customer_id, Usage::STORED, Clock { now, horizon })?.ledger)
    } else {
        None
    };
    let mut listed = Vec::new();
    for (term, extra) in out {
        if id_filter.as_ref().is_some_and(|id| *id != term.id) {
            continue;
        }
        let items = &term.access_schedule.schedule_items;
        if let Some(d) = b.covering_date {
            if !items.iter().any(|i| i.starting_at <= d && d < i.ending_before) {
                continue;
            }
        }
        if let Some(d) = b.starting_at {
            if !items.iter().any(|i| d < i.ending_before) {
                continue;
            }
        }
        if let Some(d) = b.effective_before {
            if !items.iter().any(|i| i.starting_at < d) {
                continue;
            }
        }
        let mut v = serde_json::to_value(term).unwrap_or_default();
        let Some(obj) = v.as_object_mut() else { continue };
        if credit {
            obj.insert("type".into(), json!("CREDIT"));
        }
        let name = state.products.get(&term.product_id).map(|p| p.name.clone());
        obj.insert("product".into(), json!({"id": term.product_id, "name": name}));
        if let Value::Object(extra) = extra {
            obj.extend(extra);
        }
        if let Some(ledger) = &ledger {
            let left = ledger.balance_at(now, |s| s.commit_id == term.id).map_err(|_| {
                Error::new(
                    crate::ErrorCode::OutOfRange,
                    "customer_id",
                    "a balance is beyond what Tally can represent",
                )
            })?;
            obj.insert("balance".into(), serde_json::to_value(left).unwrap_or_default());
        }
        listed.push(v);
    }
    Ok(listed)
}

fn holder_fields(contracts: &[String], invoice_contract: Option<&str>) -> Value {
    let mut m = Map::new();
    if !contracts.is_empty() {
        m.insert("applicable_contract_ids".into(), json!(contracts));
    }
    if let Some(id) = invoice_contract {
        m.insert("invoice_contract".into(), json!({ "id": id }));
    }
    Value::Object(m)
}
