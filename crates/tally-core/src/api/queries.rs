//! Queries: invoices, previews, rate schedules and balances, computed from the state as it is.

use super::{contract_of, customer};
use crate::balance::BalanceKind;
use crate::contract::Contract;
use crate::error::ErrorCode;
use crate::error::{Error, Result};
use crate::invoice::{Invoice, InvoiceStatus, InvoiceType};
use crate::money::Money;
use crate::pricing::LineAt;
use crate::product::ProductType;
use crate::rate_card::Rate;
use crate::rating::{rate_customer, Clock, Rated, Usage};
use crate::state::State;
use crate::time::Timestamp;
use crate::usage::{Event, Store};
use crate::wire::*;
use indexmap::IndexMap;

/// The end of the contract's usage period that holds `now` (its last period's end once it has ended,
/// `now` itself before it starts).
fn current_period_end(c: &Contract, now: Timestamp) -> Timestamp {
    let periods = c.statement_schedule().periods(c.starting_at, c.ending_before, now);
    periods
        .iter()
        .find(|(a, b)| *a <= now && now < *b)
        .or_else(|| periods.last().filter(|(_, b)| *b <= now))
        .map_or(now, |(_, b)| *b)
}

/// What `GET /v1/customers/{id}/invoices` lists: its query string, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvoiceQuery {
    /// Invoices whose period starts on or after this.
    pub starting_on: Option<Timestamp>,
    /// Invoices whose period ends on or before this; without it, through the end of each contract's
    /// usage period that holds `now`.
    pub ending_before: Option<Timestamp>,
    /// `type=USAGE|SCHEDULED|...`: only invoices of this type.
    pub kind: Option<InvoiceType>,
    /// `contract_id=...`: only this contract's invoices.
    pub contract_id: Option<String>,
    /// `explain=true`: each line carries its `explanation`.
    pub explain: bool,
    /// `status=DRAFT|FINALIZED`: only invoices in this status.
    pub status: Option<InvoiceStatus>,
    /// `credit_type_id=...`: only invoices in this credit type.
    pub credit_type_id: Option<String>,
    /// `sort=date_asc|date_desc`: by issue date, earliest or latest first; without it, each
    /// contract's invoices in time order, contract by contract.
    pub sort: Option<Sort>,
    /// `skip_zero_qty_line_items=true`: lines with a quantity of zero are left out.
    pub skip_zero_qty_line_items: bool,
}

/// The order `sort=` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Earliest issue date first.
    DateAsc,
    /// Latest issue date first.
    DateDesc,
}

fn flag(k: &str, v: &str) -> Result<bool> {
    match v {
        "true" | "" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::new(
            ErrorCode::InvalidBody,
            k,
            format!("`{v}` is not true or false"),
        )),
    }
}

impl InvoiceQuery {
    /// Reads `starting_on=...&ending_before=...&type=USAGE&contract_id=...`, percent-decoding each value.
    pub fn parse(query: &str) -> Result<Self> {
        let mut q = InvoiceQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in super::query::pairs(query) {
            if seen.contains(&k) {
                return Err(super::query::given_twice(k));
            }
            seen.push(k);
            let v = super::query::decode(k, v)?;
            let time = |v: &str| Timestamp::parse(v).map_err(|m| Error::new(ErrorCode::InvalidBody, k, m));
            match k {
                "starting_on" => q.starting_on = Some(time(&v)?),
                "ending_before" => q.ending_before = Some(time(&v)?),
                "type" => q.kind = Some(invoice_type(&v)?),
                "contract_id" => q.contract_id = Some(v),
                "explain" => q.explain = flag(k, &v)?,
                "status" => q.status = Some(invoice_status(&v)?),
                "credit_type_id" => q.credit_type_id = Some(v),
                "sort" => {
                    q.sort = Some(match v.as_str() {
                        "date_asc" => Sort::DateAsc,
                        "date_desc" => Sort::DateDesc,
                        _ => return Err(Error::invalid(k, format!("`{v}` is not date_asc or date_desc"))),
                    })
                }
                "skip_zero_qty_line_items" => q.skip_zero_qty_line_items = flag(k, &v)?,
                // Metronome's; Tally sends no webhooks.
                "webhook_notification_id" => return Err(super::query::unimplemented_key(k)),
                _ => return Err(super::query::unknown_key(k)),
            }
        }
        Ok(q)
    }
}

