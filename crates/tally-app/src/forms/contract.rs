//! A new contract's body (`POST /v1/contracts/create`), from the contract form or a renewal, and its
//! parts: commits and credits, a scheduled charge, a subscription.

use super::{date_to_rfc3339, list, number_or_text};
use serde_json::{json, Value};

pub const CREATE: &str = "POST /v1/contracts/create";

/// The fields of a new contract's body, as the core names them in its errors.
pub mod fields {
    pub const CUSTOMER_ID: &str = "customer_id";
    pub const NAME: &str = "name";
    pub const RATE_CARD_ID: &str = "rate_card_id";
    pub const RATE_CARD_ALIAS: &str = "rate_card_alias";
    pub const STARTING_AT: &str = "starting_at";
    pub const ENDING_BEFORE: &str = "ending_before";
    pub const USAGE_STATEMENT_SCHEDULE: &str = "usage_statement_schedule";
    pub const COMMITS: &str = "commits";
    pub const CREDITS: &str = "credits";
    pub const SCHEDULED_CHARGES: &str = "scheduled_charges";
    pub const OVERRIDES: &str = "overrides";
    pub const USAGE_FILTER: &str = "usage_filter";
    pub const SCHEDULED_CHARGES_ON_USAGE_INVOICES: &str = "scheduled_charges_on_usage_invoices";
    pub const PREPAID_BALANCE_THRESHOLD_CONFIGURATION: &str = "prepaid_balance_threshold_configuration";
    pub const SPEND_THRESHOLD_CONFIGURATION: &str = "spend_threshold_configuration";
    pub const SUBSCRIPTIONS: &str = "subscriptions";
    pub const TRANSITION: &str = "transition";

    /// Every top-level field the contract form sets, for the error none of its fields claims.
    pub const ALL: &[&str] = &[
        CUSTOMER_ID,
        NAME,
        RATE_CARD_ID,
        RATE_CARD_ALIAS,
        STARTING_AT,
        ENDING_BEFORE,
        USAGE_STATEMENT_SCHEDULE,
        COMMITS,
        CREDITS,
        SCHEDULED_CHARGES,
        OVERRIDES,
        USAGE_FILTER,
        SCHEDULED_CHARGES_ON_USAGE_INVOICES,
        PREPAID_BALANCE_THRESHOLD_CONFIGURATION,
        SPEND_THRESHOLD_CONFIGURATION,
        SUBSCRIPTIONS,
    ];
}

/// The terms every new contract's body starts from: its customer and dates (no start goes as empty,
/// which the core says is required), a name when one is typed, a rate card when one is chosen.
fn terms(customer: &str, name: &str, (from, until): (&Option<String>, &Option<String>), rate_card: &str) -> Value {
    use fields::*;
    let mut b = json!({ CUSTOMER_ID: customer, STARTING_AT: from.clone().unwrap_or_default() });
    if !name.trim().is_empty() {
        b[NAME] = json!(name.trim());
    }
    if !rate_card.is_empty() {
        b[RATE_CARD_ID] = json!(rate_card);
    }
    if let Some(u) = until {
        b[ENDING_BEFORE] = json!(u);
    }
    b
}

/// The fields of a commit's or a credit's body (a contract's `commits[]`, or a customer's).
pub mod balance {
    pub const NAME: &str = "name";
    pub const PRODUCT_ID: &str = "product_id";
    pub const ACCESS_SCHEDULE: &str = "access_schedule";
    pub const INVOICE_SCHEDULE: &str = "invoice_schedule";
}

/// A commit or credit row of the new-contract form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BalanceDraft {
    /// A credit (`credits[]`) rather than a commit (`commits[]`).
    pub credit: bool,
    /// PREPAID or POSTPAID (commits only).
    pub kind: String,
    pub name: String,
    pub product: String,
    pub amount: String,
    pub from: String,
    pub until: String,
    /// A prepaid commit that is bought (invoiced on its start) rather than given.
    pub invoiced: bool,
    pub tags: String,
    /// The share (0 to 1) a renewal rolls over (commits only; empty: none).
    pub rollover: String,
}

