//! Subscriptions: a SUBSCRIPTION product billed price × quantity each period of its billing frequency
//! (seats), with quantity changes on a schedule. The rules (Metronome's, as its docs state them):
//! - a period's quantity is the quantity at its start, billed at the start (ADVANCE) or the end
//!   (ARREARS) of the period, prorated by time in a partial first or last period;
//! - an increase mid-period bills the increase over the highest quantity already billed in the
//!   period, prorated by the time left (so an increase is never billed twice, and one that follows a
//!   decrease in the same period bills only what exceeds what was billed); with `BILL_IMMEDIATELY`
//!   (ADVANCE only) on its own invoice at the change, otherwise on the next collection date (ADVANCE:
//!   the next period's start; ARREARS: the period's end);
//! - a decrease takes effect from the next period: no refund;
//! - `proration.is_prorated` (else the rate's `is_prorated`, else true): false bills a partial period
//!   or an increase in full.
//!
//! Periods run on the contract's usage statement grid (its anchor), or on `billing_cycle_config.anchor_date`
//! when given, `billing_frequency` months long, from the subscription's start (the contract's by
//! default) to its end (the contract's). Charges go on the usage invoice that closes on their date
//! (`ON_USAGE_INVOICE`, the default) or on invoices of their own (`ON_SCHEDULED_INVOICE`).//!
//! Here: the terms as the API writes them, checked, and the quantity schedule their updates make; the
//! charges they bill are in `charges`.

mod charges;

use crate::case::api_enum;
use crate::error::{join_path, Error, Result};
use crate::money::Checked;
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use charges::{charges, quantity_at, Charge};

api_enum!(CollectionSchedule { Advance = "ADVANCE", Arrears = "ARREARS" });
api_enum!(InvoiceBehavior { BillImmediately = "BILL_IMMEDIATELY", BillOnNextCollectionDate = "BILL_ON_NEXT_COLLECTION_DATE" });
api_enum!(QuantityMode { QuantityOnly = "QUANTITY_ONLY", SeatBased = "SEAT_BASED" });
api_enum!(InvoicePlacement { OnScheduledInvoice = "ON_SCHEDULED_INVOICE", OnUsageInvoice = "ON_USAGE_INVOICE" });
api_enum!(RoundingMethod { HalfUp = "HALF_UP", Floor = "FLOOR", Ceiling = "CEILING" });
api_enum!(BillingFrequency { Monthly = "MONTHLY", Quarterly = "QUARTERLY", Annual = "ANNUAL", Weekly = "WEEKLY" });

impl BillingFrequency {
    /// Months per period; `None` for WEEKLY, which Tally refuses.
    pub fn months(self) -> Option<i64> {
        match self {
            BillingFrequency::Monthly => Some(1),
            BillingFrequency::Quarterly => Some(3),
            BillingFrequency::Annual => Some(12),
            BillingFrequency::Weekly => None,
        }
    }
}

/// Which rate prices the subscription: the card's SUBSCRIPTION rate for this product and frequency.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SubscriptionRate {
    /// A SUBSCRIPTION product that the contract's rate card prices.
    pub product_id: String,
    /// The period length; the card must sell the product at it (WEEKLY is refused).
    pub billing_frequency: BillingFrequency,
}

/// `proration`: how partial periods and mid-period increases are billed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SubscriptionProration {
    /// false bills a partial period or an increase in full; absent: the rate's `is_prorated`, else true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_prorated: Option<bool>,
    /// When an increase is billed: BILL_ON_NEXT_COLLECTION_DATE (default), or BILL_IMMEDIATELY
    /// (ADVANCE only) on an invoice of its own at the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_behavior: Option<InvoiceBehavior>,
    /// How a prorated charge is rounded before the line rule; absent: only the line rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<ProrationRounding>,
}

/// `proration.rounding`: how a prorated charge is rounded, in the credit type's unit (cents): 0 places
/// to the cent, -2 to the dollar.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct ProrationRounding {
    /// Places to round to in the credit type's unit, -10 to 10 (USD: 0 to the cent, -2 to the dollar).
    pub decimal_places: i32,
    /// HALF_UP (half away from zero), FLOOR or CEILING.
    pub rounding_method: RoundingMethod,
}

