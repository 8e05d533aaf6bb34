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
    /// A prepaid commit (bought or complimentary), a recharge or a rollover: drawn before postpaid ones.
    PrepaidCommit,
    /// A postpaid commit: drawn after prepaid commits and credits; what it does not pay is trued up.
    PostpaidCommit,
    /// A credit: granted, never billed.
    Credit,
}

/// One usable amount in one window: the unit that draw-down works on.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The commit or credit it is part of (a recurring term's, a recharge's or a rollover's id); the
    /// lines it covers carry it.
    pub commit_id: String,
    /// The FIXED product the balance was sold as; applied lines carry it.
    pub product_id: String,
    /// The name of the lines that show what it paid.
    pub name: String,
    /// Prepaid commit, postpaid commit or credit.
    pub kind: BalanceKind,
    /// What it can pay, in `credit_type_id` (a rollover's is decided at the transition).
    pub amount: Money,
    /// It pays only for usage in `[start, end)`.
    pub window: Window,
    /// Lower draws first; `None` after those with one.
    pub priority: Option<Decimal>,
    /// Credits and complimentary commits cost the customer nothing; they are used before paid ones.
    pub free: bool,
    /// The products it may pay for; with no ids and no tags, every product.
    pub applicable_product_ids: Vec<String>,
    /// Products carrying one of these tags may draw on it too.
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
    /// The earlier contract.
    pub from: String,
    /// The commit of `from` that rolls over.
    pub commit_id: String,
    /// The share (0 to 1) of what it has left that rolls over; the rest expires.
    pub fraction: Decimal,
    /// When `from` ended (the transition): segments unexpired then count.
    pub since: crate::time::Timestamp,
}

/// Who holds a balance: one contract, or the customer (for all of its contracts, or those listed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// One contract's own balance (the contract's id).
    Contract(String),
    /// A customer-level balance.
    Customer {
        /// The contracts whose usage may draw on it; none: all of the customer's.
        contracts: Vec<String>,
    },
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
    /// Whether it may pay for usage of `product_id` (carrying `tags`).
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
    /// How it is paid for, decided once from `type` and `invoice_schedule`.
    pub billing: Billing,
    body: Commit,
}

/// A contract's commit, as the engine draws on it.
pub type CommitTerm = Balance<false>;
/// A contract's credit, as the engine draws on it.
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
    /// Its id, for Tally to fill in when the body had none.
    pub fn id_mut(&mut self) -> &mut String {
        &mut self.body.id
    }

    /// Its access items, for `updateEndDate` to cut at the new end.
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

    /// Prepaid commit, postpaid commit or credit, from its billing.
    pub fn kind(&self) -> BalanceKind {
        match self.billing {
            Billing::Granted => BalanceKind::Credit,
            Billing::Promised(_) => BalanceKind::PostpaidCommit,
            Billing::Bought(_) | Billing::Complimentary => BalanceKind::PrepaidCommit,
        }
    }

    /// Its access items as segments held by `holder`; `ordinal` is its place among the holder's
    /// balances (the last tie-break of draw-down order).
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
