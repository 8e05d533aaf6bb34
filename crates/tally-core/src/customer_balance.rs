//! Customer-level commits and credits: balances the customer holds rather than one contract. Every
//! contract of the customer draws on them (or only those in `applicable_contract_ids`), after the
//! contract's own balances at equal rank; a paid one is invoiced on `invoice_contract_id`'s invoices.

use crate::balance::{Balance, Holder};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CustomerBalance<const CREDIT: bool> {
    pub customer_id: String,
    /// The contracts whose usage may draw on it; none: all of the customer's contracts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicable_contract_ids: Vec<String>,
    /// The contract whose invoices bill it (its purchase, or a postpaid commit's true-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_contract_id: Option<String>,
    /// The commit or credit itself, in the shape a contract's takes.
    pub term: Balance<CREDIT>,
}

pub type CustomerCommit = CustomerBalance<false>;
pub type CustomerCredit = CustomerBalance<true>;

impl<const CREDIT: bool> CustomerBalance<CREDIT> {
    pub fn holder(&self) -> Holder {
        Holder::Customer {
            contracts: self.applicable_contract_ids.clone(),
        }
    }
}
