//! Commits and credits: balances a customer draws down with usage. A commit is bought (prepaid, on an
//! invoice schedule; complimentary without one) or promised (postpaid, trued up at its invoice date);
//! a credit is given. Each has an access schedule: segments of an amount usable in a window.

use crate::calendar::{grid_cell, recurring_boundaries, Frequency};
use crate::case::api_enum;
use crate::error::{join_path, Error, Result};
use crate::money::{Checked, Money, Quantity};
use crate::schedule::Schedule;
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(CommitType { Prepaid = "PREPAID", Postpaid = "POSTPAID" });
api_enum!(Proration { None = "NONE", First = "FIRST", Last = "LAST", FirstAndLast = "FIRST_AND_LAST" });
api_enum!(DurationUnit { Periods = "PERIODS" });
// Without a rate's `commit_rate` (refused until supported) both price draw-down at the rate itself.
api_enum!(CommitRateType { CommitRate = "COMMIT_RATE", ListRate = "LIST_RATE" });

/// One segment of an access schedule: `amount` usable on usage in `[starting_at, ending_before)`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessItem {
    /// What the segment can pay, in the schedule's credit type (USD cents by default); not negative.
    pub amount: Decimal,
    /// The first instant whose usage it can pay for (inclusive, RFC 3339).
    pub starting_at: Timestamp,
    /// When it expires (exclusive): usage from then on is not covered by it.
    pub ending_before: Timestamp,
}

/// How much of a commit or credit can be used, and when.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AccessSchedule {
    /// Its segments, each an amount with its own window; at least one.
    #[serde(default)]
    pub schedule_items: Vec<AccessItem>,
    /// The credit type of the amounts (USD cents when absent): the balance pays only lines priced in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_type_id: Option<String>,
}

/// Commits and credits share one shape; credits have no `type` and no invoice schedule.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Commit {
    /// Given by Tally when the body has none; covered and applied invoice lines carry it as `commit_id`.
    #[serde(default)]
    pub id: String,
    /// PREPAID (bought up front, or complimentary) or POSTPAID (trued up at its invoice date).
    /// Required on a commit; a credit has none.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CommitType>,
    /// The name on its invoice lines; absent: "Commit" or "Credit".
    #[serde(default)]
    pub name: Option<String>,
    /// The product it is sold as; its purchase, true-up and applied lines carry it.
    pub product_id: String,
    /// What it can pay, and when.
    pub access_schedule: AccessSchedule,
    /// How it is billed: a PREPAID commit's purchase dates (absent: complimentary), a POSTPAID
    /// commit's one true-up date for its whole access amount. Refused on a credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_schedule: Option<Schedule>,
    /// The products whose usage it may pay for; with no ids and no tags, every product.
    #[serde(default)]
    pub applicable_product_ids: Vec<String>,
    /// Products carrying one of these tags may draw on it too.
    #[serde(default)]
    pub applicable_product_tags: Vec<String>,
    /// Draw-down order: lower draws first (after the rollover and prepaid-before-postpaid rules);
    /// absent: after those with one.
    #[serde(default)]
    pub priority: Option<Decimal>,
    /// Accepted as Metronome's; Tally prices draw-down at the rate itself either way (a rate's
    /// `commit_rate` is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_type: Option<CommitRateType>,
    /// An internal note (Metronome does not show it to end customers), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your key-value metadata, kept and answered back.
    #[serde(default)]
    pub custom_fields: IndexMap<String, String>,
    /// Inert metadata (the NetSuite order this term comes from), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
    /// The share (0 to 1) of what is left unspent at a renewal that becomes a commit on the new
    /// contract (`transition` on the new contract's create body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollover_fraction: Option<Decimal>,
}

/// An amount as `unit_price` × `quantity`: a recurring commit's access or invoice amount per period.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitAmount {
    /// Price per unit, in the credit type's unit (USD cents by default).
    pub unit_price: Decimal,
    /// Units; 1 when absent.
    #[serde(default)]
    pub quantity: Option<Decimal>,
    /// USD cents when absent; an invoice amount must be in a fiat currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_type_id: Option<String>,
}