impl ProrationRounding {
    /// `amount` rounded by this rule.
    pub fn apply(self, amount: Decimal) -> Checked<Decimal> {
        use rust_decimal::RoundingStrategy as S;
        let strategy = match self.rounding_method {
            RoundingMethod::HalfUp => S::MidpointAwayFromZero,
            RoundingMethod::Floor => S::ToNegativeInfinity,
            RoundingMethod::Ceiling => S::ToPositiveInfinity,
        };
        let places = self.decimal_places;
        if places >= 0 {
            return Ok(amount.round_dp_with_strategy(places as u32, strategy));
        }
        let unit = Decimal::from(10i64.checked_pow(places.unsigned_abs()).ok_or(crate::money::Overflow)?);
        let units = amount.checked_div(unit).ok_or(crate::money::Overflow)?;
        crate::money::mul(units.round_dp_with_strategy(0, strategy), unit)
    }
}

/// `billing_cycle_config`: the grid the subscription's periods run on and where its charges are billed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BillingCycleConfig {
    /// An instant on the grid its periods run on; absent: the contract's usage statement grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_date: Option<Timestamp>,
    /// ON_USAGE_INVOICE (default): charges go on the usage invoice closing on their date;
    /// ON_SCHEDULED_INVOICE: each on an invoice of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_placement: Option<InvoicePlacement>,
}

/// From `starting_at` on, the subscription's quantity is `quantity`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityStep {
    /// When the quantity takes effect (inclusive).
    pub starting_at: Timestamp,
    /// The count in force from then: a whole number, at least 0.
    #[serde(serialize_with = "crate::money::as_number")]
    pub quantity: Decimal,
}

/// A SUBSCRIPTION product (seats) on a contract, billed price × quantity each period
/// (`subscriptions[]`, `add_subscriptions`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Subscription {
    /// Given by Tally when the body has none.
    #[serde(default)]
    pub id: String,
    /// The product and the billing frequency whose rate prices it.
    pub subscription_rate: SubscriptionRate,
    /// ADVANCE bills a period at its start; ARREARS at its end.
    pub collection_schedule: CollectionSchedule,
    /// The count from its start: a whole number, at least 0; required.
    #[serde(default)]
    pub initial_quantity: Option<Decimal>,
    /// How partial periods and increases are billed; absent: each part's default.
    #[serde(default)]
    pub proration: SubscriptionProration,
    /// When it starts (inclusive), not before the contract; absent: the contract's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_at: Option<Timestamp>,
    /// When it ends (exclusive); absent or later than the contract's end: the contract's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<Timestamp>,
    /// QUANTITY_ONLY (the default): the count is given directly. SEAT_BASED (named seats) is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_management_mode: Option<QuantityMode>,
    /// The name of its invoice lines; absent: the product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An internal note, kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Your key-value metadata, kept and answered back.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub custom_fields: IndexMap<String, String>,
    /// Its own period grid and invoice placement; absent: the contract's grid, on usage invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle_config: Option<BillingCycleConfig>,
    /// How recurring commits and credits of the same body name this subscription before it has an id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_id: Option<String>,
    /// Named seats (SEAT_BASED), refused: kept only to say so at its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_config: Option<serde_json::Value>,
    /// The quantity over time: the initial quantity from the start, then each scheduled change, in
    /// time order (`update_subscriptions`). Filled by Tally; shown by the contract list.
    #[serde(default)]
    pub quantity_schedule: Vec<QuantityStep>,
    /// Every quantity update as entered, in the order entered: the schedule is worked out from them
    /// (a `quantity_delta` changes whatever count is in force just before it, however entered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quantity_updates: Vec<QuantityUpdate>,
}

/// `update_subscriptions[].quantity_updates[]`: a new quantity, or a change to the one in force.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantityUpdate {
    /// When it takes effect: on the hour, inside the subscription.
    pub starting_at: Timestamp,
    /// The new count, a whole number; give this or `quantity_delta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// A whole change (negative to remove) to the count in force just before `starting_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_delta: Option<Decimal>,
}

