//! Credit types (Metronome's pricing units): USD (cents), the other fiat currencies Metronome
//! supports (in whole units of the currency, as Metronome documents), and custom pricing units a
//! user defines (AI credits, tokens). Amounts are always in the credit type's own unit; the one
//! rounding rule depends on it (`Scale`).

use serde::{Deserialize, Serialize};

/// Metronome's id for USD (cents), the default wherever a body names no credit type.
pub const USD_CENTS_ID: &str = "2714e483-4ff1-48e4-9e25-ac732e8f24f2";

/// The fiat currencies besides USD, each its own id (the ISO code) and counted in whole units.
pub const CURRENCIES: [&str; 17] = [
    "AUD", "BRL", "CAD", "CHF", "CZK", "EUR", "GBP", "INR", "MXN", "NGN", "NOK", "PLN", "SEK", "TRY", "ZAR", "NZD",
    "SGD",
];

/// A credit type as `GET /v1/credit-types/list` shows it (Metronome's SDKs call it a pricing unit).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(rename = "PricingUnit"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditType {
    /// Its id: Metronome's `2714e483-…` for USD (cents), the ISO code (`EUR`) for another currency,
    /// any unique id for a custom pricing unit.
    pub id: String,
    /// The display name (e.g. `USD (cents)`, `EUR`, `AI credits`); unique among credit types.
    pub name: String,
    /// True for a fiat currency (USD cents or one of `CURRENCIES`), false (omitted) for a custom
    /// pricing unit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_currency: bool,
}

impl CreditType {
    /// The default credit type: USD counted in cents.
    pub fn usd_cents() -> CreditType {
        CreditType {
            id: USD_CENTS_ID.to_string(),
            name: "USD (cents)".to_string(),
            is_currency: true,
        }
    }

    /// How line totals in this credit type are rounded.
    pub fn scale(&self) -> Scale {
        scale(&self.id)
    }
}

/// `POST /v1/credit-types/create` (Tally's own): a custom pricing unit.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct NewCreditType {
    /// The id to give the new pricing unit; absent or empty: Tally generates one.
    #[serde(default)]
    pub id: String,
    /// The pricing unit's display name (e.g. `AI credits`); must be non-blank and unused by any
    /// credit type.
    pub name: String,
}

/// Where a line total in a credit type is rounded: USD to whole cents; every other credit type (a
/// fiat currency in whole units, a custom pricing unit) to 0.01 of its unit. Half away from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// USD (cents): round to whole cents.
    #[default]
    WholeCents,
    /// Any other credit type: round to 0.01 of its unit.
    Hundredths,
}

impl Scale {
    /// How many decimal places a rounded amount keeps.
    pub fn decimal_places(self) -> u32 {
        match self {
            Scale::WholeCents => 0,
            Scale::Hundredths => 2,
        }
    }
}

/// Whether `id` is a fiat currency (USD cents or one of `CURRENCIES`), not a custom pricing unit.
pub fn is_currency(id: &str) -> bool {
    id == USD_CENTS_ID || CURRENCIES.contains(&id)
}

/// How line totals in the credit type `id` are rounded (see `Scale`).
pub fn scale(id: &str) -> Scale {
    if id == USD_CENTS_ID {
        Scale::WholeCents
    } else {
        Scale::Hundredths
    }
}

/// The credit types every state knows: USD (cents), then the fiat currencies.
pub fn built_in() -> Vec<CreditType> {
    let mut out = vec![CreditType::usd_cents()];
    out.extend(CURRENCIES.iter().map(|c| CreditType {
        id: c.to_string(),
        name: c.to_string(),
        is_currency: true,
    }));
    out
}

/// Every `credit_type_id` (and `fiat_credit_type_id`, `custom_credit_type_id`) a request body names,
/// with its path, so a call can refuse an unknown one whole before anything is stored.
pub fn named_in(body: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if k.ends_with("credit_type_id") {
                        if let Some(s) = x.as_str() {
                            out.push((p.clone(), s.to_string()));
                        }
                    }
                    walk(x, p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(body, String::new(), &mut out);
    out
}
