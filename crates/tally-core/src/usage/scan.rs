//! A fast reader for usage text in its usual shape: events whose top-level fields are plain strings
//! and whose properties are strings, numbers, booleans or null, with no escapes. It reads such text
//! about twice as fast as serde_json, and gives up on anything else (an escape, a nested value, a
//! missing field, a time it cannot read, text that is not JSON): the caller then takes back what it
//! stored and reads the text again with serde_json, which has the final word on every error. Only the
//! refusals that come after an event was read whole (a value a metric cannot count, an empty id) are
//! given here, and they are the same as serde_json's reading would give, at the same event.

use super::instant::parse_time;
use super::intern::Sym;
use super::sink::Sink;
use super::store::Val;
use crate::error::Result;

/// The text is not in the shape this reader takes: read it with serde_json instead.
pub(super) struct GiveUp;

type Scan<T> = std::result::Result<T, GiveUp>;

struct Scanner<'t> {
    s: &'t str,
    b: &'t [u8],
    i: usize,
}

impl<'t> Scanner<'t> {
    fn new(s: &'t str) -> Self {
        Scanner {
            s,
            b: s.as_bytes(),
            i: 0,
        }
    }

    /// Nothing but white space is left.
    fn end(&mut self) -> Scan<()> {
        self.ws();
        if self.i == self.b.len() {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// A member's key and its colon.
    fn key(&mut self) -> Scan<&'t str> {
        self.ws();
        let key = self.string()?;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Ok(key)
    }

    /// An event's member key and its colon. The five fields Tally reads, written as they usually
    /// are, are recognized by their bytes (compared at a length known when compiling, so without a
    /// call) instead of being read as strings and compared.
    fn field_key(&mut self) -> Scan<&'t str> {
        self.ws();
        /// Whether `rest` starts with `name` in quotes; the bytes taken if so.
        fn quoted<const N: usize>(rest: &[u8], name: &[u8; N]) -> Option<usize> {
            (rest.get(1..=N)? == name && rest.get(N + 1) == Some(&b'"')).then_some(N + 2)
        }
        let rest = &self.b[self.i..];
        let known = match (rest.first(), rest.get(1), rest.get(2)) {
            (Some(b'"'), Some(b't'), Some(b'r')) => quoted(rest, b"transaction_id").map(|n| (n, "transaction_id")),
            (Some(b'"'), Some(b't'), _) => quoted(rest, b"timestamp").map(|n| (n, "timestamp")),
            (Some(b'"'), Some(b'c'), _) => quoted(rest, b"customer_id").map(|n| (n, "customer_id")),
            (Some(b'"'), Some(b'e'), _) => quoted(rest, b"event_type").map(|n| (n, "event_type")),
            (Some(b'"'), Some(b'p'), _) => quoted(rest, b"properties").map(|n| (n, "properties")),
            _ => None,
        };
        let Some((taken, key)) = known else {
            return self.key();
        };
        self.i += taken;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Ok(key)
    }

