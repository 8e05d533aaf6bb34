//! Query results (Arrow record batches) into tally-core's aggregates and events. Every column is cast
//! to the type read here first, so aggregates written by another engine (other integer widths, other
//! timestamp units) read the same.

use crate::sql::Plan;
use crate::Error;
use datafusion::arrow::array::{
    Array, ArrayRef, Decimal128Array, Int64Array, ListArray, RecordBatch, StringArray, StringViewArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;
use tally_core::usage::{AddAggregates, AggregateMeasure, AggregatePart, AggregateRef, Event, Layout};
use tally_core::{State, Timestamp};

const SCALE: u32 = 10;

/// The state's transaction ids as table `known(transaction_id)`: they count before any file's.
pub fn register_known(ctx: &SessionContext, state: &State) -> Result<(), Error> {
    let ids: Vec<&str> = (0..state.events.len())
        .map(|i| state.events.transaction_id(i))
        .collect();
    let schema = Arc::new(Schema::new(vec![Field::new("transaction_id", DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(ids))])
        .map_err(|e| Error::caused("the state's transaction ids", e))?;
    let table =
        MemTable::try_new(schema, vec![vec![batch]]).map_err(|e| Error::caused("the state's transaction ids", e))?;
    ctx.register_table("known", Arc::new(table))
        .map_err(|e| Error::caused("the state's transaction ids", e))?;
    Ok(())
}

struct Columns<'a> {
    batch: &'a RecordBatch,
    file: Option<&'a Path>,
}

impl Columns<'_> {
    fn raw(&self, name: &str) -> Result<&ArrayRef, Error> {
        self.batch.column_by_name(name).ok_or_else(|| match self.file {
            Some(f) => Error::column(
                f,
                name,
                "is missing from the aggregates (docs/warehouse.md: the aggregate schema)",
            ),
            None => Error::new(format!("the aggregation gave no column `{name}`")),
        })
    }

    fn as_type(&self, name: &str, t: &DataType) -> Result<ArrayRef, Error> {
        let col = self.raw(name)?;
        let col = match (col.data_type(), t) {
            // A timestamp of any unit: to nanoseconds first, then its integer value.
            (DataType::Timestamp(..), DataType::Int64) => {
                cast(col, &DataType::Timestamp(TimeUnit::Nanosecond, None)).and_then(|c| cast(&c, t))
            }
            _ => cast(col, t),
        };
        col.map_err(|e| match self.file {
            Some(f) => Error::column(f, name, format!("cannot be read as {t}: {e}")),
            None => Error::caused(format!("column `{name}`"), e),
        })
    }

    fn text(&self, name: &str) -> Result<StringArray, Error> {
        let a = self.as_type(name, &DataType::Utf8)?;
        Ok(a.as_any()
            .downcast_ref::<StringArray>()
            .cloned()
            .unwrap_or_else(|| StringArray::from(Vec::<&str>::new())))
    }

    /// A text column read in place: DataFusion's own strings are views, which a cast would copy.
    fn text_in_place(&self, name: &str) -> Result<Text, Error> {
        if let Some(v) = self.raw(name)?.as_any().downcast_ref::<StringViewArray>() {
            return Ok(Text::View(v.clone()));
        }
        self.text(name).map(Text::Plain)
    }

    fn int(&self, name: &str) -> Result<Int64Array, Error> {
        let a = self.as_type(name, &DataType::Int64)?;
        Ok(a.as_any()
            .downcast_ref::<Int64Array>()
            .cloned()
            .unwrap_or_else(|| Int64Array::from(Vec::<i64>::new())))
    }

    fn decimal(&self, name: &str) -> Result<Decimal128Array, Error> {
        let a = self.as_type(name, &DataType::Decimal128(38, SCALE as i8))?;
        Ok(a.as_any()
            .downcast_ref::<Decimal128Array>()
            .cloned()
            .unwrap_or_else(|| Decimal128Array::from(Vec::<i128>::new())))
    }

    /// A number column: 64-bit integers as they are (`source::magnitude`), anything else as a decimal.
    fn number(&self, name: &str) -> Result<Number, Error> {
        if let Some(a) = self.raw(name)?.as_any().downcast_ref::<Int64Array>() {
            return Ok(Number::Integer(a.clone()));
        }
        self.decimal(name).map(Number::Decimal)
    }

    fn list(&self, name: &str) -> Result<ListArray, Error> {
        let t = DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)));
        let a = self.as_type(name, &t)?;
        Ok(a.as_any()
            .downcast_ref::<ListArray>()
            .cloned()
            .unwrap_or_else(|| ListArray::new_null(Arc::new(Field::new_list_field(DataType::Utf8, true)), 0)))
    }
}

