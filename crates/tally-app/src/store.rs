//! The app's one store: the core's `State` in a signal, and the only doors into tally-core.
//! Every change is a core call; every number shown is a core answer. Nothing here knows billing.

use crate::storage::StorageProblem;
use leptos::prelude::*;
use serde_json::Value;
use tally_core::{Error, Invoice, State, Timestamp};

#[derive(Clone, Copy)]
pub struct Store {
    pub state: RwSignal<State>,
    pub problem: RwSignal<Option<StorageProblem>>,
    /// What the example banner says, if anything.
    pub demo: RwSignal<DemoBanner>,
    /// How the state's usage stands against IndexedDB (`persist`).
    pub usage: RwSignal<UsageSync>,
    /// Counts the state's changes, so a rating is made once per change and customer (`invoices`).
    pub generation: Memo<u64>,
    rated: StoredValue<std::collections::HashMap<String, (u64, Rated)>>,
    /// The session's recent model changes, to undo and redo.
    pub history: RwSignal<History>,
    /// The model's collections, each a signal of its own: a view that lists customers reads
    /// `customers` and is not run again when usage arrives or a contract changes.
    pub customers: Memo<Collection<tally_core::customer::Customer>>,
    pub contracts: Memo<Collection<tally_core::contract::Contract>>,
    pub products: Memo<Collection<tally_core::product::Product>>,
    pub rate_cards: Memo<Collection<tally_core::rate_card::RateCard>>,
    pub metrics: Memo<Collection<tally_core::metric::BillableMetric>>,
}

/// A customer's rated invoices, or the core's refusal to rate them, shared: the invoice list, the
/// what-if and the burn-down read one rating without copying it (with explanations it is tens of KB
/// per invoice).
pub type Rated = std::sync::Arc<Result<Vec<Invoice>, Error>>;

/// One of the model's collections, by id, in the order the state keeps it.
pub type Collection<T> = indexmap::IndexMap<String, T>;

/// A signal over one collection of the state: compared again on every change of the state, copied
/// only when it changed, and only then telling its readers.
fn collection<T: Clone + PartialEq + Send + Sync + 'static>(
    state: RwSignal<State>,
    part: fn(&State) -> &Collection<T>,
) -> Memo<Collection<T>> {
    Memo::new_owning(move |old: Option<Collection<T>>| {
        state.with(|st| match old {
            Some(old) if old == *part(st) => (old, false),
            _ => (part(st).clone(), true),
        })
    })
}

/// Undo and redo of model changes (catalog, customers, contracts, balances): each entry is the model
/// before (undo) or after (redo) one saved change, with what the change was. Usage is not part of it:
/// it lives in IndexedDB, and undoing a change never touches the events (they are kept as they are).
#[derive(Clone, Default)]
pub struct History {
    pub undo: Vec<(String, State)>,
    pub redo: Vec<(String, State)>,
}

/// How many changes back Undo reaches.
const UNDO_DEPTH: usize = 50;

/// A change Undo can take back: a model call (usage calls are not).
fn undoable(call: &str) -> bool {
    !(call.contains("/v1/ingest") || call.contains("/v1/usage/"))
}

/// A call as a person reads it: "POST /v1/contracts/create" → "contracts create".
fn what(call: &str) -> String {
    let path = call.split_whitespace().nth(1).unwrap_or(call);
    path.trim_start_matches('/')
        .split('/')
        .filter(|p| !matches!(*p, "v1" | "v2" | "contract-pricing"))
        .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The state's usage against what IndexedDB holds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UsageSync {
    /// Still reading IndexedDB: nothing is written until it is done.
    pub loading: bool,
    /// How many of the state's events (the first ones) IndexedDB holds.
    pub saved: usize,
    /// Bumped when the state's usage is replaced whole (import, delete, reset, example), so the next
    /// write replaces IndexedDB's too; `synced_epoch` is the one last written.
    pub epoch: u64,
    pub synced_epoch: u64,
    /// A write is under way.
    pub writing: bool,
    /// An import is being read (events so far, bytes read, bytes in all).
    pub importing: Option<(usize, f64, f64)>,
    /// The last write failed at (events, epoch): not retried until the state changes.
    pub failed: Option<(usize, u64)>,
}

/// The first visit shows the WidgetsExpress example at once; an empty state (after Start empty or
/// Reset) offers it again.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DemoBanner {
    Hidden,
    /// The example was loaded because nothing was stored: say so, and offer to start empty.
    Showing,
    /// The state is empty: offer the example.
    Offered,
}

pub fn store() -> Store {
    expect_context::<Store>()
}

