//! Assembly: a contract's usage lines, scheduled items, draw-down and true-ups become its invoices.

use super::lines::{usage_lines, Plan};
use super::{out_of_range, Clock, Feed};
use crate::balance::CommitTerm;
use crate::commit::Billing;
use crate::contract::Contract;
use crate::credit_type::{scale, USD_CENTS_ID};
use crate::drawdown::Ledger;
use crate::drawdown::Piece;
use crate::error::Result;
use crate::invoice::{CreditType, Invoice, InvoiceStatus, InvoiceType, LineItem, LineType};
use crate::money::{mul, tidy, Checked, Money, Overflow, Quantity};
use crate::schedule::Occurrence;
use crate::state::State;
use crate::time::Timestamp;
use indexmap::IndexMap;
use rust_decimal::Decimal;

fn scheduled_line(name: String, kind: LineType, product_id: &str, o: &Occurrence) -> LineItem {
    LineItem::plain(
        name,
        kind,
        product_id.to_string(),
        (tidy(o.quantity), tidy(o.unit_price)),
        o.total,
        (o.timestamp, o.timestamp),
    )
}

/// A scheduled item: the term it belongs to (which names its invoice), the credit type it is billed
/// in, and its line.
type Item = (String, String, LineItem);

fn product_name(state: &State, id: &str) -> String {
    state
        .products
        .get(id)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The commits a contract's invoices bill: its own, then the customer-level ones it is named to
/// invoice.
fn billed_terms<'a>(state: &'a State, c: &'a Contract) -> impl Iterator<Item = &'a CommitTerm> {
    c.commits.iter().chain(
        state
            .customer_commits
            .values()
            .filter(|b| b.invoice_contract_id.as_deref() == Some(c.id.as_str()))
            .map(|b| &b.term),
    )
}

/// Charges and commit purchases on their dates, before any consolidation.
/// Each item comes with the id of the term it belongs to (charge or commit), which names its invoice.
fn scheduled_items(state: &State, c: &Contract, horizon: Timestamp) -> Checked<Vec<Item>> {
    let mut items = Vec::new();
    for ch in &c.scheduled_charges {
        let name = ch.name.clone().unwrap_or_else(|| product_name(state, &ch.product_id));
        for o in ch.schedule.occurrences(horizon)? {
            items.push((
                ch.id.clone(),
                ch.schedule.credit_type_id().to_string(),
                scheduled_line(name.clone(), LineType::Scheduled, &ch.product_id, &o),
            ));
        }
    }
    // A discount is a charge the other way: a negative line on each of its dates, never floored.
    for d in &c.discounts {
        let name = d.name.clone().unwrap_or_else(|| product_name(state, &d.product_id));
        for o in d.schedule.occurrences(horizon)? {
            let mut l = scheduled_line(name.clone(), LineType::Discount, &d.product_id, &o);
            l.unit_price = -l.unit_price;
            l.total = -l.total;
            items.push((d.id.clone(), d.schedule.credit_type_id().to_string(), l));
        }
    }
    for cm in billed_terms(state, c) {
        let Billing::Bought(s) = &cm.billing else {
            continue;
        };
        for o in s.occurrences(horizon)? {
            let mut l = scheduled_line(cm.display_name(), LineType::CommitPurchase, &cm.product_id, &o);
            l.commit_id = Some(cm.id.clone());
            items.push((cm.id.clone(), s.credit_type_id().to_string(), l));
        }
    }
    let schedule = c.statement_schedule();
    let (anchor, months) = (schedule.anchor(c.starting_at), schedule.frequency.months());
    for rc in &c.recurring_commits {
        let Some(inv) = rc.invoice_amount.as_ref() else {
            continue;
        };
        if inv.total()?.is_zero() {
            continue;
        }
        let ct = inv.credit_type_id.clone().unwrap_or_else(|| USD_CENTS_ID.to_string());
        for (a, _, fraction) in rc.periods(anchor, months, c.ending_before, horizon) {
            let q = inv.quantity.unwrap_or(Decimal::ONE);
            let unit_price = mul(inv.unit_price, fraction)?;
            let o = Occurrence {
                timestamp: a,
                quantity: q,
                unit_price,
                total: Money::of(Quantity::new(q), unit_price)?.rounded(scale(&ct)),
            };
            let mut l = scheduled_line(rc.display_name(false), LineType::CommitPurchase, &rc.product_id, &o);
            l.commit_id = Some(rc.id.clone());
            items.push((rc.id.clone(), ct.clone(), l));
        }
    }
    // updateEndDate drops whatever of the contract's own was scheduled at or after the new end; a
    // customer-level commit it bills is the customer's, and is billed on its dates whatever the end.
    items.retain(|(source, _, l)| {
        state.customer_commits.contains_key(source) || c.ending_before.is_none_or(|e| l.starting_at < e)
    });
    Ok(items)
}

/// Every subscription charge of `c` through the period holding `horizon`, priced: the rate card's
/// SUBSCRIPTION rate for the product at the charge's instant, after overrides, times the charge's
/// fraction of the period. Each comes with its subscription's id, its billing date and whether it is
/// billed on an invoice of its own (an immediate increase, or `ON_SCHEDULED_INVOICE`).
fn subscription_lines(
    state: &State,
    c: &Contract,
    horizon: Timestamp,
) -> Checked<Vec<(String, Timestamp, bool, LineItem)>> {
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let anchor = c.statement_schedule().anchor(c.starting_at);
    let scale = scale(state.fiat_of(c));
    let none = IndexMap::new();
    let mut out = Vec::new();
    for s in &c.subscriptions {
        let product_id = &s.subscription_rate.product_id;
        let Some(product) = state.products.get(product_id) else {
            continue;
        };
        let frequency = s.subscription_rate.billing_frequency;
        let rate_at = |t: Timestamp| card.and_then(|rc| rc.subscription_rate_at(product_id, t, frequency));
        let prorated = rate_at(s.start(c.starting_at)).and_then(|r| r.is_prorated);
        let name = s.name.clone().unwrap_or_else(|| product.name.clone());
        let bounds = (c.starting_at, c.ending_before);
        for ch in crate::subscription::charges(s, s.anchor(anchor), bounds, horizon, prorated)? {
            let at = crate::pricing::LineAt {
                product,
                pgv: &none,
                at: ch.priced_at,
            };
            let Some(rate) = c.pricing().effective_rate(at, rate_at(ch.priced_at), None)? else {
                continue;
            };
            let per_period = match &rate.price {
                crate::rate_card::Price::Flat(p) => *p,
                crate::rate_card::Price::Tiered(t) => t.first().map(|t| t.price).unwrap_or_default(),
            };
            let unit_price = mul(per_period, ch.fraction)?;
            let mut total = Money::of(Quantity::new(ch.quantity), unit_price)?;
            // `proration.rounding` rounds what a partial period bills, before the line rule.
            if let Some(r) = s.proration.rounding.filter(|_| ch.fraction != Decimal::ONE) {
                total = Money::cents(r.apply(total.amount())?);
            }
            out.push((
                s.id.clone(),
                ch.date,
                ch.immediate || !s.on_usage_invoices(),
                LineItem::plain(
                    name.clone(),
                    LineType::Subscription,
                    product_id.clone(),
                    (tidy(ch.quantity), tidy(unit_price)),
                    total.rounded(scale),
                    (ch.from, ch.until),
                ),
            ));
        }
    }
    Ok(out)
}

/// COMPOSITE products' charges, one line per period on its usage invoice: the percentage (or the
/// tiered percentages) the rate card's PERCENTAGE rate gives, after overrides, of the period's spend on
/// the products the composite names: the exact amounts of the usage lines (before commits and
/// credits pay, before rounding), the charge rounded once; at least the rate's `minimum`, prorated by
/// time in a partial period. Never drawn on by a balance.
fn composite_lines(state: &State, c: &Contract, usage: &mut [Invoice]) -> Checked<()> {
    let Some(card) = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id)) else {
        return Ok(());
    };
    let none = IndexMap::new();
    let schedule = c.statement_schedule();
    let (anchor, months) = (schedule.anchor(c.starting_at), schedule.frequency.months());
    let scale = scale(state.fiat_of(c));
    for composite in state
        .products
        .values()
        .filter(|p| p.kind == crate::product::ProductType::Composite)
    {
        for inv in usage.iter_mut() {
            let (a, b) = (inv.period_start(), inv.period_end());
            let Some(list) = card.rate_at(&composite.id, &none, a).filter(|r| {
                matches!(
                    r.rate_type,
                    crate::rate_card::RateType::Percentage | crate::rate_card::RateType::TieredPercentage
                )
            }) else {
                continue;
            };
            let at = crate::pricing::LineAt {
                product: composite,
                pgv: &none,
                at: a,
            };
            let Some(rate) = c.pricing().effective_rate(at, Some(list), None)? else {
                continue;
            };
            let mut spend = Money::ZERO;
            for l in &inv.line_items {
                let Some(p) = state.products.get(&l.product_id) else {
                    continue;
                };
                if !composite.composes(p) || (composite.exclude_free_usage == Some(true) && l.unit_price.is_zero()) {
                    continue;
                }
                let mut amount = Money::of(Quantity::new(l.quantity), l.unit_price)?;
                // Spend in a custom pricing unit counts in the card's currency, at its conversion.
                if let Some(u) = &l.credit_type {
                    let Some(rate) = card.fiat_per(&u.id) else {
                        continue;
                    };
                    amount = amount.times(rate)?;
                }
                spend = spend.plus(amount)?;
            }
            let charge = rate.price.amount(Quantity::ZERO, Quantity::new(spend.amount()))?;
            let share = crate::calendar::share(a, b, crate::calendar::grid_cell(anchor, months, a))?;
            let minimum = match list.minimum {
                Some(m) => Money::cents(m).times(share)?,
                None => Money::ZERO,
            };
            if charge.is_zero() && minimum.is_zero() {
                continue;
            }
            // Spend × a flat percentage shows as such; a tiered charge or a minimum as one amount.
            let (quantity, unit_price) = match &rate.price {
                crate::rate_card::Price::Flat(p) if charge >= minimum => (spend.amount(), *p),
                _ => (Decimal::ONE, charge.max(minimum).amount()),
            };
            inv.line_items.push(LineItem::plain(
                composite.name.clone(),
                LineType::Composite,
                composite.id.clone(),
                (tidy(quantity), tidy(unit_price)),
                Money::of(Quantity::new(quantity), unit_price)?.rounded(scale),
                (a, b),
            ));
        }
    }
    Ok(())
}

