//! Request and response bodies of the calls that have no domain type of their own. With the domain
//! types they make the whole wire format, and the TypeScript declarations are generated from them.

use crate::invoice::CreditType;
use crate::money::Money;
use crate::money::{as_number, as_opt_number};
use crate::rate_card::{Price, RateType};
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Every create answers the id of what it made.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub id: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    pub ingested: usize,
    /// Events whose `transaction_id` was already known: counted once, so skipped.
    pub duplicates: usize,
    /// Of the events added, how many bill nothing (yet), by reason; `GET /v1/usage/unmatched` lists
    /// them. Absent when every event is billed.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub not_billed: std::collections::BTreeMap<crate::unbilled::Reason, usize>,
}

/// `POST /v1/contracts/list`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ListContractsRequest {
    pub customer_id: String,
}

/// Who holds a customer-level commit or credit: the fields its create body adds to a commit's.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct BalanceHolder {
    pub customer_id: String,
    /// The contracts whose usage may draw on it; none: every contract of the customer.
    #[serde(default)]
    pub applicable_contract_ids: Vec<String>,
    /// The contract whose invoices bill it; required for a POSTPAID commit or a PREPAID one with an
    /// invoice schedule; never on a credit.
    #[serde(default)]
    pub invoice_contract_id: Option<String>,
}

/// `POST /v1/contracts/customerCommits/list` and `.../customerCredits/list`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct ListBalancesRequest {
    pub customer_id: String,
    #[serde(default)]
    pub commit_id: Option<String>,
    #[serde(default)]
    pub credit_id: Option<String>,
    /// Only balances with an access segment that holds this instant.
    #[serde(default)]
    pub covering_date: Option<Timestamp>,
    /// Only balances with access that ends after this instant.
    #[serde(default)]
    pub starting_at: Option<Timestamp>,
    /// Only balances with access that starts before this instant.
    #[serde(default)]
    pub effective_before: Option<Timestamp>,
    #[serde(default)]
    pub include_contract_commits: bool,
    #[serde(default)]
    pub include_contract_credits: bool,
    /// Adds each balance's amount left now (`balance`, cents) to the answer.
    #[serde(default)]
    pub include_balance: bool,
}

/// An event for `previewEvents`: the customer is the one in the path unless given.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct PreviewEvent {
    #[serde(default)]
    pub transaction_id: Option<String>,
    #[serde(default)]
    pub customer_id: Option<String>,
    pub event_type: String,
    pub timestamp: Timestamp,
    #[serde(default)]
    pub properties: Map<String, Value>,
}

/// `POST /v1/customers/{id}/previewEvents`: `mode` is `replace` (default) or `merge`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct PreviewEventsRequest {
    pub events: Vec<PreviewEvent>,
    #[serde(default)]
    pub mode: Option<PreviewMode>,
}

crate::case::api_enum!(PreviewMode { Replace = "REPLACE", Merge = "MERGE" });

/// `POST /v1/contracts/getContractRateSchedule`; `at` defaults to now.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct RateScheduleRequest {
    pub customer_id: String,
    pub contract_id: String,
    #[serde(default)]
    pub at: Option<Timestamp>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceTier {
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub size: Option<Decimal>,
    #[serde(serialize_with = "as_number")]
    pub price: Decimal,
}

/// A price as a rate schedule shows it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceView {
    pub rate_type: RateType,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub price: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<PriceTier>>,
}

impl From<&Price> for PriceView {
    fn from(p: &Price) -> Self {
        match p {
            Price::Flat(x) => PriceView {
                rate_type: RateType::Flat,
                price: Some(x.normalize()),
                tiers: None,
            },
            Price::Tiered(t) => PriceView {
                rate_type: RateType::Tiered,
                price: None,
                tiers: Some(
                    t.iter()
                        .map(|t| PriceTier {
                            size: t.size.map(|s| s.normalize()),
                            price: t.price.normalize(),
                        })
                        .collect(),
                ),
            },
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct RateScheduleRow {
    pub product_id: String,
    pub product_name: String,
    pub product_tags: Vec<String>,
    /// Whether the product is billed on this contract at that time.
    pub entitled: bool,
    pub list_rate: Option<PriceView>,
    /// Present when an override changes the list price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_rate: Option<PriceView>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub pricing_group_values: IndexMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<Timestamp>,
}

/// `POST /v2/contracts/get`: one contract of a customer, with its subscriptions' quantity schedules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct GetContract {
    pub customer_id: String,
    pub contract_id: String,
}

/// The invoice list's query as an object (the JS package's `invoices(customerId, options)`), the same
/// keys as the query string.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceListOptions {
    #[serde(default)]
    pub starting_on: Option<Timestamp>,
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// USAGE, SCHEDULED or THRESHOLD.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub contract_id: Option<String>,
    /// Each line carries its `explanation`: why it costs what it does.
    #[serde(default)]
    pub explain: bool,
}

/// `POST /v1/contracts/customerBalances/getNetBalance`; `at` (or `effective_before`) defaults to now.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct NetBalanceRequest {
    pub customer_id: String,
    #[serde(default)]
    pub at: Option<Timestamp>,
    #[serde(default)]
    pub effective_before: Option<Timestamp>,
    #[serde(default)]
    pub contract_id: Option<String>,
    /// The credit type whose balances are counted (USD cents when absent).
    #[serde(default)]
    pub credit_type_id: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
#[allow(non_snake_case)]
pub struct BalancesByType {
    pub PREPAID_COMMIT: Money,
    pub CREDIT: Money,
    pub POSTPAID_COMMIT: Money,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct NetBalance {
    pub at: Timestamp,
    /// What prepaid commits and credits have left at `at` (postpaid commits are promises, not balance).
    pub balance: Money,
    pub by_type: BalancesByType,
    pub credit_type: CreditType,
}

/// `POST /v1/customers/{id}/updateName`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateName {
    pub name: String,
}

/// `POST /v1/customFields/setValues`: `entity` is `customer` or `contract`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetCustomFields {
    pub entity: EntityKind,
    pub entity_id: String,
    pub custom_fields: IndexMap<String, String>,
}

/// `POST /v1/contract-pricing/rate-cards/addRates`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct AddRates {
    pub rate_card_id: String,
    pub rates: Vec<crate::rate_card::Rate>,
}

crate::case::api_enum!(EntityKind { Customer = "CUSTOMER", Contract = "CONTRACT" });
