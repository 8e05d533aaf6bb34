//! The whole Tally state lives in localStorage under one versioned key, written on every change.
//! Nothing the user made is ever silently lost: a stored value that cannot be read is copied to a
//! backup key before anything else happens, and a failed save (quota) keeps the last good save.

use gloo_storage::{LocalStorage, Storage};
use tally_core::State;

pub const KEY: &str = "tally.state.v1";
pub const BACKUP_KEY: &str = "tally.state.v1.backup";

#[derive(Debug, Clone, PartialEq)]
pub enum StorageProblem {
    /// The stored value was not a Tally state; it was kept under `BACKUP_KEY`.
    Corrupt { detail: String },
    /// Saving failed (most often QuotaExceededError); the previous save is untouched.
    SaveFailed { detail: String },
}

impl StorageProblem {
    pub fn message(&self) -> String {
        match self {
            StorageProblem::Corrupt { detail } => format!(
                "The saved Tally data could not be read ({detail}). It was kept as a backup under \
                 localStorage key \u{201c}{BACKUP_KEY}\u{201d}; Tally started empty."
            ),
            StorageProblem::SaveFailed { detail } => format!(
                "Your last change could not be saved ({detail}). It is kept in this tab; the previous save is untouched. \
                 Export your data or free some browser storage."
            ),
        }
    }
}

/// What was stored: `Ok(None)` when nothing was.
pub fn load() -> (Option<State>, Option<StorageProblem>) {
    let raw = match LocalStorage::raw().get_item(KEY) {
        Ok(Some(raw)) => raw,
        _ => return (None, None),
    };
    match tally_core::state::import(&raw) {
        Ok(state) => (Some(state), None),
        Err(e) => {
            // Keep the unreadable value aside before anything can overwrite it.
            let kept = LocalStorage::raw().set_item(BACKUP_KEY, &raw).is_ok();
            let detail = if kept {
                e.to_string()
            } else {
                format!("{e}; the backup copy could not be written either")
            };
            (None, Some(StorageProblem::Corrupt { detail }))
        }
    }
}

/// Stores an export (`tally_core::state::export`); on failure the previous save is untouched.
pub fn save_text(text: &str) -> Result<(), StorageProblem> {
    LocalStorage::raw().set_item(KEY, text).map_err(|e| {
        let detail = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()) + ": " + &String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the browser refused to store it".to_string());
        StorageProblem::SaveFailed { detail }
    })
}

use wasm_bindgen::JsCast;
