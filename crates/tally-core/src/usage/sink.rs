//! Where events read from text land: the sink interns an event's keys and values and stores it,
//! once its value checks pass, or counts it a duplicate of a stored transaction id. Both readers
//! (serde's, in `parse`, and the fast scanner, in `scan`) feed it.

use super::event::{Incoming, Reads, ValueCheck};
use super::intern::{Recent, Sym};
use super::store::{Store, Val};
use crate::error::{Error, Result};
use crate::metric::Props;

/// What a batch did: events added and events whose transaction id was already stored.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// Events stored.
    pub added: usize,
    /// Events whose transaction id was stored already: counted once, not stored again.
    pub duplicates: usize,
}

pub(super) struct Sink<'s, 'm> {
    pub(super) store: &'s mut Store,
    pub(super) check: Option<ValueCheck<'m>>,
    pub(super) props: Vec<(Sym, Val)>,
    pub(super) recent: Recent,
    /// Whether a value reads as a number, per distinct value (the same few values recur).
    pub(super) numbers: rustc_hash::FxHashMap<Val, bool>,
    pub(super) index: usize,
    pub(super) field: &'static str,
    /// A refusal that is Tally's, not JSON's (it keeps its own path and message).
    pub(super) failure: Option<Error>,
    pub(super) added: Added,
}

pub(super) fn classify(store: &mut Store, raw: &str) -> std::result::Result<Val, serde_json::Error> {
    Ok(match raw.as_bytes().first() {
        Some(b'"') if !raw.contains('\\') => Val::Text(store.intern(&raw[1..raw.len() - 1])),
        Some(b'"') => Val::Text(store.intern(&serde_json::from_str::<String>(raw)?)),
        Some(b't') => Val::Bool(true),
        Some(b'f') => Val::Bool(false),
        Some(b'n') => Val::Null,
        Some(b'[' | b'{') => Val::Json(store.intern(&serde_json::from_str::<serde_json::Value>(raw)?.to_string())),
        _ => Val::Num(store.intern(raw)),
    })
}

impl Sink<'_, '_> {
    pub(super) fn intern(&mut self, s: &str) -> Sym {
        self.store.intern_recent(&mut self.recent, s)
    }

    /// Stores the event read, with `self.props` as its properties. `claimed`: whether its
    /// transaction id was new, if the reader claimed it already (`Store::claim_transaction`).
    pub(super) fn finish(&mut self, tx: &str, claimed: Option<bool>, customer: &str, ty: &str, at: i64) -> Result<()> {
        let i = self.index;
        if tx.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].transaction_id"),
                "an event needs a transaction_id",
            ));
        }
        if customer.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].customer_id"),
                "an event needs a customer_id",
            ));
        }
        let ty_sym = self.intern(ty);
        let parsed = Parsed {
            store: self.store,
            ty,
            ty_sym,
            props: &self.props,
            numbers: std::cell::RefCell::new(&mut self.numbers),
        };
        if let Some(check) = &mut self.check {
            check.check("", i, &parsed)?;
        }
        let key = self.intern(customer);
        if claimed.unwrap_or_else(|| self.store.claim_transaction(tx)) {
            self.store.push_row(key, ty_sym, at, &self.props);
            self.added.added += 1;
        } else {
            self.added.duplicates += 1;
        }
        Ok(())
    }
}

/// An event read but not yet stored.
struct Parsed<'a> {
    store: &'a Store,
    ty: &'a str,
    ty_sym: Sym,
    props: &'a [(Sym, Val)],
    numbers: std::cell::RefCell<&'a mut rustc_hash::FxHashMap<Val, bool>>,
}

impl Parsed<'_> {
    fn value(&self, key: &str) -> Option<Val> {
        self.store.lookup(self.props, key)
    }

    fn reads_val(&self, v: Val) -> Option<Reads> {
        Some(Reads {
            number: *self
                .numbers
                .borrow_mut()
                .entry(v)
                .or_insert_with(|| self.store.decimal_of(v).is_some()),
            plain: Store::text_of(v).is_some(),
            json_number: matches!(v, Val::Num(_)),
        })
    }
}

impl Props for Parsed<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        Store::text_of(self.value(key)?).map(|s| self.store.text(s))
    }
}

impl Incoming for Parsed<'_> {
    fn event_type(&self) -> &str {
        self.ty
    }
    fn reads(&self, key: &str) -> Option<Reads> {
        self.reads_val(self.value(key)?)
    }
    fn type_sym(&self) -> Option<Sym> {
        Some(self.ty_sym)
    }
    fn key_sym(&self, key: &str) -> Option<Sym> {
        self.store.strings.find(key)
    }
    fn reads_sym(&self, _key: &str, sym: Sym) -> Option<Reads> {
        self.reads_val(self.props.iter().find(|p| p.0 == sym)?.1)
    }
    fn shown(&self, key: &str) -> String {
        self.value(key)
            .map(|v| self.store.json(v).to_string())
            .unwrap_or_default()
    }
}
