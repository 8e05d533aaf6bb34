//! What a diff answers: each invoice that changed, its lines, and a summary per credit type and
//! month. Plain data, serialized as `tally diff --format json` prints it.

use crate::invoice::{CreditType, InvoiceType, LineType};
use crate::money::Money;
use crate::time::Timestamp;
use indexmap::IndexMap;
use serde::Serialize;

/// How an invoice differs between the two sides.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// The invoice is only on the after side.
    Added,
    /// The invoice is only on the before side.
    Gone,
    /// The invoice is on both sides, with a different total or different lines.
    Changed,
}

/// One line (lines of the same type, name, product and group values summed), before and after.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChange {
    /// The line's name (the product's, or the commit's, credit's or charge's).
    pub name: String,
    /// What the line bills.
    #[serde(rename = "type")]
    pub kind: LineType,
    /// The line's pricing and presentation group values; omitted when none.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub group_values: IndexMap<String, String>,
    /// The line's total on the before side, in the invoice's credit type (e.g. USD cents); 0 when
    /// absent there.
    pub total_before: Money,
    /// The line's total on the after side; 0 when absent there.
    pub total_after: Money,
    /// `total_after` minus `total_before`.
    pub difference: Money,
    /// From the lines' explanations: what the after side says that the before side did not ("now: …")
    /// and the reverse ("was: …"), for the rate, the overrides, tiers, splits, the balances drawn and
    /// quantity × price.
    pub why: Vec<String>,
}

/// One invoice that differs between the two sides, with the lines that changed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceChange {
    /// The customer invoiced.
    pub customer_id: String,
    /// The customer's name (empty when it has none).
    pub customer_name: String,
    /// The contract the invoice bills.
    pub contract_id: String,
    /// The contract's name, or its id when it has none.
    pub contract_name: String,
    /// The invoice's id, the same on both sides.
    pub invoice_id: String,
    /// USAGE, SCHEDULED or THRESHOLD.
    #[serde(rename = "type")]
    pub kind: InvoiceType,
    /// A USAGE invoice's service period start (inclusive); omitted on other invoices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_timestamp: Option<Timestamp>,
    /// A USAGE invoice's service period end (exclusive); omitted on other invoices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_timestamp: Option<Timestamp>,
    /// The invoice's date: a USAGE invoice's period end, another invoice's billing date.
    pub issued_at: Timestamp,
    /// Whether the invoice was added, is gone, or changed.
    pub change: Change,
    /// The credit type the totals are in (e.g. USD cents).
    pub credit_type: CreditType,
    /// The invoice's total on the before side; omitted when the invoice is added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_before: Option<Money>,
    /// The invoice's total on the after side; omitted when the invoice is gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_after: Option<Money>,
    /// The after total minus the before total (a missing side counts as 0).
    pub difference: Money,
    /// The lines whose totals differ or that are on one side only, summed by type, name, product
    /// and group values.
    pub lines: Vec<LineChange>,
}

/// What was billed before and after, in one credit type, over all invoices compared (or one month's).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Billed {
    /// `YYYY-MM` of the invoice's period start (a scheduled invoice's date); absent for the whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// The credit type of the amounts.
    pub credit_type: CreditType,
    /// The total billed on the before side, in the credit type (e.g. USD cents).
    pub before: Money,
    /// The total billed on the after side.
    pub after: Money,
    /// `after` minus `before`.
    pub difference: Money,
}

/// The counts and totals of a diff.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many customers were compared (those of either side).
    pub customers: usize,
    /// How many customers have at least one invoice that changed.
    pub customers_affected: usize,
    /// How many invoices were compared (those of either side).
    pub invoices: usize,
    /// How many invoices were added, are gone, or changed.
    pub invoices_changed: usize,
    /// What was billed before and after over all invoices compared, per credit type.
    pub billed: Vec<Billed>,
    /// Per month and credit type, months in order; only months where something was billed.
    pub by_month: Vec<Billed>,
}

/// Every customer's invoices on two sides compared: what a pricing change does to invoices.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceDiff {
    /// The clock the before side was rated at.
    pub now_before: Timestamp,
    /// The clock the after side was rated at.
    pub now_after: Timestamp,
    /// How far the invoices were rated: invoices whose period ends at or before this.
    pub through: Timestamp,
    /// The counts and totals.
    pub summary: Summary,
    /// Largest change first.
    pub changes: Vec<InvoiceChange>,
}

impl InvoiceDiff {
    /// True when no invoice differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
