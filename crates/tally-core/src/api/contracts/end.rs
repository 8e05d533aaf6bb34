//! A contract's end moved (`POST /v1/contracts/updateEndDate`, or a SUPERSEDE): its terms cut there.

use crate::api::requests::UpdateEndDate;
use crate::api::{contract_of, created};
use crate::contract::Contract;
use crate::error::{parse, Error, Result};
use crate::state::State;
use crate::time::Timestamp;
use serde_json::Value;

/// `POST /v1/contracts/updateEndDate`: the contract ends at `ending_before` (none: open-ended); terms after it are cut.
pub fn update_end_date(state: &mut State, body: &Value) -> Result<Value> {
    let b: UpdateEndDate = parse(body)?;
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    check_end(c, b.ending_before, "ending_before")?;
    let c = state.contracts.get_mut(&b.contract_id).expect("checked above");
    end_at(c, b.ending_before);
    created(&b.contract_id)
}

/// A new end for `c`, refused at `path` unless it is after the contract's start (none: open-ended).
pub(super) fn check_end(c: &Contract, end: Option<Timestamp>, path: &str) -> Result<()> {
    match end {
        Some(end) if end <= c.starting_at => Err(Error::invalid(
            path,
            format!("{path} must be after the contract's starting_at"),
        )),
        _ => Ok(()),
    }
}

/// Moves a contract's end: its terms are cut there (access after it dropped, access across it
/// clipped, charges after it dropped).
pub(super) fn end_at(c: &mut Contract, ending_before: Option<Timestamp>) {
    c.ending_before = ending_before;
    if let Some(end) = ending_before {
        let access = c
            .commits
            .iter_mut()
            .map(|cm| cm.access_mut())
            .chain(c.credits.iter_mut().map(|cm| cm.access_mut()));
        for items in access {
            items.retain(|i| i.starting_at < end);
            for i in items.iter_mut() {
                i.ending_before = i.ending_before.min(end);
            }
        }
        for ch in c.scheduled_charges.iter_mut().chain(c.discounts.iter_mut()) {
            ch.schedule.retain_before(end);
        }
        // A churned customer is not billed for services dated after the end.
        c.professional_service_invoices.retain(|i| i.issued_at < end);
        for cm in c.commits.iter_mut() {
            cm.drop_purchases_from(end);
        }
        for rc in c.recurring_commits.iter_mut().chain(c.recurring_credits.iter_mut()) {
            rc.ending_before = Some(rc.ending_before.map_or(end, |e| e.min(end)));
        }
    }
}
