//! Interned strings: each distinct text is kept once and named by a `Sym`, so a million events that
//! say `"region": "US"` hold the text once and compare and hash as integers.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// An interned string's number.
pub type Sym = u32;

/// Strings stored once each, numbered in the order first seen.
#[derive(Clone, Default)]
pub struct Interner {
    text: String,
    ends: Vec<u32>,
    table: HashTable<Sym>,
}

/// foldhash, not Fx: Fx hashes of ids like `t1`, `t2`, … collide in hashbrown's 7-bit tags often
/// enough that de-duplicating a million ids compared texts on most inserts (ingest took 1.6× as long).
fn hash(s: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(s)
}

/// Text `sym` of an arena: the one reading of `text` and `ends`, for `get` and for the table's rehash
/// (which cannot borrow the whole interner while it grows).
#[inline]
fn text_of<'a>(text: &'a str, ends: &[u32], sym: Sym) -> &'a str {
    let i = sym as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

impl Interner {
    /// How many strings are stored.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no string is stored.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string `sym` numbers.
    pub fn get(&self, sym: Sym) -> &str {
        text_of(&self.text, &self.ends, sym)
    }

    /// Room for `n` more texts.
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        let Interner { text, ends, table } = self;
        table.reserve(n, |&k| hash(text_of(text, ends, k)));
    }

    /// Whether `s` fits: texts and symbols are counted in `u32`, so an arena holds at most 4 GiB of
    /// text (a browser's wasm memory holds no more; a native caller with more must check).
    pub fn has_room(&self, s: &str) -> bool {
        self.text.len() + s.len() <= u32::MAX as usize && self.ends.len() < u32::MAX as usize
    }

    /// The number of `s`, if it is stored.
    pub fn find(&self, s: &str) -> Option<Sym> {
        self.table.find(hash(s), |&k| self.get(k) == s).copied()
    }

    /// The number of `s`, storing it if it is new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let h = hash(s);
        if let Some(&k) = self.table.find(h, |&k| self.get(k) == s) {
            return k;
        }
        let sym = self.ends.len() as Sym;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        let Interner { text, ends, table } = self;
        table.insert_unique(h, sym, |&k| hash(text_of(text, ends, k)));
        sym
    }

    /// Forgets every text interned after the first `n`.
    pub fn truncate(&mut self, n: usize) {
        while self.ends.len() > n {
            let sym = (self.ends.len() - 1) as Sym;
            let h = hash(self.get(sym));
            if let Ok(e) = self.table.find_entry(h, |&k| k == sym) {
                e.remove();
            }
            self.ends.pop();
            self.text.truncate(self.ends.last().copied().unwrap_or(0) as usize);
        }
    }

    /// Bytes held: the texts, their ends and the hash table.
    pub fn bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4 + self.table.capacity() * (4 + 1)
    }
}

/// Symbols of short texts (up to seven bytes) met recently, found by their bytes alone. The customer
/// keys, event types, property names and values that recur on every event are mostly that short;
/// packed with its length into one word, such a text is its own key, so a hit costs neither hashing
/// a string nor comparing one (reading a million events interns about six of them each).
pub(crate) struct Recent {
    slots: Box<[(u64, Sym)]>,
}

impl Default for Recent {
    fn default() -> Self {
        Recent {
            slots: vec![(0, 0); 256].into_boxed_slice(),
        }
    }
}

impl Recent {
    /// `interner.intern(s)`, remembered. Only for one interner: symbols are its own.
    #[inline]
    pub(crate) fn intern(&mut self, interner: &mut Interner, s: &str) -> Sym {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > 7 {
            return interner.intern(s);
        }
        // The length in the top byte: never zero, so an empty slot (0) matches nothing.
        let key = b
            .iter()
            .enumerate()
            .fold((b.len() as u64) << 56, |w, (i, &c)| w | (c as u64) << (8 * i));
        let slot = &mut self.slots[(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize];
        if slot.0 != key {
            *slot = (key, interner.intern(s));
        }
        slot.1
    }
}

#[cfg(test)]
mod tests {
    use super::{Interner, Recent};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::usage::seed_tests::seeded(256))]
        /// Through the cache or not, a text gets the interner's one symbol for it: short texts that
        /// differ in a byte, in length or only in trailing zero bytes never share a slot's answer.
        #[test]
        fn recent_texts_get_the_interners_symbols(
            texts in prop::collection::vec("[ab\u{0}é]{0,4}|[a-z0-9]{5,9}", 1..200),
        ) {
            let (mut cached, mut plain, mut recent) = (Interner::default(), Interner::default(), Recent::default());
            for t in &texts {
                let sym = recent.intern(&mut cached, t);
                prop_assert_eq!(sym, plain.intern(t));
                prop_assert_eq!(cached.get(sym), t.as_str());
            }
        }
    }
}
