//! Usage: paste events (JSON or CSV), import a file of any size, generate sample usage, delete usage;
//! what is saved; and the events that bill nothing, with the reason (GET /v1/usage/unmatched).

use crate::components::field_error::FormError;
use crate::components::money::day;
use crate::components::pickers::{customers, metrics, Picker};
use crate::components::usage_delete::UsageDelete;
use crate::components::usage_import::UsageImport;
use crate::csv::parse_events;
use crate::store::store;
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;

const CALL: &str = "POST /v1/ingest";

/// How long the box waits after the last keystroke before checking what was typed.
const SETTLE_MS: i32 = 400;

#[component]
pub fn Usage() -> impl IntoView {
    // The events box's text, and the text as last checked: on paste, or once typing stops, never on
    // every keystroke (parsing a box of 50,000 events takes longer than a keystroke may).
    let text = RwSignal::new(String::new());
    let settled = RwSignal::new(String::new());
    view! {
        <section class="card">
            <h2>"Ingest usage"</h2>
            <UsageCounts />
            <IngestForm text settled />
            <UsageImport />
            <SampleUsage text settled />
            <UsageDelete />
        </section>
        <NotBilledList />
    }
}

/// The events box: paste or type events (JSON or CSV), checked by the core once typing settles
/// (`settled`), and ingested.
#[component]
fn IngestForm(text: RwSignal<String>, settled: RwSignal<String>) -> impl IntoView {
    let s = store();
    let settle_later = settle_later(text, settled);
    let done = RwSignal::new(None::<String>);
    let parsed = Memo::new(move |_| {
        let t = settled.get();
        (!t.trim().is_empty()).then(|| parse_events(&t))
    });
    // A refused CSV row is named by its line as the text shows it, with the format expected.
    let error = Signal::derive(move || match parsed.get() {
        Some(Ok((body, lines))) => {
            s.state
                .with(|st| tally_core::api::check_ingest(st, &body).err())
                .map(|e| match lines.as_deref().and_then(|l| crate::csv::on_line(&e, l, 0)) {
                    Some(m) => tally_core::Error::new(e.code, "", m),
                    None => e,
                })
        }
        _ => None,
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        settled.set(text.get_untracked());
        let Ok((body, _)) = parse_events(&text.get_untracked()) else {
            return;
        };
        if let Ok(a) = s.apply_one(CALL, &body) {
            done.set(Some(ingested(&a)));
            text.set(String::new());
            settled.set(String::new());
        }
    };
    view! {
        <form class="form wide" on:submit=submit>
            <label for="usage-events">"Events (JSON array or CSV with a header row)"</label>
            <textarea id="usage-events" class="code" rows="10" placeholder="transaction_id,customer_id,event_type,timestamp,cpu_hours,region"
                prop:value=move || text.get()
                on:input=move |ev| { text.set(event_target_value(&ev)); done.set(None); settle_later() }
                on:paste=move |_| settle_later()></textarea>
            {move || parsed.get().and_then(Result::err).map(|e| view! { <p class="field-error">{e}</p> })}
            <FormError error all=&[] />
            <button type="submit">"Ingest events"</button>
            {move || done.get().map(|m| view! { <p class="note ok" role="status">{m}</p> })}
        </form>
    }
}

/// A debounce: the returned function copies `text` into `settled` once typing has stopped for
/// `SETTLE_MS` (a later call restarts the wait); the wait is dropped with the page.
fn settle_later(text: RwSignal<String>, settled: RwSignal<String>) -> impl Fn() + Copy {
    let timer = StoredValue::new(None::<i32>);
    on_cleanup(move || {
        if let Some(t) = timer.try_get_value().flatten() {
            window().clear_timeout_with_handle(t);
        }
    });
    move || {
        if let Some(t) = timer.get_value() {
            window().clear_timeout_with_handle(t);
        }
        // The page may be gone by then (navigated away): the signals are then disposed, and skipped.
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(t) = text.try_get_untracked() {
                let _ = settled.try_set(t);
            }
        });
        timer.set_value(
            window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), SETTLE_MS)
                .ok(),
        );
    }
}

