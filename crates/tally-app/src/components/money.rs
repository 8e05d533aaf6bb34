//! Money as people read it: the core's USD cents (exact decimals) shown as dollars, e.g. 102400 →
//! $1,024.00; any other credit type is already in its own unit (a currency's whole units, as
//! Metronome counts them, or a custom pricing unit): 12.62 EUR, 540.00 AI tokens. Formatting only:
//! fractional digits the core kept are shown.

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
    let (sign, number) = grouped((cents / Decimal::ONE_HUNDRED).normalize());
    format!("{sign}${number}")
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
    let ct = tally_core::credit_type::named(state, id.as_str()?);
    Some(serde_json::json!({ "id": ct.id, "name": ct.name }))
}

/// A core amount in credit type `credit_type` (`{id, name}`; absent: USD cents).
pub fn money_in(v: &Value, credit_type: Option<&Value>) -> String {
    let id = credit_type.and_then(|c| c["id"].as_str()).unwrap_or(USD_CENTS);
    if id == USD_CENTS {
        return money(v);
    }
    let name = credit_type.and_then(|c| c["name"].as_str()).unwrap_or(id);
    decimal(v)
        .map(|d| {
            let (sign, number) = grouped(d);
            format!("{sign}{number} {name}")
        })
        .unwrap_or_else(|| "—".to_string())
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
        assert_eq!(quantity_short(&json!(-1000)), "-1,000");
        assert_eq!(quantity_short(&json!(999)), "999");
    }
}
