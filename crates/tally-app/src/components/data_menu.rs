//! Export the state as a JSON file (or as a scenario file: the calls that rebuild it), import one, or reset to empty (after a confirmation). The file is
//! `tally_core::state::export`'s format, the same as tally-wasm's `exportState`.

use crate::store::{store, DemoBanner};
use leptos::prelude::*;
use tally_core::State;
use wasm_bindgen::JsCast;

pub fn download(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

/// The state as a scenario file's text, and the calls that would not rebuild it. A chunk of its own:
/// checking the rebuild replays every call through the core's API (every request parser).
#[lazy]
pub fn scenario_text(st: State, now: tally_core::Timestamp) -> (String, Vec<String>) {
    let (scenario, notes) = tally_core::scenario::from_state(&st, now, Some("Exported from the Tally app"));
    (serde_json::to_string_pretty(&scenario).unwrap_or_default(), notes)
}

/// What the menu last did, or why it could not: (done, sentence).
type Message = RwSignal<Option<(bool, String)>>;

#[component]
pub fn DataMenu() -> impl IntoView {
    let s = store();
    let message: Message = RwSignal::new(None);
    let export = move |_| {
        let text = s.state.with_untracked(tally_core::state::export);
        if let Err(e) = download("tally-state.json", &text) {
            message.set(Some((false, format!("Export failed: {e:?}"))));
        }
    };
    let reset = move |_| {
        if window()
            .confirm_with_message(
                "Reset Tally to empty? Everything in this browser will be removed (export first to keep it).",
            )
            .unwrap_or(false)
        {
            s.replace_state(State::default());
            s.demo.set(DemoBanner::Offered);
        }
    };
    view! {
        <div class="data-menu">
            <UndoRedo message />
            <button type="button" class="secondary" on:click=export>"Export"</button>
            <button type="button" class="secondary" on:click=move |_| export_scenario(message) title="The calls that rebuild this model and its usage, for tally test and tally diff">"Export scenario"</button>
            <label class="file-button">"Import"
                <input id="import-file" type="file" accept="application/json,.json" class="visually-hidden" on:change=move |ev| import(&ev, message) />
            </label>
            <button type="button" class="secondary danger" on:click=reset>"Reset"</button>
            {move || message.get().map(|(ok, m)| view! { <span class=if ok { "note ok" } else { "note bad" } role="status">{m}</span> })}
        </div>
    }
}

/// The model and its usage as a scenario file (the calls that rebuild it), to go into a repository and
/// through `tally test` / `tally diff`. A call the rebuild would refuse is said, not hidden.
fn export_scenario(message: Message) {
    let st = store().state.get_untracked();
    leptos::task::spawn_local(async move {
        let (text, notes) = scenario_text(st, crate::store::now()).await;
        match download("tally-scenario.json", &text) {
            Err(e) => message.set(Some((false, format!("Export failed: {e:?}")))),
            Ok(()) if notes.is_empty() => {
                message.set(Some((true, "Exported as a scenario: tally-scenario.json.".into())))
            }
            Ok(()) => message.set(Some((
                false,
                format!("Exported, but not every call rebuilds: {}", notes.join("; ")),
            ))),
        }
    });
}

/// Reads the file chosen in the import input as a Tally export and replaces the state with it; a file
/// that is not one leaves the state as it was.
fn import(ev: &leptos::ev::Event, message: Message) {
    let s = store();
    let input: web_sys::HtmlInputElement = event_target(ev);
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        match tally_core::state::import(&text) {
            Ok(st) => {
                s.replace_state(st);
                s.demo.set(DemoBanner::Hidden);
                message.set(Some((true, "Imported.".into())));
            }
            // The current state stays as it was.
            Err(e) => message.set(Some((false, format!("That file is not a Tally export: {e}")))),
        }
    });
}

/// Undo and redo: buttons, and Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y; ⌘ on a Mac) anywhere but in a text
/// field, where the browser's own text undo keeps working.
#[component]
fn UndoRedo(message: Message) -> impl IntoView {
    let s = store();
    let undo = move || {
        if let Some(what) = s.undo() {
            message.set(Some((true, format!("Undone: {what}."))));
        }
    };
    let redo = move || {
        if let Some(what) = s.redo() {
            message.set(Some((true, format!("Redone: {what}."))));
        }
    };
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable")
            });
        if typing || !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        match (ev.key().to_ascii_lowercase().as_str(), ev.shift_key()) {
            ("z", false) => {
                ev.prevent_default();
                undo();
            }
            ("z", true) | ("y", false) => {
                ev.prevent_default();
                redo();
            }
            _ => {}
        }
    });
    let last_undo = move || s.history.with(|h| h.undo.last().map(|(w, _)| w.clone()));
    let last_redo = move || s.history.with(|h| h.redo.last().map(|(w, _)| w.clone()));
    view! {
        <button type="button" class="secondary" on:click=move |_| undo() prop:disabled=move || last_undo().is_none()
            title=move || last_undo().map(|w| format!("Undo {w} (Ctrl+Z)")).unwrap_or_else(|| "Nothing to undo".into())>"Undo"</button>
        <button type="button" class="secondary" on:click=move |_| redo() prop:disabled=move || last_redo().is_none()
            title=move || last_redo().map(|w| format!("Redo {w} (Ctrl+Shift+Z)")).unwrap_or_else(|| "Nothing to redo".into())>"Redo"</button>
    }
}
