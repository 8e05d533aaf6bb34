//! A customer's bodies: create, edit (name, ingest aliases, custom fields), and the commits and
//! credits a customer holds.

use super::contract::{balance, BalanceDraft};
use super::{key_values, list};
use crate::calls::path;
use serde_json::{json, Value};

/// The fields of a customer's bodies, as the core names them in its errors.
pub mod fields {
    pub const NAME: &str = "name";
    pub const INGEST_ALIASES: &str = "ingest_aliases";
    pub const CUSTOM_FIELDS: &str = "custom_fields";
    /// `customFields/setValues` names its customer in the body.
    pub const ENTITY_ID: &str = "entity_id";
}

pub const CREATE: &str = "POST /v1/customers";

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
        use fields::*;
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
    /// The three calls, their paths naming the customer by its id, percent-encoded.
    pub fn calls(&self) -> Result<Vec<(String, Value)>, tally_core::Error> {
        use fields::*;
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

/// The fields a customer-held balance's body adds to a commit's or a credit's.
pub mod held {
    pub const CUSTOMER_ID: &str = "customer_id";
    pub const APPLICABLE_CONTRACT_IDS: &str = "applicable_contract_ids";
    pub const INVOICE_CONTRACT_ID: &str = "invoice_contract_id";
}

/// A commit or credit held by a customer (`POST /v1/customers/commits/create` or `.../credits/create`):
/// a balance of the contract form's shape, for all the customer's contracts or those listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerBalanceDraft {
    pub customer: String,
    pub balance: BalanceDraft,
    /// Contract ids, comma separated; none: every contract of the customer.
    pub contracts: String,
    /// The contract whose invoices bill a commit (never a credit).
    pub invoice_contract: String,
}

impl CustomerBalanceDraft {
    /// Every top-level field of the body, for the error no field of the form claims.
    pub const ALL: &[&str] = &[
        held::CUSTOMER_ID,
        balance::NAME,
        balance::PRODUCT_ID,
        balance::ACCESS_SCHEDULE,
        balance::INVOICE_SCHEDULE,
        held::APPLICABLE_CONTRACT_IDS,
        held::INVOICE_CONTRACT_ID,
    ];

    /// The call and its body.
    pub fn call(&self) -> (String, Value) {
        use held::*;
        let credit = self.balance.credit;
        let mut body = self.balance.to_body(&None, &None);
        body[CUSTOMER_ID] = json!(self.customer);
        if !list(&self.contracts).is_empty() {
            body[APPLICABLE_CONTRACT_IDS] = json!(list(&self.contracts));
        }
        if !credit && !self.invoice_contract.is_empty() {
            body[INVOICE_CONTRACT_ID] = json!(self.invoice_contract);
        }
        let kind = if credit { "credits" } else { "commits" };
        (path("POST", &["v1", "customers", kind, "create"]), body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are percent-encoded in a call's path: a customer whose id holds `/` is renamed, its aliases
    /// and custom fields set, like any other.
    #[test]
    fn a_customer_whose_id_holds_a_slash_can_be_edited() {
        let id = "acme/eu?x=1%";
        let st = crate::store::fixtures::state(&[(CREATE, json!({"id": id, "name": "Acme EU"}))]);
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
    fn a_balance_held_by_a_customer_names_its_customer_and_contracts() {
        let draft = CustomerBalanceDraft {
            customer: "c".into(),
            balance: BalanceDraft {
                kind: "POSTPAID".into(),
                name: "Shared".into(),
                amount: "100".into(),
                ..Default::default()
            },
            contracts: "k1, k2".into(),
            invoice_contract: "k1".into(),
        };
        let (call, body) = draft.call();
        assert_eq!(call, "POST /v1/customers/commits/create");
        assert_eq!(body["customer_id"], "c");
        assert_eq!(body["applicable_contract_ids"], json!(["k1", "k2"]));
        assert_eq!(body["invoice_contract_id"], "k1");
        let credit = CustomerBalanceDraft {
            balance: BalanceDraft {
                credit: true,
                ..draft.balance.clone()
            },
            contracts: String::new(),
            ..draft
        };
        let (call, body) = credit.call();
        assert_eq!(call, "POST /v1/customers/credits/create");
        assert!(body.get("invoice_contract_id").is_none() && body.get("applicable_contract_ids").is_none());
    }
}
