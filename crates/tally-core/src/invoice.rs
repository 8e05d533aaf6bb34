//! Invoices as Tally shows them: USAGE invoices, one per service period per contract, and SCHEDULED
//! invoices for charges and commit purchases on their dates.

use crate::money::{as_number, as_opt_number, Money};
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvoiceType {
    Usage,
    Scheduled,
    /// A spend threshold charge, billed the hour spend reaches the threshold.
    Threshold,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvoiceStatus {
    Draft,
    Finalized,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    Usage,
    Scheduled,
    CommitPurchase,
    AppliedCommitOrCredit,
    PostpaidTrueup,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierInfo {
    pub level: u32,
    #[serde(serialize_with = "as_number")]
    pub starting_at: Decimal,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub size: Option<Decimal>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: LineType,
    pub product_id: String,
    #[serde(serialize_with = "as_number")]
    pub quantity: Decimal,
    #[serde(serialize_with = "as_number")]
    pub unit_price: Decimal,
    pub total: Money,
    pub starting_at: Timestamp,
    pub ending_before: Timestamp,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub pricing_group_values: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub presentation_group_values: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    /// The list price of the same unit, which a commit-specific multiplier scales (not shown).
    #[serde(skip)]
    pub list_unit_price: Option<Decimal>,
    /// The priced piece of usage this line shows (all or part of), which bounds what balances pay.
    #[serde(skip)]
    pub piece: Option<usize>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditType {
    pub id: &'static str,
    pub name: &'static str,
}

/// Whether a body's `credit_type_id` names the one credit type Tally rates in (absent means it).
pub fn check_credit_type(id: Option<&str>, path: &str) -> crate::Result<()> {
    match id {
        Some(id) if id != USD_CENTS.id => Err(crate::Error::invalid(
            path,
            format!(
                "credit type `{id}` is not supported: Tally rates in USD cents (`{}`) until custom pricing units exist",
                USD_CENTS.id
            ),
        )),
        _ => Ok(()),
    }
}

pub const USD_CENTS: CreditType = CreditType {
    id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2",
    name: "USD (cents)",
};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invoice {
    pub id: String,
    pub customer_id: String,
    pub contract_id: String,
    #[serde(rename = "type")]
    pub kind: InvoiceType,
    pub status: InvoiceStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_timestamp: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_timestamp: Option<Timestamp>,
    pub issued_at: Timestamp,
    pub credit_type: CreditType,
    pub total: Money,
    pub line_items: Vec<LineItem>,
}

impl Invoice {
    /// The instant that filters compare on: a usage invoice's period start, a scheduled invoice's date.
    pub fn period_start(&self) -> Timestamp {
        self.start_timestamp.unwrap_or(self.issued_at)
    }
    pub fn period_end(&self) -> Timestamp {
        self.end_timestamp.unwrap_or(self.issued_at)
    }
    /// The invoice total is the exact sum of its lines (each already rounded to cents).
    pub fn retotal(&mut self) -> crate::money::Checked<()> {
        self.total = Money::sum(self.line_items.iter().map(|l| l.total))?;
        Ok(())
    }
}
