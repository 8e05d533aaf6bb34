//! Why each invoice line costs what it does, as data beside the line (`explain=true`). Worked out after
//! rating from the state and what rating kept on each line (`invoice::Trace`), with the same precedence
//! rules that priced it (`Pricing::decide`), so an explanation can never disagree with its figure and a
//! rating that is not asked to explain costs nothing more.

use crate::balance::BalanceKind;
use crate::contract::Contract;
use crate::credit_type::USD_CENTS_ID;
use crate::invoice::{CreditType, Explanation, Invoice, LineItem, LineType, Step, StepKind};
use crate::money::{Money, Quantity};
use crate::overrides::{Effect, OverrideRule, Prioritization};
use crate::pricing::{cost_under, LineAt};
use crate::product::{ConversionOperation, Product, RoundingMethod};
use crate::rate_card::{Price, Rate, RateCard};
use crate::state::State;
use crate::time::{Timestamp, Window};
use rust_decimal::Decimal;

/// Fills each line's `explanation`.
pub fn explain(state: &State, invoices: &mut [Invoice]) {
    for inv in invoices {
        let contract = state.contracts.get(&inv.contract_id);
        let period = (inv.period_start(), inv.period_end());
        let lines = inv.line_items.clone();
        for line in &mut inv.line_items {
            let ct = line.credit_type.clone().unwrap_or_else(|| inv.credit_type.clone());
            let steps = match (line.kind, contract) {
                (LineType::Usage, Some(c)) => usage(state, c, line, &lines, period, &ct),
                (LineType::Subscription, Some(c)) => subscription(state, c, line, &ct),
                _ => other(state, contract, line, &ct),
            };
            line.explanation = Some(Explanation { steps });
        }
    }
}

/// An amount in its credit type as a billing person reads it (the CLI's diff says money this way too),
/// in whole minor units, half away from zero: `$1,234.50`, `1,200.00 Tokens`.
pub fn money(amount: Decimal, ct: &CreditType) -> String {
    shown(amount, ct, 0)
}

/// A unit price as a billing person reads it: at most four decimals of the unit, `$0.0015`.
pub fn price(amount: Decimal, ct: &CreditType) -> String {
    shown(amount, ct, 2)
}

