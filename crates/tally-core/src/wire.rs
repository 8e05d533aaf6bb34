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
    /// The new record's id: the one the body gave, or one Tally made.
    pub id: String,
}

/// What `POST /v1/ingest` answers: how the batch's events were taken.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    /// How many events were stored.
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
    /// The customer whose contracts are listed.
    pub customer_id: String,
}

/// Who holds a customer-level commit or credit: the fields its create body adds to a commit's.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct BalanceHolder {
    /// The customer who holds the commit or credit.
    pub customer_id: String,
    /// A key no other commit (or credit) of a customer was created with: a second create naming it
    /// is refused (409) and changes nothing.
    #[serde(default)]
    pub uniqueness_key: Option<String>,
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
    /// The customer whose commits or credits are listed.
    pub customer_id: String,
    /// Only this commit (`customerCommits/list`); absent: all.
    #[serde(default)]
    pub commit_id: Option<String>,
    /// Only this credit (`customerCredits/list`); absent: all.
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
    /// Also list the commits of the customer's contracts; default false: customer-level commits
    /// only.
    #[serde(default)]
    pub include_contract_commits: bool,
    /// Also list the credits of the customer's contracts; default false: customer-level credits
    /// only.
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
    /// Deduplicates as ingest does: an id repeated in the preview, or already stored (MERGE), counts
    /// once; absent: the event stands alone.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// The customer id or ingest alias the event names; absent: the customer in the path.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// The event's type, which metrics' `event_type_filter` match.
    pub event_type: String,
    /// When the usage happened.
    pub timestamp: Timestamp,
    /// The event's properties, which metrics filter and aggregate on and products group by.
    #[serde(default)]
    pub properties: Map<String, Value>,
}

/// `POST /v1/customers/{id}/previewEvents`: `mode` is `replace` (default) or `merge`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct PreviewEventsRequest {
    /// The events to preview with; none is stored.
    pub events: Vec<PreviewEvent>,
    /// REPLACE (the default): these events in place of the stored ones; MERGE: these added to them.
    #[serde(default)]
    pub mode: Option<PreviewMode>,
}

crate::case::api_enum!(PreviewMode { Replace = "REPLACE", Merge = "MERGE" });

/// `POST /v1/contracts/getContractRateSchedule`; `at` defaults to now.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct RateScheduleRequest {
    /// The customer whose contract it is.
    pub customer_id: String,
    /// The contract whose rates are listed.
    pub contract_id: String,
    /// The instant the rates are read at; absent: now.
    #[serde(default)]
    pub at: Option<Timestamp>,
}

/// One band of a tiered price, as a rate schedule shows it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceTier {
    /// How many units the band covers; omitted on the last band, which covers everything above.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub size: Option<Decimal>,
    /// The band's price per unit in the rate's credit type (e.g. USD cents).
    #[serde(serialize_with = "as_number")]
    pub price: Decimal,
}

/// A price as a rate schedule shows it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceView {
    /// FLAT for a single unit price, TIERED for bands.
    pub rate_type: RateType,
    /// A FLAT price: the unit price in the rate's credit type (e.g. USD cents).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_opt_number")]
    pub price: Option<Decimal>,
    /// A TIERED price: its bands, every one sized but the last.
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

/// One USAGE product's price on a contract at the asked instant (one row per set of pricing group
/// values the card prices).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct RateScheduleRow {
    /// The rate card the list rate comes from; none for a contract without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_card_id: Option<String>,
    /// The product priced.
    pub product_id: String,
    /// The product's name.
    pub product_name: String,
    /// The product's tags.
    pub product_tags: Vec<String>,
    /// Whether the product is billed on this contract at that time.
    pub entitled: bool,
    /// The rate card's price; null when the card has none (an override alone prices the product).
    pub list_rate: Option<PriceView>,
    /// Present when an override changes the list price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_rate: Option<PriceView>,
    /// The pricing group values this row's price is for; omitted: any usage of the product.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub pricing_group_values: IndexMap<String, String>,
    /// When the list rate took effect; omitted without a list rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_at: Option<Timestamp>,
    /// When the list rate ends (exclusive); omitted when it is open-ended or there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<Timestamp>,
}

/// `POST /v2/contracts/get`: one contract of a customer, with its subscriptions' quantity schedules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct GetContract {
    /// The customer whose contract it is.
    pub customer_id: String,
    /// The contract to answer.
    pub contract_id: String,
}

/// The invoice list's query as an object (the JS package's `invoices(customerId, options)`), the same
/// keys as the query string.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceListOptions {
    /// Only invoices whose period starts at or after this (a dated invoice's date).
    #[serde(default)]
    pub starting_on: Option<Timestamp>,
    /// Only invoices whose period ends at or before this; absent: through each contract's current
    /// usage period.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// USAGE, SCHEDULED or THRESHOLD.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Only this contract's invoices; absent: every contract of the customer.
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
    /// The customer whose balances are counted.
    pub customer_id: String,
    /// The instant the balances are counted at; absent: `effective_before`, else now.
    #[serde(default)]
    pub at: Option<Timestamp>,
    /// Metronome's other name for `at`, used when `at` is absent.
    #[serde(default)]
    pub effective_before: Option<Timestamp>,
    /// Only the balances this contract's usage may draw on (its own and the customer's that reach
    /// it); absent: all.
    #[serde(default)]
    pub contract_id: Option<String>,
    /// The credit type whose balances are counted (USD cents when absent).
    #[serde(default)]
    pub credit_type_id: Option<String>,
}

/// What is left at `at` by kind of balance, in the asked credit type (e.g. USD cents).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
#[allow(non_snake_case)]
pub struct BalancesByType {
    /// What prepaid commits have left.
    pub PREPAID_COMMIT: Money,
    /// What credits have left.
    pub CREDIT: Money,
    /// What postpaid commits have yet to be spent (a promise, not counted in `balance`).
    pub POSTPAID_COMMIT: Money,
}

/// What `getNetBalance` answers: a customer's balance left at an instant.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct NetBalance {
    /// The instant the balances were counted at.
    pub at: Timestamp,
    /// What prepaid commits and credits have left at `at` (postpaid commits are promises, not balance).
    pub balance: Money,
    /// The balance left, by kind of balance.
    pub by_type: BalancesByType,
    /// The credit type counted (USD cents unless the request named another).
    pub credit_type: CreditType,
}

/// `POST /v1/customers/{id}/updateName`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateName {
    /// The customer's new name; must not be blank.
    pub name: String,
}

/// `POST /v1/customFields/setValues`: `entity` is `customer` or `contract`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetCustomFields {
    /// What `entity_id` names: a CUSTOMER or a CONTRACT.
    pub entity: EntityKind,
    /// The id of the customer or contract whose fields are set.
    pub entity_id: String,
    /// Values merged into the entity's custom fields; an empty value removes its key.
    pub custom_fields: IndexMap<String, String>,
}

/// `POST /v1/contract-pricing/rate-cards/addRates`
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct AddRates {
    /// The rate card the rates are added to.
    pub rate_card_id: String,
    /// The rates to add, in order, as `addRate` would; all are added or none.
    pub rates: Vec<crate::rate_card::Rate>,
}

crate::case::api_enum!(EntityKind { Customer = "CUSTOMER", Contract = "CONTRACT" });
