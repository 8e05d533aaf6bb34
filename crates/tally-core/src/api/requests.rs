//! The bodies of the contract calls, apart from the stored `Contract`: what a caller may send is
//! what these types define, and nothing Tally works out itself (the ids it makes, a usage filter's
//! history, the professional-services invoices scheduled later) can be sent in its place.
//!
//! Unknown fields: `error::parse` refuses any field a request type does not define, at its path and
//! with the `unknown_field` code (`not_supported` for a field Metronome defines and Tally does not).
//! That reaches every nested term, which `#[serde(deny_unknown_fields)]` would too, but serde's own
//! refusal would come out as a plain `invalid_body`; so these types rely on `parse` and do not carry
//! the attribute.

use crate::balance::{CommitTerm, CreditTerm};
use crate::calendar::UsageStatementSchedule;
use crate::commit::RecurringCommit;
use crate::contract::{Consolidation, Contract, ScheduledCharge, Transition, UsageFilter};
use crate::overrides::{OverrideRule, Prioritization};
use crate::threshold::{PrepaidBalanceThreshold, SpendThreshold};
use crate::time::Timestamp;
use crate::{services, subscription};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// `POST /v1/contracts/create`: a contract as the customer signs it. `id` is Tally's own (Metronome
/// makes every id): given, it names the contract, so scenario files can refer to it; absent, Tally
/// makes one.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewContract {
    /// The contract's id (Tally's own field); absent: Tally makes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The customer the contract bills; must exist.
    pub customer_id: String,
    /// A display name; nothing is billed by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the contract starts (inclusive); periods and usage count from here.
    pub starting_at: Timestamp,
    /// When it ends (exclusive); absent: open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<Timestamp>,
    /// The rate card that lists its prices; its usage invoices are in the card's currency (USD
    /// cents without a card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    /// Chooses the rate card by alias instead of `rate_card_id`: the card holding the alias at
    /// `starting_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_card_alias: Option<String>,
    /// Prepaid and postpaid commits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<CommitTerm>,
    /// Credits: granted, never billed, drawn before paid commits of equal priority.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<CreditTerm>,
    /// Commits granted anew each period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurring_commits: Vec<RecurringCommit>,
    /// Credits granted anew each period (the shape of a recurring commit; never billed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurring_credits: Vec<RecurringCommit>,
    /// Charges billed on their schedule's dates, never drawn on by commits or credits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scheduled_charges: Vec<ScheduledCharge>,
    /// When its usage invoices close; absent: monthly, on the first of the month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_statement_schedule: Option<UsageStatementSchedule>,
    /// Changes to its list prices and entitlements; one applies per line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<OverrideRule>,
    /// Negative charges on a schedule (the shape of a scheduled charge): a discount line on each date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<ScheduledCharge>,
    /// Work sold up to `max_amount`, invoiced as it is done (`scheduleProServicesInvoice`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub professional_services: Vec<services::ProfessionalService>,
    /// Seats and other SUBSCRIPTION products, billed per period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<subscription::Subscription>,
    /// Only events whose `group_key` property is one of `group_values` count on the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_filter: Option<UsageFilter>,
    /// ALL: a scheduled item (charge, purchase, true-up) dated at a usage invoice's end goes on
    /// that invoice; absent: each on a SCHEDULED invoice of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_charges_on_usage_invoices: Option<Consolidation>,
    /// Which MULTIPLIER or TIERED override applies: LOWEST_MULTIPLIER (default) the one that costs
    /// the line least, EXPLICIT the lowest `priority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier_override_prioritization: Option<Prioritization>,
    /// Free-form key/value metadata, kept and answered back.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub custom_fields: IndexMap<String, String>,
    /// Inert metadata (other systems' ids and configurations), kept and answered back unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netsuite_sales_order_id: Option<String>,
    /// Inert metadata (the Salesforce opportunity this contract comes from), kept and answered
    /// back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salesforce_opportunity_id: Option<String>,
    /// Inert metadata (the billing provider Metronome would deliver invoices to), kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_provider_configuration: Option<serde_json::Value>,
    /// Inert metadata (the revenue-recognition system Metronome would feed), kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_system_configuration: Option<serde_json::Value>,
    /// Inert metadata (the contract's value as sold), kept and answered back; nothing is billed by
    /// it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::money::as_opt_number"
    )]
    pub total_contract_value: Option<rust_decimal::Decimal>,
    /// Payment terms: each invoice of the contract is due this many days after it is issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_payment_terms_days: Option<u32>,
    /// The earlier contract this one renews or supersedes, and what becomes of its true-ups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<Transition>,
    /// Auto-recharge: a prepaid commit is granted and billed when the prepaid balance falls to a
    /// threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepaid_balance_threshold_configuration: Option<PrepaidBalanceThreshold>,
    /// Outstanding usage spend is billed early, on a THRESHOLD invoice, each time it reaches a
    /// threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_threshold_configuration: Option<SpendThreshold>,
}

