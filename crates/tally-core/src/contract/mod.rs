//! Contracts: a customer's terms. A rate card, a statement cadence, and the commits, credits,
//! scheduled charges, overrides and usage filters layered on it. `Contract` is the stored contract
//! (what rating reads and an export holds); the bodies of the calls that make and change one are
//! request types of their own (`api::requests`).

use crate::balance::{CommitTerm, CreditTerm, Segment};
use crate::calendar::UsageStatementSchedule;
use crate::commit::{Commit, RecurringCommit};
use crate::error::{join_path, Error, Result};
use crate::overrides::{OverrideRule, Prioritization};
use crate::record::record;
use crate::time::{Timestamp, Window};
use indexmap::IndexMap;

mod parts;
pub use parts::{
    validate_filter, Consolidation, FutureInvoiceBehavior, ScheduledCharge, Transition, TransitionType, TrueupBehavior,
    UsageFilter,
};

record! {
    /// A customer's contract as stored: what rating reads, the contract list answers and an export
    /// holds; `NewContract` is the body that makes one (`POST /v1/contracts/create`).
    pub struct Contract, body NewContract of "POST /v1/contracts/create" {
        /// The customer it bills.
        pub customer_id: String,
        /// A display name; nothing is billed by it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// When the contract starts (inclusive, RFC 3339); periods and usage count from here.
        pub starting_at: Timestamp,
        /// When it ends (exclusive); absent: open-ended, invoiced as far as an invoice list reaches.
        #[serde(default)]
        pub ending_before: Option<Timestamp>,
        /// The rate card that lists its prices; its usage invoices are in the card's currency (USD
        /// cents without a card).
        #[serde(default)]
        pub rate_card_id: Option<String>,
        /// The alias the card was chosen by at creation (the card holding it at `starting_at`), kept as
        /// given; `rate_card_id` holds the card it chose.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rate_card_alias: Option<String>,
        /// Its prepaid and postpaid commits.
        #[serde(default)]
        pub commits: Vec<CommitTerm>,
        /// Its credits: granted, never billed, drawn before paid commits of equal priority.
        #[serde(default)]
        pub credits: Vec<CreditTerm>,
        /// Commits granted anew each period.
        #[serde(default)]
        pub recurring_commits: Vec<RecurringCommit>,
        /// Credits granted anew each period (the shape of a recurring commit; never billed).
        #[serde(default)]
        pub recurring_credits: Vec<RecurringCommit>,
        /// Charges billed on their schedule's dates, never drawn on by commits or credits.
        #[serde(default)]
        pub scheduled_charges: Vec<ScheduledCharge>,
        /// When its usage invoices close; absent: monthly, on the first of the month.
        #[serde(default)]
        pub usage_statement_schedule: Option<UsageStatementSchedule>,
        /// Changes to its list prices and entitlements; one applies per line (`crate::overrides`).
        #[serde(default)]
        pub overrides: Vec<OverrideRule>,
        /// Negative charges on a schedule (the shape of a scheduled charge): a discount line on each date.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub discounts: Vec<ScheduledCharge>,
        /// Work sold up to `max_amount`, invoiced as it is done (`scheduleProServicesInvoice`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub professional_services: Vec<crate::services::ProfessionalService>,
        /// Seats and other SUBSCRIPTION products, billed per period (`crate::subscription`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subscriptions: Vec<crate::subscription::Subscription>,
        /// The filter given at creation; rating reads `usage_filter_history`, which holds it and every
        /// later one.
        #[serde(default)]
        pub usage_filter: Option<UsageFilter>,
        /// ALL: a scheduled item (charge, purchase, true-up) dated at a usage invoice's end goes on that
        /// invoice; absent: each on a SCHEDULED invoice of its own.
        #[serde(default)]
        pub scheduled_charges_on_usage_invoices: Option<Consolidation>,
        /// Which MULTIPLIER or TIERED override applies: LOWEST_MULTIPLIER (default) the one that costs the
        /// line least, EXPLICIT the lowest `priority`.
        #[serde(default)]
        pub multiplier_override_prioritization: Option<Prioritization>,
        /// Your key-value metadata, kept and answered back.
        #[serde(default)]
        pub custom_fields: IndexMap<String, String>,
        // Inert metadata (model.md, second round): other systems' ids and configurations, kept and
        // answered back unchanged; Tally bills nothing by them. Fields of their own, not a flattened
        // struct: a flattened struct would swallow the unknown fields the parse must refuse.
        /// Inert metadata (the NetSuite order this contract comes from), kept and answered back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub netsuite_sales_order_id: Option<String>,
        /// Inert metadata (the Salesforce opportunity this contract comes from), kept and answered back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub salesforce_opportunity_id: Option<String>,
        /// Inert metadata (the billing provider Metronome would deliver invoices to), kept as given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub billing_provider_configuration: Option<serde_json::Value>,
        /// Inert metadata (the revenue-recognition system Metronome would feed), kept as given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub revenue_system_configuration: Option<serde_json::Value>,
        /// Inert metadata (the contract's value as sold), kept and answered back; nothing is billed by it.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::money::as_opt_number"
        )]
        pub total_contract_value: Option<rust_decimal::Decimal>,
        /// A key no other contract was created with: a second create naming it is refused (409,
        /// `conflict`) and changes nothing, so a client may retry a create safely. Kept and
        /// answered back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uniqueness_key: Option<String>,
        /// Payment terms: each invoice of the contract is due this many days after it is issued.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub net_payment_terms_days: Option<u32>,
        /// The earlier contract this one renews or supersedes, and what becomes of its true-ups.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transition: Option<Transition>,
        /// Auto-recharge: a prepaid commit is granted and billed when the prepaid balance falls to a
        /// threshold.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub prepaid_balance_threshold_configuration: Option<crate::threshold::PrepaidBalanceThreshold>,
        /// Outstanding usage spend is billed early, on a THRESHOLD invoice, each time it reaches a
        /// threshold.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub spend_threshold_configuration: Option<crate::threshold::SpendThreshold>,
    }
    stored {
        /// The professional-services invoices scheduled so far, in the order scheduled.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub professional_service_invoices: Vec<crate::services::ServicesInvoice>,
        /// Every filter ever set, in effect order: the one in `usage_filter` and each `setUsageFilter`.
        #[serde(default)]
        pub usage_filter_history: Vec<UsageFilter>,
    }
}

