//! Professional-services invoices scheduled on a contract.

use crate::api::contract_of;
use crate::error::{parse, Error, Result};
use crate::state::State;
use serde_json::Value;

/// `POST /v1/contracts/scheduleProServicesInvoice`: stores the invoice on the contract, all lines or
/// none; answers the contract's id and the invoice's (`rating` makes it, the caller lists it).
pub fn schedule_services_invoice(state: &mut State, body: &Value) -> Result<(String, String)> {
    let b: crate::services::ScheduleServicesInvoice = parse(body)?;
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    if b.line_items.is_empty() {
        return Err(Error::invalid(
            "line_items",
            "a professional-services invoice needs a line",
        ));
    }
    if b.issued_at < c.starting_at || c.ending_before.is_some_and(|e| b.issued_at >= e) {
        return Err(Error::invalid(
            "issued_at",
            format!(
                "a professional-services invoice is dated inside its contract (from {}{})",
                c.starting_at,
                c.ending_before.map(|e| format!(" until {e}")).unwrap_or_default()
            ),
        ));
    }
    for (i, l) in b.line_items.iter().enumerate() {
        let at = |f: &str| format!("line_items[{i}].{f}");
        if !c
            .professional_services
            .iter()
            .any(|p| p.id == l.professional_service_id)
        {
            return Err(Error::not_found(
                at("professional_service_id"),
                format!(
                    "contract `{}` has no professional service `{}`",
                    c.id, l.professional_service_id
                ),
            ));
        }
        for (f, v) in [
            ("amount", l.amount),
            ("unit_price", l.unit_price),
            ("quantity", l.quantity),
        ] {
            if v.is_some_and(|v| v < rust_decimal::Decimal::ZERO) {
                return Err(Error::invalid(at(f), format!("{f} cannot be negative")));
            }
        }
    }
    let c = state.contracts.get_mut(&b.contract_id).expect("checked above");
    c.professional_service_invoices.push(crate::services::ServicesInvoice {
        issued_at: b.issued_at,
        line_items: b.line_items,
    });
    let n = c.professional_service_invoices.len();
    Ok((
        c.id.clone(),
        crate::rating::services_invoice_id(&c.id, n - 1, b.issued_at),
    ))
}
