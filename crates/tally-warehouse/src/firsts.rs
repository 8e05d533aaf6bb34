//! De-duplication of transaction ids the way the core does it: the state's ids first, then the files in
//! the order given, each file's rows in their order; the first occurrence counts. A SQL window
//! (`row_number() OVER (PARTITION BY transaction_id ...)`, the documented seam in `sql`) sorts every row
//! and knows no row order within a file; here the files are read one after another, each by a single
//! DataFusion partition (so rows keep their order), and a row is kept when its id is new to the core's
//! own de-duplication set (`usage::Interner`: the id's bytes plus about 9 bytes each). What streams on
//! is the table `firsts`, which the aggregation reads like any other; each kept row carries `__seq`,
//! its place in that order, so LATEST ties and the rows of the hours read as events follow it too.

use datafusion::arrow::array::{Array, ArrayAccessor, ArrayRef, AsArray, BooleanArray, Int64Array, RecordBatch};
use datafusion::arrow::compute::{cast, filter_record_batch};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::stream::{RecordBatchReceiverStream, RecordBatchStreamAdapter};
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use std::sync::Arc;
use tally_core::usage::Interner;

/// The column that orders kept rows: files in order, rows in file order.
pub const SEQ: &str = "__seq";

pub struct Firsts {
    /// Reads each file as one partition.
    ctx: SessionContext,
    /// Each file's normalized SELECT, with the file's path to name it in an error. Physical plans are
    /// made anew for every run: a file scan's plan hands its files out once.
    files: Vec<(LogicalPlan, String)>,
    schema: SchemaRef,
    /// The ids stored before (the state's events), which count before any file's.
    known: Arc<Interner>,
}

impl std::fmt::Debug for Firsts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Firsts")
            .field("files", &self.files.len())
            .field("known", &self.known.len())
            .finish()
    }
}

impl Firsts {
    /// `files` each give one partition in row order in `ctx`, all with the normalized columns (`sql`).
    pub fn new(ctx: SessionContext, files: Vec<(LogicalPlan, String)>, known: Interner) -> Option<Firsts> {
        let first = files.first()?.0.schema().as_arrow().clone();
        // Text columns may come as Utf8 from one file and Utf8View from another: every batch is cast to
        // the first file's types, all nullable.
        let mut fields: Vec<Field> = first
            .fields()
            .iter()
            .map(|f| Field::new(f.name(), f.data_type().clone(), true))
            .collect();
        fields.push(Field::new(SEQ, DataType::Int64, false));
        Some(Firsts {
            ctx,
            files,
            schema: Arc::new(Schema::new(fields)),
            known: Arc::new(known),
        })
    }
}

impl PartitionStream for Firsts {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let ctx = self.ctx.clone();
        let schema = self.schema.clone();
        let mut seen = Interner::clone(&self.known);
        let mut seq = 0i64;
        // The next file is read (decoded, normalized) on a task of its own while this one is
        // de-duplicated: the de-duplication itself must take the rows one at a time, in order.
        let batches = futures::stream::iter(self.files.clone())
            .map(move |(plan, path)| {
                let ctx = ctx.clone();
                async move {
                    let physical = ctx
                        .state()
                        .create_physical_plan(&plan)
                        .await
                        .map_err(|e| e.context(path.clone()))?;
                    let mut rows = physical
                        .execute(0, ctx.task_ctx())
                        .map_err(|e| e.context(path.clone()))?;
                    let mut ahead = RecordBatchReceiverStream::builder(physical.schema(), 4);
                    let tx = ahead.tx();
                    ahead.spawn(async move {
                        while let Some(batch) = rows.next().await {
                            if tx.send(batch.map_err(|e| e.context(path.clone()))).await.is_err() {
                                break;
                            }
                        }
                        Ok(())
                    });
                    Ok::<_, DataFusionError>(ahead.build())
                }
            })
            .buffered(2)
            .flat_map(|started| match started {
                Ok(rows) => rows.boxed(),
                Err(e) => futures::stream::once(async move { Err(e) }).boxed(),
            })
            .map({
                let schema = schema.clone();
                move |batch| batch.and_then(|b| keep_firsts(&b, &mut seen, &mut seq, &schema))
            });
        Box::pin(RecordBatchStreamAdapter::new(schema, batches))
    }
}

/// The rows of `batch` whose transaction id is new to `seen` (which learns them), with `__seq`. A
/// refused row (the normalized `customer_id` is null: something an event needs is missing) is kept
/// for the aggregation to count, and does not take its id, as the core never stores a refused event.
fn keep_firsts(batch: &RecordBatch, seen: &mut Interner, seq: &mut i64, schema: &SchemaRef) -> Result<RecordBatch> {
    let n = batch.num_rows();
    let ids = batch
        .column_by_name("transaction_id")
        .ok_or_else(|| DataFusionError::Internal("the normalized usage has no transaction_id".into()))?;
    let refused = batch
        .column_by_name("customer_id")
        .ok_or_else(|| DataFusionError::Internal("the normalized usage has no customer_id".into()))?;
    // Read in place: a Parquet text column arrives as Utf8View, a CSV one as Utf8.
    let keep = match ids.data_type() {
        DataType::Utf8View => new_ids(ids.as_string_view(), refused, seen)?,
        DataType::LargeUtf8 => new_ids(ids.as_string::<i64>(), refused, seen)?,
        _ => new_ids(cast(ids, &DataType::Utf8)?.as_string::<i32>(), refused, seen)?,
    };
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (column, field) in batch.columns().iter().zip(schema.fields()) {
        columns.push(if column.data_type() == field.data_type() {
            column.clone()
        } else {
            cast(column, field.data_type())?
        });
    }
    columns.push(Arc::new(Int64Array::from_iter_values(*seq..*seq + n as i64)));
    *seq += n as i64;
    let all = RecordBatch::try_new(schema.clone(), columns)?;
    Ok(filter_record_batch(&all, &BooleanArray::from(keep))?)
}

/// Per row: whether its id is seen here first (a refused row is kept, its id not taken).
fn new_ids<'a>(ids: impl ArrayAccessor<Item = &'a str>, refused: &ArrayRef, seen: &mut Interner) -> Result<Vec<bool>> {
    let mut keep = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        if ids.is_null(i) || refused.is_null(i) {
            keep.push(true);
            continue;
        }
        let id = ids.value(i);
        if !seen.has_room(id) {
            return Err(DataFusionError::ResourcesExhausted(
                "more than 4 GiB of distinct transaction ids: de-duplicate them upstream and pass --assume-unique-ids"
                    .into(),
            ));
        }
        let before = seen.len();
        keep.push(seen.intern(id) as usize == before);
    }
    Ok(keep)
}
