//! The app shell: the store, its persistence (`persist`), the router and the pages.

use crate::components::demo::{demo_state, DemoOffer};
use crate::components::nav::Nav;
use crate::pages::lazy::CatalogPage;
use crate::pages::{contracts::Contracts, customers::Customers, invoices::Invoices, usage::Usage};
use crate::storage::{self, Loaded};
use crate::store::{DemoBanner, Store};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy};
use tally_core::State;

#[component]
pub fn App() -> impl IntoView {
    let (loaded, problem) = storage::load();
    let first_visit = matches!(loaded, Loaded::Nothing) && problem.is_none();
    let (model, mut initial, upgrading) = crate::persist::initial(loaded);
    // A first visit (nothing stored, nothing corrupt) shows the example at once, so the app shows
    // something real; a stored empty state (after Start empty or Reset) offers it instead.
    let demo = if first_visit {
        match demo_state() {
            Ok(st) => {
                let model = st.model();
                initial = Some(st);
                (Some(model), DemoBanner::Showing)
            }
            Err(_) => (None, DemoBanner::Offered),
        }
    } else if model == State::default() && problem.is_none() {
        (None, DemoBanner::Offered)
    } else {
        (None, DemoBanner::Hidden)
    };
    let model = demo.0.unwrap_or(model);
    // A saved model naming what does not exist loads whole, and says so.
    let problem = problem.or_else(|| {
        let refs = tally_core::state::dangling(&model);
        (!refs.is_empty()).then_some(storage::StorageProblem::Dangling { refs })
    });
    let store = Store::new(model, problem, demo.1);
    provide_context(store);
    crate::persist::start(store, initial, upgrading);
    view! {
        <Router>
            <a class="skip-link" href="#main" rel="external">"Skip to content"</a>
            <Nav />
            <crate::components::storage_alert::StorageAlert />
            <DemoOffer />
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <section class="card"><h2>"Not found"</h2><p>"No page here."</p></section> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/customers" options=leptos_router::NavigateOptions { replace: true, ..Default::default() } /> } />
                    <Route path=path!("/customers") view=Customers />
                    <Route path=path!("/catalog") view={Lazy::<CatalogPage>::new()} />
                    <Route path=path!("/contracts") view=Contracts />
                    <Route path=path!("/usage") view=Usage />
                    <Route path=path!("/invoices") view=Invoices />
                </Routes>
            </main>
        </Router>
    }
}
