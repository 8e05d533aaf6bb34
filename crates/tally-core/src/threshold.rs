//! Prepaid balance thresholds (auto-recharge): when the prepaid balance a contract's usage may draw on
//! (its own and the customer's prepaid commits and credits in force) falls to `threshold_amount` or
//! below, at the contract's first hour or any hour after, a prepaid commit bringing it back to
//! `recharge_to_amount` is granted from that hour and invoiced then at `payment_fraction` of its
//! amount. Usage draws on balances in time order, so the hour is found by rating the usage before it:
//! between two instants where a balance starts the balance only falls, so the first hour at or under
//! the threshold is found by bisection over whole hours.

use crate::balance::{BalanceKind, Holder, Segment};
use crate::case::api_enum;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::time::{Timestamp, Window};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

api_enum!(PaymentGate { None = "NONE", Stripe = "STRIPE", External = "EXTERNAL" });

/// `prepaid_balance_threshold_configuration`: a contract's auto-recharge (see the module docs).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PrepaidBalanceThreshold {
    /// The commit each recharge grants.
    pub commit: ThresholdCommit,
    /// false: kept, but nothing is recharged; true when absent.
    #[serde(default = "enabled")]
    pub is_enabled: bool,
    /// Recharge when the prepaid balance is at this or below, in the contract's currency (USD: cents);
    /// at least 500.
    pub threshold_amount: Decimal,
    /// The balance a recharge brings it back to; at least `threshold_amount` + 1000.
    pub recharge_to_amount: Decimal,
    /// Only `NONE` is accepted: Tally has no payment to wait for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_gate_config: Option<PaymentGateConfig>,
    /// The share of each recharge the customer pays; absent: all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_configuration: Option<DiscountConfiguration>,
}

fn enabled() -> bool {
    true
}

/// The commit each recharge grants: what it is sold as and what it pays for.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ThresholdCommit {
    /// The product it is sold as (not a USAGE product); names the line when `name` is absent.
    pub product_id: String,
    /// The name of its invoice line; absent: the product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An internal note, kept and answered back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The products whose usage a recharge may pay for; with no ids and no tags, every product.
    /// Refused on a spend threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicable_product_ids: Vec<String>,
    /// Products carrying one of these tags may draw on it too. Refused on a spend threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicable_product_tags: Vec<String>,
    /// Draw-down order of each recharge (lower first); absent: none, so after balances with one
    /// (Metronome would take 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Decimal>,
}

/// `payment_gate_config`: whether a threshold charge waits for payment.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PaymentGateConfig {
    /// Only NONE: Tally bills threshold charges without a payment gate.
    pub payment_gate_type: PaymentGate,
}

/// `discount_configuration`: a discount on threshold charges.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiscountConfiguration {
    /// The share of a recharge's amount that is invoiced (0.9: the customer pays 90 % of it).
    pub payment_fraction: Decimal,
}

impl PrepaidBalanceThreshold {
    /// Metronome's rules: a threshold of at least $5, recharging to at least $10 above it; no payment
    /// gate (Tally has no payment to wait for); a payment fraction above 0 and at most 1.
    pub fn validate(&self, path: &str) -> Result<()> {
        let at = |f: &str| format!("{path}.{f}");
        if self.threshold_amount < Decimal::from(500) {
            return Err(Error::invalid(
                at("threshold_amount"),
                "a threshold is at least 500 cents ($5)",
            ));
        }
        let Some(least) = self.threshold_amount.checked_add(Decimal::from(1000)) else {
            return Err(Error::invalid(
                at("threshold_amount"),
                "a threshold beyond what Tally can represent",
            ));
        };
        if self.recharge_to_amount < least {
            return Err(Error::invalid(
                at("recharge_to_amount"),
                "recharge_to_amount is at least threshold_amount + 1000 cents ($10)",
            ));
        }
        check_payment(&self.payment_gate_config, &self.discount_configuration, path)
    }

    /// The share of a recharge that is invoiced: `discount_configuration.payment_fraction`, else 1.
    pub fn payment_fraction(&self) -> Decimal {
        self.discount_configuration
            .as_ref()
            .map_or(Decimal::ONE, |d| d.payment_fraction)
    }
}

/// No payment gate (Tally has no payment to wait for); a payment fraction above 0 and at most 1.
fn check_payment(gate: &Option<PaymentGateConfig>, discount: &Option<DiscountConfiguration>, path: &str) -> Result<()> {
    if let Some(g) = gate {
        if g.payment_gate_type != PaymentGate::None {
            return Err(Error::invalid(
                format!("{path}.payment_gate_config.payment_gate_type"),
                "Tally bills threshold charges without a payment gate: only NONE",
            ));
        }
    }
    if let Some(d) = discount {
        if d.payment_fraction <= Decimal::ZERO || d.payment_fraction > Decimal::ONE {
            return Err(Error::invalid(
                format!("{path}.discount_configuration.payment_fraction"),
                "a payment fraction is above 0 and at most 1",
            ));
        }
    }
    Ok(())
}