enum Number {
    Integer(Int64Array),
    Decimal(Decimal128Array),
}

impl Number {
    /// `Err` holds a value past the range of Tally's numbers, at scale 10.
    fn get(&self, i: usize) -> Result<Option<Decimal>, i128> {
        match self {
            Number::Integer(a) => Ok((!a.is_null(i)).then(|| Decimal::from(a.value(i)))),
            Number::Decimal(a) => decimal(a, i),
        }
    }
}

enum Text {
    Plain(StringArray),
    View(StringViewArray),
}

impl Text {
    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Text::Plain(a) => (!a.is_null(i)).then(|| a.value(i)),
            Text::View(a) => (!a.is_null(i)).then(|| a.value(i)),
        }
    }
}

/// A DECIMAL(38, 10) value as Tally's decimal. Its trailing zeros are dropped first where it does not
/// fit as it is: 10^19 units read as 10^29 at scale 10, past `Decimal`'s 96 bits, but fit at scale 0.
/// `Err` where even that does not fit (more than 28 digits).
fn decimal(a: &Decimal128Array, i: usize) -> Result<Option<Decimal>, i128> {
    if a.is_null(i) {
        return Ok(None);
    }
    let v = a.value(i);
    if let Ok(d) = Decimal::try_from_i128_with_scale(v, SCALE) {
        return Ok(Some(d.normalize()));
    }
    let (mut m, mut scale) = (v, SCALE);
    while scale > 0 && m % 10 == 0 {
        m /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(m, scale)
        .map(|d| Some(d.normalize()))
        .map_err(|_| v)
}

fn text(a: &StringArray, i: usize) -> Option<String> {
    (!a.is_null(i)).then(|| a.value(i).to_string())
}

fn time(ns: i64) -> Timestamp {
    Timestamp(chrono::DateTime::from_timestamp_nanos(ns))
}

fn count(a: &Int64Array, i: usize) -> u64 {
    if a.is_null(i) {
        0
    } else {
        a.value(i).max(0) as u64
    }
}

/// What reading aggregates gave: aggregates and the events they hold, and events refused (groups
/// without a customer).
#[derive(Default)]
pub struct Read {
    pub aggregates: usize,
    pub events: u64,
    pub refused: u64,
}

/// Adds the aggregates in `rows` (the aggregate schema) to `sink`, their text read in place: the
/// batches are read in parts on every core (millions of rows each become a cell), then added in order.
pub fn aggregates(
    rows: &[RecordBatch],
    layout: &Layout,
    plan: &Plan,
    file: Option<&Path>,
    sink: &mut AddAggregates<'_>,
) -> Result<Read, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total: usize = rows.iter().map(RecordBatch::num_rows).sum();
    // Consecutive batches of about equal rows, each with the place of its first row.
    let mut parts: Vec<(&[RecordBatch], usize)> = Vec::new();
    let (mut from, mut first, mut upto) = (0, 0, 0);
    for (k, batch) in rows.iter().enumerate() {
        upto += batch.num_rows();
        if upto * threads >= total * (parts.len() + 1) || k + 1 == rows.len() {
            parts.push((&rows[from..=k], first));
            (from, first) = (k + 1, upto);
        }
    }
    let parts: Vec<_> = parts
        .into_iter()
        .map(|(batches, first)| (batches, sink.part(first)))
        .collect();
    let read: Vec<Result<(AggregatePart, Read), Error>> = std::thread::scope(|s| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|(batches, mut part)| s.spawn(move || read(batches, layout, plan, file, &mut part).map(|r| (part, r))))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut all = Read::default();
    for r in read {
        let (part, r) = r?;
        sink.absorb(part);
        all.aggregates += r.aggregates;
        all.events += r.events;
        all.refused += r.refused;
    }
    Ok(all)
}

