//! The hourly index: each stored event as its contribution to an aggregate keyed by customer key, event
//! type, hour and the properties rating compares on (the *dimensions*), with each aggregated property
//! kept as every aggregation needs it (a *measure*: count, sum, max, the latest value with its time, the
//! distinct values). Rating reads these, not rows; the raw rows stay the source of truth, and an index
//! that lacks a dimension or measure the state now needs is rebuilt from them, never used.

use super::intern::Sym;
use super::store::{Store, Val};
use hashbrown::HashTable;
use rust_decimal::Decimal;
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::hash::BuildHasher;
use std::sync::Arc;

pub(crate) const HOUR: i64 = 3_600_000_000_000;
/// A dimension the event does not have (or has as null, an array or an object).
pub(crate) const NONE: Sym = Sym::MAX;

/// What the index keeps apart (dimensions) and what it aggregates (measures), by property name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The properties kept apart (a filter, a pricing or presentation group key, a usage filter reads them).
    pub dims: Vec<String>,
    /// The properties aggregated (a metric's `aggregation_key`).
    pub measures: Vec<String>,
    /// The measures some UNIQUE metric counts: these keep their distinct values.
    pub distinct: Vec<String>,
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

impl Layout {
    /// The layout keeping these properties (each once, in order).
    pub fn new(dims: Vec<String>, measures: Vec<String>, distinct: Vec<String>) -> Layout {
        Layout {
            dims: sorted(dims),
            measures: sorted(measures),
            distinct: sorted(distinct),
        }
    }

    /// Whether this layout keeps everything `other` keeps.
    pub fn covers(&self, other: &Layout) -> bool {
        let has = |mine: &[String], theirs: &[String]| theirs.iter().all(|k| mine.binary_search(k).is_ok());
        has(&self.dims, &other.dims) && has(&self.measures, &other.measures) && has(&self.distinct, &other.distinct)
    }

    /// A layout keeping what either keeps.
    pub fn union(&self, other: &Layout) -> Layout {
        let join = |a: &[String], b: &[String]| sorted(a.iter().chain(b).cloned().collect());
        Layout {
            dims: join(&self.dims, &other.dims),
            measures: join(&self.measures, &other.measures),
            distinct: join(&self.distinct, &other.distinct),
        }
    }
}

/// An hourly aggregate made outside Tally (a warehouse's GROUP BY, `tally rate --aggregates`): the
/// events of one customer key (id or alias, as the events gave it) and one event type in one hour with
/// one set of dimension values, laid out as a `Layout` (usually `State::usage_layout` of the state that
/// rates it).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Aggregate {
    /// The customer key the events were sent under.
    pub customer_key: String,
    /// The events' type.
    pub event_type: String,
    /// The hour's start.
    pub hour: crate::time::Timestamp,
    /// Per layout dimension, the value as text; `None` where the events do not have it.
    pub dims: Vec<Option<String>>,
    /// How many events the aggregate holds.
    pub events: u64,
    /// Per layout measure.
    pub measures: Vec<AggregateMeasure>,
}

/// One property of an aggregate's events, as every aggregation needs it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AggregateMeasure {
    /// Events whose value reads as a number, and events without the property.
    pub numeric: u64,
    /// Events without the property.
    pub absent: u64,
    /// The sum of the property over the events that have it as a number.
    #[serde(default)]
    pub sum: Decimal,
    /// The largest value of the property; none when no event has it as a number.
    #[serde(default)]
    pub max: Option<Decimal>,
    /// The latest numeric value and its time.
    #[serde(default)]
    pub latest: Option<(crate::time::Timestamp, Decimal)>,
    /// Distinct values as text (kept for measures a UNIQUE metric counts).
    #[serde(default)]
    pub distinct: Vec<String>,
}

/// Aggregates added to a store, interned and already keyed as the hourly index keys them, so that an
/// index built over them shares each customer key's cells instead of copying millions of them.
#[derive(Clone, Default)]
pub(crate) struct External {
    pub layout: Layout,
    pub by_key: FxHashMap<Sym, Arc<KeyHours>>,
}

/// One property of a set of events, kept so that any aggregation of it can be read, and so that the
/// measures of disjoint sets merge into the measure of their union.
#[derive(Clone, Default, Debug)]
pub(crate) struct Measure {
    /// Events whose value reads as a number.
    pub numeric: u64,
    /// Events without the property.
    pub absent: u64,
    /// The sum went past `Decimal`'s range: a line that holds it is refused, never billed.
    pub overflow: bool,
    pub sum: Decimal,
    pub max: Decimal,
    /// The latest numeric value: (time in ns, ingest row, value); of two at one instant, the later row.
    pub latest: Option<(i64, u32, Decimal)>,
    /// Distinct values as text, sorted (only for measures a UNIQUE metric counts).
    pub distinct: Vec<Sym>,
}

