//! The app shell and its pages.

use crate::storage::{self, StorageProblem};
use leptos::prelude::*;
use serde_json::json;
use tally_core::{State, Timestamp};

/// The app's clock: the browser's current time.
fn now() -> Timestamp {
    Timestamp::parse(&String::from(js_sys::Date::new_0().to_iso_string())).unwrap_or(Timestamp::ymd(2025, 1, 1))
}

#[component]
pub fn App() -> impl IntoView {
    let (loaded, problem) = storage::load();
    let state = RwSignal::new(loaded.unwrap_or_default());
    let problem = RwSignal::new(problem);
    // Save on every change. A corrupt value was backed up by `load`, so writing over it is safe.
    Effect::new(move |first: Option<()>| {
        state.with(|s| {
            if first.is_none() && s == &State::default() {
                return; // nothing to save yet; keep whatever is stored untouched
            }
            if let Err(p) = storage::save(s) {
                problem.set(Some(p));
            } else if matches!(problem.get_untracked(), Some(StorageProblem::SaveFailed { .. })) {
                problem.set(None);
            }
        });
    });
    view! {
        <header class="topbar">
            <h1>"Tally"</h1>
            <span class="tagline">"usage billing, rated in your browser"</span>
        </header>
        {move || problem.get().map(|p| view! { <div class="banner error" role="alert">{p.message()}</div> })}
        <main>
            <Customers state />
        </main>
    }
}

#[component]
fn Customers(state: RwSignal<State>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let error = RwSignal::new(None::<tally_core::Error>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list: Vec<String> = aliases
            .get()
            .split(',')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        let body = json!({ "name": name.get(), "ingest_aliases": list });
        let mut result = Ok(serde_json::Value::Null);
        state.update(|s| result = tally_core::call(s, "POST /v1/customers", &body, now()));
        match result {
            Ok(_) => {
                name.set(String::new());
                aliases.set(String::new());
                error.set(None);
            }
            // Keep what was typed; show the core's own error beside the field it names.
            Err(e) => error.set(Some(e)),
        }
    };
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.path == field || (field == "name" && e.path.is_empty()))
                .map(|e| view! { <p class="field-error">{e.message}</p> })
        }
    };
    view! {
        <section class="card">
            <h2>"Customers"</h2>
            <form class="form" on:submit=submit>
                <label>"Name" <input id="customer-name" name="name" bind:value=name autocomplete="off" /></label>
                {field_error("name")}
                <label>"Ingest aliases (comma separated)" <input id="customer-aliases" name="ingest_aliases" bind:value=aliases autocomplete="off" /></label>
                {move || error.get().filter(|e| e.path.starts_with("ingest_aliases")).map(|e| view! { <p class="field-error">{e.to_string()}</p> })}
                <button type="submit">"Create customer"</button>
            </form>
            <table class="list">
                <thead><tr><th>"Name"</th><th>"Ingest aliases"</th><th>"Id"</th></tr></thead>
                <tbody>
                    <For each=move || state.with(|s| s.customers.values().cloned().collect::<Vec<_>>()) key=|c| c.id.clone() let:c>
                        <tr class="customer-row"><td>{c.name.clone()}</td><td>{c.ingest_aliases.join(", ")}</td><td class="mono">{c.id.clone()}</td></tr>
                    </For>
                </tbody>
            </table>
        </section>
    }
}
