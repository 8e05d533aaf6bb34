//! Keeping the state: the model to localStorage on every change (`storage`), usage to IndexedDB
//! (`usage_db`) as batches appended after each ingest and rewritten after a wholesale change, read
//! back on load, synced across tabs, and a warning before the tab closes while anything is unsaved.

use crate::storage::{self, Loaded, StorageProblem};
use crate::store::Store;
use crate::usage_db;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tally_core::usage::Format;
use tally_core::State;

/// Starts persistence for `store`, whose state already holds the model. `initial` gives the events
/// that came with what was loaded (a v1 save being upgraded, or the example) and are not in IndexedDB
/// yet; it is awaited once the stored usage is read, since the example arrives in a chunk of its own
/// and its events must not be counted as saved.
pub fn start(store: Store, initial: impl std::future::Future<Output = Option<State>> + 'static, upgrading: bool) {
    store.usage.update(|u| u.loading = true);
    // The model: saved on every change, except while an upgrade is pending (the old save must stay
    // the one a reload reads until the events are safe in IndexedDB).
    let model_saving = RwSignal::new(!upgrading);
    let last = save_model(store, model_saving);
    // Usage: read IndexedDB, add what came with the load, then keep IndexedDB in step.
    spawn_local(async move {
        read_usage(store).await;
        add_initial(store, initial.await);
        if upgrading {
            finish_upgrade(store, model_saving).await;
        }
    });
    keep_usage_saved(store, model_saving);
    follow_other_tabs(store, last);
    warn_before_unload(store);
}

/// Saves the model to localStorage on every change while `model_saving`; answers the text last saved
/// (or taken from another tab), so an unchanged model is not written again.
fn save_model(store: Store, model_saving: RwSignal<bool>) -> StoredValue<String> {
    let last = StoredValue::new(String::new());
    Effect::new(move |_| {
        let text = store.state.with(tally_core::state::export_model);
        if !model_saving.get() || last.with_value(|l| *l == text) {
            return;
        }
        match storage::save_text(&text) {
            Ok(()) => {
                last.set_value(text);
                if matches!(store.problem.get_untracked(), Some(StorageProblem::SaveFailed { .. })) {
                    store.problem.set(None);
                }
            }
            Err(p) => store.problem.set(Some(p)),
        }
    });
    last
}

/// Reads IndexedDB's usage into the state, and says what could not be read (a batch, or fewer events
/// than were saved).
async fn read_usage(store: Store) {
    let before = usage_db::meta();
    let mut restored = 0;
    let mut damage = Vec::new();
    let mut stored_batches = None;
    match usage_db::load().await {
        Ok(batches) => {
            stored_batches = Some(batches.len() as u32);
            store.state.update(|st| {
                let (n, unreadable) = restore(st, &batches);
                restored = n;
                damage.extend(unreadable);
            });
        }
        Err(e) => damage.push(e),
    }
    if let Some(m) = before.filter(|m| m.events > restored) {
        damage.push(format!("{} events were saved, {restored} could be read", m.events));
        // Said once: from now on the count is what the database really gave back (nothing in it is
        // removed; a batch that cannot be read stays, and is reported at each load).
        if let Some(batches) = stored_batches {
            let _ = usage_db::set_meta(usage_db::Meta {
                events: restored,
                batches,
            });
        }
    }
    if !damage.is_empty() {
        store.problem.set(Some(StorageProblem::UsageDamaged {
            detail: damage.join("; "),
        }));
    }
}

/// Marks what IndexedDB held as saved, then adds the events that came with the load (not saved yet).
fn add_initial(store: Store, initial: Option<State>) {
    let len = store.state.with_untracked(|st| st.events.len());
    store.usage.update(|u| {
        u.loading = false;
        u.saved = len;
        u.synced_epoch = u.epoch;
    });
    if let Some(initial) = initial {
        store.state.update(|st| {
            let events = st.events.make_mut();
            for e in initial.events.events() {
                events.push(&e);
            }
        });
    }
}

/// A v1 save's upgrade: once its events are in IndexedDB, the model is saved in the new layout and
/// only then is the old key removed. A failed write leaves the old save as it was, and says so.
async fn finish_upgrade(store: Store, model_saving: RwSignal<bool>) {
    match write(store).await {
        Ok(()) => {
            model_saving.set(true);
            if storage::save_text(&store.state.with_untracked(tally_core::state::export_model)).is_ok() {
                storage::forget_v1();
            }
        }
        Err(detail) => store.problem.set(Some(StorageProblem::UpgradeFailed { detail })),
    }
}

