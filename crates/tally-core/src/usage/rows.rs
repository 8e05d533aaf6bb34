//! Rating's input: one customer's usage as rows that each route, price and draw as one. The hourly
//! aggregates of the customer's keys are rolled up between the instants where anything about rating
//! may change (the *cuts*: contract dates, statement periods, usage filters, rates, overrides, balance
//! windows), so a year of usage under one price is a handful of rows. An hour that a cut falls inside
//! (a window that is not on the hour) is read from its raw events instead: finer aggregates around
//! that boundary, made when needed, so every event still lands on the side of the cut it belongs to.

use super::hourly::{Hourly, Layout, Measure, HOUR, NONE};
use super::intern::Sym;
use super::store::Store;
use crate::metric::Props;
use crate::time::Timestamp;
use rustc_hash::{FxHashMap, FxHashSet};

/// Some events of one type and one set of dimensions, all on the same side of every cut.
pub(crate) struct UsageRow<'a> {
    /// An instant inside the events' span: every rating decision made at it holds for all of them.
    pub at: Timestamp,
    pub event_type: &'a str,
    pub events: u64,
    dims: Vec<(&'a str, Option<&'a str>)>,
    measures: Vec<(&'a str, Measure)>,
    /// The store whose symbols the distinct values are.
    pub store: &'a Store,
}

impl Props for UsageRow<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        let found = self.dims.iter().find(|d| d.0 == key);
        // The layout holds every property rating reads (`State::usage_layout`); a miss would be a bug there.
        debug_assert!(found.is_some(), "the hourly layout lacks `{key}`");
        found.and_then(|d| d.1)
    }
}

impl<'a> UsageRow<'a> {
    pub(crate) fn measure(&self, key: &str) -> Option<&Measure> {
        let found = self.measures.iter().find(|m| m.0 == key);
        debug_assert!(found.is_some(), "the hourly layout lacks measure `{key}`");
        found.map(|m| &m.1)
    }

    fn new(
        store: &'a Store,
        layout: &'a Layout,
        at: i64,
        ty: Sym,
        dims: &[Sym],
        events: u64,
        measures: Vec<Measure>,
    ) -> Self {
        UsageRow {
            at: super::store::timestamp(at),
            event_type: store.text(ty),
            events,
            dims: layout
                .dims
                .iter()
                .zip(dims)
                .map(|(k, &v)| (k.as_str(), (v != NONE).then(|| store.text(v))))
                .collect(),
            measures: layout.measures.iter().map(String::as_str).zip(measures).collect(),
            store,
        }
    }

    /// One stored event on its own, at its own instant. `row` orders it among all events (LATEST).
    fn exact(store: &'a Store, layout: &'a Layout, i: usize, row: u32) -> Self {
        let e = store.event_ref(i);
        let dims: Vec<Sym> = layout
            .dims
            .iter()
            .map(|k| e.value(k).and_then(Store::text_of).unwrap_or(NONE))
            .collect();
        let at = store.times[i];
        let measures = layout
            .measures
            .iter()
            .map(|k| {
                let mut m = Measure::default();
                let v = e.value(k);
                let distinct = layout.distinct.binary_search(k).is_ok();
                m.add(v, v.and_then(|v| store.decimal_of(v)), at, row, distinct);
                m
            })
            .collect();
        UsageRow::new(store, layout, at, store.types[i], &dims, 1, measures)
    }
}

/// Hourly cells summed between two cuts: (first hour's start, event type, dimensions, events, measures).
type Rolled<'a> = (i64, Sym, &'a [Sym], u64, Vec<Measure>);

/// The rows of a customer's usage: the stored events of `keys` (through the hourly index) unless a
/// preview replaces them, then `extra` (a preview's events, in a store of their own, counted after
/// every stored event). `cuts` are sorted instants in ns.
pub(crate) fn customer_rows<'a>(
    store: &'a Store,
    hourly: Option<&'a Hourly>,
    keys: &[&str],
    extra: Option<(&'a Store, &'a Layout)>,
    cuts: &[i64],
) -> Vec<UsageRow<'a>> {
    let mut rows = Vec::new();
    if let Some(hourly) = hourly {
        let layout = &hourly.layout;
        let mut index: FxHashMap<(Sym, &'a [Sym], usize), usize> = FxHashMap::default();
        let mut rolled: Vec<Rolled<'a>> = Vec::new();
        let mut fallback: Vec<(&str, FxHashSet<i64>)> = Vec::new();
        for &key in keys {
            let Some(cells) = store.strings.find(key).and_then(|k| hourly.by_key.get(&k)) else {
                continue;
            };
            let mut split = FxHashSet::default();
            for cell in &cells.cells {
                let h0 = cell.hour * HOUR;
                let seg = cuts.partition_point(|c| *c <= h0);
                if cuts.get(seg).is_some_and(|c| *c < h0 + HOUR) {
                    split.insert(cell.hour);
                    continue;
                }
                let slot = *index.entry((cell.event_type, &cell.dims, seg)).or_insert_with(|| {
                    rolled.push((
                        h0,
                        cell.event_type,
                        &cell.dims,
                        0,
                        vec![Measure::default(); cell.measures.len()],
                    ));
                    rolled.len() - 1
                });
                let r = &mut rolled[slot];
                r.3 += cell.events;
                for (m, o) in r.4.iter_mut().zip(cell.measures.iter()) {
                    m.merge(o);
                }
            }
            if !split.is_empty() {
                fallback.push((key, split));
            }
        }
        rows.extend(
            rolled
                .into_iter()
                .map(|(at, ty, dims, events, measures)| UsageRow::new(store, layout, at, ty, dims, events, measures)),
        );
        for (key, hours) in fallback {
            for &i in store.rows_of(key) {
                if hours.contains(&store.times[i as usize].div_euclid(HOUR)) {
                    rows.push(UsageRow::exact(store, layout, i as usize, i));
                }
            }
        }
    }
    if let Some((extra, layout)) = extra {
        let base = if hourly.is_some() { store.len() } else { 0 };
        for i in 0..extra.len() {
            rows.push(UsageRow::exact(extra, layout, i, (base + i) as u32));
        }
    }
    rows
}