impl Store {
    pub fn new(state: State, problem: Option<StorageProblem>, demo: DemoBanner) -> Store {
        let state = RwSignal::new(state);
        Store {
            state,
            problem: RwSignal::new(problem),
            demo: RwSignal::new(demo),
            usage: RwSignal::new(UsageSync::default()),
            generation: Memo::new(move |prev: Option<&u64>| {
                state.track();
                prev.map_or(0, |p| p + 1)
            }),
            rated: StoredValue::new(Default::default()),
            history: RwSignal::new(History::default()),
            customers: collection(state, |st| &st.customers),
            contracts: collection(state, |st| &st.contracts),
            products: collection(state, |st| &st.products),
            rate_cards: collection(state, |st| &st.rate_cards),
            metrics: collection(state, |st| &st.billable_metrics),
        }
    }

    /// Takes back the last model change (the events stay as they are).
    pub fn undo(&self) -> Option<String> {
        self.step(true)
    }

    /// Makes the last undone change again.
    pub fn redo(&self) -> Option<String> {
        self.step(false)
    }

    fn step(&self, back: bool) -> Option<String> {
        let mut h = self.history.get_untracked();
        let (from, to) = if back {
            (&mut h.undo, &mut h.redo)
        } else {
            (&mut h.redo, &mut h.undo)
        };
        let (label, mut model) = from.pop()?;
        let current = self.state.get_untracked();
        to.push((label.clone(), current));
        self.history.set(h);
        self.state.update(|st| {
            model.events = std::mem::take(&mut st.events);
            *st = model;
        });
        Some(label)
    }

    /// Remembers the model before a change made by `call`, and forgets what was undone.
    fn remember(&self, call: &str, before: State) {
        if !undoable(call) {
            return;
        }
        self.history.update(|h| {
            h.undo.push((what(call), before));
            if h.undo.len() > UNDO_DEPTH {
                h.undo.remove(0);
            }
            h.redo.clear();
        });
    }

    /// Replaces the whole state, usage included (import, reset, the example). Its usage is replaced in
    /// IndexedDB too, so earlier model changes cannot be undone past it.
    pub fn replace_state(&self, st: State) {
        self.history.set(History::default());
        self.state.set(st);
        self.usage.update(|u| u.epoch += 1);
    }

    /// A customer's invoices (the default list), rated once per change of the state: the invoice
    /// list, the what-if's "before" and the customer page share it.
    pub fn invoices(&self, customer_id: &str) -> Rated {
        let generation = self.generation.get();
        if let Some(list) = self.rated.with_value(|m| {
            m.get(customer_id)
                .filter(|(g, _)| *g == generation)
                .map(|(_, l)| l.clone())
        }) {
            return list;
        }
        let list: Rated = std::sync::Arc::new(self.state.with_untracked(|st| invoices(st, customer_id)));
        self.rated.update_value(|m| {
            m.retain(|_, (g, _)| *g == generation);
            m.insert(customer_id.to_string(), (generation, list.clone()));
        });
        list
    }
}

/// The app's clock: the browser's current time.
#[cfg(target_arch = "wasm32")]
pub fn now() -> Timestamp {
    Timestamp::parse(&String::from(js_sys::Date::new_0().to_iso_string())).unwrap_or(Timestamp::ymd(2025, 1, 1))
}

/// Natively (the unit tests) there is no browser: a fixed clock.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> Timestamp {
    Timestamp::ymd(2025, 6, 1)
}

/// Runs calls on a scratch copy of `state`: the state they would make, or the core's first refusal.
pub fn dry_run(state: &State, calls: &[(&str, &Value)]) -> Result<State, Error> {
    let mut scratch = state.clone();
    for (call, body) in calls {
        tally_core::call(&mut scratch, call, body, now())?;
    }
    Ok(scratch)
}

/// A read-only call (lists, balances) against the state: the core reads it in place, never a copy.
pub fn read(state: &State, call: &str, body: &Value) -> Result<Value, Error> {
    tally_core::api::read(state, call, body, now())
}

/// A customer's invoices (the default list: through the current period), each line with its
/// explanation (cheap: worked out after rating), or why the core cannot rate them. Typed, so any
/// customer id works, `/` and all.
pub fn invoices(state: &State, customer_id: &str) -> Result<Vec<Invoice>, Error> {
    rated(state, customer_id, true)
}

/// A customer's invoices, with or without each line's explanation (the what-if reads totals, and
/// explanations only when no total changed).
pub fn rated(state: &State, customer_id: &str, explain: bool) -> Result<Vec<Invoice>, Error> {
    let q = tally_core::api::queries::InvoiceQuery {
        explain,
        ..Default::default()
    };
    tally_core::api::queries::invoices(state, customer_id, &q, now())
}