impl BalanceDraft {
    /// The row's entry in `commits[]` or `credits[]`; its dates default to the contract's.
    pub fn to_body(&self, start: &Option<String>, end: &Option<String>) -> Value {
        let from = date_to_rfc3339(&self.from).or(start.clone());
        let until = date_to_rfc3339(&self.until).or(end.clone());
        let amount = number_or_text(&self.amount);
        use balance::*;
        let mut c = json!({
            NAME: self.name, PRODUCT_ID: self.product,
            ACCESS_SCHEDULE: { "schedule_items": [{ "amount": amount, "starting_at": from, "ending_before": until }] },
        });
        if !self.credit {
            c["type"] = json!(self.kind);
            // A prepaid commit is bought at its start; a postpaid one is always invoiced, by its
            // true-up at the end of its access (what is left unspent then is billed).
            let due = match self.kind.as_str() {
                "POSTPAID" => Some(&until),
                _ if self.invoiced => Some(&from),
                _ => None,
            };
            if let Some(at) = due {
                c[INVOICE_SCHEDULE] =
                    json!({ "schedule_items": [{ "timestamp": at, "unit_price": amount, "quantity": 1 }] });
            }
        }
        if !list(&self.tags).is_empty() {
            c["applicable_product_tags"] = json!(list(&self.tags));
        }
        if !self.credit && !self.rollover.trim().is_empty() {
            c["rollover_fraction"] = number_or_text(&self.rollover);
        }
        c
    }
}

/// The recurring scheduled charge of the new-contract form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChargeDraft {
    pub name: String,
    pub product: String,
    pub amount: String,
    pub frequency: String,
}

/// A seat subscription of the new-contract form: from the contract's start, prorated (what Metronome's
/// own contract screen defaults to).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubscriptionDraft {
    pub product: String,
    /// MONTHLY, QUARTERLY or ANNUAL.
    pub frequency: String,
    /// ADVANCE or ARREARS.
    pub collection: String,
    pub seats: String,
}

/// The fields of a subscription's body (a new contract's `subscriptions[]`, an edit's
/// `add_subscriptions[]`).
pub mod subscription {
    pub const SUBSCRIPTION_RATE: &str = "subscription_rate";
    pub const PRODUCT_ID: &str = "product_id";
    pub const BILLING_FREQUENCY: &str = "billing_frequency";
    pub const COLLECTION_SCHEDULE: &str = "collection_schedule";
    pub const INITIAL_QUANTITY: &str = "initial_quantity";
    pub const STARTING_AT: &str = "starting_at";

    /// The paths of the first subscription of `list`, as the forms show errors beside them: product,
    /// seats, billing frequency, start.
    pub fn first_of(list: &str) -> [String; 4] {
        use crate::forms::{dot, first};
        [
            first(list, &dot(SUBSCRIPTION_RATE, PRODUCT_ID)),
            first(list, INITIAL_QUANTITY),
            first(list, &dot(SUBSCRIPTION_RATE, BILLING_FREQUENCY)),
            first(list, STARTING_AT),
        ]
    }
}

impl SubscriptionDraft {
    /// The subscription's body, prorated; from `starting_at`, or (none) the contract's start.
    pub fn to_body(&self, starting_at: Option<String>) -> Value {
        use subscription::*;
        let mut sub = json!({ SUBSCRIPTION_RATE: { PRODUCT_ID: self.product, BILLING_FREQUENCY: self.frequency },
            COLLECTION_SCHEDULE: self.collection, INITIAL_QUANTITY: number_or_text(&self.seats),
            "proration": { "is_prorated": true } });
        if let Some(t) = starting_at {
            sub[STARTING_AT] = json!(t);
        }
        sub
    }
}

/// The new-contract form (`POST /v1/contracts/create`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContractDraft {
    pub customer: String,
    pub name: String,
    pub rate_card: String,
    pub start: String,
    pub end: String,
    pub frequency: String,
    pub day: String,
    pub commits: Vec<BalanceDraft>,
    pub credits: Vec<BalanceDraft>,
    pub charge: Option<ChargeDraft>,
    /// A multiplier override from the start: (multiplier, product tags).
    pub multiplier: Option<(String, String)>,
    pub filter_key: String,
    pub filter_values: String,
    pub consolidate: bool,
    /// Auto-recharge: (threshold, recharge to, commit product, payment fraction), amounts in cents.
    pub recharge: Option<(String, String, String, String)>,
    /// Spend threshold: (threshold in cents, the fixed product its charges are sold as).
    pub spend: Option<(String, String)>,
    pub subscription: Option<SubscriptionDraft>,
}