/// Seats are counted whole: refused with a message naming `what`.
fn whole(d: Decimal, path: String, what: &str) -> Result<()> {
    if d.fract().is_zero() {
        return Ok(());
    }
    Err(Error::invalid(
        path,
        format!("{what} is a whole number of seats, not {d}"),
    ))
}

/// `update_subscriptions[]` on `POST /v2/contracts/edit`: quantity changes to one subscription.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionUpdate {
    /// The contract's subscription to change.
    pub subscription_id: String,
    /// The changes, applied all or none; a count that would fall below 0 refuses them.
    #[serde(default)]
    pub quantity_updates: Vec<QuantityUpdate>,
}

fn on_the_hour(t: Timestamp) -> bool {
    t.0.timestamp() % 3600 == 0 && t.0.timestamp_subsec_nanos() == 0
}

impl Subscription {
    /// When it starts: `starting_at`, else the contract's start.
    pub fn start(&self, contract_start: Timestamp) -> Timestamp {
        self.starting_at.unwrap_or(contract_start)
    }

    /// The grid its periods run on: `billing_cycle_config.anchor_date`, else the contract's.
    pub fn anchor(&self, contract_anchor: Timestamp) -> Timestamp {
        self.billing_cycle_config
            .as_ref()
            .and_then(|b| b.anchor_date)
            .unwrap_or(contract_anchor)
    }

    /// Whether its charges go on usage invoices (when one closes on their date).
    pub fn on_usage_invoices(&self) -> bool {
        self.billing_cycle_config
            .as_ref()
            .and_then(|b| b.invoice_placement)
            .is_none_or(|p| p == InvoicePlacement::OnUsageInvoice)
    }