impl Store {
    /// Runs calls for real: all of them or, on the first refusal, none (the state is untouched).
    pub fn apply(&self, calls: &[(&str, &Value)]) -> Result<Vec<Value>, Error> {
        let before = self.state.get_untracked();
        let mut scratch = before.clone();
        let mut answers = Vec::new();
        for (call, body) in calls {
            answers.push(tally_core::call(&mut scratch, call, body, now())?);
        }
        if let Some((call, _)) = calls.first() {
            self.remember(call, before);
        }
        self.state.set(scratch);
        Ok(answers)
    }

    /// One call, in place: the core refuses a call whole, so no copy is needed (a copy of the state
    /// would copy its usage store on ingest).
    pub fn apply_one(&self, call: &str, body: &Value) -> Result<Value, Error> {
        // A model change keeps the model before it for Undo (a clone: its usage is shared, not copied).
        let before = undoable(call).then(|| self.state.get_untracked());
        let mut answer = None;
        self.state
            .update(|st| answer = Some(tally_core::call(st, call, body, now())));
        let answer = answer.unwrap_or_else(|| Err(Error::new(tally_core::ErrorCode::Invalid, "", "the state is gone")));
        if let (Ok(_), Some(before)) = (&answer, before) {
            self.remember(call, before);
        }
        answer
    }

    /// `dry_run` against the current state, tracked: re-runs when the state changes.
    pub fn check(&self, calls: &[(&str, &Value)]) -> Option<Error> {
        self.state.with(|s| dry_run(s, calls).err())
    }

    /// A core read against the current state, tracked.
    pub fn read(&self, call: &str, body: &Value) -> Result<Value, Error> {
        self.state.with(|s| read(s, call, body))
    }

    /// The `data` list of a core answer (invoices, unmatched events, contracts).
    pub fn read_list(&self, call: &str, body: &Value) -> Vec<Value> {
        data_list(self.read(call, body))
    }
}

pub fn data_list(answer: Result<Value, Error>) -> Vec<Value> {
    answer
        .ok()
        .and_then(|mut v| v.get_mut("data").map(Value::take))
        .and_then(|d| match d {
            Value::Array(a) => Some(a),
            _ => None,
        })
        .unwrap_or_default()
}

/// A form's live validation: the call on a scratch copy of the state once the user has typed.
pub fn live_error(
    touched: RwSignal<bool>,
    calls: impl Fn() -> Vec<(String, Value)> + Send + Sync + 'static,
) -> Signal<Option<Error>> {
    let s = store();
    Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        let calls = calls();
        let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
        s.check(&refs)
    })
}

/// The wiring every form shares: the core's error as you type (once touched), the calls its what-if
/// previews (once touched and `ready`, e.g. a contract is chosen), and a submit that applies the call
/// and hands the answer to `saved`. The body may fail before the core sees it (JSON mode).
pub struct OneCallForm<F> {
    pub error: Signal<Option<Error>>,
    pub whatif_calls: Signal<Vec<(String, Value)>>,
    pub submit: F,
}

pub fn one_call_form(
    call: &'static str,
    body: impl Fn() -> Result<Value, String> + Clone + Send + Sync + 'static,
    ready: impl Fn() -> bool + Send + Sync + 'static,
    touched: RwSignal<bool>,
    saved: impl Fn(&Value) + Clone + 'static,
) -> OneCallForm<impl Fn(leptos::ev::SubmitEvent) + Clone + 'static> {
    let s = store();
    let (b1, b2, b3) = (body.clone(), body.clone(), body);
    let calls = move |b: Result<Value, String>| b.map(|b| vec![(call.to_string(), b)]).unwrap_or_default();
    let error = live_error(touched, move || calls(b1()));
    let whatif_calls = Signal::derive(move || if touched.get() && ready() { calls(b2()) } else { vec![] });
    // The body last saved: pressing Save again with nothing typed since (a double click, an impatient
    // second press) must not add the same override or commit twice.
    let last_saved = StoredValue::new(None::<Value>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(b) = b3() else {
            touched.set(true);
            return;
        };
        if !touched.get_untracked() && last_saved.with_value(|l| l.as_ref() == Some(&b)) {
            return;
        }
        touched.set(true);
        if let Ok(answer) = s.apply_one(call, &b) {
            last_saved.set_value(Some(b));
            saved(&answer);
            touched.set(false);
        }
    };
    OneCallForm {
        error,
        whatif_calls,
        submit,
    }
}

