//! Time is UTC. Inputs are RFC 3339 strings; outputs are RFC 3339 with a `Z`.
//! Windows are `[starting_at, ending_before)` everywhere.

use chrono::{DateTime, Datelike, Months, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The first and last years a timestamp may fall in. Monthly statements from the earliest to the
/// latest year are 2,400 periods, which is `calendar::MAX_PERIODS`: no schedule is ever cut short.
pub const EARLIEST_YEAR: i32 = 2000;
/// The last year a timestamp may fall in (see `EARLIEST_YEAR`).
pub const LATEST_YEAR: i32 = 2199;

/// An instant in UTC: read from RFC 3339 with any offset, written back as RFC 3339 with `Z`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// Reads an RFC 3339 time in Tally's range: years EARLIEST_YEAR through LATEST_YEAR. Outside it
    /// a contract would need more statement periods than Tally rates, so such a date is refused rather
    /// than billed partly.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = DateTime::parse_from_rfc3339(s)
            .map(|t| Timestamp(t.with_timezone(&Utc)))
            .map_err(|e| format!("`{s}` is not an RFC 3339 timestamp ({e})"))?;
        if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&t.0.year()) {
            return Err(format!(
                "`{s}` is outside the years Tally reads ({EARLIEST_YEAR} to {LATEST_YEAR})"
            ));
        }
        Ok(t)
    }
    /// Midnight UTC on the given date; panics on an invalid date, so for literal dates only.
    pub fn ymd(y: i32, m: u32, d: u32) -> Self {
        Timestamp(
            Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
                .single()
                .expect("valid literal date"),
        )
    }
    /// The UTC calendar date.
    pub fn date(self) -> NaiveDate {
        self.0.date_naive()
    }
    /// `self` plus `n` calendar months, keeping the day where the month has it and clamping otherwise
    /// (Jan 31 + 1 month = Feb 28). Saturates at the far future rather than failing.
    pub fn add_months(self, n: i64) -> Self {
        let r = if n >= 0 {
            self.0.checked_add_months(Months::new(n as u32))
        } else {
            self.0.checked_sub_months(Months::new(n.unsigned_abs() as u32))
        };
        Timestamp(r.unwrap_or(if n >= 0 {
            DateTime::<Utc>::MAX_UTC
        } else {
            DateTime::<Utc>::MIN_UTC
        }))
    }
    /// Midnight UTC on the first day of this month.
    pub fn first_of_month(self) -> Self {
        let d = self.0;
        Timestamp(
            Utc.with_ymd_and_hms(d.year(), d.month(), 1, 0, 0, 0)
                .single()
                .unwrap_or(d),
        )
    }
    /// Whole months from `a` to `b` (b's day-of-month and time compared to a's).
    pub fn months_between(a: Self, b: Self) -> i64 {
        let m = (b.0.year() as i64 - a.0.year() as i64) * 12 + b.0.month() as i64 - a.0.month() as i64;
        if a.add_months(m) > b {
            m - 1
        } else {
            m
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date-time", "x-tally": "Timestamp" })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A half-open window `[start, end)`; `end: None` runs for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first instant in the window (inclusive).
    pub start: Timestamp,
    /// The first instant after the window (exclusive); none: open-ended.
    pub end: Option<Timestamp>,
}

impl Window {
    /// True when `t` falls in `[start, end)`.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && self.end.is_none_or(|e| t < e)
    }
    /// True when the two windows share at least one instant.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.end.is_none_or(|e| other.start < e) && other.end.is_none_or(|e| self.start < e)
    }
    /// True when `[s, e)` lies inside this window.
    pub fn covers(&self, s: Timestamp, e: Timestamp) -> bool {
        self.start <= s && self.end.is_none_or(|end| e <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_clamps_and_counts() {
        let jan31 = Timestamp::ymd(2025, 1, 31);
        assert_eq!(jan31.add_months(1), Timestamp::ymd(2025, 2, 28));
        assert_eq!(jan31.add_months(2), Timestamp::ymd(2025, 3, 31));
        assert_eq!(
            Timestamp::months_between(Timestamp::ymd(2024, 11, 15), Timestamp::ymd(2025, 2, 14)),
            2
        );
        assert_eq!(
            Timestamp::months_between(Timestamp::ymd(2024, 11, 15), Timestamp::ymd(2025, 2, 15)),
            3
        );
    }

    #[test]
    fn parses_offsets_and_prints_utc() {
        let t = Timestamp::parse("2024-11-01T01:00:00.000+01:00").unwrap();
        assert_eq!(t.to_string(), "2024-11-01T00:00:00Z");
        assert!(Timestamp::parse("2024-13-01T00:00:00Z").is_err());
    }
}
