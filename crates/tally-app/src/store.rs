//! The app's one store: the core's `State` in a signal, and the only doors into tally-core.
//! Every change is a core call; every number shown is a core answer. Nothing here knows billing.

use crate::storage::StorageProblem;
use leptos::prelude::*;
use serde_json::Value;
use tally_core::{Error, State, Timestamp};

#[derive(Clone, Copy)]
pub struct Store {
    pub state: RwSignal<State>,
    pub problem: RwSignal<Option<StorageProblem>>,
    /// What the example banner says, if anything.
    pub demo: RwSignal<DemoBanner>,
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

/// The app's clock: the browser's current time.
pub fn now() -> Timestamp {
    Timestamp::parse(&String::from(js_sys::Date::new_0().to_iso_string())).unwrap_or(Timestamp::ymd(2025, 1, 1))
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

/// A customer's invoices (the default list: through the current period), as JSON for the views. Typed,
/// so any customer id works, `/` and all.
pub fn invoices(state: &State, customer_id: &str) -> Vec<Value> {
    tally_core::api::queries::invoices(state, customer_id, &Default::default(), now())
        .ok()
        .and_then(|list| serde_json::to_value(list).ok())
        .and_then(|v| match v {
            Value::Array(a) => Some(a),
            _ => None,
        })
        .unwrap_or_default()
}

impl Store {
    /// Runs calls for real: all of them or, on the first refusal, none (the state is untouched).
    pub fn apply(&self, calls: &[(&str, &Value)]) -> Result<Vec<Value>, Error> {
        let mut scratch = self.state.get_untracked();
        let mut answers = Vec::new();
        for (call, body) in calls {
            answers.push(tally_core::call(&mut scratch, call, body, now())?);
        }
        self.state.set(scratch);
        Ok(answers)
    }

    pub fn apply_one(&self, call: &str, body: &Value) -> Result<Value, Error> {
        self.apply(&[(call, body)]).map(|mut v| v.remove(0))
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

pub use crate::forms::{date_to_rfc3339, key_values, list, number_or_text};

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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(b) = b3() else { return };
        if let Ok(answer) = s.apply_one(call, &b) {
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
