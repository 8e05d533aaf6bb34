//! The bodies of the contract calls, apart from the stored `Contract`: what a caller may send is
//! what these types define, and nothing Tally works out itself (the ids it makes, a usage filter's
//! history, the professional-services invoices scheduled later) can be sent in its place. The create
//! body, `NewContract`, is declared with the contract itself (`record!`, one field list for both).
//!
//! Unknown fields: `error::parse` refuses any field a request type does not define, at its path and
//! with the `unknown_field` code (`not_supported` for a field Metronome defines and Tally does not).
//! That reaches every nested term, which `#[serde(deny_unknown_fields)]` would too, but serde's own
//! refusal would come out as a plain `invalid_body`; so these types rely on `parse` and do not carry
//! the attribute.

use crate::balance::{CommitTerm, CreditTerm};
use crate::commit::RecurringCommit;
pub use crate::contract::NewContract;
use crate::contract::ScheduledCharge;
use crate::overrides::OverrideRule;
use crate::time::Timestamp;
use crate::{services, subscription};
use serde::Deserialize;

/// `POST /v2/contracts/edit`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ContractEdit {
    /// The customer whose contract is edited.
    pub customer_id: String,
    /// The contract to edit; the edit applies whole or not at all.
    pub contract_id: String,
    /// Overrides added to the contract.
    #[serde(default)]
    pub add_overrides: Vec<OverrideRule>,
    /// Commits added to the contract.
    #[serde(default)]
    pub add_commits: Vec<CommitTerm>,
    /// Credits added to the contract.
    #[serde(default)]
    pub add_credits: Vec<CreditTerm>,
    /// Scheduled charges added to the contract.
    #[serde(default)]
    pub add_scheduled_charges: Vec<ScheduledCharge>,
    /// Recurring commits added to the contract.
    #[serde(default)]
    pub add_recurring_commits: Vec<RecurringCommit>,
    /// Recurring credits added to the contract.
    #[serde(default)]
    pub add_recurring_credits: Vec<RecurringCommit>,
    /// Discounts added to the contract.
    #[serde(default)]
    pub add_discounts: Vec<ScheduledCharge>,
    /// Professional services added to the contract.
    #[serde(default)]
    pub add_professional_services: Vec<services::ProfessionalService>,
    /// Subscriptions added to the contract.
    #[serde(default)]
    pub add_subscriptions: Vec<subscription::Subscription>,
    /// Quantity changes to the contract's existing subscriptions, each naming its
    /// `subscription_id`.
    #[serde(default)]
    pub update_subscriptions: Vec<subscription::SubscriptionUpdate>,
    /// The contract's new name; not blank.
    #[serde(default)]
    pub update_contract_name: Option<String>,
    /// New payment terms: each of the contract's invoices is due this many days after it is issued.
    #[serde(default)]
    pub update_net_payment_terms_days: Option<u32>,
    /// A new end (exclusive), after the contract's start: terms past it are cut, as
    /// `POST /v1/contracts/updateEndDate` cuts them.
    #[serde(default)]
    pub update_contract_end_date: Option<Timestamp>,
}

/// `POST /v1/contracts/setUsageFilter`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetUsageFilter {
    /// The customer whose contract it is.
    pub customer_id: String,
    /// The contract whose usage is filtered.
    pub contract_id: String,
    /// The event property that decides which events count.
    pub group_key: String,
    /// The values of `group_key` whose events count on the contract; at least one.
    pub group_values: Vec<String>,
    /// When the filter takes effect (inclusive); it replaces any filter set for the same instant
    /// and holds until the next one.
    pub starting_at: Timestamp,
}

/// `POST /v1/contracts/updateEndDate`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateEndDate {
    /// The customer whose contract it is.
    pub customer_id: String,
    /// The contract whose end moves.
    pub contract_id: String,
    /// The new end (exclusive), after the contract's start; terms past it are cut. Absent:
    /// open-ended.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
}
