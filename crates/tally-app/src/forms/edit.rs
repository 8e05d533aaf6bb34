//! The bodies of the calls that change an existing contract: `POST /v2/contracts/edit` (an override,
//! seats), its usage filter and its end date.

use super::contract::{subscription, SubscriptionDraft};
use super::{date_to_rfc3339, first, list, number_or_text};
use serde_json::{json, Value};

pub const EDIT: &str = "POST /v2/contracts/edit";
pub const SET_USAGE_FILTER: &str = "POST /v1/contracts/setUsageFilter";
pub const UPDATE_END_DATE: &str = "POST /v1/contracts/updateEndDate";

/// The fields of these bodies, as the core names them in its errors.
pub mod fields {
    pub const CUSTOMER_ID: &str = "customer_id";
    pub const CONTRACT_ID: &str = "contract_id";
    pub const ADD_OVERRIDES: &str = "add_overrides";
    pub const UPDATE_SUBSCRIPTIONS: &str = "update_subscriptions";
    pub const ADD_SUBSCRIPTIONS: &str = "add_subscriptions";
    pub const SUBSCRIPTION_ID: &str = "subscription_id";
    pub const QUANTITY_UPDATES: &str = "quantity_updates";
    pub const QUANTITY: &str = "quantity";
    pub const STARTING_AT: &str = "starting_at";
    pub const ENDING_BEFORE: &str = "ending_before";
    pub const GROUP_KEY: &str = "group_key";
    pub const GROUP_VALUES: &str = "group_values";
}

/// An edit of a contract (`POST /v2/contracts/edit`): the contract it edits, and one list of changes
/// (`add_overrides`, `update_subscriptions`, ...) holding `item`.
pub fn body(customer: &str, contract: &str, list: &str, item: Value) -> Value {
    use fields::*;
    let mut b = json!({ CUSTOMER_ID: customer, CONTRACT_ID: contract });
    b[list] = json!([item]);
    b
}

/// The add-an-override form of an existing contract (`POST /v2/contracts/edit`: `add_overrides`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverrideDraft {
    pub customer: String,
    pub contract: String,
    /// MULTIPLIER or OVERWRITE (a flat price).
    pub kind: String,
    pub multiplier: String,
    pub price: String,
    pub product: String,
    pub tags: String,
    pub from: String,
    pub until: String,
}

impl OverrideDraft {
    pub fn to_body(&self) -> Value {
        use fields::ADD_OVERRIDES;
        let mut o = json!({ "type": self.kind, "starting_at": date_to_rfc3339(&self.from).unwrap_or_default() });
        if let Some(u) = date_to_rfc3339(&self.until) {
            o["ending_before"] = json!(u);
        }
        if self.kind == "MULTIPLIER" {
            o["multiplier"] = number_or_text(&self.multiplier);
        } else {
            o["overwrite_rate"] = json!({ "rate_type": "FLAT", "price": number_or_text(&self.price) });
        }
        if !self.product.is_empty() {
            o["product_id"] = json!(self.product);
        }
        if !list(&self.tags).is_empty() {
            o["applicable_product_tags"] = json!(list(&self.tags));
        }
        body(&self.customer, &self.contract, ADD_OVERRIDES, o)
    }
}

/// The seats form: change the seat count of subscription `change` from `from`, or (none) add a
/// subscription (`add`, from `from` or the contract's start).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeatsDraft {
    pub customer: String,
    pub contract: String,
    pub change: Option<String>,
    /// The subscription to add; its `seats` is also the new count of a change.
    pub add: SubscriptionDraft,
    pub from: String,
}

impl SeatsDraft {
    pub fn to_body(&self) -> Value {
        use fields::*;
        let from = date_to_rfc3339(&self.from);
        match &self.change {
            Some(id) => body(
                &self.customer,
                &self.contract,
                UPDATE_SUBSCRIPTIONS,
                json!({ SUBSCRIPTION_ID: id, QUANTITY_UPDATES: [
                    { QUANTITY: number_or_text(&self.add.seats), STARTING_AT: from.unwrap_or_default() }] }),
            ),
            None => body(
                &self.customer,
                &self.contract,
                ADD_SUBSCRIPTIONS,
                self.add.to_body(from),
            ),
        }
    }

