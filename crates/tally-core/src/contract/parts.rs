//! The smaller terms of a contract: how it follows an earlier one (`Transition`), its scheduled
//! charges and discounts, its usage filters, and how its scheduled items are consolidated.

use crate::case::api_enum;
use crate::error::{join_path, Error, Result};
use crate::schedule::Schedule;
use crate::time::Timestamp;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

api_enum!(Consolidation { All = "ALL" });
api_enum!(TransitionType { Supersede = "SUPERSEDE", Renewal = "RENEWAL" });
api_enum!(TrueupBehavior { Remove = "REMOVE", AsIs = "AS_IS" });

/// How a contract follows an earlier one of the customer: a RENEWAL starts where it ended, a
/// SUPERSEDE ends it at the new start. Either way the earlier contract's prepaid commits with a
/// `rollover_fraction` carry that share of what they have left into the new contract.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Transition {
    /// The customer's earlier contract that this one renews or supersedes (each only once).
    pub from_contract_id: String,
    /// RENEWAL: this contract starts where the earlier one ends; SUPERSEDE: the earlier one ends at
    /// this one's start.
    #[serde(rename = "type")]
    pub kind: TransitionType,
    /// What becomes of the earlier contract's postpaid true-ups due after the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub future_invoice_behavior: Option<FutureInvoiceBehavior>,
}

/// `transition.future_invoice_behavior`: the earlier contract's invoices after the transition.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FutureInvoiceBehavior {
    /// REMOVE drops the earlier contract's postpaid true-ups dated after the transition; AS_IS
    /// (the default) bills them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trueup: Option<TrueupBehavior>,
}

impl Transition {
    /// Whether the earlier contract's postpaid true-ups after the transition are dropped (`REMOVE`).
    pub fn removes_trueups(&self) -> bool {
        self.future_invoice_behavior.as_ref().and_then(|f| f.trueup) == Some(TrueupBehavior::Remove)
    }
}

/// A charge billed on fixed dates (`scheduled_charges[]`); `discounts[]` take the same shape and
/// bill its amounts negated.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduledCharge {
    /// Given by Tally when the body has none.
    #[serde(default)]
    pub id: String,
    /// The product it is sold as; its lines carry it, and take its name when `name` is absent.
    pub product_id: String,
    /// The name of its invoice lines; absent: the product's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The dates and amounts it bills, in a fiat currency; each date is a SCHEDULED invoice of its
    /// own unless the contract consolidates it onto a usage invoice.
    pub schedule: Schedule,
    /// An internal note, kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your key-value metadata, kept and answered back.
    #[serde(default)]
    pub custom_fields: IndexMap<String, String>,
    /// Inert metadata (the NetSuite order this term comes from), kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
}

/// Only events whose `group_key` property is one of `group_values` count on the contract, from
/// `starting_at` (absent: from the contract's start) until the next filter takes over.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UsageFilter {
    /// The event property that decides which events count.
    pub group_key: String,
    /// The values of `group_key` whose events count on the contract; at least one.
    pub group_values: Vec<String>,
    /// When the filter takes effect (inclusive); absent: the contract's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_at: Option<Timestamp>,
}

/// A filter's shape: a non-blank `group_key` and at least one value; `path` is where it sits.
pub fn validate_filter(f: &UsageFilter, path: &str) -> Result<()> {
    if f.group_key.trim().is_empty() {
        return Err(Error::invalid(
            join_path(path, "group_key"),
            "a usage filter needs a group_key",
        ));
    }
    if f.group_values.is_empty() {
        return Err(Error::invalid(
            join_path(path, "group_values"),
            "a usage filter needs at least one group value",
        ));
    }
    Ok(())
}
