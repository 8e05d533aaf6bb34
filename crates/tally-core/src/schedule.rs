//! Priced schedules: the dated amounts of invoice schedules and scheduled charges (one-off items and
//! recurring schedules with their amount distribution).

use crate::calendar::{recurring_boundaries, Frequency};
use crate::case::api_enum;
use crate::credit_type::Scale;
use crate::error::{join_path, Error, Result};
use crate::money::{Checked, Money, Quantity};
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(AmountDistribution { Each = "EACH", Divided = "DIVIDED", DividedRounded = "DIVIDED_ROUNDED" });

/// One dated amount of a schedule: `amount`, or `unit_price` × `quantity`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleItem {
    /// When it is billed (RFC 3339): its invoice's date.
    pub timestamp: Timestamp,
    /// The total, in the schedule's credit type (USD cents by default); or give `unit_price`.
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// The price per unit; with it `amount` is not read, and `quantity` defaults to 1.
    #[serde(default)]
    pub unit_price: Option<Decimal>,
    /// Units at `unit_price`; 1 when absent.
    #[serde(default)]
    pub quantity: Option<Decimal>,
}

/// `recurring_schedule`: an amount billed every `frequency` from `starting_at`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecurringSchedule {
    /// The first date billed (inclusive); later ones follow every `frequency`.
    pub starting_at: Timestamp,
    /// None: the charge recurs for the contract's life.
    #[serde(default)]
    pub ending_before: Option<Timestamp>,
    /// The time between dates billed.
    pub frequency: Frequency,
    /// The amount, in the schedule's credit type (USD cents by default); or give `unit_price`.
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// The price per unit; with it `amount` is not read, and `quantity` defaults to 1.
    #[serde(default)]
    pub unit_price: Option<Decimal>,
    /// Units at `unit_price`; 1 when absent.
    #[serde(default)]
    pub quantity: Option<Decimal>,
    /// EACH (default) bills the amount every time; DIVIDED and DIVIDED_ROUNDED split it over the
    /// dates (only with an `ending_before`: an open-ended schedule bills EACH).
    #[serde(default)]
    pub amount_distribution: Option<AmountDistribution>,
}

/// The body of a schedule: `schedule_items` or `recurring_schedule` (both may be given; their
/// occurrences add up).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "Schedule"))]
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ScheduleBody {
    /// One-off dated amounts.
    #[serde(default)]
    pub schedule_items: Vec<ScheduleItem>,
    /// An amount repeated on a cadence; its dates add to the items'.
    #[serde(default)]
    pub recurring_schedule: Option<RecurringSchedule>,
    /// The currency it is invoiced in (not a custom pricing unit); USD cents when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_type_id: Option<String>,
}

/// A billed occurrence: the line a schedule puts on an invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// The date billed.
    pub timestamp: Timestamp,
    /// Units billed.
    pub quantity: Decimal,
    /// Price per unit (for DIVIDED, the amount's share).
    pub unit_price: Decimal,
    /// What the line bills, rounded by the line rule (DIVIDED_ROUNDED: the remainder on the last).
    pub total: Money,
}

/// `amount`, or `unit_price` × `quantity`, checked whole: a product past `Decimal`'s range is refused
/// at the field, never billed.
fn price_parts(
    amount: Option<Decimal>,
    unit_price: Option<Decimal>,
    quantity: Option<Decimal>,
    path: &str,
) -> Result<(Decimal, Decimal)> {
    let (q, p) = match (amount, unit_price) {
        (_, Some(p)) => (quantity.unwrap_or(Decimal::ONE), p),
        (Some(a), None) => (Decimal::ONE, a),
        (None, None) => {
            return Err(Error::invalid(
                join_path(path, "amount"),
                "give an amount, or a unit_price and quantity",
            ))
        }
    };
    if p < Decimal::ZERO {
        let f = if unit_price.is_some() { "unit_price" } else { "amount" };
        return Err(Error::invalid(join_path(path, f), "an amount cannot be negative"));
    }
    if q < Decimal::ZERO {
        return Err(Error::invalid(
            join_path(path, "quantity"),
            "a quantity cannot be negative",
        ));
    }
    if Money::of(Quantity::new(q), p).is_err() {
        return Err(Error::invalid(
            join_path(path, "quantity"),
            "unit_price × quantity is beyond what Tally can represent (about 7.9e28 cents)",
        ));
    }
    Ok((q, p))
}

