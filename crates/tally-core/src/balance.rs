//! Balances: commits and credits as the engine draws on them (`Balance`, parsed from the `Commit` body
//! once), and the segments (one usable amount in one window) that draw-down spends.

use crate::commit::{AccessItem, Billing, Commit};
use crate::money::Money;
use crate::time::{Timestamp, Window};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What kind of balance a segment belongs to; decides draw-down order and how it is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceKind {
    PrepaidCommit,
    PostpaidCommit,
    Credit,
}

/// One usable amount in one window: the unit that draw-down works on.
#[derive(Debug, Clone)]
pub struct Segment {
    pub commit_id: String,
    /// The FIXED product the balance was sold as; applied lines carry it.
    pub product_id: String,
    pub name: String,
    pub kind: BalanceKind,
    pub amount: Money,
    pub window: Window,
    pub priority: Option<Decimal>,
    /// Credits and complimentary commits cost the customer nothing; they are used before paid ones.
    pub free: bool,
    pub applicable_product_ids: Vec<String>,
    pub applicable_product_tags: Vec<String>,
    /// Position among its holder's balances, a stable last tie-break.
    pub ordinal: usize,
    /// Who holds the balance, and so which contracts' usage may draw on it.
    pub holder: Holder,
    /// A rollover commit: its amount is decided at the transition, from what the commit it rolls
    /// over has left then.
    pub rollover: Option<Rollover>,
    /// For recurring balances: the share of what is left at the end that carries into the next one.
    pub rollover_fraction: Option<Decimal>,
    /// The credit type of the amount: the balance pays only lines priced in it.
    pub credit_type_id: String,
}

/// Where a rollover commit's amount comes from: `fraction` of what commit `commit_id` of contract
/// `from` has left, in its segments still unexpired when that contract ended (`since`).
#[derive(Debug, Clone, PartialEq)]
pub struct Rollover {
    pub from: String,
    pub commit_id: String,
    pub fraction: Decimal,
    pub since: crate::time::Timestamp,
}

/// Who holds a balance: one contract, or the customer (for all of its contracts, or those listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Contract(String),
    Customer { contracts: Vec<String> },
}

impl Holder {
    /// Whether usage rated on `contract_id` may draw on the balance.
    pub fn reaches(&self, contract_id: &str) -> bool {
        match self {
            Holder::Contract(id) => id == contract_id,
            Holder::Customer { contracts } => contracts.is_empty() || contracts.iter().any(|c| c == contract_id),
        }
    }
}

impl Segment {
    pub fn applies_to(&self, product_id: &str, tags: &[String]) -> bool {
        (self.applicable_product_ids.is_empty() && self.applicable_product_tags.is_empty())
            || self.applicable_product_ids.iter().any(|p| p == product_id)
            || self.applicable_product_tags.iter().any(|t| tags.contains(t))
    }

    /// How many of the catalog's products the segment applies to: narrower balances are drawn first.
    pub fn breadth<'a>(&self, products: impl IntoIterator<Item = &'a crate::product::Product>) -> usize {
        products.into_iter().filter(|p| self.applies_to(&p.id, &p.tags)).count()
    }
}

/// A commit (`CREDIT = false`) or credit (`CREDIT = true`) as the engine draws on it: parsed once as
/// the body is read, so a credit never has a type or an invoice schedule and a postpaid commit always
/// has its true-up date. Reads as its body (`Deref`), and is stored and written back as it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Commit", into = "Commit")]
pub struct Balance<const CREDIT: bool> {
    pub billing: Billing,
    body: Commit,
}

pub type CommitTerm = Balance<false>;
pub type CreditTerm = Balance<true>;

impl<const CREDIT: bool> TryFrom<Commit> for Balance<CREDIT> {
    type Error = crate::error::InBody;
    fn try_from(body: Commit) -> std::result::Result<Self, Self::Error> {
        let billing = body.parse("", CREDIT).map_err(crate::error::InBody)?;
        Ok(Balance { billing, body })
    }
}

impl<const CREDIT: bool> From<Balance<CREDIT>> for Commit {
    fn from(b: Balance<CREDIT>) -> Commit {
        b.body
    }
}

impl<const CREDIT: bool> std::ops::Deref for Balance<CREDIT> {
    type Target = Commit;
    fn deref(&self) -> &Commit {
        &self.body
    }
}

/// Ids and access items may change after parsing (Tally's ids, `updateEndDate`); the billing may not.
impl<const CREDIT: bool> Balance<CREDIT> {
    pub fn id_mut(&mut self) -> &mut String {
        &mut self.body.id
    }

    pub fn access_mut(&mut self) -> &mut Vec<AccessItem> {
        &mut self.body.access_schedule.schedule_items
    }

    /// A contract's new end: a prepaid commit's purchase invoices dated at or after it go (a churned
    /// customer buys nothing more); a postpaid commit's true-up is moved to the end when rated.
    pub fn drop_purchases_from(&mut self, end: Timestamp) {
        if let Billing::Bought(s) = &mut self.billing {
            s.retain_before(end);
            if let Some(body) = self.body.invoice_schedule.as_mut() {
                body.retain_before(end);
            }
        }
    }

    pub fn kind(&self) -> BalanceKind {
        match self.billing {
            Billing::Granted => BalanceKind::Credit,
            Billing::Promised(_) => BalanceKind::PostpaidCommit,
            Billing::Bought(_) | Billing::Complimentary => BalanceKind::PrepaidCommit,
        }
    }

    pub fn segments(&self, ordinal: usize, holder: &Holder) -> Vec<Segment> {
        // Credits and complimentary commits cost the customer nothing: they are drawn before paid ones.
        let free = match &self.billing {
            Billing::Granted | Billing::Complimentary => true,
            Billing::Bought(s) => s.is_free(),
            Billing::Promised(_) => false,
        };
        self.access_schedule
            .schedule_items
            .iter()
            .map(|it| Segment {
                commit_id: self.id.clone(),
                product_id: self.product_id.clone(),
                name: self.display_name(),
                kind: self.kind(),
                amount: Money::cents(it.amount),
                window: Window {
                    start: it.starting_at,
                    end: Some(it.ending_before),
                },
                priority: self.priority,
                free,
                applicable_product_ids: self.applicable_product_ids.clone(),
                applicable_product_tags: self.applicable_product_tags.clone(),
                ordinal,
                holder: holder.clone(),
                rollover: None,
                rollover_fraction: None,
                credit_type_id: self.credit_type_id().to_string(),
            })
            .collect()
    }
}

#[cfg(feature = "schema")]
impl<const CREDIT: bool> schemars::JsonSchema for Balance<CREDIT> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Commit as schemars::JsonSchema>::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Commit as schemars::JsonSchema>::json_schema(g)
    }
}
