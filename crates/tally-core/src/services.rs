//! Professional services: work sold on a contract up to `max_amount` and invoiced as it is done
//! (`POST /v1/contracts/scheduleProServicesInvoice`). Each invoice line is `amount`, or
//! `unit_price` × `quantity` (each defaulting to the term's), and the running total of a term's
//! lines is capped at its `max_amount`: a line that would pass it bills what is left.

use crate::error::{join_path, Error, Result};
use crate::money::{Checked, Money, Quantity};
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A professional-services term (`professional_services[]`): work sold up to `max_amount`, billed
/// by `scheduleProServicesInvoice` as it is done.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProfessionalService {
    /// Given by Tally when the body has none; invoice lines name the term by it.
    #[serde(default)]
    pub id: String,
    /// The product it is sold as; names its lines when `description` is absent.
    pub product_id: String,
    /// The default unit price of its lines, in the contract's currency (USD: cents); not negative.
    pub unit_price: Decimal,
    /// The default quantity of its lines; not negative.
    pub quantity: Decimal,
    /// The most its lines may bill in all (fractions of a cent dropped): a line that would pass it
    /// bills what is left.
    pub max_amount: Decimal,
    /// The name of its invoice lines; absent: the product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your key-value metadata, kept and answered back.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub custom_fields: IndexMap<String, String>,
    /// Inert metadata (the NetSuite order this term comes from), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
}

impl ProfessionalService {
    /// No negative price, quantity or cap; `path` is where the term sits.
    pub fn validate(&self, path: &str) -> Result<()> {
        for (field, v) in [
            ("unit_price", self.unit_price),
            ("quantity", self.quantity),
            ("max_amount", self.max_amount),
        ] {
            if v < Decimal::ZERO {
                return Err(Error::invalid(
                    join_path(path, field),
                    format!("{field} cannot be negative"),
                ));
            }
        }
        Ok(())
    }
}

/// One line of a scheduled professional-services invoice, as the call gave it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServicesLine {
    /// The term of the same contract that the line bills.
    pub professional_service_id: String,
    /// The line's total; absent: `unit_price` × `quantity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Replaces the term's unit price for this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    /// Replaces the term's quantity for this line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Free text for your own use, kept and answered back; nothing is billed by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// A professional-services invoice scheduled on a contract.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServicesInvoice {
    /// The invoice's date, inside the contract.
    pub issued_at: Timestamp,
    /// Its lines, in the order given.
    pub line_items: Vec<ServicesLine>,
}

/// `POST /v1/contracts/scheduleProServicesInvoice`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ScheduleServicesInvoice {
    /// The customer whose contract it is.
    pub customer_id: String,
    /// The contract whose terms it bills.
    pub contract_id: String,
    /// The invoice's date: inside the contract, `[starting_at, ending_before)`.
    pub issued_at: Timestamp,
    /// At least one; each bills a term of the contract.
    pub line_items: Vec<ServicesLine>,
}

/// A billed line: the term's index, quantity, unit price and total.
pub type Billed = (usize, Decimal, Decimal, Money);

/// What each line of each invoice bills, in order: (term index, quantity, unit price, total rounded
/// at `scale`), the running total per term capped at its `max_amount`. The cap compares with the
/// rounded totals billed, so a term's invoices never add up to more than its cap. A line naming no
/// term of `terms` is skipped (the call refuses one; a state edited by hand may hold one).
pub fn billed(
    terms: &[ProfessionalService],
    invoices: &[ServicesInvoice],
    scale: crate::credit_type::Scale,
) -> Checked<Vec<Vec<Option<Billed>>>> {
    let mut used = vec![Money::ZERO; terms.len()];
    let mut out = Vec::new();
    for inv in invoices {
        let mut lines = Vec::new();
        for l in &inv.line_items {
            let Some(k) = terms.iter().position(|t| t.id == l.professional_service_id) else {
                lines.push(None);
                continue;
            };
            let t = &terms[k];
            let (q, p) = match l.amount {
                Some(a) => (Decimal::ONE, a),
                None => (l.quantity.unwrap_or(t.quantity), l.unit_price.unwrap_or(t.unit_price)),
            };
            let want = Money::of(Quantity::new(q), p)?.rounded(scale);
            // A cap itself in fractions of a cent bills at most its whole cents.
            let cap = Money::cents(t.max_amount.trunc_with_scale(scale.decimal_places()));
            let left = cap.minus(used[k])?.max(Money::ZERO);
            let total = want.min(left);
            used[k] = used[k].plus(total)?;
            // A capped line shows one unit of what was left, so quantity × price is its total.
            let (q, p) = if total == want {
                (q, p)
            } else {
                (Decimal::ONE, total.amount())
            };
            lines.push(Some((k, q, p, total)));
        }
        out.push(lines);
    }
    Ok(out)
}
