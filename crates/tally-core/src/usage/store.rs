//! The usage store: every ingested event, kept compactly and exactly. Strings are interned, times are
//! integers (nanoseconds since 1970, UTC), property values are typed, and transaction ids sit in one
//! arena with a hash table of row numbers, so de-duplication costs a few bytes per event beyond the id.
//! Events read back exactly as they came (export, the not-billed list); rating reads the hourly index
//! built from them (`hourly`).

use super::event::Event;
use super::hourly::{External, Hourly, Layout};
use super::intern::{Interner, Recent, Sym};
use crate::metric::Props;
use crate::time::Timestamp;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};

// Their paths from before they had files of their own.
pub use super::external::{AddAggregates, AggregatePart, AggregateRef};
pub use super::shared::Usage;

/// A property value as stored: texts and number texts are interned (a number keeps its exact text).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Val {
    /// JSON `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its exact text.
    Num(Sym),
    /// A string.
    Text(Sym),
    /// An array or object, as compact JSON text. Never a dimension or a quantity; kept for export.
    Json(Sym),
}

pub(crate) const FALSE: Sym = 0;
pub(crate) const TRUE: Sym = 1;

/// Every ingested event, once, compactly and exactly: interned text, integer times, typed property values.
pub struct Store {
    pub(crate) strings: Interner,
    /// Transaction ids; the id of row `i` is symbol `i`, so the arena is also the de-duplication set.
    txs: Interner,
    pub(crate) keys: Vec<Sym>,
    pub(crate) types: Vec<Sym>,
    pub(crate) times: Vec<i64>,
    prop_ends: Vec<u32>,
    props: Vec<(Sym, Val)>,
    /// Rows per customer key (id or alias as the event gave it), in ingest order.
    by_key: FxHashMap<Sym, Vec<u32>>,
    /// The hourly index, built on first need and kept up to date lazily (see `hourly`).
    pub(super) hourly: Mutex<Option<Arc<Hourly>>>,
    /// Aggregates made outside Tally, merged into every hourly index built (`add_aggregates`).
    pub(crate) external: Option<Arc<External>>,
}

impl Default for Store {
    fn default() -> Self {
        let mut strings = Interner::default();
        strings.intern("false");
        strings.intern("true");
        Store {
            strings,
            txs: Interner::default(),
            keys: Vec::new(),
            types: Vec::new(),
            times: Vec::new(),
            prop_ends: Vec::new(),
            props: Vec::new(),
            by_key: FxHashMap::default(),
            hourly: Mutex::new(None),
            external: None,
        }
    }
}

impl Clone for Store {
    fn clone(&self) -> Self {
        Store {
            strings: self.strings.clone(),
            txs: self.txs.clone(),
            keys: self.keys.clone(),
            types: self.types.clone(),
            times: self.times.clone(),
            prop_ends: self.prop_ends.clone(),
            props: self.props.clone(),
            by_key: self.by_key.clone(),
            hourly: Mutex::new(self.cached_hourly()),
            external: self.external.clone(),
        }
    }
}