impl UnitAmount {
    /// `unit_price` × `quantity` (1 when absent), checked.
    pub fn total(&self) -> Checked<Money> {
        Money::of(Quantity::new(self.quantity.unwrap_or(Decimal::ONE)), self.unit_price)
    }
}

/// How long each balance of a recurring commit or credit stays usable.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitDuration {
    /// Number of periods from the balance's start (at least 1), never past the contract's end.
    pub value: u32,
    /// Only PERIODS (the default): periods of the recurrence frequency.
    #[serde(default)]
    pub unit: Option<DurationUnit>,
}

/// A commit or credit granted anew each period (`recurring_commits[]`, `recurring_credits[]`),
/// on the contract's statement grid; a partial first or last period is prorated.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecurringCommit {
    /// Given by Tally when the body has none; each period's balance carries it as `commit_id`.
    #[serde(default)]
    pub id: String,
    /// The product it is sold as; its purchase and applied lines carry it.
    pub product_id: String,
    /// The name on its lines; absent: "Recurring commit" or "Recurring credit".
    #[serde(default)]
    pub name: Option<String>,
    /// What each full period's balance holds (per seat with `subscription_config`).
    pub access_amount: UnitAmount,
    /// What a recurring commit bills at each period's start, prorated like access; absent or zero:
    /// complimentary. Never billed for a recurring credit.
    #[serde(default)]
    pub invoice_amount: Option<UnitAmount>,
    /// How many periods each balance stays usable; absent: one.
    #[serde(default)]
    pub commit_duration: Option<CommitDuration>,
    /// Period length; absent: the contract's usage statement frequency.
    #[serde(default)]
    pub recurrence_frequency: Option<Frequency>,
    /// Which partial periods are prorated: FIRST_AND_LAST when absent; NONE grants them in full.
    #[serde(default)]
    pub proration: Option<Proration>,
    /// Draw-down order of each balance, as on a commit: lower first; absent: after those with one.
    #[serde(default)]
    pub priority: Option<Decimal>,
    /// The share (0 to 1) of what a period's balance has left at its end that carries into the next
    /// period's; absent: the rest expires.
    #[serde(default)]
    pub rollover_fraction: Option<Decimal>,
    /// When the first period's balance starts (inclusive).
    pub starting_at: Timestamp,
    /// No balance is granted from here on (exclusive); absent: until the contract ends.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// The products whose usage it may pay for; with no ids and no tags, every product.
    #[serde(default)]
    pub applicable_product_ids: Vec<String>,
    /// Products carrying one of these tags may draw on it too.
    #[serde(default)]
    pub applicable_product_tags: Vec<String>,
    /// An internal note, kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A balance granted per seat of a subscription of the same contract, pooled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_config: Option<SubscriptionConfig>,
    /// Inert metadata (the NetSuite order this term comes from), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
}

api_enum!(Allocation { Pooled = "POOLED", Individual = "INDIVIDUAL" });

/// `subscription_config`: the subscription whose seats the balance is granted for, and how.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubscriptionConfig {
    /// The contract's subscription, by id or by the `temporary_id` it has in the same body.
    pub subscription_id: String,
    /// Only POOLED (one balance for all seats) is supported; INDIVIDUAL is refused.
    pub allocation: Allocation,
}

impl Commit {
    /// The credit type of the balance (its access schedule's): USD cents unless the body names one.
    pub fn credit_type_id(&self) -> &str {
        self.access_schedule
            .credit_type_id
            .as_deref()
            .unwrap_or(crate::credit_type::USD_CENTS_ID)
    }

    /// The name on its invoice lines: `name`, else "Commit" or "Credit".
    pub fn display_name(&self) -> String {
        let fallback = if self.kind.is_none() { "Credit" } else { "Commit" };
        self.name.clone().unwrap_or_else(|| fallback.to_string())
    }

