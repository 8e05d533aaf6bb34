//! What a pricing change does to invoices: two sides (before, after), each a state with its clock,
//! rated through one horizon, compared invoice by invoice and line by line. The lines' explanations
//! say why a line changed (its rate, the override that priced it, the balance that paid it). Plain
//! data: `tally diff` prints it as a table, JSON or markdown.

use crate::api::queries::{invoices, InvoiceQuery};
use crate::error::{Error, ErrorCode, Result};
use crate::invoice::{CreditType, Invoice, LineItem, LineType, StepKind};
use crate::money::Money;
use crate::scenario::Scenario;
use crate::state::State;
use crate::time::Timestamp;
use serde_json::Value;

mod report;
pub use report::{Billed, Change, InvoiceChange, InvoiceDiff, LineChange, Summary};

/// One side of a diff: the state, and the clock it carries (a scenario's `now`; an export has none).
pub struct Side {
    /// The state this side rates.
    pub state: State,
    /// The clock the state carries: a scenario's `now`; none for an export (the caller picks one).
    pub now: Option<Timestamp>,
    /// A scenario's calls that were refused (the state is what the others made), each as a sentence.
    pub refused: Vec<String>,
}

impl Side {
    /// A scenario file (the state after its calls) or an exported state (`exportState()`, the app's
    /// Export, `tally run --export`). Anything else is refused with the reason.
    pub fn read(text: &str) -> Result<Side> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| Error::new(ErrorCode::InvalidBody, "", format!("not JSON: {e}")))?;
        if v.get("calls").is_some() {
            let s = Scenario::parse(text)?;
            let mut state = State::default();
            let responses = s.responses_on(&mut state);
            let refused = responses
                .iter()
                .zip(&s.calls)
                .enumerate()
                .filter_map(|(i, (r, c))| {
                    r.get("error")
                        .map(|e| format!("call {i} ({}) was refused: {e}", c.call))
                })
                .collect();
            return Ok(Side {
                state,
                now: Some(s.now),
                refused,
            });
        }
        if v.get("tally_state_version").is_some() {
            return Ok(Side {
                state: crate::state::import(text)?,
                now: None,
                refused: Vec::new(),
            });
        }
        Err(Error::new(
            ErrorCode::InvalidBody,
            "",
            "neither a scenario file (it has no `calls`) nor an exported state (it has no `tally_state_version`)",
        ))
    }
}

/// How far a diff looks by default: the latest contract end on either side, and when a contract is
/// open-ended, at least twelve months past the later clock (so a price change dated next quarter shows).
pub fn default_through(sides: &[(&State, Timestamp)]) -> Timestamp {
    let now = sides
        .iter()
        .map(|(_, t)| *t)
        .max()
        .unwrap_or(Timestamp::ymd(2025, 1, 1));
    let mut through = now;
    for (state, _) in sides {
        for c in state.contracts.values() {
            match c.ending_before {
                Some(e) => through = through.max(e),
                None => through = through.max(now.add_months(12)),
            }
        }
    }
    through
}

type LineKey = (LineType, String, String, Vec<(String, String)>);

fn line_key(l: &LineItem) -> LineKey {
    let mut groups: Vec<(String, String)> = l
        .pricing_group_values
        .iter()
        .chain(&l.presentation_group_values)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    groups.sort();
    (l.kind, l.name.clone(), l.product_id.clone(), groups)
}

/// The invoice's lines summed by key, in order of first appearance, with their explanation texts.
fn line_sums(inv: Option<&Invoice>) -> Result<Vec<(LineKey, Money, Vec<String>)>> {
    let mut out: Vec<(LineKey, Money, Vec<String>)> = Vec::new();
    for l in inv.map(|i| i.line_items.as_slice()).unwrap_or_default() {
        let k = line_key(l);
        let texts = l
            .explanation
            .iter()
            .flat_map(|e| &e.steps)
            .filter(|s| {
                matches!(
                    s.kind,
                    StepKind::ListPrice
                        | StepKind::Override
                        | StepKind::Tier
                        | StepKind::Split
                        | StepKind::Drawdown
                        | StepKind::Rounding
                )
            })
            .map(|s| s.text.clone());
        let i = match out.iter().position(|(x, _, _)| *x == k) {
            Some(i) => i,
            None => {
                out.push((k, Money::ZERO, Vec::new()));
                out.len() - 1
            }
        };
        out[i].1 = out[i].1.plus(l.total).map_err(|_| overflow())?;
        for t in texts {
            if !out[i].2.contains(&t) {
                out[i].2.push(t);
            }
        }
    }
    Ok(out)
}

fn overflow() -> Error {
    Error::new(
        ErrorCode::OutOfRange,
        "",
        "a difference is beyond what Tally can represent",
    )
}

fn line_changes(before: Option<&Invoice>, after: Option<&Invoice>) -> Result<Vec<LineChange>> {
    let (b, a) = (line_sums(before)?, line_sums(after)?);
    let mut keys: Vec<&LineKey> = b.iter().map(|(k, _, _)| k).collect();
    keys.extend(
        a.iter()
            .map(|(k, _, _)| k)
            .filter(|k| !b.iter().any(|(x, _, _)| x == *k)),
    );
    let mut out = Vec::new();
    for k in keys {
        let x = b.iter().find(|(n, _, _)| n == k);
        let y = a.iter().find(|(n, _, _)| n == k);
        let (tb, ta) = (x.map_or(Money::ZERO, |v| v.1), y.map_or(Money::ZERO, |v| v.1));
        if tb == ta && x.is_some() == y.is_some() {
            continue;
        }
        let (wb, wa) = (
            x.map(|v| v.2.as_slice()).unwrap_or_default(),
            y.map(|v| v.2.as_slice()).unwrap_or_default(),
        );
        let mut why: Vec<String> = wa
            .iter()
            .filter(|t| !wb.contains(t))
            .map(|t| format!("now: {t}"))
            .collect();
        why.extend(wb.iter().filter(|t| !wa.contains(t)).map(|t| format!("was: {t}")));
        out.push(LineChange {
            name: k.1.clone(),
            kind: k.0,
            group_values: k.3.iter().cloned().collect(),
            total_before: tb,
            total_after: ta,
            difference: ta.minus(tb).map_err(|_| overflow())?,
            why,
        });
    }
    Ok(out)
}

