//! Tiered prices worked by hand: a span of units priced band by band.

use super::*;
use crate::money::{Money, Quantity};

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

#[test]
fn a_span_of_units_is_priced_band_by_band() {
    // First 100 units at 10, next 50 at 5, the rest at 2.
    let p = Price::Tiered(vec![
        Tier {
            size: Some(d(100)),
            price: d(10),
        },
        Tier {
            size: Some(d(50)),
            price: d(5),
        },
        Tier {
            size: None,
            price: d(2),
        },
    ]);
    let cents = |n| Ok(Money::cents(d(n)));
    let d = |n| Quantity::new(d(n));
    assert_eq!(p.amount(d(0), d(80)), cents(800));
    // Units 80..200 (a piece after 80 units were billed): 20 × 10 + 50 × 5 + 50 × 2.
    assert_eq!(p.amount(d(80), d(200)), cents(550));
    assert_eq!(p.amount(d(160), d(170)), cents(20));
    assert_eq!(p.amount(d(0), d(0)), cents(0));
    assert_eq!(Price::Flat(Decimal::from(3)).amount(d(80), d(200)), cents(360));
}
