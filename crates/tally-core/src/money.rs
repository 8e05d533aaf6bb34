//! Money and quantities are `Decimal`: amounts are in cents of the credit type (USD cents), and may be
//! fractional. The one rounding rule lives here.

use rust_decimal::{Decimal, RoundingStrategy};

/// Tally's rounding rule: a line `total` is rounded to whole cents, half away from zero.
/// Quantities and unit prices keep full precision; an invoice total is the exact sum of its lines.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Money arithmetic never gives a wrong figure: a product or sum beyond `Decimal`'s range (about
/// 7.9e28) is noted as an overflow, which the rating that ran it turns into an error naming the contract
/// and product (`take_overflow`). The value returned meanwhile is only a placeholder that never reaches
/// an answer. The note is per thread and cleared by each rating: rating is synchronous, so it is that
/// rating's alone.
pub fn mul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b)
        .unwrap_or_else(|| overflow(a.is_sign_negative() != b.is_sign_negative()))
}

pub fn add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or_else(|| overflow(a.is_sign_negative()))
}

pub fn sub(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).unwrap_or_else(|| overflow(a.is_sign_negative()))
}

pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Decimal {
    values.into_iter().fold(Decimal::ZERO, add)
}

/// `a / b`; `b` must not be zero (callers check).
pub fn div(a: Decimal, b: Decimal) -> Decimal {
    a.checked_div(b)
        .unwrap_or_else(|| overflow((a < Decimal::ZERO) != (b < Decimal::ZERO)))
}

thread_local! {
    static OVERFLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn overflow(negative: bool) -> Decimal {
    OVERFLOWED.with(|f| f.set(true));
    if negative {
        Decimal::MIN
    } else {
        Decimal::MAX
    }
}

/// Whether some arithmetic overflowed since the last call; clears the note.
pub fn take_overflow() -> bool {
    OVERFLOWED.with(|f| f.replace(false))
}

/// Output form: no trailing zeros, so 95.00 prints as 95.
pub fn tidy(d: Decimal) -> Decimal {
    d.normalize()
}

/// A decimal as an exact JSON number (serde_json keeps the digits as written: `arbitrary_precision`).
pub fn number(d: Decimal) -> serde_json::Value {
    match d.normalize().to_string().parse::<serde_json::Number>() {
        Ok(n) => serde_json::Value::Number(n),
        Err(_) => serde_json::Value::String(d.to_string()),
    }
}

/// `serialize_with` for output amounts: exact JSON numbers, as Metronome's API answers them.
pub fn as_number<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&number(*d), s)
}

pub fn as_opt_number<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&d.map(number), s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rounds_half_away_from_zero_to_whole_cents() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(round_cents(d("2.5")), d("3"));
        assert_eq!(round_cents(d("-2.5")), d("-3"));
        assert_eq!(round_cents(d("2.4999")), d("2"));
        assert_eq!(round_cents(d("1234.50")), d("1235"));
    }
}
