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
    /// A subscription's charge for a period (seats × price), or an increase's prorated remainder.
    Subscription,
    Scheduled,
    CommitPurchase,
    AppliedCommitOrCredit,
    PostpaidTrueup,
    /// What usage priced in a custom pricing unit leaves unpaid, in the invoice's currency.
    Conversion,
    /// A contract discount on its date: a negative amount.
    Discount,
    /// A COMPOSITE product's charge: a percentage of the period's spend on the products it names.
    Composite,
    /// Professional services invoiced as they are done.
    ProfessionalService,
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
    /// Only on a line in another credit type than its invoice's (usage priced in a custom pricing
    /// unit, and what balances in that unit paid on it): not counted in the invoice total; a
    /// `conversion` line brings what is left of it into the invoice's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_type: Option<CreditType>,
    /// The list price of the same unit, which a commit-specific multiplier scales (not shown).
    #[serde(skip)]
    pub list_unit_price: Option<Decimal>,
    /// The priced piece of usage this line shows (all or part of), which bounds what balances pay.
    #[serde(skip)]
    pub piece: Option<usize>,
    /// What rating knew of the line that the line does not show, kept to explain it on request.
    #[serde(skip)]
    pub trace: Trace,
    /// Why the line costs what it does: only when the list was asked with `explain=true`, so answers
    /// without it stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl LineItem {
    /// A line of its figures alone: no group values, tier, balance, credit type of its own or trace.
    pub fn plain(
        name: String,
        kind: LineType,
        product_id: String,
        (quantity, unit_price): (Decimal, Decimal),
        total: Money,
        (starting_at, ending_before): (Timestamp, Timestamp),
    ) -> LineItem {
        LineItem {
            name,
            kind,
            product_id,
            quantity,
            unit_price,
            total,
            starting_at,
            ending_before,
            pricing_group_values: IndexMap::new(),
            presentation_group_values: IndexMap::new(),
            tier: None,
            commit_id: None,
            credit_type: None,
            list_unit_price: None,
            piece: None,
            trace: Trace::default(),
            explanation: None,
        }
    }
}

/// What rating knew of a line beyond its figures. Cheap to keep, so every rating keeps it; only
/// `crate::explain` reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// A usage line: the metric's aggregate over its piece, before conversion and rounding.
    pub metered: Option<Decimal>,
    /// A usage line: units of the period's line before and after its piece (tiers count across
    /// pieces, and LOWEST_MULTIPLIER judges on this band).
    pub span: Option<(Decimal, Decimal)>,
    /// A line a balance paid, or its applied line: that balance, before and after this draw.
    pub balance: Option<BalanceTrace>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BalanceTrace {
    pub name: String,
    pub kind: crate::balance::BalanceKind,
    pub window: crate::time::Window,
    pub before: Money,
    pub after: Money,
}

/// A line's figures worked out step by step, in the order rating works them out.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub steps: Vec<Step>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Metered aggregate, conversion and rounding to the billed quantity.
    Quantity,
    /// The rate card's rate in force (or that there is none).
    ListPrice,
    /// The override that priced the line, and why it won; or one in force that lost.
    Override,
    /// The tier band the line's units fall in.
    Tier,
    /// Where and why the line was cut from the rest of its period.
    Split,
    /// The commit or credit that paid, with its balance before and after.
    Drawdown,
    /// Quantity times unit price, and the rounding of the total.
    Rounding,
    /// A scheduled charge, commit purchase, true-up or conversion: where it comes from.
    Source,
}

/// One step: a sentence for a reader, and the ids and figures it names, for a program.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    /// A split's instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_before: Option<Money>,
    /// What the balance has left after this line: an applied line's "balance left".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_after: Option<Money>,
}

impl Step {
    pub fn new(kind: StepKind, text: String) -> Step {
        Step {
            kind,
            text,
            rate_card_id: None,
            override_id: None,
            commit_id: None,
            at: None,
            balance_before: None,
            balance_after: None,
        }
    }
}

/// The credit type an invoice (or a line in another credit type) is counted in, as Metronome shows it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditType {
    pub id: String,
    pub name: String,
}

impl From<crate::credit_type::CreditType> for CreditType {
    fn from(c: crate::credit_type::CreditType) -> Self {
        CreditType { id: c.id, name: c.name }
    }
}

impl CreditType {
    pub fn usd_cents() -> CreditType {
        crate::credit_type::CreditType::usd_cents().into()
    }
}

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
    /// The contract's payment terms: the invoice is due this many days after `issued_at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_payment_terms_days: Option<u32>,
}

impl Invoice {
    /// The instant that filters compare on: a usage invoice's period start, a scheduled invoice's date.
    pub fn period_start(&self) -> Timestamp {
        self.start_timestamp.unwrap_or(self.issued_at)
    }
    pub fn period_end(&self) -> Timestamp {
        self.end_timestamp.unwrap_or(self.issued_at)
    }
    /// The invoice total is the exact sum of its lines in its own credit type (each already rounded).
    pub fn retotal(&mut self) -> crate::money::Checked<()> {
        self.total = Money::sum(
            self.line_items
                .iter()
                .filter(|l| l.credit_type.is_none())
                .map(|l| l.total),
        )?;
        Ok(())
    }

    /// The credit type a line is counted in: its own, or the invoice's.
    pub fn credit_type_of<'a>(&'a self, line: &'a LineItem) -> &'a CreditType {
        line.credit_type.as_ref().unwrap_or(&self.credit_type)
    }
}
