//! The catalog's bodies: a billable metric, a product, a rate card, a rate.

use super::{date_to_rfc3339, list, number_or_text, tiers};
use serde_json::{json, Value};

pub const CREATE_METRIC: &str = "POST /v1/billable-metrics/create";
pub const CREATE_PRODUCT: &str = "POST /v1/contract-pricing/products/create";
pub const CREATE_RATE_CARD: &str = "POST /v1/contract-pricing/rate-cards/create";
pub const ADD_RATE: &str = "POST /v1/contract-pricing/rate-cards/addRate";

/// The fields of these bodies, as the core names them in its errors.
pub mod fields {
    pub const NAME: &str = "name";
    pub const EVENT_TYPE_FILTER: &str = "event_type_filter";
    pub const AGGREGATION_TYPE: &str = "aggregation_type";
    pub const AGGREGATION_KEY: &str = "aggregation_key";
    pub const GROUP_KEYS: &str = "group_keys";
    pub const TYPE: &str = "type";
    pub const BILLABLE_METRIC_ID: &str = "billable_metric_id";
    pub const TAGS: &str = "tags";
    pub const COMPOSITE_PRODUCT_IDS: &str = "composite_product_ids";
    pub const COMPOSITE_TAGS: &str = "composite_tags";
    pub const RATES: &str = "rates";
    pub const ALIASES: &str = "aliases";
    pub const RATE_CARD_ID: &str = "rate_card_id";
    pub const PRODUCT_ID: &str = "product_id";
    pub const ENTITLED: &str = "entitled";
    pub const RATE_TYPE: &str = "rate_type";
    pub const PRICE: &str = "price";
    pub const TIERS: &str = "tiers";
    pub const MINIMUM: &str = "minimum";
    pub const BILLING_FREQUENCY: &str = "billing_frequency";
    pub const STARTING_AT: &str = "starting_at";
    pub const ENDING_BEFORE: &str = "ending_before";
}

use fields::*;

/// A new billable metric.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricDraft {
    pub name: String,
    /// Event types, comma separated.
    pub events: String,
    pub aggregation: String,
    pub key: String,
    /// Group keys, comma separated: one group.
    pub groups: String,
}

impl MetricDraft {
    pub const ALL: &[&str] = &[NAME, EVENT_TYPE_FILTER, AGGREGATION_TYPE, AGGREGATION_KEY, GROUP_KEYS];

    pub fn to_body(&self) -> Value {
        let mut b = json!({ NAME: self.name, AGGREGATION_TYPE: self.aggregation });
        if !self.events.trim().is_empty() {
            b[EVENT_TYPE_FILTER] = json!({ "in_values": list(&self.events) });
        }
        if !self.key.trim().is_empty() {
            b[AGGREGATION_KEY] = json!(self.key.trim());
        }
        if !list(&self.groups).is_empty() {
            b[GROUP_KEYS] = json!([list(&self.groups)]);
        }
        b
    }
}

/// A new product.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductDraft {
    pub name: String,
    /// USAGE, FIXED, COMPOSITE or SUBSCRIPTION.
    pub kind: String,
    pub metric: String,
    pub tags: String,
    /// A COMPOSITE product's: the tags of the products whose spend it is a share of.
    pub composite_tags: String,
}

impl ProductDraft {
    pub const ALL: &[&str] = &[
        NAME,
        TYPE,
        BILLABLE_METRIC_ID,
        TAGS,
        COMPOSITE_PRODUCT_IDS,
        COMPOSITE_TAGS,
    ];

    pub fn to_body(&self) -> Value {
        let mut b = json!({ NAME: self.name, TYPE: self.kind, TAGS: list(&self.tags) });
        if self.kind == "COMPOSITE" {
            b[COMPOSITE_TAGS] = json!(list(&self.composite_tags));
        }
        if !self.metric.is_empty() {
            b[BILLABLE_METRIC_ID] = json!(self.metric);
        }
        b
    }
}

