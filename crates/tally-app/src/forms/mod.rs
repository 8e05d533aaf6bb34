//! Form models: what a form holds, as plain data, and the request body it makes (`to_body`, `calls`).
//! The components only copy their fields in; the core validates the body. Each call's body is built in
//! one place, from the field names its module declares, and the forms place the core's errors by the
//! same names (`first`, `dot` for nested fields). Pure, so tested natively.
//!
//! Bodies stay JSON rather than the core's request types: what is typed goes to the core as typed
//! (`number_or_text`), so a field that is not a number is refused by the core naming it.

pub mod catalog;
pub mod contract;
pub mod customer;
pub mod edit;

pub use catalog::{MetricDraft, ProductDraft, RateCardDraft, RateDraft};
pub use contract::{BalanceDraft, ChargeDraft, ContractDraft, RenewalDraft, SubscriptionDraft};
pub use customer::{CustomerBalanceDraft, CustomerDraft, CustomerEdit};
pub use edit::{EndDateDraft, FilterDraft, OverrideDraft, SeatsDraft};

use serde_json::Value;

/// The path of `field` in the first item of `list`, as the core names it in an error:
/// `first("commits", "amount")` is `commits[0].amount`.
pub fn first(list: &str, field: &str) -> String {
    format!("{list}[0].{field}")
}

/// The path of `field` inside `object`: `dot("subscription_rate", "product_id")`.
pub fn dot(object: &str, field: &str) -> String {
    format!("{object}.{field}")
}

/// A `<input type="date">` value as the core's RFC 3339 instant (midnight UTC); empty stays empty.
pub fn date_to_rfc3339(d: &str) -> Option<String> {
    let d = d.trim();
    (!d.is_empty()).then(|| {
        if d.contains('T') {
            d.to_string()
        } else {
            format!("{d}T00:00:00Z")
        }
    })
}

/// Splits "a, b ,c" into trimmed non-empty parts.
pub fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Reads custom fields typed one per line as `key=value` or `key: value` (the first `=`, else the
/// first `:`, separates them) into a JSON object. Blank lines are skipped; a line that is neither, an
/// empty key or a key given twice is refused with the line number, so nothing typed is dropped.
pub fn key_values(text: &str) -> Result<serde_json::Map<String, Value>, tally_core::Error> {
    let mut out = serde_json::Map::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let refuse = |why: &str| {
            Err(tally_core::Error::invalid(
                customer::fields::CUSTOM_FIELDS,
                format!("Custom fields, line {} (“{}”): {why}", i + 1, line.trim()),
            ))
        };
        let Some((k, v)) = line.split_once('=').or_else(|| line.split_once(':')) else {
            return refuse("write it as key=value or key: value");
        };
        let key = k.trim();
        if key.is_empty() {
            return refuse("the key before = or : is missing");
        }
        if out.contains_key(key) {
            return refuse("this key is already given on an earlier line");
        }
        out.insert(key.to_string(), Value::String(v.trim().to_string()));
    }
    Ok(out)
}

/// A number typed in a form, passed to the core as a JSON number when it is one, else as the text
/// itself so the core names the field it cannot read.
pub fn number_or_text(text: &str) -> Value {
    let t = text.trim();
    serde_json::from_str::<serde_json::Number>(t)
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(t.to_string()))
}

/// Tiers typed one per line, `units price` (or `units: price`), the last tier its price alone, as a
/// rate body's `tiers`. A line of another shape goes to the core as is, which refuses it naming the
/// tier (`tiers[1].price`).
pub fn tiers(text: &str) -> Value {
    let tiers = text
        .lines()
        .map(|l| l.replace(':', " "))
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_whitespace().collect::<Vec<_>>().as_slice() {
            [price] => serde_json::json!({ "price": number_or_text(price) }),
            [size, price] => serde_json::json!({ "size": number_or_text(size), "price": number_or_text(price) }),
            _ => serde_json::json!({ "price": l.trim() }),
        })
        .collect();
    Value::Array(tiers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tiers_typed_one_per_line_become_the_rate_body() {
        assert_eq!(
            tiers("10 200\n\n 100: 150 \n100"),
            serde_json::json!([{"size": 10, "price": 200}, {"size": 100, "price": 150}, {"price": 100}])
        );
        // A line of another shape is left for the core to refuse, naming the tier.
        assert_eq!(tiers("1 2 3"), serde_json::json!([{"price": "1 2 3"}]));
    }

    #[test]
    fn dates_lists_and_custom_fields_read_as_typed() {
        assert_eq!(date_to_rfc3339(" "), None);
        assert_eq!(date_to_rfc3339("2025-01-31").as_deref(), Some("2025-01-31T00:00:00Z"));
        assert_eq!(list(" US, ,EU "), vec!["US", "EU"]);
        let kv = key_values("tier = gold\n\nseg: ent\nsite=https://a.example").unwrap();
        assert_eq!(
            Value::Object(kv),
            json!({"tier": "gold", "seg": "ent", "site": "https://a.example"})
        );
        let refused = |text: &str| key_values(text).unwrap_err();
        let e = refused("tier=gold\nnope");
        assert_eq!(e.path, "custom_fields");
        assert!(
            e.message.contains("line 2") && e.message.contains("key=value or key: value"),
            "{}",
            e.message
        );
        assert!(refused("=x").message.contains("key before = or : is missing"));
        assert!(refused("a=1\na: 2").message.contains("already given"));
    }
}
