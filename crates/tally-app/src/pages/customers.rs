//! Customers: list and search, create and edit (name, ingest aliases, custom fields).

use crate::components::field_error::{FieldError, FormError};
use crate::forms::customer::fields::{CUSTOM_FIELDS, ENTITY_ID, INGEST_ALIASES, NAME};
use crate::forms::customer::CREATE;
use crate::forms::{CustomerDraft, CustomerEdit};
use crate::store::store;
use leptos::prelude::*;
use serde_json::Value;
use tally_core::customer::Customer;

#[component]
pub fn Customers() -> impl IntoView {
    let s = store();
    let search = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let shown = move || {
        let q = search.get().to_lowercase();
        s.customers.with(|all| {
            all.values()
                .filter(|c| {
                    q.is_empty()
                        || c.name.to_lowercase().contains(&q)
                        || c.id.contains(&q)
                        || c.ingest_aliases.iter().any(|a| a.to_lowercase().contains(&q))
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card">
            <h2>"Customers"</h2>
            <CreateCustomer />
            <div class="search">
                <label for="customer-search">"Search"</label>
                <input id="customer-search" type="search" placeholder="name, alias or id" bind:value=search autocomplete="off" />
            </div>
            <table class="list">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Ingest aliases"</th><th scope="col">"Custom fields"</th><th scope="col">"Id"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    // Keyed by the whole record: an edit redraws that customer's row, and only that one.
                    <For each=shown key=|c| format!("{c:?}") let:c>
                        <CustomerRow c=c editing />
                    </For>
                </tbody>
            </table>
        </section>
        <crate::pages::customer_balances::CustomerBalances />
    }
}

#[component]
fn CustomerRow(c: Customer, editing: RwSignal<Option<String>>) -> impl IntoView {
    let id = c.id.clone();
    let id2 = c.id.clone();
    let fields = c
        .custom_fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let open = move || editing.get().as_deref() == Some(id.as_str());
    let name = c.name.clone();
    view! {
        <tr class="customer-row">
            <td>{c.name.clone()}</td>
            <td>{c.ingest_aliases.join(", ")}</td>
            <td>{fields}</td>
            <td class="mono">{c.id.clone()}</td>
            <td><button type="button" class="secondary small" id=format!("edit-{}", c.id) aria-label=format!("Edit {name}") on:click=move |_| editing.set(Some(id2.clone()))>"Edit"</button></td>
        </tr>
        <Show when=open>
            <tr class="edit-row"><td colspan="5"><EditAliases c=c.clone() editing /></td></tr>
        </Show>
    }
}

#[component]
fn EditAliases(c: Customer, editing: RwSignal<Option<String>>) -> impl IntoView {
    let s = store();
    let name = RwSignal::new(c.name.clone());
    let aliases = RwSignal::new(c.ingest_aliases.join(", "));
    let fields = RwSignal::new(
        c.custom_fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let old_keys: Vec<String> = c.custom_fields.keys().cloned().collect();
    let id = c.id.clone();
    // Three core calls, applied together or not at all: rename, aliases, custom fields.
    let calls = move || {
        CustomerEdit {
            id: id.clone(),
            name: name.get(),
            aliases: aliases.get(),
            fields: fields.get(),
            old_keys: old_keys.clone(),
        }
        .calls()
    };
    let calls2 = calls.clone();
    let error = Signal::derive(move || {
        let calls = match calls() {
            Ok(c) => c,
            Err(e) => return Some(e),
        };
        let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
        s.check(&refs)
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A custom field that cannot be read stays typed, its message beside it.
        let Ok(calls) = calls2() else {
            return;
        };
        let refs: Vec<(&str, &Value)> = calls.iter().map(|(c, b)| (c.as_str(), b)).collect();
        if s.apply(&refs).is_ok() {
            editing.set(None);
        }
    };
    let (name_id, aliases_id, fields_id) = (
        format!("edit-name-{}", c.id),
        format!("edit-aliases-{}", c.id),
        format!("edit-fields-{}", c.id),
    );
    // Opened by its Edit button: focus goes to the first field; Escape (or Cancel) closes it and
    // gives focus back to that button.
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let edit_button = format!("edit-{}", c.id);
    let close = move || {
        editing.set(None);
        if let Some(b) = document()
            .get_element_by_id(&edit_button)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = b.focus();
        }
    };
    let close2 = close.clone();
    view! {
        <form class="form inline" on:submit=save on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
            <p class="muted small">{format!("Editing {}. Usage already sent under a newly added alias is billed to this customer.", c.name)}</p>
            <label for=name_id.clone()>"Name"</label>
            <input id=name_id node_ref=first bind:value=name autocomplete="off" />
            <FieldError error paths=&[NAME] />
            <label for=aliases_id.clone()>"Alias list (comma separated)"</label>
            <input id=aliases_id bind:value=aliases autocomplete="off" />
            <FieldError error paths=&[INGEST_ALIASES] />
            <label for=fields_id.clone()>"Custom fields (key=value or key: value, one per line)"</label>
            <textarea id=fields_id rows="3" bind:value=fields></textarea>
            <FieldError error paths=&[CUSTOM_FIELDS, ENTITY_ID] />
            <FormError error all=&[NAME, INGEST_ALIASES, CUSTOM_FIELDS, ENTITY_ID] />
            <div class="row">
                <button type="submit">"Save"</button>
                <button type="button" class="secondary" on:click=move |_| close2()>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn CreateCustomer() -> impl IntoView {
    let s = store();
    let name = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let fields = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let body = move || {
        CustomerDraft {
            name: name.get(),
            aliases: aliases.get(),
            fields: fields.get(),
        }
        .to_body()
    };
    // Validate as you type: the same call on a scratch copy of the state.
    let error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        match body() {
            Ok(b) => s.check(&[(CREATE, &b)]),
            Err(e) => Some(e),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        // Keep what was typed on an error; it shows beside the field it names.
        let Ok(b) = body() else {
            return;
        };
        if s.apply_one(CREATE, &b).is_ok() {
            name.set(String::new());
            aliases.set(String::new());
            fields.set(String::new());
            touched.set(false);
        }
    };
    view! {
        <form class="form" on:submit=submit on:input=move |_| touched.set(true)>
            <label for="customer-name">"Name"</label>
            <input id="customer-name" name="name" bind:value=name autocomplete="off" />
            <FieldError error paths=&[NAME, ""] />
            <label for="customer-aliases">"Ingest aliases (comma separated)"</label>
            <input id="customer-aliases" name="ingest_aliases" bind:value=aliases autocomplete="off" />
            <FieldError error paths=&[INGEST_ALIASES] />
            <label for="customer-fields">"Custom fields (one key=value or key: value a line)"</label>
            <textarea id="customer-fields" rows="2" prop:value=move || fields.get() on:input=move |ev| fields.set(event_target_value(&ev))></textarea>
            <FieldError error paths=&[CUSTOM_FIELDS] />
            <FormError error all=&[NAME, "", INGEST_ALIASES, CUSTOM_FIELDS] />
            <button type="submit">"Create customer"</button>
        </form>
    }
}