impl Contract {
    /// `[starting_at, ending_before)`.
    pub fn window(&self) -> Window {
        Window {
            start: self.starting_at,
            end: self.ending_before,
        }
    }

    /// Its usage statement schedule: monthly on the first of the month when absent.
    pub fn statement_schedule(&self) -> UsageStatementSchedule {
        self.usage_statement_schedule.clone().unwrap_or_default()
    }

    /// Its multiplier prioritization: LOWEST_MULTIPLIER when absent.
    pub fn prioritization(&self) -> Prioritization {
        self.multiplier_override_prioritization
            .unwrap_or(Prioritization::LowestMultiplier)
    }

    /// The overrides that price this contract's lines, with its multiplier prioritization.
    pub fn pricing(&self) -> crate::pricing::Pricing<'_> {
        crate::pricing::Pricing {
            overrides: &self.overrides,
            prioritization: self.prioritization(),
        }
    }

    /// Whether scheduled items move onto usage invoices (`scheduled_charges_on_usage_invoices: ALL`).
    pub fn consolidates(&self) -> bool {
        self.scheduled_charges_on_usage_invoices == Some(Consolidation::All)
    }

    /// Shape rules that need nothing but the contract itself.
    pub fn validate_terms(&self) -> Result<()> {
        if self.ending_before.is_some_and(|e| e <= self.starting_at) {
            return Err(Error::invalid(
                "ending_before",
                "ending_before must be after starting_at",
            ));
        }
        if let Some(s) = &self.usage_statement_schedule {
            s.validate("usage_statement_schedule")?;
        }
        for (i, c) in self.recurring_commits.iter().enumerate() {
            c.validate(&format!("recurring_commits[{i}]"))?;
        }
        for (i, c) in self.recurring_credits.iter().enumerate() {
            c.validate(&format!("recurring_credits[{i}]"))?;
        }
        if let Some(f) = &self.usage_filter {
            validate_filter(f, "usage_filter")?;
        }
        if let Some(t) = &self.prepaid_balance_threshold_configuration {
            t.validate("prepaid_balance_threshold_configuration")?;
        }
        if let Some(t) = &self.spend_threshold_configuration {
            t.validate("spend_threshold_configuration")?;
        }
        for (i, p) in self.professional_services.iter().enumerate() {
            p.validate(&format!("professional_services[{i}]"))?;
        }
        Ok(())
    }

    /// How far a balance the contract grants itself (a recharge, a rollover) reaches: its end, or
    /// when it has none, far enough for every period an invoice list through `horizon` shows.
    pub fn reach(&self, horizon: Timestamp) -> Timestamp {
        let far = Timestamp(horizon.0 + chrono::Duration::days(400));
        self.ending_before.map_or(far, |e| e.min(far))
    }

    /// The contract's auto-recharge, when it has one switched on.
    pub fn recharge(&self) -> Option<&crate::threshold::PrepaidBalanceThreshold> {
        self.prepaid_balance_threshold_configuration
            .as_ref()
            .filter(|t| t.is_enabled)
    }

    /// The contract's spend threshold, when it has one switched on.
    pub fn spend_threshold(&self) -> Option<&crate::threshold::SpendThreshold> {
        self.spend_threshold_configuration.as_ref().filter(|t| t.is_enabled)
    }

    /// Every product id the contract names, with where it names it, for existence checks.
    pub fn named_products(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(t) = &self.prepaid_balance_threshold_configuration {
            let path = "prepaid_balance_threshold_configuration.commit";
            out.push((format!("{path}.product_id"), t.commit.product_id.clone()));
            for (j, p) in t.commit.applicable_product_ids.iter().enumerate() {
                out.push((format!("{path}.applicable_product_ids[{j}]"), p.clone()));
            }
        }
        if let Some(t) = &self.spend_threshold_configuration {
            out.push((
                "spend_threshold_configuration.commit.product_id".to_string(),
                t.commit.product_id.clone(),
            ));
        }
        let mut commits = |list: Vec<&Commit>, field: &str| {
            for (i, c) in list.into_iter().enumerate() {
                out.push((format!("{field}[{i}].product_id"), c.product_id.clone()));
                for (j, p) in c.applicable_product_ids.iter().enumerate() {
                    out.push((format!("{field}[{i}].applicable_product_ids[{j}]"), p.clone()));
                }
            }
        };
        commits(self.commits.iter().map(|c| &**c).collect(), "commits");
        commits(self.credits.iter().map(|c| &**c).collect(), "credits");
        for (field, list) in [
            ("recurring_commits", &self.recurring_commits),
            ("recurring_credits", &self.recurring_credits),
        ] {
            for (i, c) in list.iter().enumerate() {
                out.push((format!("{field}[{i}].product_id"), c.product_id.clone()));
            }
        }
        for (i, c) in self.discounts.iter().enumerate() {
            out.push((format!("discounts[{i}].product_id"), c.product_id.clone()));
        }
        for (i, c) in self.professional_services.iter().enumerate() {
            out.push((format!("professional_services[{i}].product_id"), c.product_id.clone()));
        }
        for (i, c) in self.scheduled_charges.iter().enumerate() {
            out.push((format!("scheduled_charges[{i}].product_id"), c.product_id.clone()));
        }
        for (i, o) in self.overrides.iter().enumerate() {
            for (f, p) in o.body.named_products() {
                out.push((join_path(&format!("overrides[{i}]"), &f), p));
            }
        }
        out
    }

    /// The filter in force at `t`, if the contract filters usage at all then.
    pub fn filter_at(&self, t: Timestamp) -> Option<&UsageFilter> {
        self.usage_filter_history
            .iter()
            .rev()
            .find(|f| f.starting_at.unwrap_or(self.starting_at) <= t)
    }

    /// All balances on the contract, as draw-down segments, through `horizon` for open-ended ones.
    pub fn segments(&self, horizon: Timestamp) -> crate::money::Checked<Vec<Segment>> {
        let mut out = Vec::new();
        let mut ordinal = 0;
        let holder = crate::balance::Holder::Contract(self.id.clone());
        for c in &self.commits {
            out.extend(c.segments(ordinal, &holder));
            ordinal += 1;
        }
        for c in &self.credits {
            out.extend(c.segments(ordinal, &holder));
            ordinal += 1;
        }
        let schedule = self.statement_schedule();
        let (anchor, months) = (schedule.anchor(self.starting_at), schedule.frequency.months());
        for (credit, list) in [(false, &self.recurring_commits), (true, &self.recurring_credits)] {
            for rc in list {
                let kind = if credit {
                    crate::balance::BalanceKind::Credit
                } else {
                    crate::balance::BalanceKind::PrepaidCommit
                };
                // One balance of the recurring term: its share `amount`, usable over `window`.
                let segment =
                    |amount: crate::money::Money,
                     window: Window,
                     free: bool,
                     rollover_fraction: Option<rust_decimal::Decimal>| Segment {
                        commit_id: rc.id.clone(),
                        product_id: rc.product_id.clone(),
                        name: rc.display_name(credit),
                        kind,
                        amount,
                        window,
                        priority: rc.priority,
                        free,
                        applicable_product_ids: rc.applicable_product_ids.clone(),
                        applicable_product_tags: rc.applicable_product_tags.clone(),
                        ordinal,
                        holder: holder.clone(),
                        rollover: None,
                        rollover_fraction,
                        credit_type_id: rc
                            .access_amount
                            .credit_type_id
                            .clone()
                            .unwrap_or_else(|| crate::credit_type::USD_CENTS_ID.to_string()),
                    };
                // A pooled seat balance follows its subscription: per seat, with each period's seats
                // and each increase, prorated as the subscription bills them.
                if let Some(sub) = rc
                    .subscription_config
                    .as_ref()
                    .and_then(|cfg| self.subscriptions.iter().find(|s| s.id == cfg.subscription_id))
                {
                    let per_seat = rc.access_amount.total()?;
                    let bounds = (self.starting_at, self.ending_before);
                    for ch in crate::subscription::charges(sub, sub.anchor(anchor), bounds, horizon, None)? {
                        let amount = per_seat.times(crate::money::mul(ch.quantity, ch.fraction)?)?;
                        let window = Window {
                            start: ch.from,
                            end: Some(ch.until),
                        };
                        out.push(segment(amount, window, true, None));
                    }
                    ordinal += 1;
                    continue;
                }
                let duration = rc.commit_duration.as_ref().map(|d| d.value as i64).unwrap_or(1);
                let step = rc.recurrence_frequency.map(|f| f.months()).unwrap_or(months);
                let free = credit
                    || rc
                        .invoice_amount
                        .as_ref()
                        .is_none_or(|a| a.total().is_ok_and(|t| t.is_zero()));
                for (a, b, fraction) in rc.periods(anchor, months, self.ending_before, horizon) {
                    let amount = rc.access_amount.total()?.times(fraction)?;
                    let end = if duration == 1 {
                        b
                    } else {
                        b.add_months(step * (duration - 1))
                    };
                    let end = self.ending_before.map_or(end, |e| end.min(e));
                    let window = Window {
                        start: a,
                        end: Some(end),
                    };
                    out.push(segment(amount, window, free, rc.rollover_fraction));
                }
                ordinal += 1;
            }
        }
        Ok(out)
    }
}