impl Measure {
    fn add_number(&mut self, d: Decimal, at: i64, row: u32) {
        if self.numeric == 0 {
            self.max = d;
        } else {
            self.max = self.max.max(d);
        }
        self.numeric += 1;
        match self.sum.checked_add(d) {
            Some(s) => self.sum = s,
            None => self.overflow = true,
        }
        if self.latest.is_none_or(|(t, r, _)| (at, row) >= (t, r)) {
            self.latest = Some((at, row, d));
        }
    }

    fn add_distinct(&mut self, s: Sym) {
        if let Err(i) = self.distinct.binary_search(&s) {
            self.distinct.insert(i, s);
        }
    }

    /// Adds one event's value (`None`: the event has no such property).
    pub(crate) fn add(&mut self, v: Option<Val>, number: Option<Decimal>, at: i64, row: u32, distinct: bool) {
        let Some(v) = v else {
            self.absent += 1;
            return;
        };
        if let Some(d) = number {
            self.add_number(d, at, row);
        }
        if distinct {
            if let Some(s) = Store::text_of(v) {
                self.add_distinct(s);
            }
        }
    }

    pub(crate) fn merge(&mut self, o: &Measure) {
        if o.numeric > 0 {
            self.max = if self.numeric == 0 { o.max } else { self.max.max(o.max) };
        }
        self.numeric += o.numeric;
        self.absent += o.absent;
        self.overflow |= o.overflow;
        match self.sum.checked_add(o.sum) {
            Some(s) => self.sum = s,
            None => self.overflow = true,
        }
        if let Some(l) = o.latest {
            if self.latest.is_none_or(|m| (l.0, l.1) >= (m.0, m.1)) {
                self.latest = Some(l);
            }
        }
        for &s in &o.distinct {
            self.add_distinct(s);
        }
    }
}

/// The aggregate of one customer key's events of one type, in one hour, with one set of dimensions.
#[derive(Clone)]
pub(crate) struct HourCell {
    pub event_type: Sym,
    pub hour: i64,
    /// Per layout dimension, the value as text (`NONE` when absent).
    pub dims: Box<[Sym]>,
    pub events: u64,
    /// Per layout measure.
    pub measures: Box<[Measure]>,
}

#[derive(Clone, Default)]
pub(crate) struct KeyHours {
    table: HashTable<u32>,
    pub cells: Vec<HourCell>,
}

fn cell_hash(event_type: Sym, hour: i64, dims: &[Sym]) -> u64 {
    FxBuildHasher.hash_one((event_type, hour, dims))
}

impl KeyHours {
    /// Indexes every cell, in one table sized for them (no growing, no probing for equals). Cells
    /// appended without looking for an equal one (`AddAggregates::absorb`: a GROUP BY's result has
    /// none, and every reader sums a key's cells, so two equal ones read as one) are indexed by the
    /// next `cell`: rating only reads the cells, so millions read from a warehouse are never indexed.
    fn reindex(&mut self) {
        let KeyHours { table, cells } = self;
        *table = HashTable::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            table.insert_unique(cell_hash(c.event_type, c.hour, &c.dims), i as u32, |&c| {
                let c = &cells[c as usize];
                cell_hash(c.event_type, c.hour, &c.dims)
            });
        }
    }

    /// The cell of `event_type`, `hour` and `dims`, made empty (with `measures` measures) if new.
    fn cell(&mut self, event_type: Sym, hour: i64, dims: &[Sym], measures: usize) -> &mut HourCell {
        if self.table.len() != self.cells.len() {
            self.reindex();
        }
        let KeyHours { table, cells } = self;
        let h = cell_hash(event_type, hour, dims);
        let found = table
            .find(h, |&c| {
                let c = &cells[c as usize];
                c.event_type == event_type && c.hour == hour && *c.dims == *dims
            })
            .copied();
        let c = match found {
            Some(c) => c as usize,
            None => {
                let c = cells.len();
                cells.push(HourCell {
                    event_type,
                    hour,
                    dims: dims.into(),
                    events: 0,
                    measures: vec![Measure::default(); measures].into_boxed_slice(),
                });
                table.insert_unique(h, c as u32, |&c| {
                    let c = &cells[c as usize];
                    cell_hash(c.event_type, c.hour, &c.dims)
                });
                c
            }
        };
        &mut cells[c]
    }
}

/// Every stored event as hourly aggregates under one layout: what rating reads.
#[derive(Clone)]
pub struct Hourly {
    /// What the aggregates keep apart and aggregate.
    pub layout: Layout,
    dims: Vec<Option<Sym>>,
    measures: Vec<Option<Sym>>,
    distinct: Vec<bool>,
    /// How many stored rows the index holds (the first `rows`).
    pub rows: usize,
    /// Shared with the store's external aggregates where a key has nothing else (copied on write).
    pub(crate) by_key: FxHashMap<Sym, Arc<KeyHours>>,
}