/// One dated amount, parsed: `quantity` units at `unit_price` (an `amount` is one unit of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    /// The date billed.
    pub timestamp: Timestamp,
    /// Units: the item's `quantity`, 1 for an `amount`.
    pub quantity: Decimal,
    /// Price per unit: `unit_price`, or the `amount`.
    pub unit_price: Decimal,
}

/// A recurring amount, parsed: a window that is never inverted and a price that fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurring {
    /// The first date billed.
    pub starting_at: Timestamp,
    /// No date billed from here on; `None`: open-ended, billed through the horizon asked for.
    pub ending_before: Option<Timestamp>,
    /// The time between dates billed.
    pub frequency: Frequency,
    /// Units each time (before any division).
    pub quantity: Decimal,
    /// Price per unit each time (before any division).
    pub unit_price: Decimal,
    /// How the amount spreads over the dates; `None`: EACH.
    pub distribution: Option<AmountDistribution>,
}

/// A schedule as the engine bills it: parsed once as the body is read, so each item has its price
/// (never an item with neither an amount nor a unit price), and stored and written back as the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleBody", into = "ScheduleBody")]
pub struct Schedule {
    /// Its one-off amounts, priced.
    pub items: Vec<Dated>,
    /// Its recurring amount, priced.
    pub recurring: Option<Recurring>,
    body: ScheduleBody,
}

impl TryFrom<ScheduleBody> for Schedule {
    type Error = crate::error::InBody;
    fn try_from(body: ScheduleBody) -> std::result::Result<Self, Self::Error> {
        body.parse("").map_err(crate::error::InBody)
    }
}

impl From<Schedule> for ScheduleBody {
    fn from(s: Schedule) -> ScheduleBody {
        s.body
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Schedule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <ScheduleBody as schemars::JsonSchema>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <ScheduleBody as schemars::JsonSchema>::json_schema(g)
    }
}

impl ScheduleBody {
    /// Parses the body, naming the field it refuses.
    pub fn parse(&self, path: &str) -> Result<Schedule> {
        if let Some(id) = self.credit_type_id.as_deref() {
            if !crate::credit_type::is_currency(id) {
                return Err(Error::invalid(
                    join_path(path, "credit_type_id"),
                    "a schedule invoices money: a fiat currency, not a custom pricing unit",
                ));
            }
        }
        let mut items = Vec::new();
        for (i, it) in self.schedule_items.iter().enumerate() {
            let at = join_path(path, &format!("schedule_items[{i}]"));
            let (quantity, unit_price) = price_parts(it.amount, it.unit_price, it.quantity, &at)?;
            items.push(Dated {
                timestamp: it.timestamp,
                quantity,
                unit_price,
            });
        }
        let recurring = match &self.recurring_schedule {
            None => None,
            Some(r) => {
                let p = join_path(path, "recurring_schedule");
                if r.ending_before.is_some_and(|e| e <= r.starting_at) {
                    return Err(Error::invalid(
                        join_path(&p, "ending_before"),
                        "ending_before must be after starting_at",
                    ));
                }
                let (quantity, unit_price) = price_parts(r.amount, r.unit_price, r.quantity, &p)?;
                Some(Recurring {
                    starting_at: r.starting_at,
                    ending_before: r.ending_before,
                    frequency: r.frequency,
                    quantity,
                    unit_price,
                    distribution: r.amount_distribution,
                })
            }
        };
        Ok(Schedule {
            items,
            recurring,
            body: self.clone(),
        })
    }
}

impl Schedule {
    /// The credit type the schedule invoices in: USD cents unless the body names one.
    pub fn credit_type_id(&self) -> &str {
        self.body
            .credit_type_id
            .as_deref()
            .unwrap_or(crate::credit_type::USD_CENTS_ID)
    }

    fn scale(&self) -> crate::credit_type::Scale {
        crate::credit_type::scale(self.credit_type_id())
    }

    /// The sum of a schedule's items (an open-ended recurring part counts through `until`).
    pub fn total(&self, until: Timestamp) -> Checked<Money> {
        Money::sum(self.occurrences(until)?.iter().map(|o| o.total))
    }