    /// After a member or element: a comma (false) or the `close` that ends the list (true).
    fn next_or_close(&mut self, close: u8) -> Scan<bool> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(GiveUp),
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Scan<()> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// A string without escapes or control characters, without its quotes.
    fn string(&mut self) -> Scan<&'t str> {
        self.eat(b'"')?;
        let start = self.i;
        self.skip_plain();
        loop {
            match self.b.get(self.i) {
                Some(b'"') => break,
                Some(b'\\') | None => return Err(GiveUp),
                Some(c) if *c < 0x20 => return Err(GiveUp),
                Some(_) => self.i += 1,
            }
        }
        let s = &self.s[start..self.i];
        self.i += 1;
        Ok(s)
    }

    /// Steps over string bytes that need no look (not a quote, backslash or control character),
    /// eight at a time: the same bytes the loop in `string` would step over one by one.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // Flags the bytes of `w` that are zero; the lowest flag is always exact (a borrow only
        // flags bytes above a zero byte), which is the only one read.
        let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
        while let Some(chunk) = self.b.get(self.i..self.i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let stop = zero(w ^ (ONES * b'"' as u64))
                | zero(w ^ (ONES * b'\\' as u64))
                | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
            if stop != 0 {
                self.i += (stop.trailing_zeros() / 8) as usize;
                return;
            }
            self.i += 8;
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - start
    }

    /// A JSON number, as its text.
    fn number(&mut self) -> Scan<&'t str> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(GiveUp),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(GiveUp);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(GiveUp);
            }
        }
        Ok(&self.s[start..self.i])
    }

    fn literal(&mut self, word: &str) -> Scan<()> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// A property's value, stored as the serde_json reading stores it.
    fn value(&mut self, sink: &mut Sink) -> Scan<Val> {
        Ok(match self.peek() {
            Some(b'"') => Val::Text(sink.intern(self.string()?)),
            Some(b't') => self.literal("true").map(|()| Val::Bool(true))?,
            Some(b'f') => self.literal("false").map(|()| Val::Bool(false))?,
            Some(b'n') => self.literal("null").map(|()| Val::Null)?,
            Some(b'-' | b'0'..=b'9') => Val::Num(sink.intern(self.number()?)),
            _ => return Err(GiveUp),
        })
    }

    /// A top-level value of a field Tally does not read: skipped if it is a plain one.
    fn skip(&mut self, sink: &mut Sink) -> Scan<()> {
        match self.peek() {
            Some(b'"') => self.string().map(|_| ()),
            _ => self.value(sink).map(|_| ()),
        }
    }

    fn properties(&mut self, sink: &mut Sink) -> Scan<()> {
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            let key = self.key()?;
            let v = self.value(sink)?;
            let k = sink.intern(key);
            match sink.props.iter_mut().find(|p| p.0 == k) {
                Some(p) => p.1 = v,
                None => sink.props.push((k, v)),
            }
            if self.next_or_close(b'}')? {
                return Ok(());
            }
        }
    }

    /// One event object, read into `batch`. Never inlined, so in a browser each event is a call of
    /// its own: V8 starts wasm in its baseline compiler and swaps in the optimized code for later
    /// calls only, so a loop that read a whole file in one call ran all of it in baseline code
    /// (ingestText twice as slow in Chromium as in Node).
    #[inline(never)]
    fn event(&mut self, sink: &mut Sink, batch: &mut Batch<'t>) -> Scan<()> {
        self.eat(b'{')?;
        sink.props.clear();
        let (mut tx, mut customer, mut ty, mut at) = (None, None, None, None);
        loop {
            match self.field_key()? {
                "transaction_id" => tx = Some(self.string()?),
                "customer_id" => customer = Some(self.string()?),
                "event_type" => ty = Some(self.string()?),
                "timestamp" => at = Some(parse_time(self.string()?).map_err(|_| GiveUp)?),
                "properties" => {
                    // A later `properties` replaces nothing in serde's reading: it adds to the same
                    // list. Rare enough to leave to it.
                    if !sink.props.is_empty() {
                        return Err(GiveUp);
                    }
                    self.properties(sink)?
                }
                _ => self.skip(sink)?,
            }
            if self.next_or_close(b'}')? {
                break;
            }
        }
        let (Some(tx), Some(customer), Some(ty), Some(at)) = (tx, customer, ty, at) else {
            return Err(GiveUp);
        };
        batch.props.append(&mut sink.props);
        batch.events.push(Staged {
            tx,
            customer,
            ty,
            at,
            props_end: batch.props.len(),
        });
        Ok(())
    }
}

/// Events read but not yet stored. They are stored a batch at a time: first every transaction id of
/// the batch is claimed, one after another, then each event is stored in order. In a table of a
/// million ids each claim is a cache miss to read and another to write; back to back, the misses
/// overlap, where one claim per event, between reading events, stalled the reader every time.
#[derive(Default)]
struct Batch<'t> {
    events: Vec<Staged<'t>>,
    props: Vec<(Sym, Val)>,
    fresh: Vec<bool>,
}