impl NewContract {
    /// The contract this body makes, under `id`: its usage filter is the first of its history, and no
    /// professional-services invoice is scheduled yet.
    pub fn into_contract(self, id: String) -> Contract {
        Contract {
            id,
            customer_id: self.customer_id,
            name: self.name,
            starting_at: self.starting_at,
            ending_before: self.ending_before,
            rate_card_id: self.rate_card_id,
            rate_card_alias: self.rate_card_alias,
            commits: self.commits,
            credits: self.credits,
            recurring_commits: self.recurring_commits,
            recurring_credits: self.recurring_credits,
            scheduled_charges: self.scheduled_charges,
            usage_statement_schedule: self.usage_statement_schedule,
            overrides: self.overrides,
            discounts: self.discounts,
            professional_services: self.professional_services,
            professional_service_invoices: Vec::new(),
            subscriptions: self.subscriptions,
            usage_filter_history: self.usage_filter.iter().cloned().collect(),
            usage_filter: self.usage_filter,
            scheduled_charges_on_usage_invoices: self.scheduled_charges_on_usage_invoices,
            multiplier_override_prioritization: self.multiplier_override_prioritization,
            custom_fields: self.custom_fields,
            netsuite_sales_order_id: self.netsuite_sales_order_id,
            salesforce_opportunity_id: self.salesforce_opportunity_id,
            billing_provider_configuration: self.billing_provider_configuration,
            revenue_system_configuration: self.revenue_system_configuration,
            total_contract_value: self.total_contract_value,
            net_payment_terms_days: self.net_payment_terms_days,
            transition: self.transition,
            prepaid_balance_threshold_configuration: self.prepaid_balance_threshold_configuration,
            spend_threshold_configuration: self.spend_threshold_configuration,
        }
    }

    /// The body that makes `c` again (a state written out as a scenario file): the usage filter it
    /// was created with; later filters and the services invoices are calls of their own.
    pub fn recreating(c: &Contract) -> NewContract {
        let c = c.clone();
        NewContract {
            id: Some(c.id),
            customer_id: c.customer_id,
            name: c.name,
            starting_at: c.starting_at,
            ending_before: c.ending_before,
            rate_card_id: c.rate_card_id,
            rate_card_alias: c.rate_card_alias,
            commits: c.commits,
            credits: c.credits,
            recurring_commits: c.recurring_commits,
            recurring_credits: c.recurring_credits,
            scheduled_charges: c.scheduled_charges,
            usage_statement_schedule: c.usage_statement_schedule,
            overrides: c.overrides,
            discounts: c.discounts,
            professional_services: c.professional_services,
            subscriptions: c.subscriptions,
            usage_filter: c.usage_filter,
            scheduled_charges_on_usage_invoices: c.scheduled_charges_on_usage_invoices,
            multiplier_override_prioritization: c.multiplier_override_prioritization,
            custom_fields: c.custom_fields,
            netsuite_sales_order_id: c.netsuite_sales_order_id,
            salesforce_opportunity_id: c.salesforce_opportunity_id,
            billing_provider_configuration: c.billing_provider_configuration,
            revenue_system_configuration: c.revenue_system_configuration,
            total_contract_value: c.total_contract_value,
            net_payment_terms_days: c.net_payment_terms_days,
            transition: c.transition,
            prepaid_balance_threshold_configuration: c.prepaid_balance_threshold_configuration,
            spend_threshold_configuration: c.spend_threshold_configuration,
        }
    }
}

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
