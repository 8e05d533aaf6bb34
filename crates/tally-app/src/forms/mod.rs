//! Form models: what a form holds, as plain data, and the request body it makes (`to_body`). The
//! components only copy their fields in; the core validates the body. Pure, so tested natively.

use crate::calls::path;
use serde_json::{json, Value};

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
                customer::CUSTOM_FIELDS,
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

/// A customer's calls and the fields of their bodies, as the core names them in its errors.
pub mod customer {
    pub const CREATE: &str = "POST /v1/customers";
    pub const NAME: &str = "name";
    pub const INGEST_ALIASES: &str = "ingest_aliases";
    pub const CUSTOM_FIELDS: &str = "custom_fields";
    /// `customFields/setValues` names its customer in the body.
    pub const ENTITY_ID: &str = "entity_id";
}

/// The new-customer form (`POST /v1/customers`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerDraft {
    pub name: String,
    /// Comma separated.
    pub aliases: String,
    /// One `key=value` a line (`key_values`).
    pub fields: String,
}

impl CustomerDraft {
    /// The create body, or the custom field line that cannot be read.
    pub fn to_body(&self) -> Result<Value, tally_core::Error> {
        use customer::*;
        Ok(json!({ NAME: self.name, INGEST_ALIASES: list(&self.aliases), CUSTOM_FIELDS: key_values(&self.fields)? }))
    }
}

/// An edit of customer `id`: its name, its ingest aliases and its custom fields, three calls applied
/// together or not at all. A custom field it had (`old_keys`) that is no longer listed is sent empty,
/// which removes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerEdit {
    pub id: String,
    pub name: String,
    pub aliases: String,
    pub fields: String,
    pub old_keys: Vec<String>,
}

impl CustomerEdit {
    pub fn calls(&self) -> Result<Vec<(String, Value)>, tally_core::Error> {
        use customer::*;
        let mut values = key_values(&self.fields)?;
        for k in &self.old_keys {
            values.entry(k.clone()).or_insert_with(|| json!(""));
        }
        Ok(vec![
            (
                path("POST", &["v1", "customers", &self.id, "updateName"]),
                json!({ NAME: self.name }),
            ),
            (
                path("POST", &["v1", "customers", &self.id, "setIngestAliases"]),
                json!({ INGEST_ALIASES: list(&self.aliases) }),
            ),
            (
                path("POST", &["v1", "customFields", "setValues"]),
                json!({ "entity": "customer", ENTITY_ID: self.id, CUSTOM_FIELDS: values }),
            ),
        ])
    }
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
        let mut c = json!({
            "name": self.name, "product_id": self.product,
            "access_schedule": { "schedule_items": [{ "amount": amount, "starting_at": from, "ending_before": until }] },
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
                c["invoice_schedule"] =
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
        let (from, until) = (date_to_rfc3339(&self.start), date_to_rfc3339(&self.end));
        let mut b = json!({ "customer_id": self.customer, "starting_at": from.clone().unwrap_or_default(),
            "usage_statement_schedule": { "frequency": self.frequency, "day": self.day } });
        if !self.name.trim().is_empty() {
            b["name"] = json!(self.name.trim());
        }
        if !self.rate_card.is_empty() {
            b["rate_card_id"] = json!(self.rate_card);
        }
        if let Some(u) = &until {
            b["ending_before"] = json!(u);
        }
        for (field, rows) in [("commits", &self.commits), ("credits", &self.credits)] {
            if !rows.is_empty() {
                b[field] = rows.iter().map(|c| c.to_body(&from, &until)).collect();
            }
        }
        if let Some(c) = &self.charge {
            b["scheduled_charges"] = json!([{ "name": c.name, "product_id": c.product, "schedule": { "recurring_schedule": {
                "starting_at": from, "ending_before": until, "frequency": c.frequency, "unit_price": number_or_text(&c.amount),
                "quantity": 1, "amount_distribution": "EACH" } } }]);
        }
        if let Some((m, tags)) = &self.multiplier {
            b["overrides"] = json!([{ "starting_at": from, "type": "MULTIPLIER", "multiplier": number_or_text(m),
                "applicable_product_tags": list(tags) }]);
        }
        if !self.filter_key.trim().is_empty() {
            b["usage_filter"] =
                json!({ "group_key": self.filter_key.trim(), "group_values": list(&self.filter_values) });
        }
        if self.consolidate {
            b["scheduled_charges_on_usage_invoices"] = json!("ALL");
        }
        if let Some((threshold, to, product, fraction)) = &self.recharge {
            let mut t = json!({ "commit": { "product_id": product, "name": "Auto-recharge" }, "is_enabled": true,
                "threshold_amount": number_or_text(threshold), "recharge_to_amount": number_or_text(to),
                "payment_gate_config": { "payment_gate_type": "NONE" } });
            if !fraction.trim().is_empty() {
                t["discount_configuration"] = json!({ "payment_fraction": number_or_text(fraction) });
            }
            b["prepaid_balance_threshold_configuration"] = t;
        }
        if let Some(sub) = &self.subscription {
            b["subscriptions"] = json!([{ "subscription_rate": { "product_id": sub.product, "billing_frequency": sub.frequency },
                "collection_schedule": sub.collection, "initial_quantity": number_or_text(&sub.seats),
                "proration": { "is_prorated": true } }]);
        }
        if let Some((threshold, product)) = &self.spend {
            b["spend_threshold_configuration"] = json!({ "commit": { "product_id": product }, "is_enabled": true,
                "threshold_amount": number_or_text(threshold), "payment_gate_config": { "payment_gate_type": "NONE" } });
        }
        b
    }
}

/// The add-an-override form of an existing contract (`POST /v2/contracts/edit`).
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
        json!({ "customer_id": self.customer, "contract_id": self.contract, "add_overrides": [o] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_typed_one_per_line_become_the_rate_body() {
        assert_eq!(
            tiers("10 200\n\n 100: 150 \n100"),
            serde_json::json!([{"size": 10, "price": 200}, {"size": 100, "price": 150}, {"price": 100}])
        );
        // A line of another shape is left for the core to refuse, naming the tier.
        assert_eq!(tiers("1 2 3"), serde_json::json!([{"price": "1 2 3"}]));
    }

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

    /// Ids are percent-encoded in a call's path: a customer whose id holds `/` is renamed, its aliases
    /// and custom fields set, like any other.
    #[test]
    fn a_customer_whose_id_holds_a_slash_can_be_edited() {
        let id = "acme/eu?x=1%";
        let st = crate::store::fixtures::state(&[(customer::CREATE, json!({"id": id, "name": "Acme EU"}))]);
        let edit = CustomerEdit {
            id: id.into(),
            name: "Acme Europe".into(),
            aliases: "eu@acme.example".into(),
            fields: "tier=gold".into(),
            old_keys: vec![],
        };
        let calls = edit.calls().unwrap();
        let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
        let after = crate::store::dry_run(&st, &refs).unwrap();
        let c = &after.customers[id];
        assert_eq!(c.name, "Acme Europe");
        assert_eq!(c.ingest_aliases, vec!["eu@acme.example"]);
        assert_eq!(c.custom_fields["tier"], "gold");
        // The same path written with the id as it is names no customer the core knows.
        let raw = json!({"name": "x"});
        let unencoded = crate::store::dry_run(&st, &[(&format!("POST /v1/customers/{id}/updateName"), &raw)]);
        assert!(unencoded.is_err());
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
