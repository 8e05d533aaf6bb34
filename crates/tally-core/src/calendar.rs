//! The calendar: usage statement periods and the grid that recurring charges, commits and credits
//! follow (`anchor + k·months`), cut at contract dates. Priced schedules live in `schedule`.

use crate::case::api_enum;
use crate::error::{join_path, Error, Result};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

api_enum!(Frequency { Monthly = "MONTHLY", Quarterly = "QUARTERLY", SemiAnnual = "SEMI_ANNUAL", Annual = "ANNUAL" });
api_enum!(StatementDay { FirstOfMonth = "FIRST_OF_MONTH", ContractStart = "CONTRACT_START", CustomDate = "CUSTOM_DATE" });

/// A guard, never reached by valid input: timestamps are refused outside the years
/// `time::EARLIEST_YEAR`..=`time::LATEST_YEAR` (2,400 months), and this leaves a year to spare.
pub const MAX_PERIODS: usize = 2412;

impl Frequency {
    /// Months in one period.
    pub fn months(self) -> i64 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Quarterly => 3,
            Frequency::SemiAnnual => 6,
            Frequency::Annual => 12,
        }
    }
}

/// `usage_statement_schedule`: when a contract's usage invoices close.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UsageStatementSchedule {
    /// The length of a usage period.
    pub frequency: Frequency,
    /// Where periods turn: FIRST_OF_MONTH (default), CONTRACT_START, or CUSTOM_DATE (on
    /// `billing_anchor_date`'s grid).
    #[serde(default)]
    pub day: Option<StatementDay>,
    /// For CUSTOM_DATE (required then, unread otherwise): an instant periods are counted from; a
    /// contract starting between two of its dates gets a short first period.
    #[serde(default)]
    pub billing_anchor_date: Option<Timestamp>,
}

impl Default for UsageStatementSchedule {
    fn default() -> Self {
        UsageStatementSchedule {
            frequency: Frequency::Monthly,
            day: None,
            billing_anchor_date: None,
        }
    }
}

impl UsageStatementSchedule {
    /// CUSTOM_DATE needs a `billing_anchor_date`; `path` is where the schedule sits.
    pub fn validate(&self, path: &str) -> Result<()> {
        if self.day == Some(StatementDay::CustomDate) && self.billing_anchor_date.is_none() {
            return Err(Error::invalid(
                join_path(path, "billing_anchor_date"),
                "CUSTOM_DATE needs a billing_anchor_date",
            ));
        }
        Ok(())
    }

    /// The instant period boundaries are counted from.
    pub fn anchor(&self, start: Timestamp) -> Timestamp {
        match self.day.unwrap_or(StatementDay::FirstOfMonth) {
            // Periods turn on the 1st: a mid-month start runs to the next 1st, and the cadence
            // counts from that 1st (quarterly from a Feb 1 start: Feb, May, Aug, Nov).
            StatementDay::FirstOfMonth => {
                let first = start.first_of_month();
                if first < start {
                    first.add_months(1)
                } else {
                    first
                }
            }
            StatementDay::ContractStart => start,
            StatementDay::CustomDate => self.billing_anchor_date.unwrap_or(start),
        }
    }

    /// The service periods from `start` until `end` (or, open-ended, through the period containing
    /// `horizon`). The first and last periods are cut short at the contract's own dates.
    pub fn periods(&self, start: Timestamp, end: Option<Timestamp>, horizon: Timestamp) -> Vec<(Timestamp, Timestamp)> {
        recurring_boundaries(self.anchor(start), self.frequency.months(), start, end, horizon)
    }
}

/// Periods `[a, b)` cut from the grid `anchor + k·months`, from `start` until `end` or the period
/// that contains `horizon`.
pub fn recurring_boundaries(
    anchor: Timestamp,
    months: i64,
    start: Timestamp,
    end: Option<Timestamp>,
    horizon: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    let grid = |k: i64| anchor.add_months(k * months);
    let mut k = grid_index(anchor, months, start);
    let mut out = Vec::new();
    let mut a = start;
    while out.len() < MAX_PERIODS {
        let mut b = grid(k + 1);
        if let Some(e) = end {
            if e <= a {
                break;
            }
            b = b.min(e);
        } else if a > horizon {
            break;
        }
        if b <= a {
            break;
        }
        out.push((a, b));
        a = b;
        k += 1;
    }
    out
}

/// The index `k` of the grid cell `[anchor + k·months, anchor + (k+1)·months)` that holds `t`.
fn grid_index(anchor: Timestamp, months: i64, t: Timestamp) -> i64 {
    let grid = |k: i64| anchor.add_months(k * months);
    let mut k = Timestamp::months_between(anchor, t).div_euclid(months);
    while grid(k) > t {
        k -= 1;
    }
    while grid(k + 1) <= t {
        k += 1;
    }
    k
}

/// The share of the grid cell `whole` that `[a, b)` covers, by seconds (1 for an empty cell): what a
/// partial period is prorated by.
pub fn share(
    a: Timestamp,
    b: Timestamp,
    whole: (Timestamp, Timestamp),
) -> crate::money::Checked<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    let part = Decimal::from(b.0.timestamp() - a.0.timestamp());
    let all = Decimal::from(whole.1 .0.timestamp() - whole.0 .0.timestamp());
    if all.is_zero() {
        return Ok(Decimal::ONE);
    }
    crate::money::div(part, all)
}

/// The whole grid cell that holds `t`.
pub fn grid_cell(anchor: Timestamp, months: i64, t: Timestamp) -> (Timestamp, Timestamp) {
    let k = grid_index(anchor, months, t);
    (anchor.add_months(k * months), anchor.add_months((k + 1) * months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(y: i32, m: u32, d: u32) -> Timestamp {
        Timestamp::ymd(y, m, d)
    }

    #[test]
    fn first_of_month_cuts_a_mid_month_start() {
        let s = UsageStatementSchedule::default();
        let p = s.periods(ts(2025, 1, 15), Some(ts(2025, 3, 10)), ts(2030, 1, 1));
        assert_eq!(
            p,
            vec![
                (ts(2025, 1, 15), ts(2025, 2, 1)),
                (ts(2025, 2, 1), ts(2025, 3, 1)),
                (ts(2025, 3, 1), ts(2025, 3, 10))
            ]
        );
    }

    #[test]
    fn custom_anchor_runs_tenth_to_tenth() {
        let s = UsageStatementSchedule {
            frequency: Frequency::Monthly,
            day: Some(StatementDay::CustomDate),
            billing_anchor_date: Some(ts(2020, 1, 10)),
        };
        let p = s.periods(ts(2025, 9, 15), None, ts(2025, 11, 1));
        assert_eq!(
            p,
            vec![
                (ts(2025, 9, 15), ts(2025, 10, 10)),
                (ts(2025, 10, 10), ts(2025, 11, 10))
            ]
        );
    }
}