impl ThresholdCommit {
    /// The line's name: the commit's own, else (as Metronome does) its product's.
    pub fn line_name(&self, products: &indexmap::IndexMap<String, crate::product::Product>) -> String {
        self.name.clone().unwrap_or_else(|| {
            products
                .get(&self.product_id)
                .map_or_else(|| self.product_id.clone(), |p| p.name.clone())
        })
    }
}

/// Spend threshold billing: each time a contract's outstanding usage spend in a usage period (what
/// its usage invoice would bill for usage, after commits and credits) reaches `threshold_amount`,
/// that spend is invoiced at once on a THRESHOLD invoice, and the period's usage invoice shows it as
/// paid, so outstanding spend returns to zero and nothing is billed twice.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpendThreshold {
    /// What the charges are sold as: its product and line name; no applicable products or tags.
    pub commit: ThresholdCommit,
    /// false: kept, but nothing is billed early; true when absent.
    #[serde(default = "enabled")]
    pub is_enabled: bool,
    /// The outstanding usage spend in a period that triggers a charge, in the contract's currency
    /// (USD: cents); above 0.
    pub threshold_amount: Decimal,
    /// Only `NONE` is accepted: Tally has no payment to wait for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_gate_config: Option<PaymentGateConfig>,
    /// The share of each charge the customer pays; absent: all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_configuration: Option<DiscountConfiguration>,
}

impl SpendThreshold {
    /// Shape rules: a threshold above 0, no applicable products or tags, no payment gate, a payment
    /// fraction above 0 and at most 1.
    pub fn validate(&self, path: &str) -> Result<()> {
        if self.threshold_amount <= Decimal::ZERO {
            return Err(Error::invalid(
                format!("{path}.threshold_amount"),
                "a spend threshold is above 0 cents",
            ));
        }
        if !self.commit.applicable_product_ids.is_empty() || !self.commit.applicable_product_tags.is_empty() {
            return Err(Error::invalid(
                format!("{path}.commit"),
                "a spend threshold pays the contract's whole outstanding usage: it takes no applicable products or tags",
            ));
        }
        check_payment(&self.payment_gate_config, &self.discount_configuration, path)
    }

    /// The share of a charge that is invoiced: `discount_configuration.payment_fraction`, else 1.
    pub fn payment_fraction(&self) -> Decimal {
        self.discount_configuration
            .as_ref()
            .map_or(Decimal::ONE, |d| d.payment_fraction)
    }
}

/// One spend threshold charge: `amount` of the contract's usage spend in the usage period ending at
/// `period_end`, invoiced `at` (the whole hour the spend reached the threshold by).
#[derive(Debug, Clone, PartialEq)]
pub struct SpendBill {
    /// The contract whose spend it bills.
    pub contract: String,
    /// The whole hour the spend reached the threshold by: the THRESHOLD invoice's date.
    pub at: Timestamp,
    /// The end of the usage period the spend belongs to; that period's usage invoice shows it paid.
    pub period_end: Timestamp,
    /// The outstanding spend billed, before the payment fraction.
    pub amount: Money,
}

impl SpendBill {
    /// The id its invoice line, and the usage invoice's line that shows it paid, carry.
    pub fn commit_id(&self) -> String {
        format!("{}:spend_threshold:{}", self.contract, self.at)
    }
}

/// A recharge granted on a contract: the commit and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Recharge {
    /// The contract recharged.
    pub contract: String,
    /// When it is granted, billed and usable from: the contract's start or a whole hour after.
    pub at: Timestamp,
    /// What it grants: `recharge_to_amount` less the prepaid balance at `at`.
    pub amount: Money,
}

impl Recharge {
    /// The id of the commit a recharge grants (on its segment and its invoice line).
    pub fn commit_id(&self) -> String {
        format!("{}:recharge:{}", self.contract, self.at)
    }

    /// The commit granted, usable from the recharge until `until` (its contract's reach).
    pub fn segment(
        &self,
        config: &PrepaidBalanceThreshold,
        name: String,
        credit_type_id: &str,
        until: Timestamp,
    ) -> Segment {
        Segment {
            commit_id: self.commit_id(),
            product_id: config.commit.product_id.clone(),
            name,
            kind: BalanceKind::PrepaidCommit,
            amount: self.amount,
            window: Window {
                start: self.at,
                end: Some(until.max(self.at)),
            },
            priority: config.commit.priority,
            free: false,
            applicable_product_ids: config.commit.applicable_product_ids.clone(),
            applicable_product_tags: config.commit.applicable_product_tags.clone(),
            ordinal: usize::MAX,
            holder: Holder::Contract(self.contract.clone()),
            rollover: None,
            rollover_fraction: None,
            credit_type_id: credit_type_id.to_string(),
        }
    }

    /// What the recharge's invoice bills: its amount at the payment fraction, by the line rule.
    pub fn billed(
        &self,
        config: &PrepaidBalanceThreshold,
        scale: crate::credit_type::Scale,
    ) -> crate::money::Checked<(Decimal, Money)> {
        let price = crate::money::mul(self.amount.amount(), config.payment_fraction())?;
        Ok((price, Money::cents(price).rounded(scale)))
    }
}
