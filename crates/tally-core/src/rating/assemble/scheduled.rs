//! The items a contract bills on their own dates, before they are placed on an invoice: scheduled
//! charges, discounts, commit purchases (bought and recurring), recharges, and the professional-services
//! invoices.

use super::new_invoice;
use crate::balance::CommitTerm;
use crate::commit::Billing;
use crate::contract::Contract;
use crate::credit_type::{scale, USD_CENTS_ID};
use crate::error::Result;
use crate::invoice::{CreditType, Invoice, InvoiceType, LineItem, LineType};
use crate::money::{mul, tidy, Checked, Money, Overflow, Quantity};
use crate::rating::out_of_range;
use crate::schedule::Occurrence;
use crate::state::State;
use crate::time::Timestamp;
use rust_decimal::Decimal;

pub(super) fn scheduled_line(name: String, kind: LineType, product_id: &str, o: &Occurrence) -> LineItem {
    LineItem::plain(
        name,
        kind,
        product_id.to_string(),
        (tidy(o.quantity), tidy(o.unit_price)),
        o.total,
        (o.timestamp, o.timestamp),
    )
}

/// A scheduled item: the term it belongs to (which names its invoice), the credit type it is billed
/// in, and its line.
pub(super) type Item = (String, String, LineItem);

fn product_name(state: &State, id: &str) -> String {
    state
        .products
        .get(id)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The commits a contract's invoices bill: its own, then the customer-level ones it is named to
/// invoice.
pub(super) fn billed_terms<'a>(state: &'a State, c: &'a Contract) -> impl Iterator<Item = &'a CommitTerm> {
    c.commits.iter().chain(
        state
            .customer_commits
            .values()
            .filter(|b| b.invoice_contract_id.as_deref() == Some(c.id.as_str()))
            .map(|b| &b.term),
    )
}

/// Charges and commit purchases on their dates, before any consolidation.
/// Each item comes with the id of the term it belongs to (charge or commit), which names its invoice.
pub(super) fn scheduled_items(state: &State, c: &Contract, horizon: Timestamp) -> Checked<Vec<Item>> {
    let mut items = Vec::new();
    for ch in &c.scheduled_charges {
        let name = ch.name.clone().unwrap_or_else(|| product_name(state, &ch.product_id));
        for o in ch.schedule.occurrences(horizon)? {
            items.push((
                ch.id.clone(),
                ch.schedule.credit_type_id().to_string(),
                scheduled_line(name.clone(), LineType::Scheduled, &ch.product_id, &o),
            ));
        }
    }
    // A discount is a charge the other way: a negative line on each of its dates, never floored.
    for d in &c.discounts {
        let name = d.name.clone().unwrap_or_else(|| product_name(state, &d.product_id));
        for o in d.schedule.occurrences(horizon)? {
            let mut l = scheduled_line(name.clone(), LineType::Discount, &d.product_id, &o);
            l.unit_price = -l.unit_price;
            l.total = -l.total;
            items.push((d.id.clone(), d.schedule.credit_type_id().to_string(), l));
        }
    }
    for cm in billed_terms(state, c) {
        let Billing::Bought(s) = &cm.billing else {
            continue;
        };
        for o in s.occurrences(horizon)? {
            let mut l = scheduled_line(cm.display_name(), LineType::CommitPurchase, &cm.product_id, &o);
            l.commit_id = Some(cm.id.clone());
            items.push((cm.id.clone(), s.credit_type_id().to_string(), l));
        }
    }
    let schedule = c.statement_schedule();
    let (anchor, months) = (schedule.anchor(c.starting_at), schedule.frequency.months());
    for rc in &c.recurring_commits {
        let Some(inv) = rc.invoice_amount.as_ref() else {
            continue;
        };
        if inv.total()?.is_zero() {
            continue;
        }
        let ct = inv.credit_type_id.clone().unwrap_or_else(|| USD_CENTS_ID.to_string());
        for (a, _, fraction) in rc.periods(anchor, months, c.ending_before, horizon) {
            let q = inv.quantity.unwrap_or(Decimal::ONE);
            let unit_price = mul(inv.unit_price, fraction)?;
            let o = Occurrence {
                timestamp: a,
                quantity: q,
                unit_price,
                total: Money::of(Quantity::new(q), unit_price)?.rounded(scale(&ct)),
            };
            let mut l = scheduled_line(rc.display_name(false), LineType::CommitPurchase, &rc.product_id, &o);
            l.commit_id = Some(rc.id.clone());
            items.push((rc.id.clone(), ct.clone(), l));
        }
    }
    // updateEndDate drops whatever of the contract's own was scheduled at or after the new end; a
    // customer-level commit it bills is the customer's, and is billed on its dates whatever the end.
    items.retain(|(source, _, l)| {
        state.customer_commits.contains_key(source) || c.ending_before.is_none_or(|e| l.starting_at < e)
    });
    Ok(items)
}

/// Each recharge granted to `c`, bought when it is granted at the payment fraction.
pub(super) fn recharge_items(
    state: &State,
    c: &Contract,
    grants: &[crate::threshold::Recharge],
    fiat: &CreditType,
) -> Result<Vec<Item>> {
    let mut recharges = Vec::new();
    if let Some(config) = c.recharge() {
        for g in grants.iter().filter(|g| g.contract == c.id) {
            let (price, total) = g
                .billed(config, scale(&fiat.id))
                .map_err(|Overflow| out_of_range(c, "a recharge amount"))?;
            let o = Occurrence {
                timestamp: g.at,
                quantity: Decimal::ONE,
                unit_price: price,
                total,
            };
            let name = config.commit.line_name(&state.products);
            let mut l = scheduled_line(name, LineType::CommitPurchase, &config.commit.product_id, &o);
            l.commit_id = Some(g.commit_id());
            recharges.push((g.commit_id(), fiat.id.clone(), l));
        }
    }
    Ok(recharges)
}

/// Professional services: each of the contract's services invoices as a SCHEDULED invoice of its own,
/// never consolidated.
pub(super) fn services_invoices(state: &State, c: &Contract, fiat: &CreditType) -> Result<Vec<Invoice>> {
    let billed = crate::services::billed(
        &c.professional_services,
        &c.professional_service_invoices,
        scale(&fiat.id),
    )
    .map_err(|Overflow| out_of_range(c, "a professional-services amount"))?;
    let mut invoices = Vec::new();
    for (n, (inv, lines)) in c.professional_service_invoices.iter().zip(billed).enumerate() {
        let mut invoice = new_invoice(c, InvoiceType::Scheduled, None, inv.issued_at, fiat.clone());
        invoice.id = crate::rating::services_invoice_id(&c.id, n, inv.issued_at);
        for (k, quantity, unit_price, total) in lines.into_iter().flatten() {
            let term = &c.professional_services[k];
            let o = Occurrence {
                timestamp: inv.issued_at,
                quantity,
                unit_price,
                total,
            };
            let name = term
                .description
                .clone()
                .unwrap_or_else(|| product_name(state, &term.product_id));
            invoice.line_items.push(scheduled_line(
                name,
                LineType::ProfessionalService,
                &term.product_id,
                &o,
            ));
        }
        invoices.push(invoice);
    }
    Ok(invoices)
}