fn new_invoice(
    c: &Contract,
    kind: InvoiceType,
    start: Option<(Timestamp, Timestamp)>,
    issued_at: Timestamp,
    credit_type: CreditType,
) -> Invoice {
    let id = match kind {
        InvoiceType::Usage => format!("{}:usage:{}", c.id, issued_at),
        InvoiceType::Scheduled => format!("{}:scheduled:{}", c.id, issued_at),
        InvoiceType::Threshold => format!("{}:threshold:{}", c.id, issued_at),
    };
    Invoice {
        id,
        customer_id: c.customer_id.clone(),
        contract_id: c.id.clone(),
        kind,
        status: InvoiceStatus::Draft,
        start_timestamp: start.map(|s| s.0),
        end_timestamp: start.map(|s| s.1),
        issued_at,
        credit_type,
        total: Money::ZERO,
        line_items: Vec::new(),
        net_payment_terms_days: c.net_payment_terms_days,
    }
}

/// Places an item billed on `date` in `credit_type`: onto the usage invoice whose period ends that
/// day when `consolidate` (the contract consolidates, the item may wait, and the invoice is in the
/// same credit type), otherwise onto a SCHEDULED invoice of its own.
#[allow(clippy::too_many_arguments)]
fn place(
    state: &State,
    c: &Contract,
    consolidate: bool,
    usage: &mut [Invoice],
    scheduled: &mut Vec<Invoice>,
    (source, date): (&str, Timestamp),
    credit_type: &str,
    line: LineItem,
) {
    if consolidate {
        if let Some(inv) = usage
            .iter_mut()
            .find(|i| i.end_timestamp.is_some_and(|e| e.date() == date.date()) && i.credit_type.id == credit_type)
        {
            inv.line_items.push(line);
            return;
        }
    }
    let named = state.credit_type_named(credit_type).into();
    let mut inv = new_invoice(c, InvoiceType::Scheduled, None, date, named);
    // Named after the term and the date, so an edit elsewhere never renames it.
    inv.id = format!("{}:{}:scheduled:{}", c.id, source, date);
    let twins = scheduled.iter().filter(|i| i.id.starts_with(&inv.id)).count();
    if twins > 0 {
        inv.id = format!("{}:{}", inv.id, twins + 1);
    }
    inv.line_items.push(line);
    scheduled.push(inv);
}

