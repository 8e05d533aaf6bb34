//! Aggregates made outside Tally (a warehouse's GROUP BY) added to a store: read into cells apart
//! from any store, in parts a caller may read on threads, then absorbed in order and made to count at
//! once. Rating reads them beside the hourly aggregates of stored events.

use super::hourly::{Aggregate, External, HourCell, Layout, Measure, HOUR, NONE};
use super::intern::{Interner, Sym};
use super::store::{nanos, Store};
use crate::time::Timestamp;
use std::sync::Arc;

impl Store {
    /// Adds hourly aggregates made outside Tally (a warehouse's GROUP BY) laid out as `layout`: rating
    /// reads them as it reads the aggregates of stored events, counted after every stored event (their
    /// latest values win a tie at the same instant). They are not events: exports and the not-billed
    /// list do not show them, and a later layout that needs what they did not keep apart reads them as
    /// absent there, so aggregate for the layout of the state that rates them. Refused whole when an
    /// aggregate is not on the hour or does not match `layout`.
    pub fn add_aggregates(&mut self, layout: &Layout, aggregates: &[Aggregate]) -> std::result::Result<(), String> {
        let mut adding = self.aggregates(layout)?;
        let mut part = adding.part(0);
        for a in aggregates {
            let dims: Vec<Option<&str>> = a.dims.iter().map(|d| d.as_deref()).collect();
            part.add(&AggregateRef {
                customer_key: &a.customer_key,
                event_type: &a.event_type,
                hour: a.hour,
                dims: &dims,
                events: a.events,
                measures: &a.measures,
            })?;
        }
        adding.absorb(part);
        adding.finish();
        Ok(())
    }

    /// Adds aggregates from borrowed text (a warehouse's result, read in place), in parts read apart
    /// (`AddAggregates::part`) and absorbed in order; nothing is added unless `finish` is called, so an
    /// input refused halfway leaves the store's aggregates as they were.
    pub fn aggregates(&mut self, layout: &Layout) -> std::result::Result<AddAggregates<'_>, String> {
        let mut ext = self.external.as_deref().cloned().unwrap_or_default();
        if !ext.by_key.is_empty() && ext.layout != *layout {
            return Err("aggregates added before were laid out differently".into());
        }
        ext.layout = layout.clone();
        Ok(AddAggregates { store: self, ext, n: 0 })
    }
}

/// An hourly aggregate whose text is borrowed (`Aggregate`'s fields, read in place).
pub struct AggregateRef<'a> {
    /// The customer key the events were sent under.
    pub customer_key: &'a str,
    /// The events' type.
    pub event_type: &'a str,
    /// The hour's start.
    pub hour: Timestamp,
    /// Per layout dimension.
    pub dims: &'a [Option<&'a str>],
    /// How many events the aggregate holds.
    pub events: u64,
    /// Per layout measure.
    pub measures: &'a [super::hourly::AggregateMeasure],
}

/// Aggregates being added to a store (`Store::aggregates`); they count once `finish` is called.
pub struct AddAggregates<'s> {
    store: &'s mut Store,
    ext: External,
    /// Aggregates added through this so far (an error names the aggregate by its place).
    n: usize,
}