impl ContractDraft {
    pub fn to_body(&self) -> Value {
        use fields::*;
        let (from, until) = (date_to_rfc3339(&self.start), date_to_rfc3339(&self.end));
        let mut b = terms(&self.customer, &self.name, (&from, &until), &self.rate_card);
        b[USAGE_STATEMENT_SCHEDULE] = json!({ "frequency": self.frequency, "day": self.day });
        for (field, rows) in [(COMMITS, &self.commits), (CREDITS, &self.credits)] {
            if !rows.is_empty() {
                b[field] = rows.iter().map(|c| c.to_body(&from, &until)).collect();
            }
        }
        if let Some(c) = &self.charge {
            b[SCHEDULED_CHARGES] = json!([{ "name": c.name, "product_id": c.product, "schedule": { "recurring_schedule": {
                "starting_at": from, "ending_before": until, "frequency": c.frequency, "unit_price": number_or_text(&c.amount),
                "quantity": 1, "amount_distribution": "EACH" } } }]);
        }
        if let Some((m, tags)) = &self.multiplier {
            b[OVERRIDES] = json!([{ "starting_at": from, "type": "MULTIPLIER", "multiplier": number_or_text(m),
                "applicable_product_tags": list(tags) }]);
        }
        if !self.filter_key.trim().is_empty() {
            b[USAGE_FILTER] = json!({ "group_key": self.filter_key.trim(), "group_values": list(&self.filter_values) });
        }
        if self.consolidate {
            b[SCHEDULED_CHARGES_ON_USAGE_INVOICES] = json!("ALL");
        }
        if let Some((threshold, to, product, fraction)) = &self.recharge {
            let mut t = json!({ "commit": { "product_id": product, "name": "Auto-recharge" }, "is_enabled": true,
                "threshold_amount": number_or_text(threshold), "recharge_to_amount": number_or_text(to),
                "payment_gate_config": { "payment_gate_type": "NONE" } });
            if !fraction.trim().is_empty() {
                t["discount_configuration"] = json!({ "payment_fraction": number_or_text(fraction) });
            }
            b[PREPAID_BALANCE_THRESHOLD_CONFIGURATION] = t;
        }
        if let Some(sub) = &self.subscription {
            b[SUBSCRIPTIONS] = json!([sub.to_body(None)]);
        }
        if let Some((threshold, product)) = &self.spend {
            b[SPEND_THRESHOLD_CONFIGURATION] = json!({ "commit": { "product_id": product }, "is_enabled": true,
                "threshold_amount": number_or_text(threshold), "payment_gate_config": { "payment_gate_type": "NONE" } });
        }
        b
    }
}

/// A renewal or a supersede of contract `from_contract` (`POST /v1/contracts/create` with a
/// `transition`): a new contract on its rate card and statement cadence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewalDraft {
    pub customer: String,
    pub from_contract: String,
    /// RENEWAL or SUPERSEDE.
    pub kind: String,
    pub name: String,
    pub start: String,
    pub end: String,
    /// AS_IS or REMOVE: the earlier contract's later true-ups.
    pub trueup: String,
    /// The earlier contract's rate card and statement schedule, kept.
    pub rate_card: Option<String>,
    pub schedule: Option<tally_core::calendar::UsageStatementSchedule>,
}

