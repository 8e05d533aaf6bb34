//! Event times as integers: RFC 3339 text to nanoseconds since 1970, on a fast path for the usual
//! `2025-01-01T00:00:00Z` form.

use super::store::nanos;
use crate::time::{Timestamp, EARLIEST_YEAR, LATEST_YEAR};
use chrono::Datelike;

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An RFC 3339 time as nanoseconds since 1970. `YYYY-MM-DDTHH:MM:SS[.fraction]Z` is read here; any
/// other form (offsets, lowercase, leap seconds) and every refusal goes through `Timestamp::parse`.
pub(crate) fn parse_time(s: &str) -> std::result::Result<i64, String> {
    fast_time(s).map_or_else(|| Timestamp::parse(s).map(nanos), Ok)
}

fn fast_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    // Inlined even where the JS package optimizes for size: six calls per event otherwise.
    #[inline(always)]
    fn digits(b: &[u8]) -> Option<i64> {
        b.iter()
            .try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as i64))
    }
    let num = |r: std::ops::Range<usize>| digits(&b[r]);
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut nanos = 0i64;
    let rest = &b[19..];
    let zone = match rest.first()? {
        b'.' => {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            for (i, c) in rest[1..=digits].iter().enumerate() {
                nanos += (c - b'0') as i64 * 10i64.pow(8 - i as u32);
            }
            &rest[1 + digits..]
        }
        _ => rest,
    };
    // `Z`, or a `±HH:MM` offset (what chrono's `to_rfc3339` writes: `+00:00`).
    let offset = match zone {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let d = |c: &u8| c.is_ascii_digit().then(|| (c - b'0') as i64);
            let (oh, om) = (d(h1)? * 10 + d(h2)?, d(m1)? * 10 + d(m2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = oh * 3600 + om * 60;
            if *sign == b'+' {
                secs
            } else {
                -secs
            }
        }
        _ => return None,
    };
    if !(EARLIEST_YEAR as i64..=LATEST_YEAR as i64).contains(&y) {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&mo) || d < 1 || d > month_days[mo as usize - 1] || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset;
    let ns = secs * 1_000_000_000 + nanos;
    if offset == 0 {
        return Some(ns);
    }
    // An offset can carry a time across a year end: the UTC year decides, as chrono's reading does.
    let utc_year = super::store::timestamp(ns).0.year() as i64;
    (EARLIEST_YEAR as i64..=LATEST_YEAR as i64)
        .contains(&utc_year)
        .then_some(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_reads_times_as_chrono_does() {
        for s in [
            "2025-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2199-12-31T23:59:59.999999999Z",
            "2025-06-15T12:34:56.5Z",
            "2024-02-29T00:00:00.000Z",
        ] {
            assert_eq!(fast_time(s), Some(nanos(Timestamp::parse(s).unwrap())), "{s}");
        }
        for s in [
            "2025-01-01T01:00:00+01:00",
            "2025-06-30T20:00:00-05:30",
            "2025-01-01T00:00:00+00:00",
        ] {
            assert_eq!(fast_time(s), Some(nanos(Timestamp::parse(s).unwrap())), "{s}");
        }
        // Left to chrono: lowercase, a leap second; refused: impossible dates, years out of range
        // (also when an offset moves the time out of them).
        for s in [
            "2025-01-01t00:00:00z",
            "2025-02-29T00:00:00Z",
            "1999-12-31T23:00:00Z",
            "2000-01-01T00:30:00+01:00",
        ] {
            assert_eq!(fast_time(s), None, "{s}");
        }
        assert!(parse_time("2000-01-01T00:30:00+01:00").is_err());
        assert_eq!(
            parse_time("2025-01-01T01:00:00+01:00"),
            parse_time("2025-01-01T00:00:00Z")
        );
        assert!(parse_time("2025-02-29T00:00:00Z").is_err());
        assert!(parse_time("1999-12-31T23:00:00Z")
            .unwrap_err()
            .contains("outside the years"));
    }
}
