//! Reading events from JSON text straight into the store: no JSON tree, no `Event` per event. Keys,
//! types and property values are interned as they are read, times become integers on a fast path for
//! the usual `2025-01-01T00:00:00Z` form (chrono reads every other RFC 3339 form), and a property
//! value is classified from its raw text.

use super::event::ValueCheck;
use super::instant::parse_time;
use super::intern::Recent;
use super::sink::{classify, Added, Sink};
use super::store::Store;
use crate::error::{Error, Result};
use crate::metric::BillableMetric;
use indexmap::IndexMap;
use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// How events are laid out in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A JSON array of events (the body of `POST /v1/ingest`).
    Json,
    /// One JSON event per line.
    Ndjson,
}

/// Reads `text` into `store`. A bad event refuses the whole text: the store is as it was. Values are
/// checked against `metrics` (a SUM property must be a number); `None` skips that check, for events
/// read back from where Tally itself kept them (stored before a metric that now refuses them).
pub fn parse_into(
    store: &mut Store,
    metrics: Option<&IndexMap<String, BillableMetric>>,
    text: &str,
    format: Format,
) -> Result<Added> {
    read(store, metrics, text, format, true)
}

/// `parse_into`, with or without the fast reader first (tests compare the two).
fn read(
    store: &mut Store,
    metrics: Option<&IndexMap<String, BillableMetric>>,
    text: &str,
    format: Format,
    try_fast: bool,
) -> Result<Added> {
    let mark = store.mark();
    // About one event per 120 bytes of text: room for them up front, not a rehash at every doubling.
    store.reserve(text.len() / 120);
    let mut sink = Sink {
        store,
        check: metrics.map(ValueCheck::new),
        props: Vec::new(),
        recent: Recent::default(),
        numbers: Default::default(),
        index: 0,
        field: "",
        failure: None,
        added: Added::default(),
    };
    // The fast reader first; text it does not take is read again, whole, by serde_json.
    let fast = match format {
        _ if !try_fast => Err(super::scan::GiveUp),
        Format::Json => super::scan::array(text, &mut sink),
        Format::Ndjson => super::scan::lines(text, &mut sink),
    };
    match fast {
        Ok(Ok(())) => return Ok(sink.added),
        Ok(Err(e)) => {
            sink.store.rollback(mark);
            return Err(e);
        }
        Err(super::scan::GiveUp) => {
            sink.store.rollback(mark);
            sink.index = 0;
            sink.field = "";
            sink.added = Added::default();
            sink.props.clear();
        }
    }
    let read = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            Events { sink: &mut sink }.deserialize(&mut de).and_then(|()| de.end())
        }
        Format::Ndjson => text.lines().filter(|l| !l.trim().is_empty()).try_for_each(|line| {
            let mut de = serde_json::Deserializer::from_str(line);
            let r = OneEvent { sink: &mut sink }
                .deserialize(&mut de)
                .and_then(|()| de.end());
            if r.is_ok() {
                sink.index += 1;
            }
            r
        }),
    };
    match read {
        Ok(()) => Ok(sink.added),
        Err(e) => {
            let failure = sink.failure.take();
            let (index, field) = (sink.index, sink.field);
            sink.store.rollback(mark);
            Err(failure.unwrap_or_else(|| {
                let path = if field.is_empty() {
                    format!("[{index}]")
                } else {
                    format!("[{index}].{field}")
                };
                let line = if format == Format::Ndjson {
                    format!(" (event on line {} of the non-empty lines)", index + 1)
                } else {
                    String::new()
                };
                Error::new(crate::ErrorCode::InvalidBody, path, format!("{e}{line}"))
            }))
        }
    }
}

/// A string as read: borrowed from the text when it has no escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

struct Events<'a, 's, 'm> {
    sink: &'a mut Sink<'s, 'm>,
}

impl<'de> DeserializeSeed<'de> for Events<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Events<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of events")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(OneEvent { sink: self.sink })?.is_some() {
            self.sink.index += 1;
        }
        Ok(())
    }
}

struct OneEvent<'a, 's, 'm> {
    sink: &'a mut Sink<'s, 'm>,
}