impl RenewalDraft {
    pub fn to_body(&self) -> Value {
        use fields::*;
        let (from, until) = (date_to_rfc3339(&self.start), date_to_rfc3339(&self.end));
        let card = self.rate_card.as_deref().unwrap_or_default();
        let mut b = terms(&self.customer, &self.name, (&from, &until), card);
        b[TRANSITION] = json!({ "from_contract_id": self.from_contract, "type": self.kind,
            "future_invoice_behavior": { "trueup": self.trueup } });
        if let Some(schedule) = &self.schedule {
            b[USAGE_STATEMENT_SCHEDULE] = serde_json::to_value(schedule).unwrap_or_default();
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(kind: &str, invoiced: bool) -> BalanceDraft {
        BalanceDraft {
            kind: kind.into(),
            name: "Commit 1".into(),
            product: "f".into(),
            amount: "5000".into(),
            invoiced,
            ..Default::default()
        }
    }

    #[test]
    fn a_contract_draft_makes_the_create_body_with_balances_on_the_contract_dates() {
        let draft = ContractDraft {
            customer: "c".into(),
            name: "  2025 terms ".into(),
            rate_card: "rc".into(),
            start: "2025-01-01".into(),
            end: "2026-01-01".into(),
            frequency: "MONTHLY".into(),
            day: "FIRST_OF_MONTH".into(),
            commits: vec![
                BalanceDraft {
                    rollover: "0.5".into(),
                    ..commit("PREPAID", true)
                },
                commit("POSTPAID", false),
            ],
            credits: vec![BalanceDraft {
                credit: true,
                amount: "12.5".into(),
                tags: "cloud, ai".into(),
                ..Default::default()
            }],
            consolidate: true,
            ..Default::default()
        };
        let b = draft.to_body();
        assert_eq!(b["name"], "2025 terms");
        assert_eq!(b["ending_before"], "2026-01-01T00:00:00Z");
        let item = &b["commits"][0]["access_schedule"]["schedule_items"][0];
        assert_eq!(
            item["starting_at"], "2025-01-01T00:00:00Z",
            "a row without dates takes the contract's"
        );
        assert_eq!(item["amount"], json!(5000));
        assert_eq!(
            b["commits"][0]["invoice_schedule"]["schedule_items"][0]["unit_price"],
            json!(5000)
        );
        // A postpaid commit is invoiced even when the box is unticked, by its true-up at the end of
        // its access; a credit never has a type.
        assert_eq!(
            b["commits"][1]["invoice_schedule"]["schedule_items"][0]["timestamp"],
            "2026-01-01T00:00:00Z"
        );
        assert_eq!(b["commits"][0]["rollover_fraction"], json!(0.5));
        assert!(b["commits"][1].get("rollover_fraction").is_none());
        assert!(b["credits"][0].get("type").is_none());
        assert!(b["credits"][0].get("invoice_schedule").is_none());
        assert_eq!(b["credits"][0]["applicable_product_tags"], json!(["cloud", "ai"]));
        assert_eq!(b["scheduled_charges_on_usage_invoices"], "ALL");
        assert!(b.get("overrides").is_none() && b.get("usage_filter").is_none());
    }

    #[test]
    fn what_is_not_a_number_reaches_the_core_as_text_so_it_names_the_field() {
        // A number keeps the digits as typed (serde_json's arbitrary precision): never a float.
        assert!(matches!(number_or_text(" 12.50 "), Value::Number(n) if n.to_string() == "12.50"));
        assert_eq!(number_or_text("12,50"), json!("12,50"));
        let b = ContractDraft {
            multiplier: Some(("x".into(), "".into())),
            ..Default::default()
        }
        .to_body();
        assert_eq!(b["overrides"][0]["multiplier"], "x");
        let b = ContractDraft {
            subscription: Some(SubscriptionDraft {
                product: "seats".into(),
                frequency: "QUARTERLY".into(),
                collection: "ARREARS".into(),
                seats: "12".into(),
            }),
            ..Default::default()
        }
        .to_body();
        let sub = &b["subscriptions"][0];
        assert_eq!(
            sub["subscription_rate"],
            json!({ "product_id": "seats", "billing_frequency": "QUARTERLY" })
        );
        assert_eq!(
            (&sub["collection_schedule"], &sub["initial_quantity"]),
            (&json!("ARREARS"), &json!(12))
        );
        assert!(
            sub.get("starting_at").is_none(),
            "the subscription starts with the contract"
        );
        assert_eq!(b["starting_at"], "", "no start: the core says starting_at is missing");
    }

    #[test]
    fn a_renewal_keeps_the_rate_card_and_names_the_contract_it_follows() {
        let b = RenewalDraft {
            customer: "c".into(),
            from_contract: "k".into(),
            kind: "RENEWAL".into(),
            name: "Q1 (renewed)".into(),
            start: "2025-04-01".into(),
            trueup: "AS_IS".into(),
            rate_card: Some("rc".into()),
            ..Default::default()
        }
        .to_body();
        assert_eq!(
            b,
            json!({"customer_id": "c", "starting_at": "2025-04-01T00:00:00Z", "name": "Q1 (renewed)", "rate_card_id": "rc",
                "transition": {"from_contract_id": "k", "type": "RENEWAL", "future_invoice_behavior": {"trueup": "AS_IS"}}})
        );
    }
}