fn read(
    rows: &[RecordBatch],
    layout: &Layout,
    plan: &Plan,
    file: Option<&Path>,
    sink: &mut AggregatePart,
) -> Result<Read, Error> {
    let mut read = Read::default();
    let measure = |p: &str, part: &str| format!("{p}__{part}");
    let mut measures: Vec<AggregateMeasure> = Vec::with_capacity(layout.measures.len());
    for batch in rows {
        let c = Columns { batch, file };
        let (customer, event_type, hour, events) = (
            c.text_in_place("customer_id")?,
            c.text_in_place("event_type")?,
            c.int("hour")?,
            c.int("events")?,
        );
        let dims: Vec<Text> = layout
            .dims
            .iter()
            .map(|d| c.text_in_place(d))
            .collect::<Result<_, _>>()?;
        let mut dim_values: Vec<Option<&str>> = Vec::with_capacity(dims.len());
        struct M {
            numeric: Int64Array,
            absent: Int64Array,
            sum: Number,
            max: Number,
            latest: Option<(Int64Array, Number)>,
            distinct: Option<ListArray>,
        }
        let mut ms = Vec::new();
        for (j, m) in layout.measures.iter().enumerate() {
            ms.push(M {
                numeric: c.int(&measure(m, "numeric"))?,
                absent: c.int(&measure(m, "absent"))?,
                sum: c.number(&measure(m, "sum"))?,
                max: c.number(&measure(m, "max"))?,
                latest: if plan.latest[j] {
                    Some((c.int(&measure(m, "latest_at"))?, c.number(&measure(m, "latest"))?))
                } else {
                    None
                },
                distinct: if plan.distinct[j] {
                    Some(c.list(&measure(m, "distinct"))?)
                } else {
                    None
                },
            });
        }
        for i in 0..batch.num_rows() {
            let n = count(&events, i);
            let (Some(customer_key), false) = (customer.get(i), hour.is_null(i)) else {
                read.refused += n;
                continue;
            };
            measures.clear();
            for (m, name) in ms.iter().zip(&layout.measures) {
                // Where a sum passes 28 digits nothing is rated, rather than a line rated wrong.
                let past = |v: i128| {
                    let at = time(hour.value(i));
                    Error::at(
                        file,
                        format!("customer {customer_key}, hour {at}: `{name}` comes to {v} ten-billionths, past the 28 digits of Tally's numbers"),
                    )
                };
                let latest = match &m.latest {
                    Some((at, v)) if !at.is_null(i) => v.get(i).map_err(past)?.map(|v| (time(at.value(i)), v)),
                    _ => None,
                };
                measures.push(AggregateMeasure {
                    numeric: count(&m.numeric, i),
                    absent: count(&m.absent, i),
                    sum: m.sum.get(i).map_err(past)?.unwrap_or_default(),
                    max: m.max.get(i).map_err(past)?,
                    latest,
                    distinct: m
                        .distinct
                        .as_ref()
                        .filter(|l| !l.is_null(i))
                        .map(|l| {
                            let values = l.value(i);
                            let s = values.as_any().downcast_ref::<StringArray>();
                            s.map(|s| (0..s.len()).filter_map(|k| text(s, k)).collect())
                                .unwrap_or_default()
                        })
                        .unwrap_or_default(),
                });
            }
            dim_values.clear();
            dim_values.extend(dims.iter().map(|d| d.get(i)));
            sink.add(&AggregateRef {
                customer_key,
                event_type: event_type.get(i).unwrap_or_default(),
                hour: time(hour.value(i)),
                dims: &dim_values,
                events: n,
                measures: &measures,
            })
            .map_err(|e| Error::at(file, e))?;
            read.aggregates += 1;
            read.events += n;
        }
    }
    Ok(read)
}

/// The events in `rows` (the normalized relation), with the properties rating reads, as text.
pub fn events(rows: &[RecordBatch], plan: &Plan) -> Result<Vec<Event>, Error> {
    let mut out = Vec::new();
    for batch in rows {
        let c = Columns { batch, file: None };
        let (tx, customer, ty, ts) = (
            c.text("transaction_id")?,
            c.text("customer_id")?,
            c.text("event_type")?,
            c.int("ts_ns")?,
        );
        let props: Vec<StringArray> = (0..plan.properties.len())
            .map(|k| c.text(&crate::sql::column(k, "text")))
            .collect::<Result<_, _>>()?;
        for i in 0..batch.num_rows() {
            let mut properties = serde_json::Map::new();
            for (name, values) in plan.properties.iter().zip(&props) {
                if let Some(v) = text(values, i) {
                    properties.insert(name.clone(), serde_json::Value::String(v));
                }
            }
            out.push(Event {
                transaction_id: text(&tx, i).unwrap_or_default(),
                customer_id: text(&customer, i).unwrap_or_default(),
                event_type: text(&ty, i).unwrap_or_default(),
                timestamp: time(ts.value(i)),
                properties,
            });
        }
    }
    Ok(out)
}
