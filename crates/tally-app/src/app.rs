//! The app shell: the store, its persistence (saved on each change, synced across tabs), the router
//! and the pages.

use crate::components::demo::{demo_state, DemoOffer};
use crate::components::nav::Nav;
use crate::pages::{catalog::Catalog, contracts::Contracts, customers::Customers, invoices::Invoices, usage::Usage};
use crate::storage::{self, StorageProblem};
use crate::store::{DemoBanner, Store};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use tally_core::State;

#[component]
pub fn App() -> impl IntoView {
    let (loaded, problem) = storage::load();
    // A first visit (nothing stored, nothing corrupt) shows the example at once, so the app shows
    // something real; a stored empty state (after Start empty or Reset) offers it instead.
    let (state, demo) = match (loaded, &problem) {
        (None, None) => match demo_state() {
            Ok(st) => (st, DemoBanner::Showing),
            Err(_) => (State::default(), DemoBanner::Offered),
        },
        (Some(st), None) if st == State::default() => (st, DemoBanner::Offered),
        (loaded, _) => (loaded.unwrap_or_default(), DemoBanner::Hidden),
    };
    let store = Store {
        state: RwSignal::new(state),
        problem: RwSignal::new(problem),
        demo: RwSignal::new(demo),
    };
    provide_context(store);
    // What this tab last wrote or read, so a save is skipped when nothing changed (and a state
    // received from another tab is not written back).
    let last = StoredValue::new(store.state.with_untracked(tally_core::state::export));
    // Save on every change. A corrupt value was backed up by `load`, so writing over it is safe.
    Effect::new(move |first: Option<()>| {
        let text = store.state.with(tally_core::state::export);
        if first.is_none() || last.with_value(|l| *l == text) {
            return;
        }
        match storage::save_text(&text) {
            Ok(()) => {
                last.set_value(text);
                if matches!(store.problem.get_untracked(), Some(StorageProblem::SaveFailed { .. })) {
                    store.problem.set(None);
                }
            }
            Err(p) => store.problem.set(Some(p)),
        }
    });
    // Another tab saved: take its state (the `storage` event only fires in the other tabs).
    let _ = window_event_listener(leptos::ev::storage, move |ev| {
        if ev.key().as_deref() != Some(storage::KEY) {
            return;
        }
        let text = ev.new_value().unwrap_or_default();
        let next = if text.is_empty() {
            Ok(State::default())
        } else {
            tally_core::state::import(&text)
        };
        if let Ok(st) = next {
            last.set_value(text);
            store.demo.set(DemoBanner::Hidden);
            store.state.set(st);
        }
    });
    view! {
        <Router>
            <Nav />
            {move || store.problem.get().map(|p| view! { <div class="banner error" role="alert">{p.message()}</div> })}
            <DemoOffer />
            <main>
                <Routes fallback=|| view! { <section class="card"><h2>"Not found"</h2><p>"No page here."</p></section> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/customers" /> } />
                    <Route path=path!("/customers") view=Customers />
                    <Route path=path!("/catalog") view=Catalog />
                    <Route path=path!("/contracts") view=Contracts />
                    <Route path=path!("/usage") view=Usage />
                    <Route path=path!("/invoices") view=Invoices />
                </Routes>
            </main>
        </Router>
    }
}
