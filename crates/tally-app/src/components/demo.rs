//! The WidgetsExpress example: tests/scenarios/demo_widgets_express.json run through the core, the
//! same file whose invoices are worked out by hand and checked by `tally run --check`.

use crate::store::{store, DemoBanner, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tally_core::{Scenario, State};

const DEMO: &str = include_str!("../../../../tests/scenarios/demo_widgets_express.json");

/// The example's state, or the first call the core refused. A chunk of its own: it is built through
/// the core's API, whose request parsers the first .wasm does without.
#[lazy]
pub fn demo_state() -> Result<State, String> {
    let scenario = Scenario::parse(DEMO).map_err(|e| e.to_string())?;
    let mut state = State::default();
    let answers = scenario.responses_on(&mut state);
    match answers.iter().find_map(|a| a.get("error")) {
        Some(e) => Err(e.to_string()),
        None => Ok(state),
    }
}

/// A first visit's example, once loaded: the model into the store (unless something was entered
/// meanwhile), the events returned for persistence to add and save.
pub async fn first_example(s: Store) -> Option<State> {
    match demo_state().await {
        Ok(st) if s.state.with_untracked(|cur| *cur == State::default()) => {
            s.state.set(st.model());
            s.demo.set(DemoBanner::Showing);
            Some(st)
        }
        Ok(_) => None,
        Err(_) => {
            s.demo.set(DemoBanner::Offered);
            None
        }
    }
}

/// Whether the state holds anything a user could lose: a catalog entry, a customer, usage.
fn holds_work(st: &State) -> bool {
    !(st.billable_metrics.is_empty()
        && st.products.is_empty()
        && st.rate_cards.is_empty()
        && st.customers.is_empty()
        && st.contracts.is_empty()
        && st.events.is_empty())
}

/// Asks before `what` replaces data (as Reset does); nothing to lose, nothing to ask.
fn may_replace(st_holds_work: bool, question: &str) -> bool {
    !st_holds_work || window().confirm_with_message(question).unwrap_or(false)
}

/// The example banner: after a first visit loaded the example, or when the state is empty.
#[component]
pub fn DemoOffer() -> impl IntoView {
    let s = store();
    let error = RwSignal::new(None::<String>);
    let load = move |_| {
        let question =
            "Load the WidgetsExpress example? It replaces everything in this browser (export first to keep it).";
        if !may_replace(s.state.with_untracked(holds_work), question) {
            return;
        }
        spawn_local(async move {
            match demo_state().await {
                Ok(st) => {
                    s.replace_state(st);
                    s.demo.set(DemoBanner::Hidden);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let start_empty = move |_| {
        spawn_local(async move {
            // Only an example changed since it loaded is work to lose.
            let example = demo_state().await;
            let changed = s.state.with_untracked(|st| example.map_or(true, |d| d != *st));
            let question =
                "Start empty? The example and your changes to it will be removed (export first to keep them).";
            if !may_replace(changed, question) {
                return;
            }
            s.replace_state(State::default());
            s.demo.set(DemoBanner::Offered);
        });
    };
    view! {
        {move || match s.demo.get() {
            DemoBanner::Hidden => None,
            DemoBanner::Showing => Some(view! {
                <section class="banner offer" aria-label="Get started">
                    <p>"You are looking at the WidgetsExpress example: a $10,000 prepaid cloud commit, a $1,000 quarterly platform fee, a 5% cloud discount, US/EU/APAC contracts and a few months of usage. Change anything, or start from nothing."</p>
                    <div class="row">
                        <button type="button" on:click=move |_| s.demo.set(DemoBanner::Hidden)>"Keep the example"</button>
                        <button type="button" class="secondary" on:click=start_empty>"Start empty"</button>
                    </div>
                </section>
            }.into_any()),
            DemoBanner::Offered => Some(view! {
                <section class="banner offer" aria-label="Get started">
                    <p>"Nothing here yet. Start from the WidgetsExpress example (a $10,000 prepaid cloud commit, a $1,000 quarterly platform fee, a 5% cloud discount, US/EU/APAC contracts and a few months of usage)?"</p>
                    <div class="row">
                        <button type="button" on:click=load>"Load the WidgetsExpress example"</button>
                        <button type="button" class="secondary" on:click=move |_| s.demo.set(DemoBanner::Hidden)>"Dismiss"</button>
                    </div>
                    {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                </section>
            }.into_any()),
        }}
    }
}