/// What an ingest answered, as a sentence: "Ingested 3 events (0 duplicates skipped)." and how many
/// bill nothing yet.
fn ingested(answer: &Value) -> String {
    let data = &answer["data"];
    let not_billed: u64 = data["not_billed"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    let warning = if not_billed > 0 {
        format!(" {not_billed} of them bill nothing yet: see why below.")
    } else {
        String::new()
    };
    format!(
        "Ingested {} events ({} duplicates skipped).{warning}",
        data["ingested"], data["duplicates"]
    )
}

/// One event that bills nothing, as its row shows it.
#[derive(Clone, PartialEq, Eq, Hash)]
struct NotBilled {
    transaction_id: String,
    customer_key: String,
    event_type: String,
    time: String,
    properties: String,
    reason: String,
}

impl From<tally_core::unbilled::Unbilled> for NotBilled {
    fn from(u: tally_core::unbilled::Unbilled) -> Self {
        let e = u.event;
        NotBilled {
            properties: serde_json::to_string(&e.properties).unwrap_or_default(),
            transaction_id: e.transaction_id,
            customer_key: e.customer_id,
            event_type: e.event_type,
            time: e.timestamp.to_string(),
            reason: u.message,
        }
    }
}

/// Two contracts that could take the same usage, as a sentence: "API from 2025-01-01: Acme 2025
/// takes it, not Acme EU".
fn ambiguity(st: &tally_core::State, a: &tally_core::rating::Ambiguity) -> String {
    let contract = |id: &String| {
        st.contracts
            .get(id)
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| id.clone())
    };
    let product = st
        .products
        .get(&a.product_id)
        .map_or_else(|| a.product_id.clone(), |p| p.name.clone());
    let [first, second] = &a.contract_ids;
    format!(
        "{product} from {}: {} takes it, not {}",
        day(a.starting_at),
        contract(first),
        contract(second)
    )
}

/// The events that bill nothing, with the reason (the first `SHOWN` of them), and the usage two
/// contracts could take.
#[component]
fn NotBilledList() -> impl IntoView {
    let s = store();
    let unmatched = Memo::new(move |_| {
        s.state.with(|st| {
            let all = tally_core::unbilled::unbilled(st);
            let count = all.len();
            let rows: Vec<NotBilled> = all.into_iter().take(SHOWN).map(NotBilled::from).collect();
            (count, rows)
        })
    });
    let ambiguous = Memo::new(move |_| {
        s.state.with(|st| {
            tally_core::rating::ambiguities(st)
                .iter()
                .map(|a| ambiguity(st, a))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card">
            <h2>"Usage that bills nothing"</h2>
            <p class="muted">"Stored events that no invoice counts, each with the reason: no customer has the key (add it as an alias and they are billed, retroactively), no metric reads the event type, a value is not a number, no contract claims the event at its time, or the contract that claims it has no price for it."</p>
            {move || {
                let count = unmatched.with(|(count, _)| *count);
                (count > SHOWN).then(|| view! { <p class="muted">{format!("The first {SHOWN} of {count} are listed.")}</p> })
            }}
            {move || (!ambiguous.with(Vec::is_empty)).then(|| view! {
                <div class="note warn ambiguities" role="note">
                    <p>"Usage that two contracts could take (neither has a usage filter, both price the product): the earlier contract takes it. Set a usage filter if another split is meant."</p>
                    <ul>{ambiguous.get().into_iter().map(|a| view! { <li class="ambiguity">{a}</li> }).collect_view()}</ul>
                </div>
            })}
            <table>
                <thead><tr><th scope="col">"Transaction"</th><th scope="col">"Customer key"</th><th scope="col">"Event type"</th><th scope="col">"Time"</th><th scope="col">"Properties"</th><th scope="col">"Why it bills nothing"</th></tr></thead>
                // Keyed by the event and its reason: a new unmatched event adds a row, the rest stay.
                <tbody><For each=move || unmatched.with(|(_, rows)| rows.clone()) key=|e| e.clone() let:e>
                    <tr class="unmatched-row"><td class="mono">{e.transaction_id}</td><td>{e.customer_key}</td>
                    <td>{e.event_type}</td><td>{e.time}</td><td class="mono">{e.properties}</td><td class="reason">{e.reason}</td></tr>
                </For></tbody>
            </table>
        </section>
    }
}

/// Rows of the not-billed list drawn at most (the rest are counted).
const SHOWN: usize = 200;

/// What is stored where: events in this tab, and how many of them this browser has saved.
#[component]
fn UsageCounts() -> impl IntoView {
    let s = store();
    let line = move || {
        let u = s.usage.get();
        let here = s.state.with(|st| st.events.len());
        if u.loading {
            return format!("{here} events in this tab; reading the saved usage\u{2026}");
        }
        let unsaved = here.saturating_sub(u.saved);
        let state = if u.writing {
            "saving\u{2026}".to_string()
        } else if u.epoch != u.synced_epoch || unsaved > 0 {
            format!("{unsaved} not saved yet")
        } else {
            "all saved".to_string()
        };
        format!(
            "{here} events in this tab; {} saved in this browser ({state}).",
            u.saved.min(here)
        )
    };
    view! { <p class="muted usage-counts" role="status">{line}</p> }
}

/// Fills the events box with sample usage for a customer and metric: one event a day for a month,
/// varying quantities, cycling through a few group values. The user reviews it and ingests it.
#[component]
fn SampleUsage(text: RwSignal<String>, settled: RwSignal<String>) -> impl IntoView {
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
        let event_type = m
            .event_type_filter
            .and_then(|f| f.in_values)
            .and_then(|v| v.into_iter().next())
            .unwrap_or_else(|| "event".to_string());
        let key = m.aggregation_key;
        let group_key = m.group_keys.into_iter().next().and_then(|g| g.into_iter().next());
        let values = crate::forms::list(&groups.get_untracked());
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
        settled.set(text.get_untracked());
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