/// A contract's invoices before draw-down: usage lines by period, scheduled items placed.
pub(super) struct Drafts {
    pub(super) usage: Vec<Invoice>,
    scheduled: Vec<Invoice>,
}

/// Drafts a contract's invoices; the pieces its usage lines were priced in join `pieces`, with what
/// each of `segments` (the customer's ledger) may pay on them.
pub(super) fn draft(
    state: &State,
    plan: &Plan,
    feeds: &[Feed],
    segments: &[crate::balance::Segment],
    pieces: &mut Vec<Piece>,
    clock: Clock,
    grants: &[crate::threshold::Recharge],
) -> Result<Drafts> {
    let c = plan.contract;
    let fiat: CreditType = state.credit_type_named(state.fiat_of(c)).into();
    let lines = usage_lines(plan, feeds, segments, pieces)?;
    let mut usage: Vec<Invoice> = lines
        .into_iter()
        .zip(&plan.periods)
        .map(|(lines, &(a, b))| {
            let mut inv = new_invoice(c, InvoiceType::Usage, Some((a, b)), b, fiat.clone());
            inv.line_items = lines;
            inv
        })
        .collect();
    composite_lines(state, c, &mut usage).map_err(|Overflow| out_of_range(c, "a composite charge"))?;
    let mut scheduled: Vec<Invoice> = Vec::new();
    let items = scheduled_items(state, c, clock.horizon)
        .map_err(|Overflow| out_of_range(c, "a scheduled charge or commit amount"))?;
    // Each recharge is bought when it is granted, at the payment fraction, on an invoice of its own
    // (billed at once, never held for a usage invoice).
    let mut recharges = Vec::new();
    if let Some(config) = c.recharge() {
        for g in grants.iter().filter(|g| g.contract == c.id) {
            let (price, total) = g
                .billed(config, scale(&fiat.id))
                .map_err(|Overflow| out_of_range(c, "a recharge amount"))?;
            let o = Occurrence {
                timestamp: g.at,
                quantity: Decimal::ONE,
                unit_price: price,
                total,
            };
            let name = config.commit.line_name(&state.products);
            let mut l = scheduled_line(name, LineType::CommitPurchase, &config.commit.product_id, &o);
            l.commit_id = Some(g.commit_id());
            recharges.push((g.commit_id(), fiat.id.clone(), l));
        }
    }
    for (source, ct, line) in items {
        let date = line.starting_at;
        place(
            state,
            c,
            c.consolidates(),
            &mut usage,
            &mut scheduled,
            (&source, date),
            &ct,
            line,
        );
    }
    for (source, ct, line) in recharges {
        let date = line.starting_at;
        place(state, c, false, &mut usage, &mut scheduled, (&source, date), &ct, line);
    }
    // Professional services: each scheduled invoice on its own, never consolidated.
    let billed = crate::services::billed(
        &c.professional_services,
        &c.professional_service_invoices,
        scale(&fiat.id),
    )
    .map_err(|Overflow| out_of_range(c, "a professional-services amount"))?;
    for (n, (inv, lines)) in c.professional_service_invoices.iter().zip(billed).enumerate() {
        let mut invoice = new_invoice(c, InvoiceType::Scheduled, None, inv.issued_at, fiat.clone());
        invoice.id = super::services_invoice_id(&c.id, n, inv.issued_at);
        for (k, quantity, unit_price, total) in lines.into_iter().flatten() {
            let term = &c.professional_services[k];
            let o = Occurrence {
                timestamp: inv.issued_at,
                quantity,
                unit_price,
                total,
            };
            let name = term
                .description
                .clone()
                .unwrap_or_else(|| product_name(state, &term.product_id));
            invoice.line_items.push(scheduled_line(
                name,
                LineType::ProfessionalService,
                &term.product_id,
                &o,
            ));
        }
        scheduled.push(invoice);
    }
    // Subscription charges go on the usage invoice that closes on their date (Metronome's default
    // placement, ON_USAGE_INVOICE), else on one of their own (the first ADVANCE charge, an increase
    // billed immediately).
    let subscriptions =
        subscription_lines(state, c, clock.horizon).map_err(|Overflow| out_of_range(c, "a subscription amount"))?;
    for (source, date, own, line) in subscriptions {
        place(
            state,
            c,
            !own,
            &mut usage,
            &mut scheduled,
            (&source, date),
            &fiat.id,
            line,
        );
    }
    Ok(Drafts { usage, scheduled })
}

