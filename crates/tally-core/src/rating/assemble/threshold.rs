//! THRESHOLD invoices: spend threshold charges billed on invoices of their own and shown as paid on
//! their period's usage invoice.

use super::new_invoice;
use super::scheduled::scheduled_line;
use crate::credit_type::scale;
use crate::error::Result;
use crate::invoice::{Invoice, InvoiceStatus, InvoiceType, LineItem, LineType};
use crate::money::{mul, Money, Overflow};
use crate::rating::{out_of_range, Clock};
use crate::schedule::Occurrence;
use crate::state::State;
use rust_decimal::Decimal;

/// Shows spend threshold charges: each on a THRESHOLD invoice of its own (its spend at the payment
/// fraction, by the line rule), and as paid on its period's usage invoice (the whole spend it paid).
pub(in crate::rating) fn bill_spend(
    state: &State,
    invoices: &mut Vec<Invoice>,
    bills: &[crate::threshold::SpendBill],
    clock: Clock,
) -> Result<()> {
    for b in bills {
        let Some((c, config)) = state
            .contracts
            .get(&b.contract)
            .and_then(|c| Some((c, c.spend_threshold()?)))
        else {
            continue;
        };
        let overflow = |Overflow| out_of_range(c, "a spend threshold charge");
        let name = config.commit.line_name(&state.products);
        let price = mul(b.amount.amount(), config.payment_fraction()).map_err(overflow)?;
        let o = Occurrence {
            timestamp: b.at,
            quantity: Decimal::ONE,
            unit_price: price,
            total: Money::cents(price).rounded(scale(state.fiat_of(c))),
        };
        let mut line = scheduled_line(name.clone(), LineType::CommitPurchase, &config.commit.product_id, &o);
        line.commit_id = Some(b.commit_id());
        let fiat = state.credit_type_named(state.fiat_of(c)).into();
        let mut inv = new_invoice(c, InvoiceType::Threshold, None, b.at, fiat);
        inv.line_items.push(line);
        inv.retotal().map_err(overflow)?;
        if b.at <= clock.now {
            inv.status = InvoiceStatus::Finalized;
        }
        invoices.push(inv);
        if let Some(usage) = invoices
            .iter_mut()
            .find(|i| i.contract_id == c.id && i.kind == InvoiceType::Usage && i.period_end() == b.period_end)
        {
            let mut paid = LineItem::plain(
                name,
                LineType::AppliedCommitOrCredit,
                config.commit.product_id.clone(),
                (Decimal::ONE, -b.amount.amount().normalize()),
                -b.amount,
                (usage.period_start(), b.at),
            );
            paid.commit_id = Some(b.commit_id());
            usage.line_items.push(paid);
            usage.retotal().map_err(overflow)?;
        }
    }
    invoices.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.kind.cmp(&b.kind)));
    Ok(())
}
