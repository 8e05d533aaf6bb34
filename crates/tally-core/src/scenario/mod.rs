//! Scenario files (docs/spec/scenarios.md): calls in order under a fixed clock, and what they read
//! back. `tally run`, the wasm package's `runScenario` and every test runner go through `run`, so they
//! give the same bytes.

use crate::api;
use crate::error::{Error, ErrorCode};
use crate::state::State;
use crate::time::Timestamp;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

mod from_state;
pub use from_state::from_state;

/// One call of a scenario, as Tally's API takes it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// The method and path, e.g. `POST /v1/customers` or
    /// `GET /v1/customers/c1/invoices?type=USAGE`.
    pub call: String,
    /// The call's JSON body; absent: null, for calls that take none.
    #[serde(default)]
    pub body: Value,
    /// The clock moves forward to this time for this call and the ones after it; an `at` earlier
    /// than the clock is refused (the clock only moves forward).
    #[serde(default)]
    pub at: Option<Timestamp>,
}

/// A scenario file: calls run in order on a fresh state under a fixed clock, and what they should
/// answer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A name for the scenario; not used in running it.
    #[serde(default)]
    pub name: Option<String>,
    /// The clock every call runs under: what rating and the calls take as now.
    pub now: Timestamp,
    /// The calls, run in order; a refused call answers its error and the rest go on.
    pub calls: Vec<Call>,
    /// Per call index: the invoices expected (or an `{"error": {...}}`), with a `why`. Read loosely:
    /// running a file never depends on it, only `check` does (a shape it does not know checks nothing).
    #[serde(default)]
    pub expect: Option<Value>,
}

impl Scenario {
    /// Reads a scenario; an error here means the text is not a scenario at all (exit status 2).
    pub fn parse(text: &str) -> Result<Scenario, Error> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            Error::new(
                ErrorCode::InvalidBody,
                if path == "." { String::new() } else { path },
                e.into_inner().to_string(),
            )
        })
    }

    /// Runs every call in order on a fresh state; a refused call answers its error and the rest go on.
    pub fn responses(&self) -> Vec<Value> {
        self.responses_on(&mut State::default())
    }

    /// As `responses`, on `state` rather than a fresh one, which is left as the calls made it.
    pub fn responses_on(&self, state: &mut State) -> Vec<Value> {
        let mut clock = self.now;
        self.calls
            .iter()
            .map(|c| {
                let moved = c.at.map_or(Ok(()), |at| api::advance_clock(&mut clock, at, "at"));
                let answer = moved.and_then(|()| api::call(state, &c.call, &c.body, clock));
                answer.unwrap_or_else(|e| json!({ "error": e }))
            })
            .collect()
    }
}

/// The output of `tally run`: the responses as one pretty-printed JSON array.
pub fn run(text: &str) -> Result<String, Error> {
    let s = Scenario::parse(text)?;
    Ok(render(&s.responses()))
}

/// Responses as `tally run` prints them: one pretty-printed JSON array and a newline.
pub fn render(responses: &[Value]) -> String {
    let mut out = serde_json::to_string_pretty(&Value::Array(responses.to_vec())).unwrap_or_default();
    out.push('\n');
    out
}

/// The keys of an object that are not among `known` (a non-object has none).
fn unknown_keys(v: &Value, known: &[&str]) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().filter(|k| !known.contains(&k.as_str())).cloned().collect())
        .unwrap_or_default()
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Compares the responses with the scenario's `expect`; each difference is one readable line.
pub fn check(s: &Scenario, responses: &[Value]) -> Vec<String> {
    check_calls(s, responses).into_iter().map(|(_, m)| m).collect()
}

/// How many expectations the scenario carries (one per call index in `expect`).
pub fn expectations(s: &Scenario) -> usize {
    s.expect.as_ref().and_then(Value::as_object).map_or(0, |o| o.len())
}