struct Staged<'t> {
    tx: &'t str,
    customer: &'t str,
    ty: &'t str,
    at: i64,
    props_end: usize,
}

const BATCH: usize = 32;

impl Batch<'_> {
    /// Stores the batch's events in order, stopping at the first that Tally refuses (the caller
    /// then rolls the whole text back, ids claimed for later events with it). Never inlined, as
    /// `Scanner::event`, for V8's sake.
    #[inline(never)]
    fn flush(&mut self, sink: &mut Sink) -> Result<()> {
        self.fresh.clear();
        for e in &self.events {
            self.fresh.push(sink.store.claim_transaction(e.tx));
        }
        let mut start = 0;
        let mut stored = Ok(());
        for (e, &fresh) in self.events.iter().zip(&self.fresh) {
            sink.props.clear();
            sink.props.extend_from_slice(&self.props[start..e.props_end]);
            start = e.props_end;
            stored = sink.finish(e.tx, Some(fresh), e.customer, e.ty, e.at);
            if stored.is_err() {
                break;
            }
            sink.index += 1;
        }
        self.events.clear();
        self.props.clear();
        stored
    }

    fn full(&self) -> bool {
        self.events.len() >= BATCH
    }
}

/// Reads a JSON array of events into the sink: `Err(GiveUp)` when the text is not in the shape this
/// reader takes; `Ok(Err)` for Tally's refusal of an event once read.
pub(super) fn array(text: &str, sink: &mut Sink) -> Scan<Result<()>> {
    let mut sc = Scanner::new(text);
    sc.ws();
    sc.eat(b'[')?;
    sc.ws();
    if sc.peek() == Some(b']') {
        sc.i += 1;
    } else {
        let mut batch = Batch::default();
        loop {
            sc.ws();
            sc.event(sink, &mut batch)?;
            if batch.full() {
                if let Err(e) = batch.flush(sink) {
                    return Ok(Err(e));
                }
            }
            if sc.next_or_close(b']')? {
                break;
            }
        }
        sc.end()?;
        return Ok(batch.flush(sink));
    }
    sc.end()?;
    Ok(Ok(()))
}

/// Reads NDJSON (one event per non-empty line) into the sink, as `array` does.
pub(super) fn lines(text: &str, sink: &mut Sink) -> Scan<Result<()>> {
    let mut batch = Batch::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut sc = Scanner::new(line);
        sc.ws();
        sc.event(sink, &mut batch)?;
        sc.end()?;
        if batch.full() {
            if let Err(e) = batch.flush(sink) {
                return Ok(Err(e));
            }
        }
    }
    Ok(batch.flush(sink))
}

#[cfg(test)]
mod tests {
    use super::Scanner;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::usage::seed_tests::seeded(256))]
        /// Eight bytes at a time stops where one byte at a time would: at the first quote,
        /// backslash or control character (or at the last eight bytes, left to the byte loop).
        #[test]
        fn skipping_plain_bytes_stops_at_the_first_byte_that_needs_a_look(
            parts in prop::collection::vec(prop_oneof![
                "[a-zA-Z0-9 _.:-]{0,12}",
                Just("\"".to_string()), Just("\\".to_string()), Just("\n".to_string()),
                Just("\u{1}".to_string()), Just("\u{1f}".to_string()), Just(" ".to_string()),
                Just("\u{7f}".to_string()), Just("é€😀".to_string()), Just("\u{0}".to_string()),
            ], 0..8),
            from in 0usize..4,
        ) {
            let text = parts.concat();
            let from = (0..=from.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let first = text.as_bytes()[from..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .map(|p| from + p);
            let mut sc = Scanner::new(&text);
            sc.i = from;
            sc.skip_plain();
            match first {
                Some(p) if p + 8 <= text.len() || sc.i == p => prop_assert_eq!(sc.i, p),
                Some(p) => prop_assert!(sc.i <= p && sc.i + 8 > text.len()),
                None => prop_assert!(sc.i <= text.len() && sc.i + 8 > text.len()),
            }
        }
    }
}