    /// When it ends: the earlier of its own end and the contract's; `None`: open-ended.
    pub fn end(&self, contract_end: Option<Timestamp>) -> Option<Timestamp> {
        match (self.ending_before, contract_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Shape rules; `path` is where the subscription sits in the body. Fills `quantity_schedule` from
    /// `initial_quantity` when it is empty (a new subscription).
    pub fn validate(&mut self, path: &str, contract_start: Timestamp) -> Result<()> {
        let at = |f: &str| join_path(path, f);
        if self.quantity_management_mode == Some(QuantityMode::SeatBased) {
            return Err(Error::new(
                crate::error::ErrorCode::NotSupported,
                at("quantity_management_mode"),
                "SEAT_BASED subscriptions (named seats) are not supported by Tally yet: use QUANTITY_ONLY",
            ));
        }
        if self.seat_config.is_some() {
            return Err(Error::new(
                crate::error::ErrorCode::NotSupported,
                at("seat_config"),
                "seat_config is for SEAT_BASED subscriptions (named seats), which Tally does not support yet",
            ));
        }
        if let Some(r) = self.proration.rounding {
            if !(-10..=10).contains(&r.decimal_places) {
                return Err(Error::invalid(
                    at("proration.rounding.decimal_places"),
                    "decimal_places is between -10 and 10",
                ));
            }
        }
        if self.subscription_rate.billing_frequency.months().is_none() {
            return Err(Error::invalid(
                at("subscription_rate.billing_frequency"),
                "WEEKLY subscriptions are not supported by Tally yet: use MONTHLY, QUARTERLY or ANNUAL",
            ));
        }
        let Some(q) = self.initial_quantity else {
            return Err(Error::invalid(
                at("initial_quantity"),
                "a QUANTITY_ONLY subscription needs an initial_quantity",
            ));
        };
        if q < Decimal::ZERO {
            return Err(Error::invalid(at("initial_quantity"), "a quantity cannot be negative"));
        }
        whole(q, at("initial_quantity"), "a quantity")?;
        if self.quantity_schedule.is_empty() && !self.quantity_updates.is_empty() {
            return Err(Error::invalid(
                at("quantity_updates"),
                "quantity changes are scheduled with /v2/contracts/edit (update_subscriptions), not on create",
            ));
        }
        if self.collection_schedule == CollectionSchedule::Arrears
            && self.proration.invoice_behavior == Some(InvoiceBehavior::BillImmediately)
        {
            return Err(Error::invalid(
                at("proration.invoice_behavior"),
                "BILL_IMMEDIATELY is only for ADVANCE subscriptions: ARREARS bills at the period's end",
            ));
        }
        let start = self.start(contract_start);
        if start < contract_start {
            return Err(Error::invalid(
                at("starting_at"),
                "a subscription cannot start before its contract",
            ));
        }
        if self.ending_before.is_some_and(|e| e <= start) {
            return Err(Error::invalid(
                at("ending_before"),
                "ending_before must be after starting_at",
            ));
        }
        if self.quantity_schedule.is_empty() {
            self.quantity_schedule = vec![QuantityStep {
                starting_at: start,
                quantity: q,
            }];
        }
        Ok(())
    }

    /// Applies quantity updates (`path`: where they sit in the body), all or none. Updates are
    /// operations: the schedule is worked out again from the initial quantity and every update so
    /// far, in time order (in the order entered for the same instant).
    pub fn update(
        &mut self,
        updates: &[QuantityUpdate],
        path: &str,
        contract_start: Timestamp,
        contract_end: Option<Timestamp>,
    ) -> Result<()> {
        let start = self.start(contract_start);
        let known = self.quantity_updates.len();
        for (i, u) in updates.iter().enumerate() {
            let at = |f: &str| join_path(path, &format!("[{i}].{f}"));
            if !on_the_hour(u.starting_at) {
                return Err(Error::invalid(
                    at("starting_at"),
                    "a quantity change falls on the hour (minutes and seconds zero)",
                ));
            }
            if u.starting_at < start || self.end(contract_end).is_some_and(|e| u.starting_at >= e) {
                return Err(Error::invalid(
                    at("starting_at"),
                    "a quantity change falls inside the subscription",
                ));
            }
            match (u.quantity, u.quantity_delta) {
                (Some(q), None) => whole(q, at("quantity"), "a quantity")?,
                (None, Some(d)) => whole(d, at("quantity_delta"), "a change")?,
                _ => {
                    return Err(Error::invalid(
                        at("quantity"),
                        "a quantity update has exactly one of quantity and quantity_delta",
                    ))
                }
            }
        }
        let mut all = self.quantity_updates.clone();
        all.extend(updates.iter().cloned());
        let initial = self.initial_quantity.unwrap_or_default();
        self.quantity_schedule = schedule(start, initial, &all).map_err(|(k, t)| {
            // Blame the update entered now that the fall comes from (the first, when it comes
            // from an earlier one that this batch moved).
            let i = k.saturating_sub(known);
            let field = if all[k].quantity.is_some() {
                "quantity"
            } else {
                "quantity_delta"
            };
            Error::invalid(
                join_path(path, &format!("[{i}].{field}")),
                format!("the seat count would fall below 0 at {t}"),
            )
        })?;
        self.quantity_updates = all;
        Ok(())
    }
}

/// The quantity schedule from `initial` at `start` and the updates `ops` (in the order entered):
/// applied in time order, the order entered breaking ties; a delta changes the count in force just
/// before it. Refused as (index of the update, its instant) where a count would fall below 0.
fn schedule(
    start: Timestamp,
    initial: Decimal,
    ops: &[QuantityUpdate],
) -> std::result::Result<Vec<QuantityStep>, (usize, Timestamp)> {
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&k| ops[k].starting_at);
    let mut steps = vec![QuantityStep {
        starting_at: start,
        quantity: initial,
    }];
    let mut count = initial;
    for k in order {
        let u = &ops[k];
        count = match (u.quantity, u.quantity_delta) {
            (Some(q), _) => q,
            (None, Some(d)) => count.checked_add(d).ok_or((k, u.starting_at))?,
            (None, None) => count,
        };
        if count < Decimal::ZERO {
            return Err((k, u.starting_at));
        }
        match steps.last_mut() {
            Some(last) if last.starting_at == u.starting_at => last.quantity = count,
            _ => steps.push(QuantityStep {
                starting_at: u.starting_at,
                quantity: count,
            }),
        }
    }
    Ok(steps)
}
