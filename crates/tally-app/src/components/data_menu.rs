//! Export the state as a JSON file, import one, or reset to empty (after a confirmation). The file is
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

#[component]
pub fn DataMenu() -> impl IntoView {
    let s = store();
    let message = RwSignal::new(None::<(bool, String)>);
    let export = move |_| {
        let text = s.state.with_untracked(tally_core::state::export);
        if let Err(e) = download("tally-state.json", &text) {
            message.set(Some((false, format!("Export failed: {e:?}"))));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
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
            <button type="button" class="secondary" on:click=export>"Export"</button>
            <label class="file-button">"Import"
                <input id="import-file" type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
            </label>
            <button type="button" class="secondary danger" on:click=reset>"Reset"</button>
            {move || message.get().map(|(ok, m)| view! { <span class=if ok { "note ok" } else { "note bad" } role="status">{m}</span> })}
        </div>
    }
}