/// A new rate card, empty, with an alias when one is typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateCardDraft {
    pub name: String,
    pub alias: String,
}

impl RateCardDraft {
    pub const ALL: &[&str] = &[NAME, ALIASES];

    pub fn to_body(&self) -> Value {
        let mut b = json!({ NAME: self.name, RATES: [] });
        if !self.alias.trim().is_empty() {
            b[ALIASES] = json!([{ NAME: self.alias.trim() }]);
        }
        b
    }
}

/// A rate added to a card: flat, a subscription's, a percentage of spend, or tiered when tiers are typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateDraft {
    pub card: String,
    pub product: String,
    pub from: String,
    pub until: String,
    /// FLAT, SUBSCRIPTION or PERCENTAGE (tiers typed make it TIERED).
    pub kind: String,
    pub price: String,
    /// One tier a line (`tiers`).
    pub tiers: String,
    pub frequency: String,
    pub minimum: String,
    pub entitled: bool,
}

impl RateDraft {
    pub const ALL: &[&str] = &[
        RATE_CARD_ID,
        PRODUCT_ID,
        STARTING_AT,
        ENDING_BEFORE,
        PRICE,
        TIERS,
        MINIMUM,
        ENTITLED,
    ];

    pub fn to_body(&self) -> Value {
        let mut b = json!({ RATE_CARD_ID: self.card, PRODUCT_ID: self.product, ENTITLED: self.entitled });
        if self.tiers.trim().is_empty() {
            b[RATE_TYPE] = json!(self.kind);
            b[PRICE] = number_or_text(&self.price);
            match self.kind.as_str() {
                "SUBSCRIPTION" => b[BILLING_FREQUENCY] = json!(self.frequency),
                "PERCENTAGE" if !self.minimum.trim().is_empty() => b[MINIMUM] = number_or_text(&self.minimum),
                _ => {}
            }
        } else {
            b[RATE_TYPE] = json!("TIERED");
            b[TIERS] = tiers(&self.tiers);
        }
        b[STARTING_AT] = json!(date_to_rfc3339(&self.from).unwrap_or_default());
        if let Some(u) = date_to_rfc3339(&self.until) {
            b[ENDING_BEFORE] = json!(u);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_bodies_carry_what_is_typed() {
        let m = MetricDraft {
            name: "CPU".into(),
            events: "cpu, gpu".into(),
            aggregation: "SUM".into(),
            key: " hours ".into(),
            groups: "region".into(),
        };
        assert_eq!(
            m.to_body(),
            json!({"name": "CPU", "aggregation_type": "SUM", "event_type_filter": {"in_values": ["cpu", "gpu"]},
                "aggregation_key": "hours", "group_keys": [["region"]]})
        );
        let p = ProductDraft {
            name: "Support".into(),
            kind: "COMPOSITE".into(),
            composite_tags: "cloud".into(),
            ..Default::default()
        };
        assert_eq!(p.to_body()["composite_tags"], json!(["cloud"]));
        let r = RateDraft {
            card: "rc".into(),
            product: "p".into(),
            from: "2025-01-01".into(),
            kind: "PERCENTAGE".into(),
            price: "0.1".into(),
            minimum: "500".into(),
            entitled: true,
            ..Default::default()
        };
        let b = r.to_body();
        assert_eq!(
            (&b["rate_type"], &b["price"], &b["minimum"]),
            (&json!("PERCENTAGE"), &json!(0.1), &json!(500))
        );
        let tiered = RateDraft {
            tiers: "10 200\n100".into(),
            ..r
        }
        .to_body();
        assert_eq!(tiered["rate_type"], "TIERED");
        assert!(tiered.get("price").is_none());
        assert_eq!(
            RateCardDraft {
                name: "Card".into(),
                alias: " list ".into()
            }
            .to_body(),
            json!({"name": "Card", "rates": [], "aliases": [{"name": "list"}]})
        );
    }
}
