//! What happened to the saved data, said once at the top: dismissable, and for an unreadable save,
//! its backup can be downloaded (to repair by hand or send) and restored (when it reads after all,
//! e.g. after an upgrade); restoring asks first and never deletes the backup.

use crate::components::data_menu::download;
use crate::storage::StorageProblem;
use crate::store::{store, DemoBanner};
use gloo_storage::Storage;
use leptos::prelude::*;

#[component]
pub fn StorageAlert() -> impl IntoView {
    let s = store();
    let outcome = RwSignal::new(None::<String>);
    let backup_key = move || match s.problem.get() {
        Some(StorageProblem::Corrupt { backup, .. }) if backup != "(none)" => Some(backup),
        _ => None,
    };
    let raw = |key: &str| gloo_storage::LocalStorage::raw().get_item(key).ok().flatten();
    let download_backup = move |_| {
        let Some(key) = backup_key() else { return };
        let name = format!("{}.json", key.replace(':', "-"));
        let result = raw(&key)
            .ok_or_else(|| "it is no longer in this browser".to_string())
            .and_then(|text| download(&name, &text).map_err(|e| format!("{e:?}")));
        if let Err(e) = result {
            outcome.set(Some(format!("The backup could not be downloaded: {e}")));
        }
    };
    let restore_backup = move |_| {
        let Some(key) = backup_key() else { return };
        if !window()
            .confirm_with_message("Restore the backup? It replaces what is in Tally now (the backup itself is kept).")
            .unwrap_or(false)
        {
            return;
        }
        match raw(&key).map(|text| tally_core::state::import(&text)) {
            Some(Ok(st)) => {
                s.replace_state(st);
                s.demo.set(DemoBanner::Hidden);
                s.problem.set(None);
            }
            Some(Err(e)) => outcome.set(Some(format!(
                "The backup cannot be read either ({e}); it stays under \u{201c}{key}\u{201d}. Download it to repair it by hand."
            ))),
            None => outcome.set(Some("The backup is no longer in this browser.".to_string())),
        }
    };
    move || {
        s.problem.get().map(|p| {
            view! {
                <div class="banner error" role="alert">
                    <p>{p.message()}</p>
                    {move || outcome.get().map(|m| view! { <p class="field-error">{m}</p> })}
                    <div class="row">
                        {backup_key().map(|_| view! {
                            <button type="button" class="secondary" on:click=download_backup>"Download the backup"</button>
                            <button type="button" class="secondary" on:click=restore_backup>"Restore the backup"</button>
                        })}
                        <button type="button" class="secondary" on:click=move |_| { outcome.set(None); s.problem.set(None); }>"Dismiss"</button>
                    </div>
                </div>
            }
        })
    }
}