    /// Where the core names the fields the form shows errors beside: the subscription changed, the
    /// seat count and the date (of a change, then of an added subscription), and an added
    /// subscription's product and billing frequency.
    pub fn paths() -> SeatsPaths {
        use fields::*;
        let [product, initial, frequency, start] = subscription::first_of(ADD_SUBSCRIPTIONS);
        let update = |field: &str| first(UPDATE_SUBSCRIPTIONS, field);
        SeatsPaths {
            subscription: update(SUBSCRIPTION_ID),
            quantity: [update(&first(QUANTITY_UPDATES, QUANTITY)), initial],
            from: [update(&first(QUANTITY_UPDATES, STARTING_AT)), start],
            product,
            frequency,
        }
    }
}

/// The seats form's field paths (`SeatsDraft::paths`).
pub struct SeatsPaths {
    pub subscription: String,
    pub quantity: [String; 2],
    pub from: [String; 2],
    pub product: String,
    pub frequency: String,
}

/// The next usage filter of a contract (`POST /v1/contracts/setUsageFilter`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterDraft {
    pub customer: String,
    pub contract: String,
    pub key: String,
    /// Comma separated.
    pub values: String,
    pub from: String,
}

impl FilterDraft {
    pub fn to_body(&self) -> Value {
        use fields::*;
        json!({ CUSTOMER_ID: self.customer, CONTRACT_ID: self.contract, GROUP_KEY: self.key.trim(),
            GROUP_VALUES: list(&self.values), STARTING_AT: date_to_rfc3339(&self.from).unwrap_or_default() })
    }
}

/// A contract's new end date (`POST /v1/contracts/updateEndDate`); empty: no end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndDateDraft {
    pub customer: String,
    pub contract: String,
    pub end: String,
}

impl EndDateDraft {
    pub fn to_body(&self) -> Value {
        use fields::*;
        json!({ CUSTOMER_ID: self.customer, CONTRACT_ID: self.contract, ENDING_BEFORE: date_to_rfc3339(&self.end) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_draft_makes_the_edit_body() {
        let mut d = OverrideDraft {
            customer: "c".into(),
            contract: "k".into(),
            kind: "MULTIPLIER".into(),
            multiplier: "0.9".into(),
            price: "7".into(),
            tags: "cloud".into(),
            from: "2025-02-01".into(),
            ..Default::default()
        };
        let o = &d.to_body()["add_overrides"][0];
        assert_eq!(o["multiplier"], json!(0.9));
        assert!(o.get("overwrite_rate").is_none() && o.get("ending_before").is_none());
        d.kind = "OVERWRITE".into();
        d.product = "p".into();
        d.until = "2025-03-01".into();
        let o = &d.to_body()["add_overrides"][0];
        assert_eq!(o["overwrite_rate"], json!({"rate_type": "FLAT", "price": 7}));
        assert_eq!(o["product_id"], "p");
        assert_eq!(o["ending_before"], "2025-03-01T00:00:00Z");
    }

    #[test]
    fn seats_change_a_subscription_or_add_one_and_name_their_fields() {
        let mut d = SeatsDraft {
            customer: "c".into(),
            contract: "k".into(),
            change: Some("s1".into()),
            add: SubscriptionDraft {
                product: "seats".into(),
                frequency: "MONTHLY".into(),
                collection: "ADVANCE".into(),
                seats: "15".into(),
            },
            from: "2025-02-01".into(),
        };
        let b = d.to_body();
        assert_eq!(
            b["update_subscriptions"],
            json!([{"subscription_id": "s1", "quantity_updates": [{"quantity": 15, "starting_at": "2025-02-01T00:00:00Z"}]}])
        );
        d.change = None;
        let b = d.to_body();
        assert_eq!(b["add_subscriptions"][0]["initial_quantity"], json!(15));
        assert_eq!(b["add_subscriptions"][0]["starting_at"], "2025-02-01T00:00:00Z");
        let p = SeatsDraft::paths();
        assert_eq!(p.quantity[0], "update_subscriptions[0].quantity_updates[0].quantity");
        assert_eq!(p.product, "add_subscriptions[0].subscription_rate.product_id");
        assert_eq!(p.from[1], "add_subscriptions[0].starting_at");
    }
}
