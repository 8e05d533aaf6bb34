//! Money as people read it: the core's USD cents (exact decimals) shown as dollars, e.g. 102400 →
//! $1,024.00; any other credit type is already in its own unit (a currency's whole units, as
//! Metronome counts them, or a custom pricing unit): 12.62 EUR, 540.00 AI tokens.
//!
//! What a person reads is in cents (model.md, second round): an amount shows in the credit type's
//! whole minor units (rounded half away from zero, the core's line rule), a unit price with at most
//! four decimals (`price_in`; the exact value goes in a tooltip, `exact_in`).

use rust_decimal::Decimal;
use serde_json::Value;
use tally_core::Timestamp;

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
use tally_core::credit_type::USD_CENTS_ID as USD_CENTS;

/// The credit type an amount is counted in, as invoices name it (`{id, name}`); none reads as USD cents.
pub use tally_core::invoice::CreditType;

/// The credit type a `credit_type_id` names (absent: none, which reads as USD cents).
pub fn unit(state: &tally_core::State, id: Option<&str>) -> Option<CreditType> {
    id.map(|id| state.credit_type_named(id).into())
}

/// An amount in credit type `credit_type` (absent: USD cents), in its whole minor units: to the cent,
/// or to the hundredth of another unit.
pub fn money_in(amount: Decimal, credit_type: Option<&CreditType>) -> String {
    shown_in(amount, credit_type, 0)
}

/// A unit price in credit type `credit_type`: at most four decimals of the unit shown ($0.0015,
/// 12.4839 EUR). `exact_in` gives the whole figure.
pub fn price_in(amount: Decimal, credit_type: Option<&CreditType>) -> String {
    shown_in(amount, credit_type, 2)
}

/// The exact figure of an amount, for a tooltip: every digit the core kept.
pub fn exact_in(amount: Decimal, credit_type: Option<&CreditType>) -> String {
    match credit_type.filter(|c| c.id != USD_CENTS) {
        None => format!("{} cents", amount.normalize()),
        Some(c) => format!("{} {}", amount.normalize(), c.name),
    }
}

/// An amount of a core answer that is still JSON (a balance list): "—" when it is not a number.
pub fn json_money_in(v: &Value, credit_type: Option<&CreditType>) -> String {
    decimal(v).map_or_else(|| "—".to_string(), |d| money_in(d, credit_type))
}

/// `amount` shown to the minor unit and `extra` decimals past it.
fn shown_in(amount: Decimal, credit_type: Option<&CreditType>, extra: u32) -> String {
    match credit_type.filter(|c| c.id != USD_CENTS) {
        None => format_dollars(amount, extra),
        Some(c) => {
            let (sign, number) = grouped(to_places(amount, 2 + extra));
            format!("{sign}{number} {}", c.name)
        }
    }
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
pub fn quantity(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A quantity for a table cell: at most four decimals shown (the exact value goes in a tooltip), the
/// whole part in groups of three: 12,345.5.
pub fn quantity_short(d: Decimal) -> String {
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
}

/// The date of a timestamp, "2024-11-01".
pub fn day(t: Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}

/// The date part of a timestamp in a core answer that is still JSON.
pub fn json_day(v: &Value) -> String {
    v.as_str().map(|s| s.chars().take(10).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_in_their_credit_type() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let ct = |id: &str, name: &str| CreditType {
            id: id.into(),
            name: name.into(),
        };
        assert_eq!(money_in(d("102400"), None), "$1,024.00");
        let usd = ct(USD_CENTS, "USD (cents)");
        assert_eq!(money_in(d("-463"), Some(&usd)), "-$4.63");
        // Other currencies are whole units already (Metronome's convention), not cents.
        let eur = ct("EUR", "EUR");
        assert_eq!(money_in(d("1262.5"), Some(&eur)), "1,262.50 EUR");
        assert_eq!(money_in(d("-4.63"), Some(&eur)), "-4.63 EUR");
        let tokens = ct("ct_tokens", "AI tokens");
        assert_eq!(money_in(d("540"), Some(&tokens)), "540.00 AI tokens");
        assert_eq!(quantity_short(d("12345.56789")), "12,345.5679");
        // Amounts to the minor unit, half away from zero; unit prices to four decimals at most.
        assert_eq!(money_in(d("26058.064516129032258064516128"), None), "$260.58");
        assert_eq!(money_in(d("-7741.93548"), None), "-$77.42");
        assert_eq!(money_in(d("0.5"), None), "$0.01");
        assert_eq!(price_in(d("1548.3870967741935483870967743"), None), "$15.4839");
        assert_eq!(price_in(d("0.15"), None), "$0.0015");
        assert_eq!(price_in(d("100"), None), "$1.00");
        assert_eq!(money_in(d("4.625"), Some(&eur)), "4.63 EUR");
        assert_eq!(price_in(d("0.125"), Some(&eur)), "0.125 EUR");
        assert_eq!(
            exact_in(d("1548.3870967741935483870967743"), None),
            "1548.3870967741935483870967743 cents"
        );
        assert_eq!(quantity_short(d("-1000")), "-1,000");
        assert_eq!(quantity_short(d("999")), "999");
        // What is still JSON reads the same, and a dash where there is no number.
        assert_eq!(json_money_in(&serde_json::json!(-463), None), "-$4.63");
        assert_eq!(json_money_in(&Value::Null, None), "—");
        assert_eq!(day(Timestamp::ymd(2024, 11, 1)), "2024-11-01");
    }
}
