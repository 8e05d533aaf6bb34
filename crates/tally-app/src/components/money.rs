//! Money as people read it: the core's USD cents (exact decimals) shown as dollars, e.g. 102400 →
//! $1,024.00; any other credit type is already in its own unit (a currency's whole units, as
//! Metronome counts them, or a custom pricing unit): 12.62 EUR, 540.00 AI tokens.
//!
//! What a person reads is in cents (model.md, second round): an amount shows in the credit type's
//! whole minor units (rounded half away from zero, the core's line rule), a unit price with at most
//! four decimals (`price_in`; the exact value goes in a tooltip, `exact_in`).

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

/// Cents as dollars, to the cent.
pub fn format_cents(cents: Decimal) -> String {
    format_dollars(cents, 0)
}

/// Cents as dollars with at most `extra` decimals past the cent (a unit price: 2).
fn format_dollars(cents: Decimal, extra: u32) -> String {
    let (sign, number) = grouped(to_places(cents, extra) / Decimal::ONE_HUNDRED);
    format!("{sign}${number}")
}

/// `amount` rounded to `places` decimals, half away from zero.
fn to_places(amount: Decimal, places: u32) -> Decimal {
    amount
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The sign and the grouped digits of an amount, at least two decimals.
fn grouped(amount: Decimal) -> (&'static str, String) {
    let negative = amount.is_sign_negative() && !amount.is_zero();
    let abs = amount.normalize().abs();
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
    (if negative { "-" } else { "" }, format!("{grouped}.{frac}"))
}

/// USD (cents), the core's default.
const USD_CENTS: &str = "2714e483-4ff1-48e4-9e25-ac732e8f24f2";

/// The credit type a body's `credit_type_id` names, as `{id, name}` for `money_in` (absent: none,
/// which reads as USD cents).
pub fn unit(state: &tally_core::State, id: &Value) -> Option<Value> {
    let ct = state.credit_type_named(id.as_str()?);
    Some(serde_json::json!({ "id": ct.id, "name": ct.name }))
}

/// A core amount in credit type `credit_type` (`{id, name}`; absent: USD cents), in its whole minor
/// units: to the cent, or to the hundredth of another unit.
pub fn money_in(v: &Value, credit_type: Option<&Value>) -> String {
    shown_in(v, credit_type, 0)
}

/// A unit price in credit type `credit_type`: at most four decimals of the unit shown ($0.0015,
/// 12.4839 EUR). `exact_in` gives the whole figure.
pub fn price_in(v: &Value, credit_type: Option<&Value>) -> String {
    shown_in(v, credit_type, 2)
}

/// The exact figure of a core amount, for a tooltip: every digit the core kept.
pub fn exact_in(v: &Value, credit_type: Option<&Value>) -> String {
    let id = credit_type.and_then(|c| c["id"].as_str()).unwrap_or(USD_CENTS);
    let Some(d) = decimal(v) else {
        return String::new();
    };
    if id == USD_CENTS {
        return format!("{} cents", d.normalize());
    }
    let name = credit_type.and_then(|c| c["name"].as_str()).unwrap_or(id);
    format!("{} {name}", d.normalize())
}

/// `v` shown to the minor unit and `extra` decimals past it.
fn shown_in(v: &Value, credit_type: Option<&Value>, extra: u32) -> String {
    let id = credit_type.and_then(|c| c["id"].as_str()).unwrap_or(USD_CENTS);
    let Some(d) = decimal(v) else {
        return "—".to_string();
    };
    if id == USD_CENTS {
        return format_dollars(d, extra);
    }
    let name = credit_type.and_then(|c| c["name"].as_str()).unwrap_or(id);
    let (sign, number) = grouped(to_places(d, 2 + extra));
    format!("{sign}{number} {name}")
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

/// A quantity for a table cell: at most four decimals shown (the exact value goes in a tooltip), the
/// whole part in groups of three: 12,345.5.
pub fn quantity_short(v: &Value) -> String {
    decimal(v)
        .map(|d| {
            let text = d.round_dp(4).normalize().abs().to_string();
            let (int, frac) = text
                .split_once('.')
                .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
            let mut grouped = String::new();
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            let sign = if d.is_sign_negative() && !d.is_zero() { "-" } else { "" };
            match frac {
                Some(f) => format!("{sign}{grouped}.{f}"),
                None => format!("{sign}{grouped}"),
            }
        })
        .unwrap_or_default()
}

/// The date part of a core timestamp, "2024-11-01".
pub fn day(v: &Value) -> String {
    v.as_str().map(|s| s.chars().take(10).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_read_in_their_credit_type() {
        assert_eq!(money_in(&json!(102400), None), "$1,024.00");
        let usd = json!({"id": USD_CENTS, "name": "USD (cents)"});
        assert_eq!(money_in(&json!(-463), Some(&usd)), "-$4.63");
        // Other currencies are whole units already (Metronome's convention), not cents.
        let eur = json!({"id": "EUR", "name": "EUR"});
        assert_eq!(money_in(&json!(1262.5), Some(&eur)), "1,262.50 EUR");
        assert_eq!(money_in(&json!(-4.63), Some(&eur)), "-4.63 EUR");
        let tokens = json!({"id": "ct_tokens", "name": "AI tokens"});
        assert_eq!(money_in(&json!(540), Some(&tokens)), "540.00 AI tokens");
        assert_eq!(quantity_short(&json!(12345.56789)), "12,345.5679");
        // Amounts to the minor unit, half away from zero; unit prices to four decimals at most.
        assert_eq!(money_in(&json!("26058.064516129032258064516128"), None), "$260.58");
        assert_eq!(money_in(&json!(-7741.93548), None), "-$77.42");
        assert_eq!(money_in(&json!(0.5), None), "$0.01");
        assert_eq!(price_in(&json!("1548.3870967741935483870967743"), None), "$15.4839");
        assert_eq!(price_in(&json!(0.15), None), "$0.0015");
        assert_eq!(price_in(&json!(100), None), "$1.00");
        assert_eq!(money_in(&json!(4.625), Some(&eur)), "4.63 EUR");
        assert_eq!(price_in(&json!(0.125), Some(&eur)), "0.125 EUR");
        assert_eq!(
            exact_in(&json!("1548.3870967741935483870967743"), None),
            "1548.3870967741935483870967743 cents"
        );
        assert_eq!(quantity_short(&json!(-1000)), "-1,000");
        assert_eq!(quantity_short(&json!(999)), "999");
    }
}
