//! Invoices as Tally shows them: USAGE invoices, one per service period per contract, and SCHEDULED
//! invoices for charges and commit purchases on their dates.

use crate::money::{as_number, as_opt_number, Money};
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

/// Which kind of invoice this is, as `type` on the invoice.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvoiceType {
    /// One service period of a contract's usage, with what is consolidated onto it.
    Usage,
    /// Items billed on their own date: scheduled charges, commit purchases, true-ups, discounts,
    /// professional services.
    Scheduled,
    /// A spend threshold charge, billed the hour spend reaches the threshold.
    Threshold,
}

/// Whether an invoice's figures can still change.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvoiceStatus {
    /// Its period (or date) has not yet ended at the rating time: the figures may still change.
    Draft,
    /// Its period (or date) has ended at the rating time: the figures are final.
    Finalized,
}

/// What a line bills, as `type` on the line.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    /// Usage of a USAGE product at its rate; a part a commit or credit pays carries that balance's
    /// `commit_id`.
    Usage,
    /// A subscription's charge for a period (seats × price), or an increase's prorated remainder.
    Subscription,
    /// A contract's scheduled charge, on its date.
    Scheduled,
    /// The purchase of a prepaid commit (or a recharge, or a spend threshold charge), on the date
    /// it is billed.
    CommitPurchase,
    /// What a prepaid commit or credit (or an earlier spend threshold charge) paid of the usage: a
    /// negative amount, taken off the invoice.
    AppliedCommitOrCredit,
    /// What a postpaid commit left unspent by its invoice date, billed then.
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

/// The tier band a tiered usage line's units fall in.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierInfo {
    /// The band's position among the rate's tiers, from 1.
    pub level: u32,
    /// The unit of the period at which the band begins (0 for the first band).
    #[serde(serialize_with = "as_number")]
    pub starting_at: Decimal,
    /// How many units the band holds; omitted for the last band, which is unbounded.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub size: Option<Decimal>,
}

/// One line of an invoice.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    /// The line's label: the product's name, or the commit's, credit's or charge's.
    pub name: String,
    /// What the line bills.
    #[serde(rename = "type")]
    pub kind: LineType,
    /// The product the line bills (for an applied commit or credit line, the balance's product).
    pub product_id: String,
    /// Units billed, after the product's conversion and rounding; 1 for a one-off amount.
    #[serde(serialize_with = "as_number")]
    pub quantity: Decimal,
    /// Price per unit in the line's credit type (e.g. USD cents), after overrides; negative on
    /// lines that take money off.
    #[serde(serialize_with = "as_number")]
    pub unit_price: Decimal,
    /// The line's amount in its credit type (e.g. USD cents), quantity × unit price rounded by the
    /// credit type's rule.
    pub total: Money,
    /// Start of what the line bills (inclusive); for an item billed on a date, that date.
    pub starting_at: Timestamp,
    /// End of what the line bills (exclusive); for an item billed on a date, that same date.
    pub ending_before: Timestamp,
    /// The line's values of the product's `pricing_group_key` properties; omitted when none.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub pricing_group_values: IndexMap<String, String>,
    /// The line's values of the product's `presentation_group_key` properties; omitted when none.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub presentation_group_values: IndexMap<String, String>,
    /// On a tiered usage line: the band its units fall in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierInfo>,
    /// The commit or credit that paid this part of the usage, or that the line buys, applies or
    /// trues up.
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

/// A balance around one draw on a line: what an explanation says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceTrace {
    /// The commit's or credit's name.
    pub name: String,
    /// Whether it is a prepaid commit, a postpaid commit or a credit.
    pub kind: crate::balance::BalanceKind,
    /// When the balance can be spent.
    pub window: crate::time::Window,
    /// What it had left before this draw, in its credit type.
    pub before: Money,
    /// What it has left after this draw, in its credit type.
    pub after: Money,
}

/// A line's figures worked out step by step, in the order rating works them out.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// Which step of working out a line this is.
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
    /// Which step this is.
    pub kind: StepKind,
    /// The step in a sentence for a reader.
    pub text: String,
    /// The rate card the list price comes from (a `list_price` step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    /// The override the step names (an `override` step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_id: Option<String>,
    /// The commit or credit that paid (a `drawdown` step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    /// A split's instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// What the balance had left before this line (a `drawdown` step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_before: Option<Money>,
    /// What the balance has left after this line: an applied line's "balance left".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_after: Option<Money>,
}

impl Step {
    /// A step with its kind and sentence, naming no id or figure yet.
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
    /// The credit type's id (USD cents: `2714e483-4ff1-48e4-9e25-ac732e8f24f2`).
    pub id: String,
    /// The credit type's name, e.g. `USD (cents)`.
    pub name: String,
}

impl From<crate::credit_type::CreditType> for CreditType {
    fn from(c: crate::credit_type::CreditType) -> Self {
        CreditType { id: c.id, name: c.name }
    }
}

impl CreditType {
    /// USD (cents), the default credit type.
    pub fn usd_cents() -> CreditType {
        crate::credit_type::CreditType::usd_cents().into()
    }
}

/// An invoice of one contract, as Tally rates it now.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invoice {
    /// The invoice's id, stable across ratings: the contract id, the kind and the issue date.
    pub id: String,
    /// The customer invoiced.
    pub customer_id: String,
    /// The contract the invoice bills.
    pub contract_id: String,
    /// USAGE, SCHEDULED or THRESHOLD.
    #[serde(rename = "type")]
    pub kind: InvoiceType,
    /// DRAFT while its period (or date) is still open at the rating time, FINALIZED after.
    pub status: InvoiceStatus,
    /// A USAGE invoice's service period start (inclusive); omitted on other invoices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_timestamp: Option<Timestamp>,
    /// A USAGE invoice's service period end (exclusive); omitted on other invoices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_timestamp: Option<Timestamp>,
    /// The invoice's date: a USAGE invoice's period end, another invoice's billing date.
    pub issued_at: Timestamp,
    /// The credit type the invoice is counted in: the contract's currency, or an item's own credit
    /// type.
    pub credit_type: CreditType,
    /// The sum of the lines in the invoice's credit type (lines in another credit type are left
    /// out), e.g. in USD cents.
    pub total: Money,
    /// The invoice's lines.
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
    /// The instant an invoice ends: a usage invoice's period end, another invoice's date.
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
