//! Deleting usage: a customer's (by its id and ingest aliases), a date range's, or a customer's in a
//! date range, after a confirmation that says which. IndexedDB is rewritten to match.

use crate::components::pickers::{customers, Picker};
use crate::forms::date_to_rfc3339;
use crate::store::store;
use leptos::prelude::*;
use serde_json::json;

#[component]
pub fn UsageDelete() -> impl IntoView {
    let s = store();
    let customer = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let delete = move |_| {
        let (c, f, t) = (customer.get_untracked(), from.get_untracked(), to.get_untracked());
        let mut body = json!({});
        if !c.is_empty() {
            body["customer_id"] = json!(c);
        }
        if !f.is_empty() {
            body["starting_at"] = json!(date_to_rfc3339(&f));
        }
        if !t.is_empty() {
            body["ending_before"] = json!(date_to_rfc3339(&t));
        }
        let whose = if c.is_empty() {
            "all customers".to_string()
        } else {
            s.state
                .with_untracked(|st| st.customers.get(&c).map(|x| x.name.clone()))
                .unwrap_or(c)
        };
        let when = match (f.as_str(), t.as_str()) {
            ("", "") => "at any time".to_string(),
            (f, "") => format!("from {f} on"),
            ("", t) => format!("before {t}"),
            (f, t) => format!("from {f} to before {t}"),
        };
        let question = format!("Delete the usage of {whose} {when}? It cannot be undone (export first to keep it).");
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        match s.apply_one("POST /v1/usage/delete", &body) {
            Ok(a) => {
                let n = a["data"]["deleted"].as_u64().unwrap_or(0);
                // The store was replaced: IndexedDB is rewritten to match.
                s.usage.update(|u| u.epoch += 1);
                message.set(Some((true, format!("Deleted {n} events."))));
            }
            Err(e) => message.set(Some((false, e.message))),
        }
    };
    view! {
        <details class="delete-usage">
            <summary>"Delete usage"</summary>
            <div class="form">
                <Picker label="Customer (leave empty for all)" id="delete-customer" value=customer items=customers() placeholder="— all customers —" />
                <label for="delete-from">"From (inclusive, UTC)"</label>
                <input id="delete-from" type="date" bind:value=from />
                <label for="delete-to">"To (exclusive, UTC)"</label>
                <input id="delete-to" type="date" bind:value=to />
                <button type="button" class="secondary danger" on:click=delete
                    prop:disabled=move || customer.get().is_empty() && from.get().is_empty() && to.get().is_empty()>"Delete usage…"</button>
                {move || message.get().map(|(ok, m)| view! { <p class=if ok { "note ok" } else { "note bad" } role="status">{m}</p> })}
            </div>
        </details>
    }
}
