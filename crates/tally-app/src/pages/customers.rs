//! Customers: list and search, create (name, ingest aliases, custom fields), edit ingest aliases.

use crate::components::field_error::{FieldError, FormError};
use crate::store::{key_values, list, store};
use leptos::prelude::*;
use serde_json::{json, Value};
use tally_core::customer::Customer;

#[component]
pub fn Customers() -> impl IntoView {
    let s = store();
    let search = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let shown = move || {
        let q = search.get().to_lowercase();
        s.state.with(|st| {
            st.customers
                .values()
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
                    <For each=shown key=|c| format!("{}{:?}", c.id, c.ingest_aliases) let:c>
                        <CustomerRow c=c editing />
                    </For>
                </tbody>
            </table>
        </section>
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
            <td><button type="button" class="secondary small" aria-label=format!("Edit {name}") on:click=move |_| editing.set(Some(id2.clone()))>"Edit"</button></td>
        </tr>
        <Show when=open>
            <tr class="edit-row"><td colspan="5"><EditAliases c=c.clone() editing /></td></tr>
        </Show>
    }
}

#[component]
fn EditAliases(c: Customer, editing: RwSignal<Option<String>>) -> impl IntoView {
    let s = store();
    let aliases = RwSignal::new(c.ingest_aliases.join(", "));
    let call = format!("POST /v1/customers/{}/setIngestAliases", c.id);
    let call2 = call.clone();
    let body = move || json!({ "ingest_aliases": list(&aliases.get()) });
    let error = Signal::derive(move || s.check(&[(call.as_str(), &body())]));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if s.apply_one(&call2, &body()).is_ok() {
            editing.set(None);
        }
    };
    let input_id = format!("edit-aliases-{}", c.id);
    view! {
        <form class="form inline" on:submit=save>
            <p class="muted small">{format!("Editing {}. Renaming and editing custom fields need a core call tally-core does not have yet; the ingest aliases go through setIngestAliases, and usage already sent under a newly added alias is billed to this customer.", c.name)}</p>
            <label for=input_id.clone()>"Alias list (comma separated)"</label>
            <input id=input_id bind:value=aliases autocomplete="off" />
            <FieldError error paths=&["ingest_aliases"] />
            <FormError error all=&["ingest_aliases"] />
            <div class="row">
                <button type="submit">"Save aliases"</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
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
    let body = move || -> Value {
        json!({ "name": name.get(), "ingest_aliases": list(&aliases.get()), "custom_fields": key_values(&fields.get()) })
    };
    // Validate as you type: the same call on a scratch copy of the state.
    let error = Signal::derive(move || {
        if touched.get() {
            s.check(&[("POST /v1/customers", &body())])
        } else {
            None
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        // Keep what was typed on an error; it shows beside the field it names.
        if s.apply_one("POST /v1/customers", &body()).is_ok() {
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
            <FieldError error paths=&["name", ""] />
            <label for="customer-aliases">"Ingest aliases (comma separated)"</label>
            <input id="customer-aliases" name="ingest_aliases" bind:value=aliases autocomplete="off" />
            <FieldError error paths=&["ingest_aliases"] />
            <label for="customer-fields">"Custom fields (one key=value a line)"</label>
            <textarea id="customer-fields" rows="2" prop:value=move || fields.get() on:input=move |ev| fields.set(event_target_value(&ev))></textarea>
            <FieldError error paths=&["custom_fields"] />
            <FormError error all=&["name", "", "ingest_aliases", "custom_fields"] />
            <button type="submit">"Create customer"</button>
        </form>
    }
}
