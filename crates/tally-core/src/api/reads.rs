//! The read calls an integration's everyday flows need, by Metronome's names: billable metrics,
//! products and rate cards by id or all, a rate card's rates at a moment or over a window, an invoice
//! by id, and the custom field keys in use. Each answers Tally's own record or row; the HTTP door
//! reshapes them where the SDK declares other shapes.

use super::queries::{invoices, InvoiceQuery};
use crate::error::{parse, Error, Result};
use crate::invoice::Invoice;
use crate::metric::BillableMetric;
use crate::product::Product;
use crate::rate_card::{Rate, RateCard};
use crate::state::State;
use crate::time::{Timestamp, Window};
use crate::wire::PriceView;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A list's body, where no body at all means no filter.
fn filter<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T> {
    if body.is_null() {
        parse(&serde_json::json!({}))
    } else {
        parse(body)
    }
}

/// `POST /v1/contract-pricing/products/get` and `rate-cards/get`: the record's id.
#[derive(Deserialize)]
struct ById {
    id: String,
}

/// `GET /v1/billable-metrics/{id}`.
pub fn metric<'a>(state: &'a State, id: &str) -> Result<&'a BillableMetric> {
    state
        .billable_metrics
        .get(id)
        .ok_or_else(|| Error::not_found("billable_metric_id", format!("no billable metric with id `{id}`")))
}

/// `POST /v1/contract-pricing/products/get`.
pub fn product<'a>(state: &'a State, body: &Value) -> Result<&'a Product> {
    let ById { id } = parse(body)?;
    state
        .products
        .get(&id)
        .ok_or_else(|| Error::not_found("id", format!("no product with id `{id}`")))
}

/// `POST /v1/contract-pricing/rate-cards/get`.
pub fn rate_card<'a>(state: &'a State, body: &Value) -> Result<&'a RateCard> {
    let ById { id } = parse(body)?;
    card(state, "id", &id)
}

fn card<'a>(state: &'a State, path: &str, id: &str) -> Result<&'a RateCard> {
    state
        .rate_cards
        .get(id)
        .ok_or_else(|| Error::not_found(path, format!("no rate card with id `{id}`")))
}

/// `POST /v1/contract-pricing/rate-cards/list` takes no filter: a field in its body is refused.
pub fn rate_cards<'a>(state: &'a State, body: &Value) -> Result<Vec<&'a RateCard>> {
    #[derive(Deserialize)]
    struct Nothing {}
    let Nothing {} = filter(body)?;
    Ok(state.rate_cards.values().collect())
}

/// `POST /v1/contract-pricing/products/list`: which products, by whether they are archived.
#[derive(Deserialize)]
struct ListProducts {
    #[serde(default)]
    archive_filter: Option<ArchiveFilter>,
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum ArchiveFilter {
    Archived,
    NotArchived,
    All,
}

/// The products not archived (Metronome's default), the archived ones, or all.
pub fn products<'a>(state: &'a State, body: &Value) -> Result<Vec<&'a Product>> {
    let b: ListProducts = filter(body)?;
    let keep = |p: &&Product| match b.archive_filter.as_ref().unwrap_or(&ArchiveFilter::NotArchived) {
        ArchiveFilter::NotArchived => p.archived_at.is_none(),
        ArchiveFilter::Archived => p.archived_at.is_some(),
        ArchiveFilter::All => true,
    };
    Ok(state.products.values().filter(keep).collect())
}

/// A rate as `getRates` and `getRateSchedule` answer it: the product's name, tags and fields beside
/// the price and when it holds.
#[derive(Debug, Serialize)]
pub struct RateRow {
    /// The product priced.
    pub product_id: String,
    /// Its name.
    pub product_name: String,
    /// Its tags.
    pub product_tags: Vec<String>,
    /// Its custom fields.
    pub product_custom_fields: IndexMap<String, String>,
    /// Whether the card's contracts may use the product.
    pub entitled: bool,
    /// The price.
    pub rate: PriceView,
    /// The pricing group values this rate is for (none: all).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub pricing_group_values: IndexMap<String, String>,
    /// From when.
    pub starting_at: Timestamp,
    /// Until when; none: open-ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<Timestamp>,
}

/// `POST /v1/contract-pricing/rate-cards/getRates`: the card's rates in effect `at`.
#[derive(Deserialize)]
struct GetRates {
    rate_card_id: String,
    at: Timestamp,
}

