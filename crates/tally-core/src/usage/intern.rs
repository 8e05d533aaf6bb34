//! Interned strings: each distinct text is kept once and named by a `Sym`, so a million events that
//! say `"region": "US"` hold the text once and compare and hash as integers.

use hashbrown::HashTable;
use std::hash::BuildHasher;

pub type Sym = u32;

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
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

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

    pub fn find(&self, s: &str) -> Option<Sym> {
        self.table.find(hash(s), |&k| self.get(k) == s).copied()
    }

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