impl<'de> DeserializeSeed<'de> for OneEvent<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneEvent<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event (an object with transaction_id, customer_id, event_type, timestamp)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let sink = self.sink;
        sink.props.clear();
        sink.field = "";
        let (mut tx, mut customer, mut ty, mut at) = (None, None, None, None);
        while let Some(k) = map.next_key::<Str>()? {
            match &*k.0 {
                "transaction_id" => {
                    sink.field = "transaction_id";
                    tx = Some(map.next_value::<Str>()?);
                }
                "customer_id" => {
                    sink.field = "customer_id";
                    customer = Some(map.next_value::<Str>()?);
                }
                "event_type" => {
                    sink.field = "event_type";
                    ty = Some(map.next_value::<Str>()?);
                }
                "timestamp" => {
                    sink.field = "timestamp";
                    let s = map.next_value::<Str>()?;
                    at = Some(parse_time(&s.0).map_err(A::Error::custom)?);
                }
                "properties" => {
                    sink.field = "properties";
                    map.next_value_seed(Properties { sink: &mut *sink })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        sink.field = "";
        let missing = |f: &str| A::Error::custom(format!("missing field `{f}`"));
        let tx = tx.ok_or_else(|| missing("transaction_id"))?;
        let customer = customer.ok_or_else(|| missing("customer_id"))?;
        let ty = ty.ok_or_else(|| missing("event_type"))?;
        let at = at.ok_or_else(|| missing("timestamp"))?;
        sink.finish(&tx.0, None, &customer.0, &ty.0, at).map_err(|e| {
            sink.failure = Some(e);
            A::Error::custom("refused")
        })
    }
}

struct Properties<'a, 's, 'm> {
    sink: &'a mut Sink<'s, 'm>,
}

impl<'de> DeserializeSeed<'de> for Properties<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Properties<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of properties")
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let sink = self.sink;
        while let Some(k) = map.next_key::<Str>()? {
            let raw: &'de RawValue = map.next_value()?;
            let key = sink.intern(&k.0);
            let v = classify(sink.store, raw.get()).map_err(A::Error::custom)?;
            // A key given twice keeps its first place and its last value, as JSON reading does.
            match sink.props.iter_mut().find(|p| p.0 == key) {
                Some(p) => p.1 = v,
                None => sink.props.push((key, v)),
            }
        }
        Ok(())
    }
}

/// Cuts a JSON array of events that arrives in pieces (a file read a few MB at a time) into whole
/// elements: each `feed` answers the events completed so far as NDJSON text, one per line, so a
/// browser can read a file of any size with a progress bar and never hold it whole.
#[derive(Default)]
pub struct ArrayChunks {
    depth: u32,
    in_string: bool,
    escaped: bool,
    opened: bool,
    closed: bool,
    pending: String,
}

impl ArrayChunks {
    /// The elements completed by `piece`, one per line. Text outside the array (other than white
    /// space) is an error, named with what was found.
    pub fn feed(&mut self, piece: &str) -> std::result::Result<String, String> {
        let mut out = String::new();
        let mut start = 0;
        for (i, c) in piece.char_indices() {
            if self.in_string {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match (self.depth, c) {
                (0, c) if c.is_whitespace() => {}
                (0, '[') if !self.opened => {
                    self.opened = true;
                    self.depth = 1;
                    start = i + 1;
                }
                (1, ',') => {
                    self.flush(&mut out, &piece[start..i]);
                    start = i + 1;
                }
                (1, ']') => {
                    self.flush(&mut out, &piece[start..i]);
                    self.depth = 0;
                    self.closed = true;
                    start = i + 1;
                }
                (0, c) => {
                    return Err(if self.closed {
                        format!("text after the end of the array (`{c}`)")
                    } else {
                        format!("a JSON array of events starts with `[`, not `{c}`")
                    });
                }
                (_, '"') => self.in_string = true,
                (_, '{' | '[') => self.depth += 1,
                (_, '}' | ']') => self.depth -= 1,
                _ => {}
            }
        }
        if self.depth >= 1 {
            self.pending.push_str(&piece[start..]);
        }
        Ok(out)
    }

    fn flush(&mut self, out: &mut String, tail: &str) {
        self.pending.push_str(tail);
        let element = self.pending.trim();
        if !element.is_empty() {
            // A line break inside an element is white space between tokens (JSON strings cannot
            // hold one raw), so the element becomes one line.
            out.extend(element.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
            out.push('\n');
        }
        self.pending.clear();
    }

    /// Whether the array was closed (a file that ends before `]` is cut short).
    pub fn finished(&self) -> bool {
        self.closed
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