pub(crate) fn nanos(t: Timestamp) -> i64 {
    // Tally's years (2000–2199) are well inside i64 nanoseconds (1677–2262).
    t.0.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

pub(crate) fn timestamp(ns: i64) -> Timestamp {
    Timestamp(chrono::DateTime::from_timestamp_nanos(ns))
}

/// Where a batch began, to take it back whole if any event of it is refused.
#[derive(Clone, Copy)]
pub struct Mark(usize);

impl Store {
    /// How many events are stored.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no event is stored.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether an event with this transaction id is stored.
    pub fn contains_transaction(&self, id: &str) -> bool {
        self.txs.find(id).is_some()
    }

    /// The stored transaction ids as the de-duplication set they are (the warehouse starts its own
    /// from a copy, so the state's ids count first).
    pub fn transaction_ids(&self) -> &Interner {
        &self.txs
    }

    /// Room for `n` more events.
    pub fn reserve(&mut self, n: usize) {
        self.txs.reserve(n);
        self.keys.reserve(n);
        self.types.reserve(n);
        self.times.reserve(n);
        self.prop_ends.reserve(n);
        self.props.reserve(2 * n);
    }

    /// A point to roll back to (`rollback`).
    pub fn mark(&self) -> Mark {
        Mark(self.len())
    }

    /// Takes back every row added since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        let n = mark.0;
        // A reader claims a batch's ids before it adds their rows: ids may outnumber rows.
        if self.len() <= n && self.txs.len() <= n {
            return;
        }
        for i in n..self.len() {
            if let Some(rows) = self.by_key.get_mut(&self.keys[i]) {
                rows.pop();
            }
        }
        self.txs.truncate(n);
        self.keys.truncate(n);
        self.types.truncate(n);
        self.times.truncate(n);
        self.prop_ends.truncate(n);
        self.props
            .truncate(self.prop_ends.last().copied().unwrap_or(0) as usize);
        let hourly = self.hourly.get_mut().unwrap_or_else(|e| e.into_inner());
        if hourly.as_ref().is_some_and(|h| h.rows > n) {
            *hourly = None;
        }
    }

    /// Takes a transaction id for a row about to be added: false when it is already stored. The
    /// row must then be added (`push_row`) before any other id is taken, or the batch rolled back:
    /// the id of row `i` is symbol `i`.
    pub(crate) fn claim_transaction(&mut self, id: &str) -> bool {
        let n = self.txs.len();
        self.txs.intern(id) as usize == n
    }

    /// Adds the row whose transaction id was just claimed.
    pub(crate) fn push_row(&mut self, key: Sym, ty: Sym, at: i64, props: &[(Sym, Val)]) {
        let n = self.keys.len();
        self.keys.push(key);
        self.types.push(ty);
        self.times.push(at);
        self.props.extend_from_slice(props);
        self.prop_ends.push(self.props.len() as u32);
        self.by_key.entry(key).or_default().push(n as u32);
    }

    /// Adds an event already parsed; false when its transaction id is already stored.
    pub fn push(&mut self, e: &Event) -> bool {
        let props: Vec<(Sym, Val)> = e
            .properties
            .iter()
            .map(|(k, v)| (self.strings.intern(k), self.value(v)))
            .collect();
        let key = self.strings.intern(&e.customer_id);
        let ty = self.strings.intern(&e.event_type);
        let fresh = self.claim_transaction(&e.transaction_id);
        if fresh {
            self.push_row(key, ty, nanos(e.timestamp), &props);
        }
        fresh
    }

    pub(crate) fn value(&mut self, v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Num(self.intern(n.as_str())),
            Value::String(s) => Val::Text(self.intern(s)),
            other => Val::Json(self.intern(&other.to_string())),
        }
    }

    pub(crate) fn intern(&mut self, s: &str) -> Sym {
        self.strings.intern(s)
    }

    /// `intern`, through a reader's cache of recent short texts.
    pub(crate) fn intern_recent(&mut self, recent: &mut Recent, s: &str) -> Sym {
        recent.intern(&mut self.strings, s)
    }

    /// The text an interned value stands for.
    pub fn text(&self, sym: Sym) -> &str {
        self.strings.get(sym)
    }

    /// The transaction id of the `i`-th event.
    pub fn transaction_id(&self, i: usize) -> &str {
        self.txs.get(i as Sym)
    }

    /// The value of property `key` among `props` (a stored row's, or a row being read).
    pub(crate) fn lookup(&self, props: &[(Sym, Val)], key: &str) -> Option<Val> {
        let k = self.strings.find(key)?;
        props.iter().find(|p| p.0 == k).map(|p| p.1)
    }

    pub(crate) fn props_of(&self, i: usize) -> &[(Sym, Val)] {
        let start = if i == 0 { 0 } else { self.prop_ends[i - 1] as usize };
        &self.props[start..self.prop_ends[i] as usize]
    }

    /// The `i`-th event, read in place.
    pub fn event_ref(&self, i: usize) -> EventRef<'_> {
        EventRef { store: self, i }
    }

    /// The stored event `i` as it was ingested.
    pub fn event(&self, i: usize) -> Event {
        let properties: Map<String, Value> = self
            .props_of(i)
            .iter()
            .map(|&(k, v)| (self.text(k).to_string(), self.json(v)))
            .collect();
        Event {
            transaction_id: self.transaction_id(i).to_string(),
            customer_id: self.text(self.keys[i]).to_string(),
            event_type: self.text(self.types[i]).to_string(),
            timestamp: timestamp(self.times[i]),
            properties,
        }
    }

    /// Every event, in the order stored, as ingested.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.len()).map(|i| self.event(i))
    }

    pub(crate) fn json(&self, v: Val) -> Value {
        match v {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(b),
            Val::Text(s) => Value::String(self.text(s).to_string()),
            Val::Num(s) | Val::Json(s) => serde_json::from_str(self.text(s)).unwrap_or(Value::Null),
        }
    }

    /// The value as text, the form filters and group keys compare on (`metric::property_text`).
    pub(crate) fn text_of(v: Val) -> Option<Sym> {
        match v {
            Val::Text(s) | Val::Num(s) => Some(s),
            Val::Bool(b) => Some(if b { TRUE } else { FALSE }),
            Val::Null | Val::Json(_) => None,
        }
    }

    /// The value as a number, as `metric::property_decimal` reads it.
    pub(crate) fn decimal_of(&self, v: Val) -> Option<Decimal> {
        match v {
            Val::Num(s) => crate::metric::number_decimal(self.text(s)),
            Val::Text(s) => self.text(s).trim().parse().ok(),
            _ => None,
        }
    }

    /// The rows whose customer key is `key`, in ingest order.
    pub(crate) fn rows_of(&self, key: &str) -> &[u32] {
        self.strings
            .find(key)
            .and_then(|k| self.by_key.get(&k))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn cached_hourly(&self) -> Option<Arc<Hourly>> {
        self.hourly.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The hourly index with at least `layout`'s dimensions and measures, over every stored row:
    /// the cached one if it has them (brought up to date with rows added since), else rebuilt from the
    /// raw rows, keeping what the old one kept apart too, so two layouts never rebuild in turn.
    pub fn hourly(&self, layout: &Layout) -> Arc<Hourly> {
        let mut cache = self.hourly.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = match cache.take() {
            Some(h) if h.layout.covers(layout) => {
                let mut h = h;
                if h.rows < self.len() {
                    Arc::make_mut(&mut h).extend(self);
                }
                h
            }
            Some(h) => Arc::new(Hourly::build(self, h.layout.union(layout))),
            None => Arc::new(Hourly::build(self, layout.clone())),
        };
        *cache = Some(fresh.clone());
        fresh
    }

    /// Bytes held by the rows, the strings and the transaction ids (not the hourly index).
    pub fn bytes(&self) -> (usize, usize) {
        let rows = self.keys.capacity() * 4
            + self.types.capacity() * 4
            + self.times.capacity() * 8
            + self.prop_ends.capacity() * 4
            + self.props.capacity() * std::mem::size_of::<(Sym, Val)>()
            + self.by_key.values().map(|v| v.capacity() * 4).sum::<usize>()
            + self.strings.bytes();
        (rows, self.txs.bytes())
    }

    /// Events `range` as NDJSON text, one event per line (how the app keeps usage in IndexedDB).
    pub fn ndjson(&self, range: std::ops::Range<usize>) -> String {
        let mut out = String::new();
        for i in range {
            out.push_str(&serde_json::to_string(&self.event(i)).unwrap_or_default());
            out.push('\n');
        }
        out
    }

    /// A store of the rows `keep` accepts, in their order (deleting usage).
    pub fn retain(&self, mut keep: impl FnMut(EventRef<'_>) -> bool) -> Store {
        let mut out = Store::default();
        for i in 0..self.len() {
            if keep(self.event_ref(i)) {
                out.push(&self.event(i));
            }
        }
        out
    }
}

/// A stored event, read in place.
#[derive(Clone, Copy)]
pub struct EventRef<'a> {
    pub(crate) store: &'a Store,
    pub(crate) i: usize,
}

impl<'a> EventRef<'a> {
    /// The customer key the event was sent under (a Tally id or an ingest alias).
    pub fn customer_key(&self) -> &'a str {
        self.store.text(self.store.keys[self.i])
    }
    /// The event's type.
    pub fn event_type(&self) -> &'a str {
        self.store.text(self.store.types[self.i])
    }
    /// When it happened.
    pub fn at(&self) -> Timestamp {
        timestamp(self.store.times[self.i])
    }
    pub(crate) fn value(&self, key: &str) -> Option<Val> {
        self.store.lookup(self.store.props_of(self.i), key)
    }
}

impl Props for EventRef<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        let v = self.value(key)?;
        Store::text_of(v).map(|s| self.store.text(s))
    }
}