/// As `check`, each difference with the index of the call it is about (`None`: the file itself). A
/// file that checks nothing fails: one with no expectation, or with a refused call no expectation
/// names (a broken setup, not a passing scenario).
pub fn check_calls(s: &Scenario, responses: &[Value]) -> Vec<(Option<usize>, String)> {
    checks(s, responses, false)
}

/// As `check_calls`, but a file may check nothing, and a call may be refused unremarked
/// (`--allow-unchecked`: running a file to see what it answers).
pub fn check_calls_allowing_unchecked(s: &Scenario, responses: &[Value]) -> Vec<(Option<usize>, String)> {
    checks(s, responses, true)
}

fn checks(s: &Scenario, responses: &[Value], allow_unchecked: bool) -> Vec<(Option<usize>, String)> {
    let mut problems: Vec<(Option<usize>, String)> = Vec::new();
    let empty = serde_json::Map::new();
    let expect = s.expect.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    if expect.is_empty() && !allow_unchecked {
        problems.push((
            None,
            "the file checks nothing: it has no expectation (`expect`); --allow-unchecked runs it anyway".into(),
        ));
    }
    for (i, got) in responses.iter().enumerate() {
        let marked = expect.get(&i.to_string()).is_some_and(|w| w.get("error").is_some());
        if allow_unchecked {
            break;
        }
        if let (Some(err), false) = (got.get("error"), marked) {
            problems.push((
                Some(i),
                format!(
                    "call {i} ({}): refused, and no expectation says it should be: {err}",
                    s.calls[i].call
                ),
            ));
        }
    }
    for (key, want) in expect {
        let Ok(i) = key.parse::<usize>() else {
            problems.push((
                None,
                format!("expect key `{key}` names no call (keys are call indexes)"),
            ));
            continue;
        };
        let Some(got) = responses.get(i) else {
            problems.push((Some(i), format!("call {i}: no such call")));
            continue;
        };
        let mut say = |m: String| problems.push((Some(i), format!("call {i} ({}): {m}", s.calls[i].call)));
        check_keys(want, &mut say);
        if let Some(err) = want.get("error") {
            check_error(err, got, &mut say);
            continue;
        }
        check_invoices(want, got, &mut say);
    }
    problems
}

/// Keys an expectation, an expected error, invoice or line has that the checks do not know: a typo
/// that would otherwise check nothing.
fn check_keys(want: &Value, say: &mut impl FnMut(String)) {
    for k in unknown_keys(want, &["why", "invoices", "error"]) {
        say(format!(
            "unknown key `{k}` in the expectation (known: why, invoices, error)"
        ));
    }
    for k in want
        .get("error")
        .map(|e| unknown_keys(e, &["code", "path", "message"]))
        .unwrap_or_default()
    {
        say(format!(
            "unknown key `{k}` in the expected error (known: code, path, message)"
        ));
    }
    let invoice_keys = [
        "type",
        "start_timestamp",
        "issued_at",
        "contract_id",
        "total",
        "line_items",
        "why",
    ];
    for inv in want
        .get("invoices")
        .or(Some(want))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for k in unknown_keys(inv, &invoice_keys) {
            say(format!(
                "unknown key `{k}` in an expected invoice (known: {})",
                invoice_keys.join(", ")
            ));
        }
        for l in inv.get("line_items").and_then(Value::as_array).into_iter().flatten() {
            for k in unknown_keys(l, &["name", "type", "total", "why"]) {
                say(format!(
                    "unknown key `{k}` in an expected line (known: name, type, total, why)"
                ));
            }
        }
    }
}

/// The error a call was expected to be refused with, against what it answered.
fn check_error(err: &Value, got: &Value, say: &mut impl FnMut(String)) {
    match got.get("error") {
        None => say("expected an error, the call succeeded".into()),
        Some(g) => {
            for f in ["code", "path"] {
                if let Some(w) = err.get(f) {
                    if g.get(f) != Some(w) {
                        say(format!(
                            "error {f}: expected {w}, got {}",
                            g.get(f).unwrap_or(&Value::Null)
                        ));
                    }
                }
            }
        }
    }
}

