//! How an explanation writes figures: money and unit prices in their credit type, quantities with
//! thousands separators, instants, windows and price shapes.

use crate::credit_type::USD_CENTS_ID;
use crate::invoice::CreditType;
use crate::rate_card::Price;
use crate::time::{Timestamp, Window};
use rust_decimal::Decimal;

/// An amount in its credit type as a billing person reads it (the CLI's diff says money this way too),
/// in whole minor units, half away from zero: `$1,234.50`, `1,200.00 Tokens`.
pub fn money(amount: Decimal, ct: &CreditType) -> String {
    shown(amount, ct, 0)
}

/// A unit price as a billing person reads it: at most four decimals of the unit, `$0.0015`.
pub fn price(amount: Decimal, ct: &CreditType) -> String {
    shown(amount, ct, 2)
}

/// `amount` to the credit type's minor unit and `extra` decimals past it.
fn shown(amount: Decimal, ct: &CreditType, extra: u32) -> String {
    let places = |d: Decimal, p: u32| {
        let mut d = d
            .round_dp_with_strategy(p, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        d
    };
    if ct.id != USD_CENTS_ID {
        return format!("{} {}", grouped(places(amount, 2 + extra)), ct.name);
    }
    let cents = amount.round_dp_with_strategy(extra, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let dollars = places(cents / Decimal::ONE_HUNDRED, 2 + extra);
    let sign = if dollars.is_sign_negative() && !dollars.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", grouped(dollars.abs()))
}

/// A number with thousands separators, every decimal kept.
pub(super) fn grouped(d: Decimal) -> String {
    let s = d.to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// An instant as a date when it is midnight UTC, else with its time.
pub(super) fn when(t: Timestamp) -> String {
    let s = t.to_string();
    match s.strip_suffix("T00:00:00Z") {
        Some(d) => d.to_string(),
        None => s.replacen('T', " ", 1).replace('Z', " UTC"),
    }
}

pub(super) fn window(w: &Window) -> String {
    match w.end {
        Some(e) => format!("from {} until {}", when(w.start), when(e)),
        None => format!("from {}, open-ended", when(w.start)),
    }
}

pub(super) fn price_text(p: &Price, ct: &CreditType) -> String {
    match p {
        Price::Flat(p) => format!("{} per unit", price(*p, ct)),
        Price::Tiered(tiers) => {
            let mut start = Decimal::ZERO;
            let parts: Vec<String> = tiers
                .iter()
                .map(|t| {
                    let part = match t.size {
                        Some(s) => format!(
                            "units {}–{} at {}",
                            grouped(start),
                            grouped(start.saturating_add(s)),
                            price(t.price, ct)
                        ),
                        None => format!("above {} at {}", grouped(start), price(t.price, ct)),
                    };
                    start = start.saturating_add(t.size.unwrap_or_default());
                    part
                })
                .collect();
            format!("tiered: {}", parts.join(", "))
        }
    }
}