fn invoice_status(v: &str) -> Result<InvoiceStatus> {
    Ok(match v.to_ascii_uppercase().as_str() {
        "DRAFT" => InvoiceStatus::Draft,
        "FINALIZED" => InvoiceStatus::Finalized,
        _ => return Err(Error::invalid("status", format!("`{v}` is not DRAFT or FINALIZED"))),
    })
}

fn invoice_type(v: &str) -> Result<InvoiceType> {
    Ok(match v.to_ascii_uppercase().as_str() {
        "USAGE" => InvoiceType::Usage,
        "SCHEDULED" => InvoiceType::Scheduled,
        "THRESHOLD" => InvoiceType::Threshold,
        // Metronome's invoices of several contracts in one; Tally makes one invoice per contract.
        "USAGE_CONSOLIDATED" => {
            return Err(Error::new(
                ErrorCode::NotSupported,
                "type",
                "USAGE_CONSOLIDATED invoices (several contracts on one) are not made by Tally",
            ))
        }
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidBody,
                "type",
                format!("`{v}` is not USAGE, SCHEDULED or THRESHOLD"),
            ))
        }
    })
}

impl TryFrom<crate::wire::InvoiceListOptions> for InvoiceQuery {
    type Error = Error;
    fn try_from(o: crate::wire::InvoiceListOptions) -> Result<Self> {
        Ok(InvoiceQuery {
            starting_on: o.starting_on,
            ending_before: o.ending_before,
            kind: o.kind.as_deref().map(invoice_type).transpose()?,
            contract_id: o.contract_id,
            explain: o.explain,
            ..Default::default()
        })
    }
}

/// A customer's invoices, as previews computed from everything known now.
pub fn invoices(state: &State, customer_id: &str, q: &InvoiceQuery, now: Timestamp) -> Result<Vec<Invoice>> {
    customer(state, customer_id)?;
    let InvoiceQuery {
        starting_on,
        ending_before,
        kind,
        contract_id,
        explain,
        status,
        credit_type_id,
        sort,
        skip_zero_qty_line_items,
    } = q;
    // Without ending_before, each contract's list runs through the end of its usage period that
    // contains now, schedules included: rating reaches that far.
    let cutoffs: IndexMap<&str, Timestamp> = state
        .contracts
        .values()
        .filter(|c| c.customer_id == customer_id)
        .map(|c| (c.id.as_str(), current_period_end(c, now)))
        .collect();
    let horizon = match *ending_before {
        Some(e) => e.max(now),
        None => cutoffs.values().copied().fold(now, Timestamp::max),
    };
    let rated = rate_customer(state, customer_id, Usage::STORED, Clock { now, horizon })?;
    let cutoff = |inv: &Invoice| cutoffs.get(inv.contract_id.as_str()).copied().unwrap_or(now);
    let mut list: Vec<Invoice> = rated
        .invoices
        .into_iter()
        .filter(|i| starting_on.is_none_or(|s| i.period_start() >= s))
        .filter(|i| match *ending_before {
            Some(e) => i.period_end() <= e,
            None => i.period_end() <= cutoff(i),
        })
        .filter(|i| kind.is_none_or(|k| i.kind == k))
        .filter(|i| contract_id.as_ref().is_none_or(|c| &i.contract_id == c))
        .filter(|i| status.is_none_or(|s| i.status == s))
        .filter(|i| credit_type_id.as_ref().is_none_or(|c| &i.credit_type.id == c))
        .collect();
    match sort {
        Some(Sort::DateAsc) => list.sort_by_key(|i| i.issued_at),
        Some(Sort::DateDesc) => list.sort_by_key(|i| std::cmp::Reverse(i.issued_at)),
        None => {}
    }
    if *skip_zero_qty_line_items {
        for i in &mut list {
            i.line_items.retain(|l| !l.quantity.is_zero());
        }
    }
    if *explain {
        crate::explain::explain(state, &mut list);
    }
    Ok(list)
}