/// `one_call_form` for an edit of the chosen `contract`: its what-if waits for a contract, and a save
/// says `saved` in `done`.
pub fn contract_edit_form(
    call: &'static str,
    body: impl Fn() -> Result<Value, String> + Clone + Send + Sync + 'static,
    contract: RwSignal<String>,
    touched: RwSignal<bool>,
    done: RwSignal<Option<String>>,
    saved: &'static str,
) -> OneCallForm<impl Fn(leptos::ev::SubmitEvent) + Clone + 'static> {
    one_call_form(
        call,
        body,
        move || !contract.get().is_empty(),
        touched,
        move |_| done.set(Some(saved.into())),
    )
}

/// A form that can also be written as its raw request body: while `advanced` is on, the body is the
/// textarea's text (refused before the core sees it when it is not JSON), otherwise the form's.
#[derive(Clone, Copy)]
pub struct JsonMode {
    pub advanced: RwSignal<bool>,
    pub json_text: RwSignal<String>,
}

impl JsonMode {
    pub fn new() -> Self {
        JsonMode {
            advanced: RwSignal::new(false),
            json_text: RwSignal::new(String::new()),
        }
    }

    pub fn body(self, form_body: impl Fn() -> Value) -> Result<Value, String> {
        if self.advanced.get() {
            serde_json::from_str(&self.json_text.get()).map_err(|e| format!("Not JSON: {e}"))
        } else {
            Ok(form_body())
        }
    }

    /// Switching to JSON starts the textarea from what the form holds.
    pub fn toggle(self, on: bool, form_body: impl Fn() -> Value) {
        if on {
            self.json_text
                .set(serde_json::to_string_pretty(&form_body()).unwrap_or_default());
        }
        self.advanced.set(on);
    }
}

/// States for the unit tests, made as the app makes them: by core calls.
#[cfg(test)]
pub mod fixtures {
    use serde_json::{json, Value};
    use tally_core::State;

    /// The state `calls` make, each one accepted.
    pub fn state(calls: &[(&str, Value)]) -> State {
        let mut st = State::default();
        for (call, body) in calls {
            if let Err(e) = tally_core::call(&mut st, call, body, super::now()) {
                panic!("{call}: {e}");
            }
        }
        st
    }

    /// Customer `c` on a contract whose one rate is the largest price there is, and 2 units of usage
    /// in January 2025: rating it overflows, so the core refuses to.
    pub fn unratable() -> State {
        state(&[
            (
                "POST /v1/billable-metrics/create",
                json!({"id": "m", "name": "API units",
                "event_type_filter": {"in_values": ["api"]}, "aggregation_type": "SUM", "aggregation_key": "units"}),
            ),
            (
                "POST /v1/contract-pricing/products/create",
                json!({"id": "p", "name": "API", "type": "USAGE", "billable_metric_id": "m"}),
            ),
            (
                "POST /v1/contract-pricing/rate-cards/create",
                json!({"id": "rc", "name": "Huge", "rates": [{"product_id": "p",
                "starting_at": "2024-01-01T00:00:00Z", "entitled": true, "rate_type": "FLAT", "price": "79228162514264337593543950335"}]}),
            ),
            ("POST /v1/customers", json!({"id": "c", "name": "Huge Co"})),
            (
                "POST /v1/contracts/create",
                json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z"}),
            ),
            (
                "POST /v1/ingest",
                json!([{"transaction_id": "e1", "customer_id": "c", "event_type": "api",
                "timestamp": "2025-01-10T00:00:00Z", "properties": {"units": 2}}]),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoices_the_core_cannot_rate_are_its_error_never_an_empty_list() {
        let st = fixtures::unratable();
        let e = invoices(&st, "c").expect_err("an overflow is refused");
        assert_eq!(e.code, tally_core::ErrorCode::OutOfRange, "{e}");
        assert!(e.message.contains("beyond"), "{e}");
        // A customer with no contract has no invoices, which is not an error.
        let st = fixtures::state(&[(
            "POST /v1/customers",
            serde_json::json!({"id": "a/b", "name": "Slash Co"}),
        )]);
        assert_eq!(invoices(&st, "a/b"), Ok(vec![]));
    }

    #[test]
    fn an_undo_label_names_the_call_with_its_id_decoded() {
        assert_eq!(
            what("POST /v1/customers/acme%2Feu/updateName"),
            "customers acme/eu updateName"
        );
        assert_eq!(what("POST /v1/contract-pricing/products/create"), "products create");
    }
}