    /// True when nothing is ever billed: a complimentary commit's schedule.
    pub fn is_free(&self) -> bool {
        let zero = |q: Decimal, p: Decimal| q.is_zero() || p.is_zero();
        self.items.iter().all(|i| zero(i.quantity, i.unit_price))
            && self.recurring.as_ref().is_none_or(|r| zero(r.quantity, r.unit_price))
    }

    /// Drops what is dated at or after `end` (a contract's new end).
    pub fn retain_before(&mut self, end: Timestamp) {
        self.items.retain(|i| i.timestamp < end);
        self.body.schedule_items.retain(|i| i.timestamp < end);
    }

    /// Every billed occurrence, in date order, an open-ended recurring part through `until`.
    pub fn occurrences(&self, until: Timestamp) -> Checked<Vec<Occurrence>> {
        let scale = self.scale();
        let mut out: Vec<Occurrence> = self
            .items
            .iter()
            .map(|it| {
                Ok(Occurrence {
                    timestamp: it.timestamp,
                    quantity: it.quantity,
                    unit_price: it.unit_price,
                    total: Money::of(Quantity::new(it.quantity), it.unit_price)?.rounded(scale),
                })
            })
            .collect::<Checked<_>>()?;
        if let Some(r) = &self.recurring {
            out.extend(recurring_occurrences(r, until, scale)?);
        }
        out.sort_by_key(|o| o.timestamp);
        Ok(out)
    }
}

/// EACH bills the full amount every time; DIVIDED splits it evenly (each share rounded to cents by the
/// line rule); DIVIDED_ROUNDED rounds each share to cents and puts the remainder on the last one. A
/// schedule with no end has no count to divide by, so it bills EACH.
fn recurring_occurrences(r: &Recurring, until: Timestamp, scale: Scale) -> Checked<Vec<Occurrence>> {
    let (q, p) = (r.quantity, r.unit_price);
    let dates: Vec<Timestamp> = recurring_boundaries(
        r.starting_at,
        r.frequency.months(),
        r.starting_at,
        r.ending_before,
        until,
    )
    .into_iter()
    .map(|(a, _)| a)
    .collect();
    let n = Decimal::from(dates.len().max(1) as u64);
    let whole = Money::of(Quantity::new(q), p)?;
    let last = dates.len().saturating_sub(1);
    dates
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            match r
                .distribution
                .filter(|_| r.ending_before.is_some())
                .unwrap_or(AmountDistribution::Each)
            {
                AmountDistribution::Each => Ok(Occurrence {
                    timestamp: t,
                    quantity: q,
                    unit_price: p,
                    total: whole.rounded(scale),
                }),
                AmountDistribution::Divided => {
                    let up = p / n;
                    Ok(Occurrence {
                        timestamp: t,
                        quantity: q,
                        unit_price: up,
                        total: Money::of(Quantity::new(q), up)?.rounded(scale),
                    })
                }
                AmountDistribution::DividedRounded => {
                    let share = Money::cents(whole.amount() / n).rounded(scale);
                    let total = if i == last {
                        whole.rounded(scale).minus(share.times(Decimal::from(last as u64))?)?
                    } else {
                        share
                    };
                    Ok(Occurrence {
                        timestamp: t,
                        quantity: Decimal::ONE,
                        unit_price: total.amount(),
                        total,
                    })
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(y: i32, m: u32, d: u32) -> Timestamp {
        Timestamp::ymd(y, m, d)
    }

    #[test]
    fn divided_rounded_puts_the_remainder_last() {
        // 100.00 cents over 3 months: 33, 33, 34 (33.33 rounds to 33; 100 − 66 = 34).
        let body = ScheduleBody {
            recurring_schedule: Some(RecurringSchedule {
                starting_at: ts(2025, 1, 1),
                ending_before: Some(ts(2025, 4, 1)),
                frequency: Frequency::Monthly,
                amount: Some(Decimal::from(100)),
                unit_price: None,
                quantity: None,
                amount_distribution: Some(AmountDistribution::DividedRounded),
            }),
            ..Default::default()
        };
        let totals: Vec<Decimal> = body
            .parse("")
            .unwrap()
            .occurrences(ts(2030, 1, 1))
            .unwrap()
            .iter()
            .map(|o| o.total.amount())
            .collect();
        assert_eq!(totals, vec![Decimal::from(33), Decimal::from(33), Decimal::from(34)]);
    }
}
