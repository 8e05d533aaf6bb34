//! Money and quantities are `Decimal`: amounts are in the credit type's unit (USD cents, a currency's
//! whole unit, a custom pricing unit), and may be fractional. The one rounding rule lives here.

use rust_decimal::{Decimal, RoundingStrategy};

/// Tally's rounding rule: a line `total` is rounded to whole cents, half away from zero.
/// Quantities and unit prices keep full precision; an invoice total is the exact sum of its lines.
fn round_to(amount: Decimal, places: u32) -> Decimal {
    // Repeating fractions (a third of a unit) leave dust in the 28th digit, which must not tip a
    // half the other way: an amount is first taken to 20 decimal places.
    amount
        .round_dp_with_strategy(20, RoundingStrategy::MidpointAwayFromZero)
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A figure past `Decimal`'s range (about ±7.9e28): refused, never billed as a saturated number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// A figure, or `Overflow` when it would leave `Decimal`'s range.
pub type Checked<T> = Result<T, Overflow>;

/// An exact amount of money: cents of a credit type, fractions of a cent kept until a line total is
/// rounded (`rounded`, Tally's one rounding rule). Arithmetic is checked: past `Decimal`'s range it
/// answers `Overflow`, and the rating that asked turns that into an error naming contract and product.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    cents: Decimal,
}

/// A number of units: a metric's aggregate after conversion and rounding, the units of a tier band, a
/// schedule item's quantity. Kept apart from `Money` so that units are never added to cents by
/// accident; `Money::of` is where the two meet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(Decimal);

impl Quantity {
    /// No units.
    pub const ZERO: Quantity = Quantity(Decimal::ZERO);

    /// A number of units.
    pub fn new(units: Decimal) -> Quantity {
        Quantity(units)
    }

    /// The number of units.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// The sum, checked.
    pub fn plus(self, other: Quantity) -> Checked<Quantity> {
        Ok(Quantity(add(self.0, other.0)?))
    }

    /// The difference, checked.
    pub fn minus(self, other: Quantity) -> Checked<Quantity> {
        Ok(Quantity(sub(self.0, other.0)?))
    }
}

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money { cents: Decimal::ZERO };

    /// An amount in USD cents, as bodies give it.
    pub fn cents(cents: Decimal) -> Money {
        Money { cents }
    }

    /// What `quantity` units cost at `unit_price` cents each.
    pub fn of(quantity: Quantity, unit_price: Decimal) -> Checked<Money> {
        Ok(Money::cents(mul(quantity.value(), unit_price)?))
    }

    /// The exact amount, in the credit type's unit (USD: cents), unrounded.
    pub fn amount(self) -> Decimal {
        self.cents
    }

    /// The sum, checked.
    pub fn plus(self, other: Money) -> Checked<Money> {
        Ok(Money::cents(add(self.cents, other.cents)?))
    }

    /// The difference, checked.
    pub fn minus(self, other: Money) -> Checked<Money> {
        Ok(Money::cents(sub(self.cents, other.cents)?))
    }

    /// This amount scaled by `factor` (a proration fraction, a rollover share).
    pub fn times(self, factor: Decimal) -> Checked<Money> {
        Ok(Money::cents(mul(self.cents, factor)?))
    }

    /// How many units at `unit_price` this amount buys; `unit_price` is not zero (callers check).
    pub fn units_at(self, unit_price: Decimal) -> Checked<Quantity> {
        self.cents.checked_div(unit_price).map(Quantity).ok_or(Overflow)
    }

    /// Tally's rounding rule: a line `total` is rounded half away from zero, to whole cents in USD
    /// and to 0.01 of the unit in any other credit type (`Scale`).
    pub fn rounded(self, scale: crate::credit_type::Scale) -> Money {
        Money::cents(round_to(self.cents, scale.decimal_places()))
    }

    /// Above zero.
    pub fn is_positive(self) -> bool {
        self.cents > Decimal::ZERO
    }

    /// Exactly zero.
    pub fn is_zero(self) -> bool {
        self.cents.is_zero()
    }

    /// The sum of some amounts.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Checked<Money> {
        amounts.into_iter().try_fold(Money::ZERO, Money::plus)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    /// Negation never overflows: `Decimal`'s range is symmetric.
    fn neg(self) -> Money {
        Money::cents(-self.cents)
    }
}