/// `POST /v1/contract-pricing/rate-cards/getRateSchedule`: the card's rates that hold at any time in
/// `[starting_at, ending_before)`.
#[derive(Deserialize)]
struct GetRateSchedule {
    rate_card_id: String,
    starting_at: Timestamp,
    #[serde(default)]
    ending_before: Option<Timestamp>,
}

/// The rates of a card in effect at `body.at`.
pub fn rates_at(state: &State, body: &Value) -> Result<Vec<RateRow>> {
    let b: GetRates = parse(body)?;
    let rc = card(state, "rate_card_id", &b.rate_card_id)?;
    Ok(rows(state, rc, |r| r.window().contains(b.at)))
}

/// The rates of a card that hold at any time in the window asked for.
pub fn rate_schedule(state: &State, body: &Value) -> Result<Vec<RateRow>> {
    let b: GetRateSchedule = parse(body)?;
    let rc = card(state, "rate_card_id", &b.rate_card_id)?;
    let asked = Window {
        start: b.starting_at,
        end: b.ending_before,
    };
    Ok(rows(state, rc, |r| r.window().overlaps(&asked)))
}

fn rows(state: &State, rc: &RateCard, keep: impl Fn(&Rate) -> bool) -> Vec<RateRow> {
    let mut out = Vec::new();
    for r in rc.rates.iter().filter(|r| keep(r)) {
        let Some(p) = state.products.get(&r.product_id) else {
            continue;
        };
        out.push(RateRow {
            product_id: p.id.clone(),
            product_name: p.name.clone(),
            product_tags: p.tags.clone(),
            product_custom_fields: p.custom_fields.clone(),
            entitled: r.entitled,
            rate: PriceView::from(&r.price()),
            pricing_group_values: r.pricing_group_values.clone(),
            starting_at: r.starting_at,
            ending_before: r.ending_before,
        });
    }
    out
}

/// `GET /v1/customers/{id}/invoices/{invoice_id}`: one of the invoices the list would give.
pub fn invoice(state: &State, customer_id: &str, invoice_id: &str, skip_zero: bool, now: Timestamp) -> Result<Invoice> {
    let q = InvoiceQuery {
        skip_zero_qty_line_items: skip_zero,
        ..Default::default()
    };
    invoices(state, customer_id, &q, now)?
        .into_iter()
        .find(|i| i.id == invoice_id)
        .ok_or_else(|| {
            Error::not_found(
                "invoice_id",
                format!("customer `{customer_id}` has no invoice `{invoice_id}` through the current period"),
            )
        })
}

/// `POST /v1/customFields/listKeys`: the custom field keys set on customers, contracts, products and
/// billable metrics (Tally keeps no list of keys apart from their values), optionally of some
/// entities only.
#[derive(Deserialize)]
struct ListKeys {
    #[serde(default)]
    entities: Option<Vec<String>>,
}

/// A custom field key and the kind of record it is set on.
#[derive(Debug, Serialize, PartialEq)]
pub struct FieldKey {
    /// `customer`, `contract`, `contract_product` or `billable_metric`, as Metronome names them.
    pub entity: &'static str,
    /// The key.
    pub key: String,
    /// Tally does not enforce unique values.
    pub enforce_uniqueness: bool,
}

/// Every custom field key in use, once per entity kind.
pub fn field_keys(state: &State, body: &Value) -> Result<Vec<FieldKey>> {
    let b: ListKeys = filter(body)?;
    let sets: [(&'static str, Vec<&IndexMap<String, String>>); 4] = [
        ("customer", state.customers.values().map(|c| &c.custom_fields).collect()),
        ("contract", state.contracts.values().map(|c| &c.custom_fields).collect()),
        (
            "contract_product",
            state.products.values().map(|p| &p.custom_fields).collect(),
        ),
        (
            "billable_metric",
            state.billable_metrics.values().map(|m| &m.custom_fields).collect(),
        ),
    ];
    let mut out: Vec<FieldKey> = Vec::new();
    for (entity, maps) in sets {
        if b.entities.as_ref().is_some_and(|e| !e.iter().any(|x| x == entity)) {
            continue;
        }
        for key in maps.into_iter().flat_map(|m| m.keys()) {
            if !out.iter().any(|k| k.entity == entity && &k.key == key) {
                out.push(FieldKey {
                    entity,
                    key: key.clone(),
                    enforce_uniqueness: false,
                });
            }
        }
    }
    Ok(out)
}