/// A contract's invoices once the customer's ledger has drawn down: postpaid true-ups, totals and
/// statuses.
pub(super) fn settle(
    state: &State,
    c: &Contract,
    drafts: Drafts,
    ledger: &Ledger,
    clock: Clock,
) -> Result<Vec<Invoice>> {
    let Drafts {
        mut usage,
        mut scheduled,
    } = drafts;
    let overflow = |what: &str| {
        let what = what.to_string();
        move |Overflow| out_of_range(c, &what)
    };
    let removed_after = super::balances::trueups_removed_after(state, c);
    for cm in billed_terms(state, c) {
        let Billing::Promised(schedule) = &cm.billing else {
            continue;
        };
        let due = schedule
            .occurrences(clock.horizon)
            .ok()
            .and_then(|o| o.first().map(|o| o.timestamp));
        // A transition's `trueup` and the contract's end concern the contract's own commits only.
        let own = c.commits.iter().any(|x| x.id == cm.id);
        if own && removed_after.is_some_and(|t| due.is_some_and(|d| d > t)) {
            continue;
        }
        let true_up = || -> Checked<Option<LineItem>> {
            let occurrences = schedule.occurrences(clock.horizon)?;
            let Some(o) = occurrences.into_iter().next() else {
                return Ok(None);
            };
            // The usual postpaid minimum is trued up on the contract's last day, so the end never
            // removes it; an end moved before the true-up brings it forward, against the access that
            // remains.
            let (date, owed) = match c.ending_before {
                Some(end) if own && o.timestamp > end => (
                    end,
                    Money::sum(cm.access_schedule.schedule_items.iter().map(|i| Money::cents(i.amount)))?,
                ),
                _ => (o.timestamp, o.total),
            };
            let shortfall = owed
                .minus(ledger.consumed(&cm.id)?)?
                .max(Money::ZERO)
                .rounded(scale(cm.credit_type_id()));
            let o = Occurrence {
                timestamp: date,
                quantity: Decimal::ONE,
                unit_price: shortfall.amount(),
                total: shortfall,
            };
            let mut l = scheduled_line(cm.display_name(), LineType::PostpaidTrueup, &cm.product_id, &o);
            l.commit_id = Some(cm.id.clone());
            Ok(Some(l))
        };
        if let Some(l) = true_up().map_err(overflow("a postpaid true-up"))? {
            let date = l.starting_at;
            place(
                state,
                c,
                c.consolidates(),
                &mut usage,
                &mut scheduled,
                (&format!("{}:trueup", cm.id), date),
                cm.credit_type_id(),
                l,
            );
        }
    }
    let mut all: Vec<Invoice> = usage.into_iter().chain(scheduled).collect();
    for inv in all.iter_mut() {
        inv.retotal().map_err(overflow("an invoice total"))?;
        if inv.period_end() <= clock.now {
            inv.status = InvoiceStatus::Finalized;
        }
    }
    Ok(all)
}

