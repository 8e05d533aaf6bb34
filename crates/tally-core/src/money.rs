//! Money and quantities are `Decimal`: amounts are in cents of the credit type (USD cents), and may be
//! fractional. The one rounding rule lives here.

use rust_decimal::{Decimal, RoundingStrategy};

/// Tally's rounding rule: a line `total` is rounded to whole cents, half away from zero.
/// Quantities and unit prices keep full precision; an invoice total is the exact sum of its lines.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// Output form: no trailing zeros, so 95.00 prints as 95.
pub fn tidy(d: Decimal) -> Decimal {
    d.normalize()
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