/// The draft usage invoices as if `b.events` were ingested (merged with the stored ones, or in their
/// place); nothing is stored.
pub fn preview_events(
    state: &State,
    customer_id: &str,
    b: PreviewEventsRequest,
    now: Timestamp,
) -> Result<Vec<Invoice>> {
    customer(state, customer_id)?;
    let replace = b.mode.unwrap_or(PreviewMode::Replace) == PreviewMode::Replace;
    let extra: Vec<Event> = b
        .events
        .into_iter()
        .map(|e| Event {
            transaction_id: e.transaction_id.unwrap_or_default(),
            customer_id: e.customer_id.unwrap_or_else(|| customer_id.to_string()),
            event_type: e.event_type,
            timestamp: e.timestamp,
            properties: e.properties,
        })
        .collect();
    crate::usage::validate_values(&state.billable_metrics, &extra, "events")?;
    // As if ingested: an id already stored (merge) or repeated in the preview counts once. Preview
    // events without an id are each their own and never match another.
    let mut previewed = Store::default();
    for (i, e) in extra.iter().enumerate() {
        let id = e.transaction_id.as_str();
        if !id.is_empty() && !replace && state.events.contains_transaction(id) {
            continue;
        }
        let own;
        let e = if id.is_empty() {
            own = Event {
                transaction_id: format!("\u{0}preview {i}"),
                ..e.clone()
            };
            &own
        } else {
            e
        };
        previewed.push(e);
    }
    let usage = Usage {
        stored: !replace,
        extra: Some(&previewed),
    };
    let rated = rate_customer(state, customer_id, usage, Clock { now, horizon: now })?;
    let drafts: Vec<Invoice> = rated
        .invoices
        .into_iter()
        .filter(|i| i.kind == InvoiceType::Usage && i.status == InvoiceStatus::Draft && i.period_start() <= now)
        .collect();
    Ok(drafts)
}

/// Per product, the list and override rate and whether it is entitled, at `b.at` (default now).
pub fn rate_schedule(state: &State, b: &RateScheduleRequest, now: Timestamp) -> Result<Vec<RateScheduleRow>> {
    let c = contract_of(state, &b.customer_id, &b.contract_id)?;
    let at = b.at.unwrap_or(now);
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let mut rows = Vec::new();
    for p in state.products.values().filter(|p| p.kind == ProductType::Usage) {
        // One row per distinct set of pricing group values the card prices this product by.
        let mut groups: Vec<IndexMap<String, String>> = card
            .map(|rc| {
                rc.rates
                    .iter()
                    .filter(|r| r.product_id == p.id && r.window().contains(at))
                    .map(|r| r.pricing_group_values.clone())
                    .collect()
            })
            .unwrap_or_default();
        if groups.is_empty() {
            groups.push(IndexMap::new());
        }
        groups.dedup();
        for pgv in groups {
            let list = card.and_then(|rc| rc.rate_at(&p.id, &pgv, at));
            let line = LineAt {
                product: p,
                pgv: &pgv,
                at,
            };
            let eff = c
                .pricing()
                .effective_rate(line, list, None)
                .map_err(|_| out_of_range_rate(c, p))?;
            if list.is_none() && eff.is_none() {
                continue;
            }
            let list_price = list.map(Rate::price);
            let override_rate = eff
                .as_ref()
                .filter(|e| Some(&e.price) != list_price.as_ref())
                .map(|e| PriceView::from(&e.price));
            let row = RateScheduleRow {
                rate_card_id: c.rate_card_id.clone(),
                product_id: p.id.clone(),
                product_name: p.name.clone(),
                product_tags: p.tags.clone(),
                entitled: eff.is_some(),
                list_rate: list_price.as_ref().map(PriceView::from),
                override_rate,
                pricing_group_values: pgv.clone(),
                starting_at: list.map(|r| r.starting_at),
                ending_before: list.and_then(|r| r.ending_before),
            };
            rows.push(row);
        }
    }
    Ok(rows)
}

