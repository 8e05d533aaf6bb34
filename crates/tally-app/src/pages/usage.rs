//! Usage: paste or upload events (JSON or CSV), or generate sample usage, then ingest; and the events
//! bill nothing, with the reason (GET /v1/usage/unmatched).

use crate::components::field_error::FormError;
use crate::components::pickers::{customers, metrics, Picker};
use crate::csv::parse_events;
use crate::store::{live_error, store};
use leptos::prelude::*;
use serde_json::{json, Value};

const CALL: &str = "POST /v1/ingest";

#[component]
pub fn Usage() -> impl IntoView {
    let s = store();
    let text = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let parsed = move || parse_events(&text.get());
    let error = live_error(touched, move || {
        parsed().map(|b| vec![(CALL.to_string(), b)]).unwrap_or_default()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Ok(body) = parsed() else { return };
        if let Ok(a) = s.apply_one(CALL, &body) {
            let not_billed: u64 = a["data"]["not_billed"]
                .as_object()
                .map(|m| m.values().filter_map(Value::as_u64).sum())
                .unwrap_or(0);
            let warning = if not_billed > 0 {
                format!(" {not_billed} of them bill nothing yet: see why below.")
            } else {
                String::new()
            };
            done.set(Some(format!(
                "Ingested {} events ({} duplicates skipped).{warning}",
                a["data"]["ingested"], a["data"]["duplicates"]
            )));
            text.set(String::new());
            touched.set(false);
        }
    };
    let upload = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(v) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.set(v.as_string().unwrap_or_default());
                touched.set(true);
            }
        });
    };
    let unmatched = move || s.read_list("GET /v1/usage/unmatched", &Value::Null);
    let count = move || s.state.with(|st| st.events.len());
    view! {
        <section class="card">
            <h2>"Ingest usage"</h2>
            <p class="muted">{move || format!("{} events stored.", count())}</p>
            <form class="form wide" on:submit=submit>
                <label for="usage-events">"Events (JSON array or CSV with a header row)"</label>
                <textarea id="usage-events" class="code" rows="10" placeholder="transaction_id,customer_id,event_type,timestamp,cpu_hours,region"
                    prop:value=move || text.get() on:input=move |ev| { text.set(event_target_value(&ev)); touched.set(true); done.set(None) }></textarea>
                {move || if touched.get() && !text.get().trim().is_empty() { parsed().err().map(|e| view! { <p class="field-error">{e}</p> }) } else { None }}
                <FormError error all=&[] />
                <label for="usage-file">"Or upload a .json or .csv file"</label>
                <input id="usage-file" type="file" accept=".json,.csv,application/json,text/csv" on:change=upload />
                <button type="submit">"Ingest events"</button>
                {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
            </form>
            <SampleUsage text touched />
        </section>
        <section class="card">
            <h2>"Usage that bills nothing"</h2>
            <p class="muted">"Stored events that no invoice counts, each with the reason: no customer has the key (add it as an alias and they are billed, retroactively), no metric reads the event type, a value is not a number, or no contract claims the event at its time."</p>
            <table>
                <thead><tr><th scope="col">"Transaction"</th><th scope="col">"Customer key"</th><th scope="col">"Event type"</th><th scope="col">"Time"</th><th scope="col">"Properties"</th><th scope="col">"Why it bills nothing"</th></tr></thead>
                <tbody>{move || unmatched().into_iter().map(|e| view! {
                    <tr class="unmatched-row"><td class="mono">{e["transaction_id"].as_str().unwrap_or_default().to_string()}</td><td>{e["customer_id"].as_str().unwrap_or_default().to_string()}</td>
                    <td>{e["event_type"].as_str().unwrap_or_default().to_string()}</td><td>{e["timestamp"].as_str().unwrap_or_default().to_string()}</td><td class="mono">{e["properties"].to_string()}</td><td class="reason">{e["message"].as_str().unwrap_or_default().to_string()}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </section>
    }
}

/// Fills the events box with sample usage for a customer and metric: one event a day for a month,
/// varying quantities, cycling through a few group values. The user reviews it and ingests it.
#[component]
fn SampleUsage(text: RwSignal<String>, touched: RwSignal<bool>) -> impl IntoView {
    let s = store();
    let customer = RwSignal::new(String::new());
    let metric = RwSignal::new(String::new());
    let month = RwSignal::new("2025-03".to_string());
    let groups = RwSignal::new("US, EU, APAC".to_string());
    let generate = move |_| {
        let Some(m) = s
            .state
            .with_untracked(|st| st.billable_metrics.get(&metric.get_untracked()).cloned())
        else {
            return;
        };
        let m = serde_json::to_value(m).unwrap_or_default();
        let event_type = m["event_type_filter"]["in_values"][0]
            .as_str()
            .unwrap_or("event")
            .to_string();
        let key = m["aggregation_key"].as_str().map(str::to_string);
        let group_key = m["group_keys"][0][0].as_str().map(str::to_string);
        let values = crate::store::list(&groups.get_untracked());
        let month = month.get_untracked();
        let events: Vec<Value> = (1..=28)
            .map(|d| {
                let mut props = serde_json::Map::new();
                if let Some(k) = &key {
                    props.insert(k.clone(), json!((d * 37 % 50) + 1));
                }
                if let (Some(g), false) = (&group_key, values.is_empty()) {
                    props.insert(g.clone(), json!(values[d % values.len()]));
                }
                json!({ "transaction_id": format!("sample-{month}-{d:02}-{}", metric.get_untracked()), "customer_id": customer.get_untracked(),
                    "event_type": event_type, "timestamp": format!("{month}-{d:02}T12:00:00Z"), "properties": props })
            })
            .collect();
        text.set(serde_json::to_string_pretty(&events).unwrap_or_default());
        touched.set(true);
    };
    view! {
        <details class="sample">
            <summary>"Generate sample usage"</summary>
            <div class="form">
                <Picker label="Sample customer" id="sample-customer" value=customer items=customers() />
                <Picker label="Sample metric" id="sample-metric" value=metric items=metrics() />
                <label for="sample-month">"Month"</label>
                <input id="sample-month" type="month" bind:value=month />
                <label for="sample-groups">"Group values to cycle through"</label>
                <input id="sample-groups" bind:value=groups />
                <button type="button" class="secondary" on:click=generate>"Generate into the box above"</button>
            </div>
        </details>
    }
}