impl Hourly {
    pub(crate) fn build(store: &Store, layout: Layout) -> Hourly {
        let distinct = layout.measures.iter().map(|m| layout.distinct.contains(m)).collect();
        let mut h = Hourly {
            dims: Vec::new(),
            measures: Vec::new(),
            distinct,
            layout,
            rows: 0,
            by_key: FxHashMap::default(),
        };
        h.extend(store);
        if let Some(ext) = store.external.as_deref() {
            h.merge_external(ext);
        }
        h
    }

    /// Merges aggregates made outside (`Store::add_aggregates`), by dimension and measure name. A key
    /// with nothing else shares their cells when the layouts agree.
    fn merge_external(&mut self, ext: &External) {
        let same = ext.layout == self.layout;
        let dim_at: Vec<Option<usize>> = self
            .layout
            .dims
            .iter()
            .map(|d| ext.layout.dims.iter().position(|x| x == d))
            .collect();
        let measure_at: Vec<Option<usize>> = self
            .layout
            .measures
            .iter()
            .map(|m| ext.layout.measures.iter().position(|x| x == m))
            .collect();
        let mut dims = vec![NONE; dim_at.len()];
        let measures = self.measures.len();
        for (key, theirs) in &ext.by_key {
            if same && !self.by_key.contains_key(key) {
                self.by_key.insert(*key, theirs.clone());
                continue;
            }
            let mine = Arc::make_mut(self.by_key.entry(*key).or_default());
            for cell in &theirs.cells {
                for (d, at) in dims.iter_mut().zip(&dim_at) {
                    *d = at.map_or(NONE, |i| cell.dims[i]);
                }
                let target = mine.cell(cell.event_type, cell.hour, &dims, measures);
                target.events += cell.events;
                for (m, at) in target.measures.iter_mut().zip(&measure_at) {
                    match at {
                        Some(i) => m.merge(&cell.measures[*i]),
                        // Not kept apart by the aggregates: as if absent.
                        None => m.absent += cell.events,
                    }
                }
            }
        }
    }

    /// Adds the rows stored since the index was last brought up to date.
    pub(crate) fn extend(&mut self, store: &Store) {
        // A property name first seen in the new rows gets its symbol now; older rows never had it.
        self.dims = self.layout.dims.iter().map(|k| store.strings.find(k)).collect();
        self.measures = self.layout.measures.iter().map(|k| store.strings.find(k)).collect();
        let mut numbers: FxHashMap<Val, Option<Decimal>> = FxHashMap::default();
        let mut dims: Vec<Sym> = vec![NONE; self.dims.len()];
        for i in self.rows..store.len() {
            self.add_row(store, i, &mut numbers, &mut dims);
        }
        self.rows = store.len();
    }

    /// Adds stored row `i` to its cell. Never inlined: in a browser each row is then a call of its
    /// own, which V8 runs in optimized code once made (a loop in one call stays in baseline code).
    #[inline(never)]
    fn add_row(&mut self, store: &Store, i: usize, numbers: &mut FxHashMap<Val, Option<Decimal>>, dims: &mut [Sym]) {
        let props = store.props_of(i);
        let find = |k: Option<Sym>| k.and_then(|k| props.iter().find(|p| p.0 == k).map(|p| p.1));
        for (d, k) in dims.iter_mut().zip(&self.dims) {
            *d = find(*k).and_then(Store::text_of).unwrap_or(NONE);
        }
        let (ty, at) = (store.types[i], store.times[i]);
        let hour = at.div_euclid(HOUR);
        let measures = self.measures.len();
        let cell = Arc::make_mut(self.by_key.entry(store.keys[i]).or_default()).cell(ty, hour, dims, measures);
        cell.events += 1;
        for ((m, k), &distinct) in cell.measures.iter_mut().zip(&self.measures).zip(&self.distinct) {
            let v = find(*k);
            let number = v.and_then(|v| *numbers.entry(v).or_insert_with(|| store.decimal_of(v)));
            m.add(v, number, at, i as u32, distinct);
        }
    }

    /// Number of aggregates and bytes they take (an estimate: cells, dimensions, measures, tables).
    pub fn size(&self) -> (usize, usize) {
        let mut cells = 0;
        let mut bytes = 0;
        for k in self.by_key.values() {
            cells += k.cells.len();
            bytes += k.cells.capacity() * std::mem::size_of::<HourCell>() + k.table.capacity() * 5;
            for c in &k.cells {
                bytes += c.dims.len() * 4 + c.measures.len() * std::mem::size_of::<Measure>();
                bytes += c.measures.iter().map(|m| m.distinct.capacity() * 4).sum::<usize>();
            }
        }
        (cells, bytes)
    }
}
