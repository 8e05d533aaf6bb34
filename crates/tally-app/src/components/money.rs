//! Money as people read it: the core's cents (exact decimals) shown as dollars, e.g. 102400 → $1,024.00.
//! Formatting only: the amount is the core's, shifted two places; fractional cents keep their digits.

use rust_decimal::Decimal;
use serde_json::Value;

/// The exact decimal in a core answer's number (or decimal string).
pub fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub fn format_cents(cents: Decimal) -> String {
    let dollars = (cents / Decimal::ONE_HUNDRED).normalize();
    let negative = dollars.is_sign_negative() && !dollars.is_zero();
    let abs = dollars.abs();
    let text = if abs.scale() < 2 {
        format!("{abs:.2}")
    } else {
        abs.to_string()
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac}", if negative { "-" } else { "" })
}

/// A core money value (cents) as currency; "—" when absent.
pub fn money(v: &Value) -> String {
    decimal(v).map(format_cents).unwrap_or_else(|| "—".to_string())
}

/// Typed cents (a form field) as a currency hint, or nothing when it is not a number yet.
pub fn hint(typed: &str) -> String {
    typed
        .trim()
        .parse::<Decimal>()
        .map(|c| format!("= {}", format_cents(c)))
        .unwrap_or_default()
}

/// A plain decimal (quantity) with its exact digits.
pub fn quantity(v: &Value) -> String {
    decimal(v).map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// A quantity for a table cell: at most four decimals shown (the exact value goes in a tooltip).
pub fn quantity_short(v: &Value) -> String {
    decimal(v)
        .map(|d| d.round_dp(4).normalize().to_string())
        .unwrap_or_default()
}

/// The date part of a core timestamp, "2024-11-01".
pub fn day(v: &Value) -> String {
    v.as_str().map(|s| s.chars().take(10).collect()).unwrap_or_default()
}
