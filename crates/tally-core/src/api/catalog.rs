//! The catalog: billable metrics, products, rate cards and their rates.

use super::{answer, check_product, created, new_id};
use crate::error::{parse, Error, Result};
use crate::metric::NewBillableMetric;
use crate::product::{NewProduct, ProductType};
use crate::rate_card::{NewRateCard, Rate, RateCard};
use crate::state::State;
use crate::time::Timestamp;
use crate::wire::AddRates;
use serde_json::Value;

/// `POST /v1/billable-metrics/create`: a metric (which events count, how they aggregate).
pub fn create_metric(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let new: NewBillableMetric = parse(body)?;
    let id = new_id(state, new.id.as_ref())?;
    let m = new.into_record(id, now);
    m.validate()?;
    if state.billable_metrics.contains_key(&m.id) {
        return Err(Error::conflict(
            "id",
            format!("a billable metric with id `{}` exists", m.id),
        ));
    }
    let id = m.id.clone();
    state.billable_metrics.insert(id.clone(), m);
    created(&id)
}

/// `POST /v1/credit-types/create` (Tally's own): a custom pricing unit, `{id?, name}`.
pub fn create_credit_type(state: &mut State, body: &Value) -> Result<Value> {
    let b: crate::credit_type::NewCreditType = parse(body)?;
    if b.name.trim().is_empty() {
        return Err(Error::invalid("name", "a pricing unit needs a name"));
    }
    let known = state.all_credit_types();
    if known.iter().any(|c| c.name == b.name.trim()) {
        return Err(Error::conflict(
            "name",
            format!("a credit type named `{}` exists", b.name.trim()),
        ));
    }
    if !b.id.is_empty() && known.iter().any(|c| c.id == b.id) {
        return Err(Error::conflict(
            "id",
            format!("a credit type with id `{}` exists", b.id),
        ));
    }
    let id = state.take_id(&b.id);
    state.credit_types.insert(
        id.clone(),
        crate::credit_type::CreditType {
            id: id.clone(),
            name: b.name.trim().to_string(),
            is_currency: false,
        },
    );
    created(&id)
}

/// `POST /v1/contract-pricing/products/create`: a product, checked against the metrics and products it names.
pub fn create_product(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let new: NewProduct = parse(body)?;
    let id = new_id(state, new.id.as_ref())?;
    let p = new.into_record(id, now);
    p.validate()?;
    if let Some(m) = &p.billable_metric_id {
        let metric = state
            .billable_metrics
            .get(m)
            .ok_or_else(|| Error::not_found("billable_metric_id", format!("no billable metric with id `{m}`")))?;
        super::archive::not_archived(metric.archived_at, "billable metric", m, "billable_metric_id")?;
    }
    if p.kind != ProductType::Usage && p.billable_metric_id.is_some() {
        return Err(Error::invalid(
            "billable_metric_id",
            "only a USAGE product has a billable metric",
        ));
    }
    check_composed(state, &p)?;
    if state.products.contains_key(&p.id) {
        return Err(Error::conflict("id", format!("a product with id `{}` exists", p.id)));
    }
    let id = p.id.clone();
    state.products.insert(id.clone(), p);
    created(&id)
}

/// A COMPOSITE product charges on products that exist, are not composites themselves, and are not
/// itself.
fn check_composed(state: &State, p: &crate::product::Product) -> Result<()> {
    for (i, id) in p.composite_product_ids.iter().enumerate() {
        let path = format!("composite_product_ids[{i}]");
        if !p.id.is_empty() && *id == p.id {
            return Err(Error::invalid(path, "a composite product cannot charge on itself"));
        }
        check_product(state, &path, id)?;
        if state
            .products
            .get(id)
            .is_some_and(|other| other.kind == ProductType::Composite)
        {
            return Err(Error::invalid(
                path,
                format!("`{id}` is a COMPOSITE product: a composite charges on usage, fixed and subscription products"),
            ));
        }
    }
    Ok(())
}

fn check_rate(state: &State, rate: &Rate, path: &str) -> Result<()> {
    rate.validate(path)?;
    check_product(state, &crate::error::join_path(path, "product_id"), &rate.product_id)
}

/// `POST /v1/contract-pricing/rate-cards/create`: a rate card with its first rates.
pub fn create_rate_card(state: &mut State, body: &Value, now: Timestamp) -> Result<Value> {
    let new: NewRateCard = parse(body)?;
    let given = new.id.is_some();
    let id = new_id(state, new.id.as_ref())?;
    let card = new.into_record(id, now);
    if card.name.trim().is_empty() {
        return Err(Error::invalid("name", "a rate card needs a name"));
    }
    card.validate_credit_types()?;
    let mut built = RateCard {
        rates: Vec::new(),
        ..card.clone()
    };
    for (i, r) in card.rates.iter().enumerate() {
        let path = format!("rates[{i}]");
        check_rate(state, r, &path)?;
        built.add_rate(r.clone(), &path)?;
    }
    if given && state.rate_cards.contains_key(&built.id) {
        return Err(Error::conflict(
            "id",
            format!("a rate card with id `{}` exists", built.id),
        ));
    }
    let id = built.id.clone();
    state.rate_cards.insert(id.clone(), built);
    created(&id)
}

/// The card a rate goes on, refused whole with `path` naming the field.
fn card_for<'a>(state: &'a State, id: Option<&String>, path: &str) -> Result<&'a RateCard> {
    let id = id.ok_or_else(|| Error::invalid(path, "name the rate card: rate_card_id"))?;
    super::check_rate_card(state, path, id)
}

/// `POST /v1/contract-pricing/rate-cards/addRate`: one more rate on a card.
pub fn add_rate(state: &mut State, body: &Value) -> Result<Value> {
    let rate: Rate = parse(body)?;
    let mut card = card_for(state, rate.rate_card_id.as_ref(), "rate_card_id")?.clone();
    check_rate(state, &rate, "")?;
    let stored = Rate {
        rate_card_id: None,
        ..rate
    };
    card.add_rate(stored.clone(), "")?;
    state.rate_cards.insert(card.id.clone(), card);
    answer(stored)
}

/// `POST /v1/contract-pricing/rate-cards/addRates`: several rates on one card, all or none.
pub fn add_rates(state: &mut State, body: &Value) -> Result<Value> {
    let b: AddRates = parse(body)?;
    let mut card = card_for(state, Some(&b.rate_card_id), "rate_card_id")?.clone();
    for (i, r) in b.rates.iter().enumerate() {
        let path = format!("rates[{i}]");
        check_rate(state, r, &path)?;
        card.add_rate(
            Rate {
                rate_card_id: None,
                ..r.clone()
            },
            &path,
        )?;
    }
    let id = card.id.clone();
    state.rate_cards.insert(id.clone(), card);
    created(&id)
}