    /// Parses the body into the balance the engine draws on, naming the field it refuses;
    /// `is_credit` says which list the body came from (credits take no `type`).
    pub fn parse(&self, path: &str, is_credit: bool) -> Result<Billing> {
        let at = |f: &str| join_path(path, f);
        if is_credit && self.kind.is_some() {
            return Err(Error::invalid(at("type"), "a credit has no type"));
        }
        if !is_credit && self.kind.is_none() {
            return Err(Error::invalid(at("type"), "a commit needs a type: PREPAID or POSTPAID"));
        }
        let items = &self.access_schedule.schedule_items;
        if items.is_empty() {
            return Err(Error::invalid(
                at("access_schedule.schedule_items"),
                "an access schedule needs at least one item",
            ));
        }
        for (i, it) in items.iter().enumerate() {
            let p = at(&format!("access_schedule.schedule_items[{i}]"));
            if it.amount < Decimal::ZERO {
                return Err(Error::invalid(join_path(&p, "amount"), "an amount cannot be negative"));
            }
            if it.ending_before <= it.starting_at {
                return Err(Error::invalid(
                    join_path(&p, "ending_before"),
                    "ending_before must be after starting_at",
                ));
            }
        }
        if let Some(f) = self.rollover_fraction {
            if is_credit {
                return Err(Error::invalid(at("rollover_fraction"), "a credit does not roll over"));
            }
            if self.kind == Some(CommitType::Postpaid) {
                return Err(Error::invalid(
                    at("rollover_fraction"),
                    "Tally rolls over prepaid commits only: a POSTPAID commit's shortfall is trued up instead",
                ));
            }
            if f < Decimal::ZERO || f > Decimal::ONE {
                return Err(Error::invalid(
                    at("rollover_fraction"),
                    "a rollover fraction is between 0 and 1",
                ));
            }
        }
        if is_credit && self.invoice_schedule.is_some() {
            return Err(Error::invalid(
                at("invoice_schedule"),
                "a credit has no invoice schedule",
            ));
        }
        if self.kind == Some(CommitType::Postpaid) {
            let s = self
                .invoice_schedule
                .as_ref()
                .ok_or_else(|| Error::invalid(at("invoice_schedule"), "a POSTPAID commit needs an invoice schedule"))?;
            if !crate::credit_type::is_currency(self.credit_type_id()) {
                return Err(Error::invalid(
                    at("access_schedule.credit_type_id"),
                    "a POSTPAID commit is trued up in money: its access is in a fiat currency, not a custom pricing unit",
                ));
            }
            if s.credit_type_id() != self.credit_type_id() {
                return Err(Error::invalid(
                    at("invoice_schedule.credit_type_id"),
                    "a POSTPAID commit is invoiced in the credit type of its access schedule",
                ));
            }
            if s.items.len() != 1 || s.recurring.is_some() {
                return Err(Error::invalid(
                    at("invoice_schedule.schedule_items"),
                    "a POSTPAID commit's invoice schedule has exactly one item",
                ));
            }
            let access = Money::sum(items.iter().map(|i| Money::cents(i.amount)));
            let invoiced = s.total(Timestamp(chrono::DateTime::<chrono::Utc>::MAX_UTC));
            let scale = crate::credit_type::scale(self.credit_type_id());
            if access.is_err() || invoiced != access.map(|a| a.rounded(scale)) {
                return Err(Error::invalid(
                    at("invoice_schedule.schedule_items[0]"),
                    "a POSTPAID commit's invoice amount must equal its access amount",
                ));
            }
            return Ok(Billing::Promised(s.clone()));
        }
        Ok(match (&self.kind, &self.invoice_schedule) {
            (None, _) => Billing::Granted,
            (_, Some(s)) => Billing::Bought(s.clone()),
            (_, None) => Billing::Complimentary,
        })
    }
}

/// How a balance is paid for: the closed set behind a commit's `type` and invoice schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Billing {
    /// A credit: granted, never billed.
    Granted,
    /// A prepaid commit with no invoice schedule: given.
    Complimentary,
    /// A prepaid commit, billed on its invoice schedule (one that bills nothing is given, too).
    Bought(Schedule),
    /// A postpaid commit: usage draws it down, and its one invoice date trues up what was not used.
    Promised(Schedule),
}

