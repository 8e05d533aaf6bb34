//! Customer-level commits and credits: balances the customer holds rather than one contract. Every
//! contract of the customer draws on them (or only those in `applicable_contract_ids`), after the
//! contract's own balances at equal rank; a paid one is invoiced on `invoice_contract_id`'s invoices.

use crate::balance::{Balance, Holder};
use serde::{Deserialize, Serialize};

/// A customer-level commit (`CREDIT = false`) or credit (`true`): `POST /v1/customers/commits/create`
/// or `.../credits/create`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CustomerBalance<const CREDIT: bool> {
    /// The customer who holds it.
    pub customer_id: String,
    /// The contracts whose usage may draw on it; none: all of the customer's contracts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicable_contract_ids: Vec<String>,
    /// The contract whose invoices bill it (its purchase, or a postpaid commit's true-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_contract_id: Option<String>,
    /// The commit or credit itself, in the shape a contract's takes.
    pub term: Balance<CREDIT>,
    /// The key it was created with, if any: no other of its kind may be created with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uniqueness_key: Option<String>,
    /// When it was made, at the engine's clock; none in states exported before Tally kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<crate::time::Timestamp>,
}

/// A customer-level commit.
pub type CustomerCommit = CustomerBalance<false>;
/// A customer-level credit.
pub type CustomerCredit = CustomerBalance<true>;

impl<const CREDIT: bool> CustomerBalance<CREDIT> {
    /// Who holds it, for draw-down: the customer, for the contracts listed (none: all of them).
    pub fn holder(&self) -> Holder {
        Holder::Customer {
            contracts: self.applicable_contract_ids.clone(),
        }
    }
}