impl serde::Serialize for Money {
    /// An exact JSON number, as Metronome's API answers amounts.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&number(self.cents), s)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Money {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Decimal as schemars::JsonSchema>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Decimal as schemars::JsonSchema>::json_schema(g)
    }
}

/// `a × b` for quantities and unit prices (a multiplier, a conversion factor), checked.
pub fn mul(a: Decimal, b: Decimal) -> Checked<Decimal> {
    a.checked_mul(b).ok_or(Overflow)
}

/// `a + b`, checked.
pub fn add(a: Decimal, b: Decimal) -> Checked<Decimal> {
    a.checked_add(b).ok_or(Overflow)
}

/// `a − b`, checked.
pub fn sub(a: Decimal, b: Decimal) -> Checked<Decimal> {
    a.checked_sub(b).ok_or(Overflow)
}

/// `a / b`; `b` is not zero (callers check).
pub fn div(a: Decimal, b: Decimal) -> Checked<Decimal> {
    a.checked_div(b).ok_or(Overflow)
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

/// `serialize_with` for optional output amounts: an exact JSON number, or null.
pub fn as_opt_number<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&d.map(number), s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit_type::Scale;
    use std::str::FromStr;

    #[test]
    fn rounds_half_away_from_zero_to_whole_cents() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(round_to(d("2.5"), 0), d("3"));
        assert_eq!(round_to(d("-2.5"), 0), d("-3"));
        assert_eq!(round_to(d("2.4999"), 0), d("2"));
        assert_eq!(round_to(d("1234.50"), 0), d("1235"));
        // Any credit type but USD cents: to 0.01 of its unit.
        assert_eq!(round_to(d("12.345"), 2), d("12.35"));
        assert_eq!(round_to(d("-12.345"), 2), d("-12.35"));
        assert_eq!(round_to(d("12.3449"), 2), d("12.34"));
        // Dust from a repeating fraction does not tip a half.
        assert_eq!(round_to(d("5441.4999999999999999999999999"), 0), d("5442"));
    }

    #[test]
    fn money_refuses_what_it_cannot_hold_and_rounds_by_the_one_rule() {
        let d = |s| Decimal::from_str(s).unwrap();
        let max = Money::cents(Decimal::MAX);
        assert_eq!(max.plus(Money::cents(d("1"))), Err(Overflow));
        let q = |s| Quantity::new(d(s));
        assert_eq!(Money::of(q("2"), Decimal::MAX), Err(Overflow));
        assert_eq!(max.times(d("1.5")), Err(Overflow));
        assert_eq!(
            Money::of(q("3"), d("0.125")).map(|m| m.rounded(Scale::WholeCents)),
            Ok(Money::cents(d("0")))
        );
        assert_eq!(
            Money::of(q("4"), d("0.125")).map(|m| m.rounded(Scale::WholeCents)),
            Ok(Money::cents(d("1")))
        );
        assert_eq!(
            (-Money::cents(d("2.5"))).rounded(Scale::WholeCents),
            Money::cents(d("-3"))
        );
        assert_eq!(
            Money::cents(d("2.505")).rounded(Scale::Hundredths),
            Money::cents(d("2.51"))
        );
        let parts = [d("0.4"), d("0.35"), d("0.25")].map(Money::cents);
        assert_eq!(Money::sum(parts), Ok(Money::cents(d("1"))));
        assert_eq!(Money::cents(d("10")).units_at(d("4")), Ok(q("2.5")));
        assert_eq!(serde_json::to_string(&Money::cents(d("95.00"))).unwrap(), "95");
    }
}
