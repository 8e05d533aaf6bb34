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

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProfessionalService {
    #[serde(default)]
    pub id: String,
    pub product_id: String,
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub max_amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub custom_fields: IndexMap<String, String>,
    /// Inert metadata (the NetSuite order this term comes from), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
}

impl ProfessionalService {
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
    pub professional_service_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// A professional-services invoice scheduled on a contract.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServicesInvoice {
    pub issued_at: Timestamp,
    pub line_items: Vec<ServicesLine>,
}

/// `POST /v1/contracts/scheduleProServicesInvoice`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ScheduleServicesInvoice {
    pub customer_id: String,
    pub contract_id: String,
    pub issued_at: Timestamp,
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