fn out_of_range_rate(c: &Contract, p: &crate::product::Product) -> Error {
    Error::new(
        ErrorCode::OutOfRange,
        "at",
        format!(
            "the price of product `{}` on contract `{}` is beyond what Tally can represent",
            p.id, c.id
        ),
    )
}

/// The prepaid and credit balance left at `b.at` (default now), by kind.
pub fn net_balance(state: &State, b: &NetBalanceRequest, now: Timestamp) -> Result<NetBalance> {
    let at = b.at.or(b.effective_before).unwrap_or(now);
    let ct = b.credit_type_id.as_deref().unwrap_or(crate::credit_type::USD_CENTS_ID);
    let mut series = net_balances_in(state, &b.customer_id, b.contract_id.as_deref(), ct, &[at], now)?;
    Ok(series.remove(0))
}

/// The net balance in USD cents at each of `ats` (`net_balances_in` for another credit type).
pub fn net_balances(
    state: &State,
    customer_id: &str,
    contract_id: Option<&str>,
    ats: &[Timestamp],
    now: Timestamp,
) -> Result<Vec<NetBalance>> {
    net_balances_in(
        state,
        customer_id,
        contract_id,
        crate::credit_type::USD_CENTS_ID,
        ats,
        now,
    )
}

/// The net balance in credit type `credit_type_id` at each of `ats`, from one rating (a burn-down
/// chart asks for dozens of points).
pub fn net_balances_in(
    state: &State,
    customer_id: &str,
    contract_id: Option<&str>,
    credit_type_id: &str,
    ats: &[Timestamp],
    now: Timestamp,
) -> Result<Vec<NetBalance>> {
    customer(state, customer_id)?;
    let horizon = ats.iter().copied().fold(now, Timestamp::max);
    let Rated { ledger, .. } = rate_customer(state, customer_id, Usage::STORED, Clock { now, horizon })?;
    let too_big = || {
        Error::new(
            ErrorCode::OutOfRange,
            "customer_id",
            "a balance is beyond what Tally can represent",
        )
    };
    // With a contract: the balances its usage may draw on (its own and the customer's that reach it).
    let counted = |s: &crate::balance::Segment| {
        s.credit_type_id == credit_type_id && contract_id.is_none_or(|c| s.holder.reaches(c))
    };
    let mut out = Vec::with_capacity(ats.len());
    for &at in ats {
        let mut by_kind = [Money::ZERO; 3];
        for (i, kind) in [
            BalanceKind::PrepaidCommit,
            BalanceKind::Credit,
            BalanceKind::PostpaidCommit,
        ]
        .into_iter()
        .enumerate()
        {
            by_kind[i] = ledger
                .balance_at(at, |s| s.kind == kind && counted(s))
                .map_err(|_| too_big())?;
        }
        out.push(NetBalance {
            at,
            balance: by_kind[0].plus(by_kind[1]).map_err(|_| too_big())?,
            by_type: BalancesByType {
                PREPAID_COMMIT: by_kind[0],
                CREDIT: by_kind[1],
                POSTPAID_COMMIT: by_kind[2],
            },
            credit_type: state.credit_type_named(credit_type_id).into(),
        });
    }
    Ok(out)
}