/// An aggregate's cell, its text interned in `strings`; `i` names it in an error.
fn hour_cell(
    layout: &Layout,
    strings: &mut Interner,
    i: usize,
    a: &AggregateRef<'_>,
    dims: &mut Vec<Sym>,
    measures: &mut Vec<Measure>,
) -> std::result::Result<(Sym, HourCell), String> {
    if nanos(a.hour).rem_euclid(HOUR) != 0 {
        return Err(format!("aggregate {i}: hour {} is not on the hour", a.hour));
    }
    if a.dims.len() != layout.dims.len() || a.measures.len() != layout.measures.len() {
        return Err(format!(
            "aggregate {i}: {} dimensions and {} measures, the layout has {} and {}",
            a.dims.len(),
            a.measures.len(),
            layout.dims.len(),
            layout.measures.len()
        ));
    }
    let key = strings.intern(a.customer_key);
    dims.clear();
    dims.extend(a.dims.iter().map(|d| d.map_or(NONE, |d| strings.intern(d))));
    measures.clear();
    measures.extend(a.measures.iter().map(|m| {
        let mut distinct: Vec<Sym> = m.distinct.iter().map(|d| strings.intern(d)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        Measure {
            numeric: m.numeric,
            absent: m.absent,
            overflow: false,
            sum: m.sum,
            max: m.max.unwrap_or_default(),
            latest: m.latest.map(|(t, v)| (nanos(t), u32::MAX, v)),
            distinct,
        }
    }));
    let cell = HourCell {
        event_type: strings.intern(a.event_type),
        hour: nanos(a.hour).div_euclid(HOUR),
        dims: dims.as_slice().into(),
        events: a.events,
        measures: measures.as_slice().into(),
    };
    Ok((key, cell))
}

/// Aggregates read apart from any store, with texts of their own, then added to one at once
/// (`AddAggregates::absorb`). Turning rows into cells is most of the cost of adding aggregates, and
/// needs no store, so a caller with threads reads its rows in parts on all of them.
pub struct AggregatePart {
    layout: Layout,
    /// The place of the part's first aggregate among all added (an error names the aggregate by it).
    first: usize,
    n: usize,
    strings: Interner,
    /// Cells by customer key, the key's symbol in `strings` indexing it.
    cells: Vec<Vec<HourCell>>,
    /// One aggregate's dimensions and measures, interned (kept to spare an allocation per aggregate).
    dims: Vec<Sym>,
    measures: Vec<Measure>,
}

impl AggregatePart {
    /// Adds one aggregate to this part; refused if its hour is not on the hour or its dimensions and
    /// measures do not fit the layout.
    pub fn add(&mut self, a: &AggregateRef<'_>) -> std::result::Result<(), String> {
        let i = self.first + self.n;
        let (key, cell) = hour_cell(
            &self.layout,
            &mut self.strings,
            i,
            a,
            &mut self.dims,
            &mut self.measures,
        )?;
        let key = key as usize;
        if key >= self.cells.len() {
            self.cells.resize_with(key + 1, Vec::new);
        }
        self.cells[key].push(cell);
        self.n += 1;
        Ok(())
    }
}

impl AddAggregates<'_> {
    /// An empty part whose first aggregate comes `first` after the first added through `self`.
    pub fn part(&self, first: usize) -> AggregatePart {
        AggregatePart {
            layout: self.ext.layout.clone(),
            first: self.n + first,
            n: 0,
            strings: Interner::default(),
            cells: Vec::new(),
            dims: Vec::new(),
            measures: Vec::new(),
        }
    }

    /// Adds a part's aggregates after those added before, its texts interned in the store.
    pub fn absorb(&mut self, part: AggregatePart) {
        let strings = &mut self.store.strings;
        let to: Vec<Sym> = (0..part.strings.len())
            .map(|s| strings.intern(part.strings.get(s as Sym)))
            .collect();
        let same = to.iter().enumerate().all(|(i, &s)| i as Sym == s);
        let map = |s: &mut Sym| {
            if *s != NONE {
                *s = to[*s as usize];
            }
        };
        let distinct = !self.ext.layout.distinct.is_empty();
        for (key, mut cells) in part.cells.into_iter().enumerate() {
            if cells.is_empty() {
                continue;
            }
            // Where the store numbered the part's texts as the part did (the first part read into
            // a store new to them), its cells stand as they are.
            if !same {
                for c in &mut cells {
                    map(&mut c.event_type);
                    c.dims.iter_mut().for_each(map);
                    if distinct {
                        for m in c.measures.iter_mut() {
                            m.distinct.iter_mut().for_each(map);
                            m.distinct.sort_unstable();
                        }
                    }
                }
            }
            // Appended, not merged into an equal cell: looking each of millions up in a growing
            // table was most of the cost (see `KeyHours::cell`, which indexes them when needed).
            let key = to[key];
            let hours = Arc::make_mut(self.ext.by_key.entry(key).or_default());
            if hours.cells.is_empty() {
                hours.cells = cells;
            } else {
                hours.cells.append(&mut cells);
            }
        }
        self.n += part.n;
    }

    /// Makes the aggregates added count (the hourly index is rebuilt on the next rating).
    pub fn finish(self) {
        self.store.external = Some(Arc::new(self.ext));
        *self.store.hourly.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
