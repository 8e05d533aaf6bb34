//! The model (catalog, customers, contracts) lives in localStorage under one versioned key, written on
//! every change; usage lives in IndexedDB (`usage_db`). Nothing the user made is ever silently lost:
//! a stored value that cannot be read is copied to a dated backup key before anything else happens
//! (a second corruption never overwrites the first backup), and a failed save keeps the last good one.
//!
//! Saves before usage moved to IndexedDB (`tally.state.v1`, events inside) are upgraded on first load:
//! the events are written to IndexedDB, then the model to `tally.state.v2`, and only then is the old
//! key removed. An upgrade that fails leaves the old key as it was and says so.

use gloo_storage::{LocalStorage, Storage};
use tally_core::State;
use wasm_bindgen::JsCast;

pub const KEY: &str = "tally.state.v2";
pub const V1_KEY: &str = "tally.state.v1";
pub const BACKUP_PREFIX: &str = "tally.state.backup.";

#[derive(Debug, Clone, PartialEq)]
pub enum StorageProblem {
    /// The stored model was not a Tally state; it was kept under the key named.
    Corrupt { detail: String, backup: String },
    /// Saving the model failed (most often QuotaExceededError); the previous save is untouched.
    SaveFailed { detail: String },
    /// Saving usage to IndexedDB failed; the events are in this tab only.
    UsageSaveFailed { detail: String },
    /// IndexedDB could not be read, or holds fewer events than were saved.
    UsageDamaged { detail: String },
    /// The old save could not be moved to the new layout; it is still there, untouched.
    UpgradeFailed { detail: String },
    /// The saved model loaded, but names things that do not exist (`tally_core::state::dangling`).
    Dangling { refs: Vec<String> },
}

impl StorageProblem {
    pub fn message(&self) -> String {
        match self {
            StorageProblem::Corrupt { detail, backup } => format!(
                "The saved Tally data could not be read ({detail}). It was kept as a backup under \
                 localStorage key \u{201c}{backup}\u{201d}; Tally started empty."
            ),
            StorageProblem::SaveFailed { detail } => format!(
                "Your last change could not be saved ({detail}). It is kept in this tab only; the previous save is untouched. \
                 Export your data or free some browser storage before closing this tab."
            ),
            StorageProblem::UsageSaveFailed { detail } => format!(
                "Usage could not be saved to this browser's database ({detail}). The events are in this tab only: \
                 export before closing it."
            ),
            StorageProblem::UsageDamaged { detail } => format!(
                "The saved usage could not be read whole ({detail}). What could be read is loaded; \
                 the rest is left in the browser's database as it was (new usage is added after it)."
            ),
            StorageProblem::Dangling { refs } => format!(
                "The saved data loaded, but some of it points at nothing: {}. Nothing was dropped; \
                 what points at nothing bills nothing until you fix it.",
                refs.join("; ")
            ),
            StorageProblem::UpgradeFailed { detail } => format!(
                "Moving your saved data to the new storage failed ({detail}). Your data is still saved as it was \
                 (localStorage key \u{201c}{V1_KEY}\u{201d}); changes in this tab are not saved. Reload to try again, or export."
            ),
        }
    }

    /// Whether work in this tab is at risk of being lost on close.
    pub fn unsaved(&self) -> bool {
        matches!(
            self,
            StorageProblem::SaveFailed { .. }
                | StorageProblem::UsageSaveFailed { .. }
                | StorageProblem::UpgradeFailed { .. }
        )
    }
}

/// What the app starts from.
pub enum Loaded {
    Nothing,
    /// The model saved under `KEY` (its usage is in IndexedDB).
    Model(State),
    /// A save from before IndexedDB: the whole state, events inside, to upgrade.
    V1(State),
}

fn backup(raw: &str) -> Result<String, String> {
    // Dated, and never over an earlier backup.
    let stamp = String::from(js_sys::Date::new_0().to_iso_string());
    let mut key = format!("{BACKUP_PREFIX}{stamp}");
    let mut n = 1;
    while LocalStorage::raw().get_item(&key).ok().flatten().is_some() {
        n += 1;
        key = format!("{BACKUP_PREFIX}{stamp}.{n}");
    }
    LocalStorage::raw().set_item(&key, raw).map(|()| key).map_err(describe)
}

fn read(key: &str) -> Result<Option<State>, StorageProblem> {
    let Ok(Some(raw)) = LocalStorage::raw().get_item(key) else {
        return Ok(None);
    };
    tally_core::state::import(&raw).map(Some).map_err(|e| {
        // Keep the unreadable value aside before anything can overwrite it.
        match backup(&raw) {
            Ok(key) => StorageProblem::Corrupt {
                detail: e.to_string(),
                backup: key,
            },
            Err(b) => StorageProblem::Corrupt {
                detail: format!("{e}; the backup copy could not be written either ({b})"),
                backup: "(none)".into(),
            },
        }
    })
}

pub fn load() -> (Loaded, Option<StorageProblem>) {
    match read(KEY) {
        Ok(Some(model)) => return (Loaded::Model(model), None),
        Err(p) => return (Loaded::Nothing, Some(p)),
        Ok(None) => {}
    }
    match read(V1_KEY) {
        Ok(Some(st)) => (Loaded::V1(st), None),
        Ok(None) => (Loaded::Nothing, None),
        Err(p) => (Loaded::Nothing, Some(p)),
    }
}

/// The upgrade is done: the old save goes (its events are in IndexedDB, its model under `KEY`).
pub fn forget_v1() {
    LocalStorage::delete(V1_KEY);
}

fn describe(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.name()) + ": " + &String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused to store it".to_string())
}

/// Stores the model (`tally_core::state::export_model`); on failure the previous save is untouched.
pub fn save_text(text: &str) -> Result<(), StorageProblem> {
    LocalStorage::raw()
        .set_item(KEY, text)
        .map_err(|e| StorageProblem::SaveFailed { detail: describe(e) })
}
