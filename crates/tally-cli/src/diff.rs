//! `tally diff BEFORE AFTER`: the core's invoice diff (`tally_core::diff`) printed for a terminal, as
//! JSON, or as markdown for a pull-request comment.

use crate::cli::{DiffArgs, Format};
use crate::{read, Failure};
use std::path::Path;
use tally_core::diff::{default_through, diff as compare, Change, InvoiceChange, InvoiceDiff, Side};
use tally_core::explain::money;
use tally_core::invoice::{CreditType, InvoiceType};
use tally_core::money::Money;
use tally_core::Timestamp;

fn side(file: &Path) -> Result<Side, String> {
    let side = Side::read(&read(file)?).map_err(|e| format!("{}: {e}", file.display()))?;
    for r in &side.refused {
        eprintln!("tally: {}: {r}", file.display());
    }
    Ok(side)
}

pub fn diff(a: &DiffArgs) -> Result<u8, Failure> {
    let (before, after) = (side(&a.before)?, side(&a.after)?);
    let now = a.now;
    let clock = |own: Option<Timestamp>, other: Option<Timestamp>| {
        now.or(own)
            .or(other)
            .ok_or("--now is required when both sides are exported states (they carry no clock)".to_string())
    };
    let (nb, na) = (clock(before.now, after.now)?, clock(after.now, before.now)?);
    let through = a
        .through
        .unwrap_or_else(|| default_through(&[(&before.state, nb), (&after.state, na)]));
    let d = compare((&before.state, nb), (&after.state, na), through).map_err(|e| e.to_string())?;
    let text = match a.format {
        Format::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        Format::Markdown => markdown(&d),
        Format::Table => table(&d),
    };
    print!("{text}");
    Ok(if d.is_empty() { 0 } else { 1 })
}

fn signed(m: Money, ct: &CreditType) -> String {
    if m.is_positive() {
        format!("+{}", money(m.amount(), ct))
    } else {
        money(m.amount(), ct)
    }
}

fn amount(m: Option<Money>, ct: &CreditType) -> String {
    m.map_or("(none)".to_string(), |m| money(m.amount(), ct))
}

/// A line's type in words: "applied commit or credit".
fn kind(k: tally_core::invoice::LineType) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

fn day(t: Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}

/// "usage 2025-01-01 → 2025-02-01", "scheduled 2025-03-01".
fn invoice_label(c: &InvoiceChange) -> String {
    let kind = match c.kind {
        InvoiceType::Usage => "usage",
        InvoiceType::Scheduled => "scheduled",
        InvoiceType::Threshold => "threshold",
    };
    let when = match (c.start_timestamp, c.end_timestamp) {
        (Some(s), Some(e)) => format!("{} → {}", day(s), day(e)),
        _ => day(c.issued_at),
    };
    let change = match c.change {
        Change::Added => " (added)",
        Change::Gone => " (gone)",
        Change::Changed => "",
    };
    format!("{kind} {when}{change}")
}

fn headline(d: &InvoiceDiff) -> Vec<String> {
    let s = &d.summary;
    let mut out = vec![format!(
        "{} of {} customers affected; {} of {} invoices changed.",
        s.customers_affected, s.customers, s.invoices_changed, s.invoices
    )];
    for b in &s.billed {
        out.push(format!(
            "Billed {} before, {} after ({}).",
            money(b.before.amount(), &b.credit_type),
            money(b.after.amount(), &b.credit_type),
            signed(b.difference, &b.credit_type)
        ));
    }
    out
}

fn clocks(d: &InvoiceDiff) -> String {
    if d.now_before == d.now_after {
        format!("now {}", d.now_before)
    } else {
        format!("before at {}, after at {}", d.now_before, d.now_after)
    }
}

fn table(d: &InvoiceDiff) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    if d.is_empty() {
        line(format!(
            "No invoice changes through {} ({}): {} invoices of {} customers compared.",
            d.through,
            clocks(d),
            d.summary.invoices,
            d.summary.customers
        ));
        return out;
    }
    line(format!("Invoice changes through {} ({})", d.through, clocks(d)));
    for h in headline(d) {
        line(h);
    }
    line(String::new());
    line(format!("{:<14}{:<14}{:<14}Invoice", "Change", "Before", "After"));
    for c in &d.changes {
        let ct = &c.credit_type;
        line(format!(
            "{:<14}{:<14}{:<14}{} · {} · {}",
            signed(c.difference, ct),
            amount(c.total_before, ct),
            amount(c.total_after, ct),
            c.customer_name,
            c.contract_name,
            invoice_label(c)
        ));
        for l in &c.lines {
            line(format!(
                "    {} ({}): {} → {} ({})",
                l.name,
                kind(l.kind),
                money(l.total_before.amount(), ct),
                money(l.total_after.amount(), ct),
                signed(l.difference, ct)
            ));
            for w in &l.why {
                line(format!("        {w}"));
            }
        }
    }
    line(String::new());
    line(format!("{:<14}{:<14}{:<14}Change", "Month", "Before", "After"));
    for m in &d.summary.by_month {
        let ct = &m.credit_type;
        line(format!(
            "{:<14}{:<14}{:<14}{}",
            m.month.as_deref().unwrap_or_default(),
            money(m.before.amount(), ct),
            money(m.after.amount(), ct),
            signed(m.difference, ct)
        ));
    }
    out
}

/// A table cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(d: &InvoiceDiff) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    if d.is_empty() {
        line(format!("## Tally: no invoice changes through {}", day(d.through)));
        line(String::new());
        line(format!(
            "{} invoices of {} customers compared ({}).",
            d.summary.invoices,
            d.summary.customers,
            clocks(d)
        ));
        return out;
    }
    line(format!("## Tally: invoice changes through {}", day(d.through)));
    line(String::new());
    line(headline(d).join(" "));
    line(String::new());
    line("| Change | Before | After | Customer | Contract | Invoice |".into());
    line("|---:|---:|---:|---|---|---|".into());
    for c in &d.changes {
        let ct = &c.credit_type;
        line(format!(
            "| {} | {} | {} | {} | {} | {} |",
            signed(c.difference, ct),
            amount(c.total_before, ct),
            amount(c.total_after, ct),
            cell(&c.customer_name),
            cell(&c.contract_name),
            invoice_label(c)
        ));
    }
    let explained: Vec<&InvoiceChange> = d.changes.iter().filter(|c| !c.lines.is_empty()).collect();
    if !explained.is_empty() {
        line(String::new());
        line("### Lines that changed, and why".into());
        for c in explained {
            let ct = &c.credit_type;
            line(String::new());
            line(format!(
                "**{} · {} · {}**",
                cell(&c.customer_name),
                cell(&c.contract_name),
                invoice_label(c)
            ));
            line(String::new());
            for l in &c.lines {
                line(format!(
                    "- {} ({}): {} → {} ({})",
                    cell(&l.name),
                    kind(l.kind),
                    money(l.total_before.amount(), ct),
                    money(l.total_after.amount(), ct),
                    signed(l.difference, ct)
                ));
                for w in &l.why {
                    line(format!("  - {}", cell(w)));
                }
            }
        }
    }
    line(String::new());
    line("### Per month".into());
    line(String::new());
    line("| Month | Before | After | Change |".into());
    line("|---|---:|---:|---:|".into());
    for m in &d.summary.by_month {
        let ct = &m.credit_type;
        line(format!(
            "| {} | {} | {} | {} |",
            m.month.as_deref().unwrap_or_default(),
            money(m.before.amount(), ct),
            money(m.after.amount(), ct),
            signed(m.difference, ct)
        ));
    }
    out
}