/// Shows spend threshold charges: each on a THRESHOLD invoice of its own (its spend at the payment
/// fraction, by the line rule), and as paid on its period's usage invoice (the whole spend it paid).
pub(super) fn bill_spend(
    state: &State,
    invoices: &mut Vec<Invoice>,
    bills: &[crate::threshold::SpendBill],
    clock: Clock,
) -> Result<()> {
    for b in bills {
        let Some((c, config)) = state
            .contracts
            .get(&b.contract)
            .and_then(|c| Some((c, c.spend_threshold()?)))
        else {
            continue;
        };
        let overflow = |Overflow| out_of_range(c, "a spend threshold charge");
        let name = config.commit.line_name(&state.products);
        let price = mul(b.amount.amount(), config.payment_fraction()).map_err(overflow)?;
        let o = Occurrence {
            timestamp: b.at,
            quantity: Decimal::ONE,
            unit_price: price,
            total: Money::cents(price).rounded(scale(state.fiat_of(c))),
        };
        let mut line = scheduled_line(name.clone(), LineType::CommitPurchase, &config.commit.product_id, &o);
        line.commit_id = Some(b.commit_id());
        let fiat = state.credit_type_named(state.fiat_of(c)).into();
        let mut inv = new_invoice(c, InvoiceType::Threshold, None, b.at, fiat);
        inv.line_items.push(line);
        inv.retotal().map_err(overflow)?;
        if b.at <= clock.now {
            inv.status = InvoiceStatus::Finalized;
        }
        invoices.push(inv);
        if let Some(usage) = invoices
            .iter_mut()
            .find(|i| i.contract_id == c.id && i.kind == InvoiceType::Usage && i.period_end() == b.period_end)
        {
            let mut paid = LineItem::plain(
                name,
                LineType::AppliedCommitOrCredit,
                config.commit.product_id.clone(),
                (Decimal::ONE, -b.amount.amount().normalize()),
                -b.amount,
                (usage.period_start(), b.at),
            );
            paid.commit_id = Some(b.commit_id());
            usage.line_items.push(paid);
            usage.retotal().map_err(overflow)?;
        }
    }
    invoices.sort_by(|a, b| a.issued_at.cmp(&b.issued_at).then(a.kind.cmp(&b.kind)));
    Ok(())
}