/// `amount` to the credit type's minor unit and `extra` decimals past it.
fn shown(amount: Decimal, ct: &CreditType, extra: u32) -> String {
    let places = |d: Decimal, p: u32| {
        let mut d = d
            .round_dp_with_strategy(p, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        d
    };
    if ct.id != USD_CENTS_ID {
        return format!("{} {}", grouped(places(amount, 2 + extra)), ct.name);
    }
    let cents = amount.round_dp_with_strategy(extra, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let dollars = places(cents / Decimal::ONE_HUNDRED, 2 + extra);
    let sign = if dollars.is_sign_negative() && !dollars.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}${}", grouped(dollars.abs()))
}

/// A number with thousands separators, every decimal kept.
fn grouped(d: Decimal) -> String {
    let s = d.to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// An instant as a date when it is midnight UTC, else with its time.
fn when(t: Timestamp) -> String {
    let s = t.to_string();
    match s.strip_suffix("T00:00:00Z") {
        Some(d) => d.to_string(),
        None => s.replacen('T', " ", 1).replace('Z', " UTC"),
    }
}

fn window(w: &Window) -> String {
    match w.end {
        Some(e) => format!("from {} until {}", when(w.start), when(e)),
        None => format!("from {}, open-ended", when(w.start)),
    }
}

fn price_text(p: &Price, ct: &CreditType) -> String {
    match p {
        Price::Flat(p) => format!("{} per unit", price(*p, ct)),
        Price::Tiered(tiers) => {
            let mut start = Decimal::ZERO;
            let parts: Vec<String> = tiers
                .iter()
                .map(|t| {
                    let part = match t.size {
                        Some(s) => format!(
                            "units {}–{} at {}",
                            grouped(start),
                            grouped(start.saturating_add(s)),
                            price(t.price, ct)
                        ),
                        None => format!("above {} at {}", grouped(start), price(t.price, ct)),
                    };
                    start = start.saturating_add(t.size.unwrap_or_default());
                    part
                })
                .collect();
            format!("tiered: {}", parts.join(", "))
        }
    }
}

fn override_name(o: &OverrideRule) -> String {
    let id = o.id().map_or_else(String::new, |id| format!(" `{id}`"));
    let b = &o.body;
    let target = match (&b.product_id, b.applicable_product_tags.is_empty()) {
        (Some(p), _) => format!("on product `{p}`"),
        (None, false) => format!("on tags {}", b.applicable_product_tags.join(", ")),
        (None, true) => "on its specifiers".to_string(),
    };
    let what = match &o.effect {
        Some(Effect::Overwrite(_)) => "OVERWRITE",
        Some(Effect::Multiplier(_)) => "MULTIPLIER",
        Some(Effect::Bands(_)) => "TIERED",
        None => "entitlement",
    };
    format!("{what} override{id} {target}, {}", window(&o.window))
}

fn effect_text(o: &OverrideRule, ct: &CreditType) -> String {
    match &o.effect {
        Some(Effect::Overwrite(p)) => format!("sets the price to {}", price_text(p, ct)),
        Some(Effect::Multiplier(m)) => format!("multiplies the list price by {}", m.normalize()),
        Some(Effect::Bands(bands)) => {
            let mut start = Decimal::ZERO;
            let parts: Vec<String> = bands
                .iter()
                .map(|b| {
                    let part = match b.size {
                        Some(s) => format!(
                            "×{} for units {}–{}",
                            b.multiplier.normalize(),
                            grouped(start),
                            grouped(start.saturating_add(s))
                        ),
                        None => format!("×{} above {}", b.multiplier.normalize(), grouped(start)),
                    };
                    start = start.saturating_add(b.size.unwrap_or_default());
                    part
                })
                .collect();
            format!("multiplies the list price by the period's units: {}", parts.join(", "))
        }
        None => String::new(),
    }
}

fn step(kind: StepKind, text: String) -> Step {
    Step::new(kind, text)
}

fn quantity_step(state: &State, product: &Product, line: &LineItem) -> Option<Step> {
    let metered = line.trace.metered?;
    let metric = product
        .billable_metric_id
        .as_ref()
        .and_then(|m| state.billable_metrics.get(m));
    let how = match metric {
        Some(m) => match m.aggregation_key.as_deref() {
            Some(k) if m.aggregation_type.as_str() != "COUNT" => {
                format!(
                    "{} of `{k}` (billable metric “{}”)",
                    m.aggregation_type.as_str(),
                    m.name
                )
            }
            _ => format!("COUNT of events (billable metric “{}”)", m.name),
        },
        None => "the metric".to_string(),
    };
    let mut text = format!(
        "Metered {} by {how} from {} until {}",
        grouped(metered),
        when(line.starting_at),
        when(line.ending_before)
    );
    if let Some(c) = &product.quantity_conversion {
        let op = match c.operation {
            ConversionOperation::Multiply => "multiplied by",
            ConversionOperation::Divide => "divided by",
        };
        text.push_str(&format!(
            "; {op} {}{}",
            c.conversion_factor.normalize(),
            c.name.as_ref().map_or_else(String::new, |n| format!(" ({n})"))
        ));
    }
    if let Some(r) = &product.quantity_rounding {
        let how = match r.rounding_method {
            RoundingMethod::RoundUp => "rounded up",
            RoundingMethod::RoundDown => "rounded down",
            RoundingMethod::RoundHalfUp => "rounded half up",
        };
        text.push_str(&format!("; {how} to {} decimal places", r.decimal_places));
    }
    if let Some((from, to)) = line.trace.span {
        text.push_str(&format!(": {} billed units", grouped((to - from).normalize())));
    }
    text.push('.');
    Some(step(StepKind::Quantity, text))
}

fn list_step(card: Option<&RateCard>, rate: Option<&Rate>, ct: &CreditType) -> Step {
    match (card, rate) {
        (Some(rc), Some(r)) => {
            let groups = if r.pricing_group_values.is_empty() {
                String::new()
            } else {
                let g: Vec<String> = r.pricing_group_values.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!(" for {}", g.join(", "))
            };
            let w = Window {
                start: r.starting_at,
                end: r.ending_before,
            };
            let mut s = step(
                StepKind::ListPrice,
                format!(
                    "List price {} from rate card “{}”: its rate{groups} in force {}{}.",
                    price_text(&r.price(), ct),
                    rc.name,
                    window(&w),
                    if r.entitled { "" } else { " (not entitled)" }
                ),
            );
            s.rate_card_id = Some(rc.id.clone());
            s
        }
        (Some(rc), None) => {
            let mut s = step(
                StepKind::ListPrice,
                format!("Rate card “{}” has no rate for this product then.", rc.name),
            );
            s.rate_card_id = Some(rc.id.clone());
            s
        }
        _ => step(StepKind::ListPrice, "The contract has no rate card.".to_string()),
    }
}

/// The override steps: the one that priced the line and why it won, then each one in force that lost.
fn override_steps(c: &Contract, product: &Product, line: &LineItem, list: Option<&Rate>, ct: &CreditType) -> Vec<Step> {
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    let span = line.trace.span.map(|(a, b)| (Quantity::new(a), Quantity::new(b)));
    let Ok(d) = c.pricing().decide(at, list, span) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let with_id = |o: &OverrideRule, text: String| {
        let mut s = step(StepKind::Override, text);
        s.override_id = o.id().map(str::to_string);
        s
    };
    // Said only where the override changed it: the list rate alone would not have (or would have) entitled it.
    if let Some(o) = d.entitled_by.filter(|_| list.map(|r| r.entitled) != Some(d.entitled)) {
        let verb = if d.entitled { "entitles" } else { "removes" };
        out.push(with_id(o, format!("The {} {verb} the product.", override_name(o))));
    }
    let priced: Vec<&OverrideRule> = d.active.iter().copied().filter(|o| o.effect.is_some()).collect();
    let overwrites = priced
        .iter()
        .filter(|o| matches!(o.effect, Some(Effect::Overwrite(_))))
        .count();
    let base = list.map(Rate::price);
    if let Some(o) = d.overwrite {
        let why = if overwrites > 1 {
            format!("the last added of the {overwrites} overwrites in force wins")
        } else if priced.len() > 1 {
            "an OVERWRITE beats multipliers and tiered overrides".to_string()
        } else {
            "the only override in force".to_string()
        };
        out.push(with_id(
            o,
            format!("The {} {}: {why}.", override_name(o), effect_text(o, ct)),
        ));
    } else if let Some(o) = d.multiplier {
        let rivals = priced.iter().filter(|r| !std::ptr::eq(**r, o)).count();
        let why = if rivals == 0 {
            "the only override in force".to_string()
        } else {
            match c.prioritization() {
                Prioritization::Explicit => match o.priority {
                    Some(p) => format!(
                        "EXPLICIT prioritization: it has the lowest priority ({})",
                        p.normalize()
                    ),
                    None => "EXPLICIT prioritization, and none has a priority: the last added wins".to_string(),
                },
                Prioritization::LowestMultiplier => {
                    let cost = base.as_ref().and_then(|b| cost_under(o, b, d.span).ok());
                    match cost {
                        Some(cost) => format!(
                            "LOWEST_MULTIPLIER: of the {} overrides in force it costs these units least ({})",
                            rivals + 1,
                            money(cost.amount(), ct)
                        ),
                        None => "LOWEST_MULTIPLIER: it costs these units least".to_string(),
                    }
                }
            }
        };
        out.push(with_id(
            o,
            format!("The {} {}: {why}.", override_name(o), effect_text(o, ct)),
        ));
    }
    for o in priced {
        if d.overwrite.is_some_and(|w| std::ptr::eq(w, o)) || d.multiplier.is_some_and(|m| std::ptr::eq(m, o)) {
            continue;
        }
        let why = match (&o.effect, d.overwrite) {
            (Some(Effect::Overwrite(_)), _) => "a later overwrite wins".to_string(),
            (_, Some(_)) => "an overwrite beats it".to_string(),
            _ if d.multiplier.is_none() => "the line has no list price to multiply".to_string(),
            _ => match c.prioritization() {
                Prioritization::Explicit => "another has a lower priority".to_string(),
                Prioritization::LowestMultiplier => {
                    let cost = |r: &OverrideRule| base.as_ref().and_then(|b| cost_under(r, b, d.span).ok());
                    match (cost(o), d.multiplier.and_then(cost)) {
                        (Some(mine), Some(won)) if mine == won => format!(
                            "it would cost these units the same ({}), and on a tie the last added wins",
                            money(mine.amount(), ct)
                        ),
                        (Some(mine), _) => format!("it would cost these units {}, more", money(mine.amount(), ct)),
                        _ => "another costs these units less".to_string(),
                    }
                }
            },
        };
        out.push(with_id(
            o,
            format!(
                "The {} was in force but did not price this line: {why}.",
                override_name(o)
            ),
        ));
    }
    if !d.entitled {
        out.push(step(
            StepKind::Override,
            "The product is not entitled: nothing is billed.".to_string(),
        ));
    }
    out
}

/// Why a line starts after (or ends before) its period: the rates and overrides that start or end there.
fn split_steps(
    card: Option<&RateCard>,
    c: &Contract,
    product: &Product,
    line: &LineItem,
    period: (Timestamp, Timestamp),
) -> Vec<Step> {
    let mut out = Vec::new();
    for (t, edge) in [(line.starting_at, period.0), (line.ending_before, period.1)] {
        if t == edge {
            continue;
        }
        let mut why = Vec::new();
        for r in card.iter().flat_map(|rc| &rc.rates).filter(|r| {
            r.product_id == product.id
                && r.pricing_group_values
                    .iter()
                    .all(|(k, v)| line.pricing_group_values.get(k) == Some(v))
        }) {
            if r.starting_at == t {
                why.push("a rate starts".to_string());
            }
            if r.ending_before == Some(t) {
                why.push("a rate ends".to_string());
            }
        }
        for o in c
            .overrides
            .iter()
            .filter(|o| o.prices_line(product, &line.pricing_group_values))
        {
            let id = o.id().map_or_else(String::new, |id| format!(" `{id}`"));
            if o.window.start == t {
                why.push(format!("override{id} starts"));
            }
            if o.window.end == Some(t) {
                why.push(format!("override{id} ends"));
            }
        }
        why.dedup();
        let reason = if why.is_empty() {
            "the price may change there".to_string()
        } else {
            why.join(" and ")
        };
        let mut s = step(
            StepKind::Split,
            if t == line.starting_at {
                format!(
                    "Starts at {}, after its period starts, priced apart from the usage before: {reason}.",
                    when(t)
                )
            } else {
                format!(
                    "Ends at {}, before its period ends, priced apart from the usage after: {reason}.",
                    when(t)
                )
            },
        );
        s.at = Some(t);
        out.push(s);
    }
    out
}

fn kind_name(k: BalanceKind) -> &'static str {
    match k {
        BalanceKind::PrepaidCommit => "prepaid commit",
        BalanceKind::PostpaidCommit => "postpaid commit",
        BalanceKind::Credit => "credit",
    }
}

fn drawdown_step(line: &LineItem, ct: &CreditType) -> Option<Step> {
    let b = line.trace.balance.as_ref()?;
    let name = &b.name;
    let paid = b.before.minus(b.after).ok()?;
    let text = if line.kind == LineType::AppliedCommitOrCredit {
        format!(
            "Applies the {} “{name}” (usable {}): {} taken off this invoice; balance {} before, {} left.",
            kind_name(b.kind),
            window(&b.window),
            money(paid.amount(), ct),
            money(b.before.amount(), ct),
            money(b.after.amount(), ct)
        )
    } else {
        format!(
            "Paid by the {} “{name}” (drawn in the spec's order among the balances that reach this line): {} of it; balance {} before, {} left.",
            kind_name(b.kind),
            money(paid.amount(), ct),
            money(b.before.amount(), ct),
            money(b.after.amount(), ct)
        )
    };
    let mut s = step(StepKind::Drawdown, text);
    s.commit_id = line.commit_id.clone();
    s.balance_before = Some(b.before);
    s.balance_after = Some(b.after);
    Some(s)
}

fn rounding_step(line: &LineItem, ct: &CreditType) -> Step {
    let exact = Money::of(Quantity::new(line.quantity), line.unit_price)
        .map(Money::amount)
        .unwrap_or_default()
        .normalize();
    let product = format!(
        "{} × {} = {}",
        grouped(line.quantity.normalize()),
        price(line.unit_price, ct),
        price(exact, ct)
    );
    let text = if exact == line.total.amount() {
        format!("{product}.")
    } else {
        format!(
            "{product}, rounded half away from zero to the credit type's smallest unit: {}.",
            money(line.total.amount(), ct)
        )
    };
    step(StepKind::Rounding, text)
}

fn usage(
    state: &State,
    c: &Contract,
    line: &LineItem,
    lines: &[LineItem],
    period: (Timestamp, Timestamp),
    ct: &CreditType,
) -> Vec<Step> {
    let Some(product) = state.products.get(&line.product_id) else {
        return vec![rounding_step(line, ct)];
    };
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    let list = card.and_then(|rc| rc.rate_at(&product.id, &line.pricing_group_values, line.starting_at));
    let mut out = Vec::new();
    out.extend(quantity_step(state, product, line));
    out.push(list_step(card, list, ct));
    out.extend(override_steps(c, product, line, list, ct));
    if let (Some(t), Some((from, to))) = (&line.tier, line.trace.span) {
        let band_end = t.size.and_then(|s| t.starting_at.checked_add(s));
        let band = match band_end {
            Some(e) => format!("units {}–{}", grouped(t.starting_at), grouped(e)),
            None => format!("units above {}", grouped(t.starting_at)),
        };
        let lo = from.max(t.starting_at);
        let hi = band_end.map_or(to, |e| to.min(e));
        out.push(step(
            StepKind::Tier,
            format!(
                "Tier {} ({band}): {} of these {} units fall in it{}.",
                t.level,
                grouped((hi - lo).max(Decimal::ZERO).normalize()),
                grouped((to - from).normalize()),
                if from > Decimal::ZERO {
                    format!(
                        " (tiers count the whole period: {} units came before these)",
                        grouped(from.normalize())
                    )
                } else {
                    String::new()
                }
            ),
        ));
    }
    out.extend(split_steps(card, c, product, line, period));
    if line.commit_id.is_some() {
        out.extend(drawdown_step(line, ct));
        if repriced(c, product, line) {
            out.push(step(
                StepKind::Override,
                format!(
                    "A commit-specific override prices the units this commit pays for at {} per unit.",
                    price(line.unit_price, ct)
                ),
            ));
        }
    } else if lines.iter().any(|l| {
        l.kind == LineType::Usage
            && l.commit_id.is_some()
            && l.piece == line.piece
            && l.product_id == line.product_id
            && l.tier == line.tier
    }) {
        out.push(step(
            StepKind::Split,
            "The rest of a line that balances paid part of: what they had left, or what of the usage fell inside their windows, ran out here.".to_string(),
        ));
    }
    out.push(rounding_step(line, ct));
    out
}

/// Whether a commit-specific override priced what `line`'s commit paid.
fn repriced(c: &Contract, product: &Product, line: &LineItem) -> bool {
    let (Some(id), Some(list)) = (line.commit_id.as_deref(), line.list_unit_price) else {
        return false;
    };
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    c.pricing()
        .commit_unit_price(at, id, list, line.tier.as_ref().map(|t| t.level))
        .is_ok_and(|p| p == Some(line.unit_price))
}

/// A subscription line: its seats and service span, the rate and override that price a period, the
/// share of the period billed, and what paid it.
fn subscription(state: &State, c: &Contract, line: &LineItem, ct: &CreditType) -> Vec<Step> {
    let Some(product) = state.products.get(&line.product_id) else {
        return vec![rounding_step(line, ct)];
    };
    let card = c.rate_card_id.as_ref().and_then(|id| state.rate_cards.get(id));
    // The rate of the subscription's own billing frequency (a card may sell the product at several).
    let frequency = c
        .subscriptions
        .iter()
        .find(|sub| sub.subscription_rate.product_id == product.id)
        .map(|sub| sub.subscription_rate.billing_frequency);
    let list = card.and_then(|rc| match frequency {
        Some(f) => rc.subscription_rate_at(&product.id, line.starting_at, f),
        None => rc.rate_at(&product.id, &line.pricing_group_values, line.starting_at),
    });
    let mut out = vec![step(
        StepKind::Source,
        format!(
            "Subscription to “{}”: {} from {} until {}.",
            product.name,
            grouped(line.quantity.normalize()),
            when(line.starting_at),
            when(line.ending_before)
        ),
    )];
    out.push(list_step(card, list, ct));
    out.extend(override_steps(c, product, line, list, ct));
    let at = LineAt {
        product,
        pgv: &line.pricing_group_values,
        at: line.starting_at,
    };
    if let Ok(Some(rate)) = c.pricing().effective_rate(at, list, None) {
        if let Price::Flat(p) = rate.price {
            if !p.is_zero() && p != line.unit_price {
                let share = (line.unit_price / p).round_dp(6).normalize();
                // Proration is a factor on the price, in days where the span is whole days:
                // 5 seats × $30.00 × 16/31.
                let factor = days_fraction(line, line.unit_price / p).unwrap_or_else(|| share.to_string());
                out.push(step(
                    StepKind::Split,
                    format!(
                        "Prorated by time: {} × {} × {factor} = {}, for the part of the period billed.",
                        grouped(line.quantity.normalize()),
                        price(p, ct),
                        money(line.total.amount(), ct)
                    ),
                ));
            }
        }
    }
    out.extend(drawdown_step(line, ct));
    out.push(rounding_step(line, ct));
    out
}

/// The share of a period a line bills, as `billed days/period days` when both are whole days.
fn days_fraction(line: &LineItem, share: Decimal) -> Option<String> {
    const DAY: i64 = 86_400;
    let span = (line.ending_before.0 - line.starting_at.0).num_seconds();
    if span <= 0 || span % DAY != 0 || share <= Decimal::ZERO {
        return None;
    }
    let days = Decimal::from(span / DAY);
    let period = days.checked_div(share)?;
    let whole = period.round();
    ((period - whole).abs() < Decimal::new(1, 6)).then(|| format!("{}/{}", days, whole.normalize()))
}

fn other(state: &State, c: Option<&Contract>, line: &LineItem, ct: &CreditType) -> Vec<Step> {
    if let Some(s) = drawdown_step(line, ct) {
        return vec![s];
    }
    let product = state
        .products
        .get(&line.product_id)
        .map_or(line.product_id.clone(), |p| format!("“{}”", p.name));
    let contract = c.map_or_else(String::new, |c| format!(" of contract `{}`", c.id));
    let text = match line.kind {
        LineType::Scheduled => format!(
            "A scheduled charge{contract} for {product}, due {}: {} × {}.",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
        LineType::CommitPurchase => format!(
            "The purchase of commit {product}{contract}, on its invoice schedule's date {}.",
            when(line.starting_at)
        ),
        LineType::PostpaidTrueup => format!(
            "What the postpaid commit {product} left unspent by its invoice date {}: trued up.",
            when(line.starting_at)
        ),
        LineType::Conversion => format!(
            "{} left unpaid by balances in that unit, at the rate card's {} per unit.",
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
        LineType::AppliedCommitOrCredit => {
            "Paid earlier by a spend threshold charge: its threshold invoice billed this usage.".to_string()
        }
        LineType::Usage => format!("Usage of {product}."),
        LineType::Subscription => format!("A subscription to {product}."),
        LineType::Composite => format!(
            "A percentage of the period's spend on the products {product} names (their usage lines' exact amounts, before commits and credits pay), at least its minimum prorated by time: {} × {}.",
            grouped(line.quantity.normalize()),
            line.unit_price.normalize()
        ),
        LineType::Discount => format!(
            "A discount{contract} on {product}, on its schedule's date {}: {} × {}, taken off (never below zero per line, the invoice may go negative).",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(-line.unit_price, ct)
        ),
        LineType::ProfessionalService => format!(
            "Professional services{contract} ({product}), invoiced {}: {} × {}, the term's running total capped at its max_amount.",
            when(line.starting_at),
            grouped(line.quantity.normalize()),
            price(line.unit_price, ct)
        ),
    };
    let mut out = vec![step(StepKind::Source, text)];
    if line.kind != LineType::AppliedCommitOrCredit {
        out.push(rounding_step(line, ct));
    }
    out
}