/// The invoices a call was expected to answer, against what it answered: each paired by type and
/// date, then its total and lines.
fn check_invoices(want: &Value, got: &Value, say: &mut impl FnMut(String)) {
    let wanted = want.get("invoices").or(Some(want)).and_then(Value::as_array);
    let Some(wanted) = wanted else { return };
    let Some(invoices) = got.get("data").and_then(Value::as_array) else {
        say(format!("expected invoices, got {got}"));
        return;
    };
    if invoices.len() != wanted.len() {
        say(format!("expected {} invoices, got {}", wanted.len(), invoices.len()));
    }
    let picks = pair(wanted, invoices);
    for (n, w) in wanted.iter().enumerate() {
        let key_field = key_field(w);
        let pick = picks[n];
        let found = pick.map(|k| &invoices[k]);
        let Some(inv) = found else {
            say(format!(
                "expected invoice #{n} {} {} {} not found",
                w["type"],
                key_field,
                w.get(key_field).unwrap_or(&Value::Null)
            ));
            continue;
        };
        let label = format!("{} {}", w["type"], w.get(key_field).unwrap_or(&Value::Null));
        if let Some(t) = w.get("total") {
            if dec(t) != inv.get("total").and_then(dec) {
                say(format!("{label}: total expected {t}, got {}", inv["total"]));
            }
        }
        if let Some(lines) = w.get("line_items").and_then(Value::as_array) {
            let got_lines = inv
                .get("line_items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if got_lines.len() != lines.len() {
                say(format!(
                    "{label}: expected {} line items, got {}",
                    lines.len(),
                    got_lines.len()
                ));
            }
            let mut used = vec![false; got_lines.len()];
            for l in lines {
                let hit = got_lines.iter().enumerate().position(|(k, g)| {
                    !used[k]
                        && g.get("name") == l.get("name")
                        && dec(&l["total"]) == g.get("total").and_then(dec)
                        && l.get("type").is_none_or(|t| g.get("type") == Some(t))
                });
                match hit {
                    Some(k) => used[k] = true,
                    None => say(format!("{label}: no line {} with total {}", l["name"], l["total"])),
                }
            }
        }
    }
}

/// Which field dates an expected invoice: `issued_at` for one that names only that.
fn key_field(w: &Value) -> &'static str {
    if w.get("issued_at").is_some() && w.get("start_timestamp").is_none() {
        "issued_at"
    } else {
        "start_timestamp"
    }
}

/// Pairs each expected invoice with an answered one of the same type, date (and contract, when
/// named), never one twice. Several may share a type and date (one SCHEDULED invoice per item): every
/// expectation whose total some candidate matches is paired first, the rest after with what is left,
/// so one wrong total is reported once, not again on the neighbour it would have taken.
fn pair(wanted: &[Value], invoices: &[Value]) -> Vec<Option<usize>> {
    let time = |v: Option<&Value>| v.and_then(Value::as_str).and_then(|t| Timestamp::parse(t).ok());
    let fits = |w: &Value, inv: &Value| {
        let k = key_field(w);
        inv.get("type") == w.get("type")
            && time(w.get(k)) == time(inv.get(k))
            && w.get("contract_id").is_none_or(|c| inv.get("contract_id") == Some(c))
    };
    let mut taken = vec![false; invoices.len()];
    let mut picks = vec![None; wanted.len()];
    for exact in [true, false] {
        for (n, w) in wanted.iter().enumerate() {
            if picks[n].is_some() {
                continue;
            }
            let same_total = |k: usize| w.get("total").and_then(dec) == invoices[k].get("total").and_then(dec);
            let k = (0..invoices.len()).find(|&k| !taken[k] && fits(w, &invoices[k]) && (!exact || same_total(k)));
            if let Some(k) = k {
                taken[k] = true;
                picks[n] = Some(k);
            }
        }
    }
    picks
}
