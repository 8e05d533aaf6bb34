//! The app shell: the store, its persistence (`persist`), the router and the pages.

use crate::components::demo::{first_example, DemoOffer};
use crate::components::nav::Nav;
use crate::pages::lazy::{CatalogPage, ContractsPage, CustomersPage, InvoicesPage, UsagePage};
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
    let (model, initial, upgrading) = crate::persist::initial(loaded);
    // A stored empty state (after Start empty or Reset) offers the example; a first visit (nothing
    // stored, nothing corrupt) shows it as soon as its chunk has loaded, so the app shows something
    // real.
    let banner = if model == State::default() && problem.is_none() && !first_visit {
        DemoBanner::Offered
    } else {
        DemoBanner::Hidden
    };
    // A saved model naming what does not exist loads whole, and says so.
    let problem = problem.or_else(|| {
        let refs = tally_core::state::dangling(&model);
        (!refs.is_empty()).then_some(storage::StorageProblem::Dangling { refs })
    });
    let store = Store::new(model, problem, banner);
    provide_context(store);
    let initial = async move {
        if first_visit {
            first_example(store).await
        } else {
            initial
        }
    };
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
                    <Route path=path!("/customers") view={Lazy::<CustomersPage>::new()} />
                    <Route path=path!("/catalog") view={Lazy::<CatalogPage>::new()} />
                    <Route path=path!("/contracts") view={Lazy::<ContractsPage>::new()} />
                    <Route path=path!("/usage") view={Lazy::<UsagePage>::new()} />
                    <Route path=path!("/invoices") view={Lazy::<InvoicesPage>::new()} />
                </Routes>
            </main>
        </Router>
    }
}

/// Called by each page as it shows. After the first page, once the browser is idle, every other
/// chunk is fetched: pages then open at once, and the app keeps working with the network gone (a
/// chunk that fails to load is tried again, see scripts/build-app-wasm.sh). Not sooner: the first
/// page's own chunks come first.
pub fn fetch_the_rest() {
    thread_local!(static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !STARTED.replace(true) {
        request_idle_callback(|| leptos::task::spawn_local(preload_chunks()));
    }
}

async fn preload_chunks() {
    use leptos_router::LazyRoute;
    CustomersPage::preload().await;
    InvoicesPage::preload().await;
    ContractsPage::preload().await;
    UsagePage::preload().await;
    CatalogPage::preload().await;
    crate::components::demo::__preload_demo_state().await;
    crate::components::data_menu::__preload_scenario_text().await;
}