/// Writes usage to IndexedDB whenever the state's usage is ahead of it.
fn keep_usage_saved(store: Store, model_saving: RwSignal<bool>) {
    Effect::new(move |_| {
        let u = store.usage.get();
        let len = store.state.with(|st| st.events.len());
        let behind = u.epoch != u.synced_epoch || len != u.saved;
        // After a failed write, the next change tries again (not a loop against a full disk).
        let retry = u.failed != Some((len, u.epoch));
        if behind && retry && !u.loading && !u.writing && u.importing.is_none() && !upgrading_pending(model_saving) {
            spawn_local(async move {
                if let Err(detail) = write(store).await {
                    store.problem.set(Some(StorageProblem::UsageSaveFailed { detail }));
                }
            });
        }
    });
}

/// Another tab saved the model: take it, keeping this tab's usage. Another tab wrote usage: read it
/// again, unless this tab has usage of its own not yet written.
fn follow_other_tabs(store: Store, last: StoredValue<String>) {
    let _ = window_event_listener(leptos::ev::storage, move |ev| match ev.key().as_deref() {
        Some(storage::KEY) => {
            let text = ev.new_value().unwrap_or_default();
            if let Ok(model) = tally_core::state::import(&text) {
                last.set_value(text);
                store.demo.set(crate::store::DemoBanner::Hidden);
                store.state.update(|st| {
                    let events = std::mem::take(&mut st.events);
                    *st = State { events, ..model };
                });
            }
        }
        Some(usage_db::META_KEY) => {
            let u = store.usage.get_untracked();
            let len = store.state.with_untracked(|st| st.events.len());
            if u.loading || u.writing || u.saved != len || u.epoch != u.synced_epoch {
                return;
            }
            spawn_local(async move {
                if let Ok(batches) = usage_db::load().await {
                    store.state.update(|st| {
                        st.events = Default::default();
                        restore(st, &batches);
                    });
                    let len = store.state.with_untracked(|st| st.events.len());
                    store.usage.update(|u| u.saved = len);
                }
            });
        }
        _ => {}
    });
}

/// Closing the tab while something is not saved asks first.
fn warn_before_unload(store: Store) {
    let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
        let u = store.usage.get_untracked();
        let len = store.state.with_untracked(|st| st.events.len());
        let unsaved = store.problem.get_untracked().is_some_and(|p| p.unsaved())
            || u.writing
            || u.importing.is_some()
            || (!u.loading && (len != u.saved || u.epoch != u.synced_epoch));
        if unsaved {
            ev.prevent_default();
            ev.set_return_value("Some of your work is not saved yet.");
        }
    });
}

/// Reads IndexedDB's batches into the state: how many events were added, and a sentence for each
/// batch that could not be read (it is left in the database as it is).
fn restore(st: &mut State, batches: &[String]) -> (usize, Vec<String>) {
    let mut restored = 0;
    let mut unreadable = Vec::new();
    for (i, text) in batches.iter().enumerate() {
        match tally_core::api::restore_text(st, text, Format::Ndjson) {
            Ok(n) => restored += n,
            Err(e) => unreadable.push(format!("batch {} is not readable: {e}", i + 1)),
        }
    }
    (restored, unreadable)
}

fn upgrading_pending(model_saving: RwSignal<bool>) -> bool {
    !model_saving.get_untracked()
}

/// Brings IndexedDB up to the state's usage: appends the events added since the last write, or
/// rewrites it all after a wholesale change. Loops until caught up (the state may change meanwhile).
async fn write(store: Store) -> Result<(), String> {
    store.usage.update(|u| u.writing = true);
    let result = loop {
        let u = store.usage.get_untracked();
        let (len, epoch) = (store.state.with_untracked(|st| st.events.len()), u.epoch);
        let done = if epoch != u.synced_epoch || len < u.saved {
            let batches: Vec<(String, usize)> = store.state.with_untracked(|st| {
                (0..len)
                    .step_by(usage_db::BATCH)
                    .map(|a| {
                        let b = (a + usage_db::BATCH).min(len);
                        (st.events.ndjson(a..b), b - a)
                    })
                    .collect()
            });
            usage_db::replace(batches).await
        } else if len > u.saved {
            let text = store.state.with_untracked(|st| st.events.ndjson(u.saved..len));
            usage_db::append(text, len - u.saved).await
        } else {
            break Ok(());
        };
        match done {
            Ok(_) => {
                store.usage.update(|u| {
                    u.saved = len;
                    u.synced_epoch = epoch;
                    u.failed = None;
                });
                if matches!(
                    store.problem.get_untracked(),
                    Some(StorageProblem::UsageSaveFailed { .. })
                ) {
                    store.problem.set(None);
                }
            }
            Err(e) => {
                store.usage.update(|u| u.failed = Some((len, epoch)));
                break Err(e);
            }
        }
    };
    store.usage.update(|u| u.writing = false);
    result
}

/// What `App` starts from: the model, and events that are not in IndexedDB yet.
pub fn initial(loaded: Loaded) -> (State, Option<State>, bool) {
    match loaded {
        Loaded::Nothing => (State::default(), None, false),
        Loaded::Model(m) => (m, None, false),
        Loaded::V1(st) => (st.model(), Some(st), true),
    }
}