impl RecurringCommit {
    /// The name on its invoice lines: `name`, else "Recurring commit" or "Recurring credit".
    pub fn display_name(&self, credit: bool) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| if credit { "Recurring credit" } else { "Recurring commit" }.to_string())
    }

    /// Shape rules, naming the refused field under `path`.
    pub fn validate(&self, path: &str) -> Result<()> {
        let at = |f: &str| join_path(path, f);
        if let Some(id) = self.invoice_amount.as_ref().and_then(|a| a.credit_type_id.as_deref()) {
            if !crate::credit_type::is_currency(id) {
                return Err(Error::invalid(
                    at("invoice_amount.credit_type_id"),
                    "a purchase is invoiced in a fiat currency, not a custom pricing unit",
                ));
            }
        }
        if self.access_amount.total().is_err() {
            return Err(Error::invalid(
                at("access_amount.quantity"),
                "unit_price × quantity is beyond what Tally can represent (about 7.9e28 cents)",
            ));
        }
        if self.invoice_amount.as_ref().is_some_and(|a| a.total().is_err()) {
            return Err(Error::invalid(
                at("invoice_amount.quantity"),
                "unit_price × quantity is beyond what Tally can represent (about 7.9e28 cents)",
            ));
        }
        if self.access_amount.unit_price < Decimal::ZERO
            || self.access_amount.quantity.is_some_and(|q| q < Decimal::ZERO)
        {
            return Err(Error::invalid(
                at("access_amount.unit_price"),
                "an amount cannot be negative",
            ));
        }
        if let Some(a) = &self.invoice_amount {
            if a.unit_price < Decimal::ZERO {
                return Err(Error::invalid(
                    at("invoice_amount.unit_price"),
                    "an amount cannot be negative",
                ));
            }
        }
        if self.ending_before.is_some_and(|e| e <= self.starting_at) {
            return Err(Error::invalid(
                at("ending_before"),
                "ending_before must be after starting_at",
            ));
        }
        if self.commit_duration.as_ref().is_some_and(|d| d.value == 0) {
            return Err(Error::invalid(
                at("commit_duration.value"),
                "a commit lasts at least one period",
            ));
        }
        if self
            .rollover_fraction
            .is_some_and(|f| f < Decimal::ZERO || f > Decimal::ONE)
        {
            return Err(Error::invalid(
                at("rollover_fraction"),
                "rollover_fraction is between 0 and 1",
            ));
        }
        Ok(())
    }

    /// The periods of this recurring balance, on the contract's statement grid (`anchor`), each with
    /// the fraction of a full period's amount it gets: a partial first or last period is prorated by
    /// its share of the whole period (as `proration` allows); a full one gets 1.
    pub fn periods(
        &self,
        anchor: Timestamp,
        statement_months: i64,
        end: Option<Timestamp>,
        horizon: Timestamp,
    ) -> Vec<(Timestamp, Timestamp, Decimal)> {
        let months = self
            .recurrence_frequency
            .map(Frequency::months)
            .unwrap_or(statement_months);
        let end = match (self.ending_before, end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let proration = self.proration.unwrap_or(Proration::FirstAndLast);
        let first_ok = matches!(proration, Proration::First | Proration::FirstAndLast);
        let last_ok = matches!(proration, Proration::Last | Proration::FirstAndLast);
        recurring_boundaries(anchor, months, self.starting_at, end, horizon)
            .into_iter()
            .map(|(a, b)| {
                let (cell_start, cell_end) = grid_cell(anchor, months, a);
                let partial_first = a > cell_start;
                let partial_last = b < cell_end;
                let fraction = if (partial_first && first_ok) || (partial_last && last_ok) {
                    let whole = (cell_end.0 - cell_start.0).num_seconds().max(1);
                    Decimal::from((b.0 - a.0).num_seconds()) / Decimal::from(whole)
                } else {
                    Decimal::ONE
                };
                (a, b, fraction)
            })
            .collect()
    }
}
