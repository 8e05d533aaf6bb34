//! Usage lives in IndexedDB, which holds hundreds of MB where localStorage holds 5 MB: the events as
//! NDJSON batches (the raw events are the source of truth; the core's hourly index is rebuilt from
//! them on load). localStorage keeps, beside the model, how many events IndexedDB holds, written
//! after each commit, so a missing or damaged usage store is noticed and said, never papered over.

use gloo_storage::{LocalStorage, Storage};
use idb::{Database, ObjectStore, TransactionMode};
use wasm_bindgen::JsValue;

const DB: &str = "tally";
const STORE: &str = "usage";
/// How many events (and batches) IndexedDB holds, as last committed by some tab.
pub const META_KEY: &str = "tally.usage.v2";
/// Events per stored batch: big enough to read a million events in a few dozen gets, small enough
/// that one batch is a modest string.
pub const BATCH: usize = 100_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub events: usize,
    pub batches: u32,
}

pub fn meta() -> Option<Meta> {
    LocalStorage::get(META_KEY).ok()
}

pub fn set_meta(m: Meta) -> Result<(), String> {
    LocalStorage::set(META_KEY, m).map_err(|e| e.to_string())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn open() -> Result<Database, String> {
    Database::builder(DB)
        .version(1)
        .add_object_store(ObjectStore::builder(STORE))
        .build()
        .await
        .map_err(|e| format!("the browser's IndexedDB could not be opened ({e})"))
}

/// Every stored batch of NDJSON text, in the order written.
pub async fn load() -> Result<Vec<String>, String> {
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let values = store.get_all(None, None).map_err(err)?.await.map_err(err)?;
    let texts = values
        .into_iter()
        .map(|v| v.as_string().ok_or("a stored usage batch is not text"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(texts)
}

/// Adds a batch after the stored ones (its key is one past the highest stored, whatever the meta
/// says, so nothing is ever written over); on success the meta counts it.
pub async fn append(text: String, events: usize) -> Result<Meta, String> {
    let before = meta().unwrap_or_default();
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let keys = store.get_all_keys(None, None).map_err(err)?.await.map_err(err)?;
    let next = keys.iter().filter_map(JsValue::as_f64).fold(-1.0, f64::max) + 1.0;
    let key = JsValue::from(next);
    store
        .put(&JsValue::from(text), Some(&key))
        .map_err(err)?
        .await
        .map_err(err)?;
    let done = tx.commit().map_err(err)?.await.map_err(err)?;
    if !done.is_committed() {
        return Err("the browser aborted the write".into());
    }
    let after = Meta {
        events: before.events + events,
        batches: before.batches + 1,
    };
    set_meta(after)?;
    Ok(after)
}

/// Replaces everything stored with `batches` (each NDJSON text with its event count), in one
/// transaction: all of it or, if the browser refuses, the old usage as it was.
pub async fn replace(batches: Vec<(String, usize)>) -> Result<Meta, String> {
    let db = open().await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    store.clear().map_err(err)?.await.map_err(err)?;
    let mut m = Meta::default();
    for (text, n) in batches {
        let key = JsValue::from(m.batches);
        store
            .put(&JsValue::from(text), Some(&key))
            .map_err(err)?
            .await
            .map_err(err)?;
        m.batches += 1;
        m.events += n;
    }
    let done = tx.commit().map_err(err)?.await.map_err(err)?;
    if !done.is_committed() {
        return Err("the browser aborted the write".into());
    }
    set_meta(m)?;
    Ok(m)
}