fn month(inv: &Invoice) -> String {
    inv.period_start().to_string().chars().take(7).collect()
}

fn add_billed(
    list: &mut Vec<Billed>,
    month: Option<String>,
    ct: &CreditType,
    before: Money,
    after: Money,
) -> Result<()> {
    let i = match list.iter().position(|b| b.month == month && b.credit_type == *ct) {
        Some(i) => i,
        None => {
            list.push(Billed {
                month,
                credit_type: ct.clone(),
                before: Money::ZERO,
                after: Money::ZERO,
                difference: Money::ZERO,
            });
            list.len() - 1
        }
    };
    let b = &mut list[i];
    b.before = b.before.plus(before).map_err(|_| overflow())?;
    b.after = b.after.plus(after).map_err(|_| overflow())?;
    b.difference = b.after.minus(b.before).map_err(|_| overflow())?;
    Ok(())
}

/// How one invoice changed, named from the side that has it (`state`).
fn invoice_change(
    state: &State,
    customer_id: &str,
    inv: &Invoice,
    change: Change,
    (tb, ta): (Option<Money>, Option<Money>),
    lines: Vec<LineChange>,
) -> Result<InvoiceChange> {
    Ok(InvoiceChange {
        customer_id: customer_id.to_string(),
        customer_name: state
            .customers
            .get(customer_id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        contract_id: inv.contract_id.clone(),
        contract_name: state
            .contracts
            .get(&inv.contract_id)
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| inv.contract_id.clone()),
        invoice_id: inv.id.clone(),
        kind: inv.kind,
        start_timestamp: inv.start_timestamp,
        end_timestamp: inv.end_timestamp,
        issued_at: inv.issued_at,
        change,
        credit_type: inv.credit_type.clone(),
        total_before: tb,
        total_after: ta,
        difference: ta
            .unwrap_or_default()
            .minus(tb.unwrap_or_default())
            .map_err(|_| overflow())?,
        lines,
    })
}

/// Every customer's invoices on both sides through `through`, compared.
pub fn diff(before: (&State, Timestamp), after: (&State, Timestamp), through: Timestamp) -> Result<InvoiceDiff> {
    let mut customers: Vec<&String> = before.0.customers.keys().collect();
    customers.extend(
        after
            .0
            .customers
            .keys()
            .filter(|k| !before.0.customers.contains_key(*k)),
    );
    let q = InvoiceQuery {
        ending_before: Some(through),
        explain: true,
        ..Default::default()
    };
    let list = |side: (&State, Timestamp), id: &str| -> Result<Vec<Invoice>> {
        if side.0.customers.contains_key(id) {
            invoices(side.0, id, &q, side.1)
        } else {
            Ok(Vec::new())
        }
    };
    let mut changes = Vec::new();
    let mut billed = Vec::new();
    let mut by_month = Vec::new();
    let (mut affected, mut compared) = (0, 0);
    for id in &customers {
        let (b, a) = (list(before, id)?, list(after, id)?);
        let mut ids: Vec<&str> = b.iter().map(|i| i.id.as_str()).collect();
        ids.extend(
            a.iter()
                .map(|i| i.id.as_str())
                .filter(|x| !b.iter().any(|i| i.id == *x)),
        );
        let mut any = false;
        for inv_id in ids {
            compared += 1;
            let (x, y) = (b.iter().find(|i| i.id == inv_id), a.iter().find(|i| i.id == inv_id));
            let Some(inv) = y.or(x) else { continue };
            let (tb, ta) = (x.map(|i| i.total), y.map(|i| i.total));
            add_billed(
                &mut billed,
                None,
                &inv.credit_type,
                tb.unwrap_or_default(),
                ta.unwrap_or_default(),
            )?;
            add_billed(
                &mut by_month,
                Some(month(inv)),
                &inv.credit_type,
                tb.unwrap_or_default(),
                ta.unwrap_or_default(),
            )?;
            let lines = line_changes(x, y)?;
            let change = match (x, y) {
                (None, _) => Change::Added,
                (_, None) => Change::Gone,
                _ if tb != ta || !lines.is_empty() => Change::Changed,
                _ => continue,
            };
            any = true;
            let state = if y.is_some() { after.0 } else { before.0 };
            changes.push(invoice_change(state, id, inv, change, (tb, ta), lines)?);
        }
        affected += any as usize;
    }
    // Largest change first; equal ones in customer and time order, as listed.
    changes.sort_by_key(|c| std::cmp::Reverse(c.difference.amount().abs()));
    by_month.sort_by(|p, q| p.month.cmp(&q.month).then(p.credit_type.id.cmp(&q.credit_type.id)));
    Ok(InvoiceDiff {
        now_before: before.1,
        now_after: after.1,
        through,
        summary: Summary {
            customers: customers.len(),
            customers_affected: affected,
            invoices: compared,
            invoices_changed: changes.len(),
            billed,
            by_month,
        },
        changes,
    })
}
