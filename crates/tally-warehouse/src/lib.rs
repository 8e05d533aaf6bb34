//! Rating a warehouse's usage: DataFusion reads usage files (Parquet, CSV, NDJSON), runs one SQL
//! aggregation into Tally's hourly aggregates (`sql`), and tally-core rates them exactly as it rates
//! the aggregates of its own stored events. The hours that hold an instant off the hour where rating
//! cuts usage (a contract or balance starting at 10:30) come through as events instead, so every event
//! lands on its side of the cut.

mod batches;
pub mod firsts;
pub mod source;
pub mod sql;

use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::file::metadata::ParquetMetaData;
use datafusion::prelude::{SessionConfig, SessionContext};
use source::Format;
use std::collections::HashSet;
mod error;
pub use error::Error;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tally_core::usage::Layout;
use tally_core::{State, Timestamp};

/// What to read and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Usage files or folders, in order (the first occurrence of a transaction id counts).
    pub usage: Vec<PathBuf>,
    /// Aggregate files made elsewhere, in the aggregate schema (docs/warehouse.md).
    pub aggregates: Vec<PathBuf>,
    /// How repeated transaction ids are dropped.
    pub dedupe: Dedupe,
    /// Rating reaches the period that holds it (open-ended contracts).
    pub horizon: Timestamp,
}

/// How repeated transaction ids are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dedupe {
    /// Not at all: the warehouse guarantees unique ids (`--assume-unique-ids`).
    Off,
    /// Tally's way (`firsts`): the files one after another, rows in file order, ids kept in the core's
    /// de-duplication set. Exact: the first occurrence counts, as in the core.
    Ordered,
    /// The documented seam's SQL window (`sql::dedupe_cte`), as another engine would run it: every row
    /// sorted by id, no row order within a file. Kept to compare the two.
    Window,
}

/// What a load read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub files: usize,
    /// Events read into aggregates, and read as rows (the hours with a cut off the hour).
    pub aggregated: u64,
    pub as_rows: u64,
    /// Rows refused: without a transaction id, customer, event type or time.
    pub refused: u64,
    pub aggregates: usize,
    pub seconds: f64,
}

/// The properties rating reads, as the aggregation plans them.
fn plan(state: &State, layout: &Layout, dedupe: Dedupe, horizon: Timestamp) -> sql::Plan {
    let mut properties: Vec<String> = layout.dims.clone();
    for m in &layout.measures {
        if !properties.contains(m) {
            properties.push(m.clone());
        }
    }
    let at = |name: &String| properties.iter().position(|p| p == name).unwrap_or_default();
    let latest_keys: Vec<&str> = state
        .billable_metrics
        .values()
        .filter(|m| m.aggregation_type == tally_core::metric::Aggregation::Latest)
        .filter_map(|m| m.aggregation_key.as_deref())
        .collect();
    let row_hours: Vec<i64> = {
        let mut h: Vec<i64> = tally_core::rating::off_hour_cuts(state, horizon)
            .into_iter()
            .map(|t| t.0.timestamp().div_euclid(3600))
            .collect();
        h.dedup();
        h
    };
    sql::Plan {
        dims: layout.dims.iter().map(at).collect(),
        measures: layout.measures.iter().map(at).collect(),
        distinct: layout.measures.iter().map(|m| layout.distinct.contains(m)).collect(),
        latest: layout
            .measures
            .iter()
            .map(|m| latest_keys.contains(&m.as_str()))
            .collect(),
        whole: vec![false; layout.measures.len()],
        properties,
        row_hours,
        source: match dedupe {
            Dedupe::Off => sql::Source::Usage,
            Dedupe::Ordered => sql::Source::Streamed,
            Dedupe::Window => sql::Source::Window {
                known: !state.events.is_empty(),
            },
        },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    // Timers and sockets for object stores over HTTP (the object-store feature); nothing without it.
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::caused("cannot start the query engine", e))
}

/// The invoice lists of `customers` (`GET /v1/customers/{id}/invoices{query}`), in their order, rated
/// on every core: rating is pure, and each customer's is its own.
pub fn invoices(
    state: &State,
    customers: &[String],
    query: &str,
    now: Timestamp,
) -> Result<Vec<serde_json::Value>, Error> {
    let rate = |id: &String| {
        let call = format!("GET /v1/customers/{id}/invoices{query}");
        tally_core::api::read(state, &call, &serde_json::Value::Null, now)
            .map(|list| list["data"].as_array().cloned().unwrap_or_default())
            .map_err(|e| Error::caused(id, e))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, customers.len().max(1));
    let mut lists: Vec<Option<Result<Vec<serde_json::Value>, Error>>> = (0..customers.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mine = customers.iter().enumerate().skip(t).step_by(threads);
                    mine.map(|(i, id)| (i, rate(id))).collect::<Vec<_>>()
                })
            })
            .collect();
        for w in workers {
            let done = w.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            for (i, list) in done {
                lists[i] = Some(list);
            }
        }
    });
    let mut out = Vec::new();
    for list in lists.into_iter().flatten() {
        out.extend(list?);
    }
    Ok(out)
}

/// Reads `options`' usage into `state`: aggregates merged into its usage store, and the events of the
/// hours rating cuts off the hour. The state's own events come first.
pub fn load(state: &mut State, options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, Error> {
    runtime()?.block_on(load_async(state, options, progress))
}

async fn load_async(state: &mut State, options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, Error> {
    let started = Instant::now();
    let layout = state.usage_layout();
    let mut plan = plan(state, &layout, options.dedupe, options.horizon);
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_information_schema(false));
    // De-duplicating in order reads each file as one partition, so that its rows keep their order.
    // Both contexts share one runtime, so an object store registered for a URL serves both.
    let streamed = plan.source == sql::Source::Streamed;
    let files_ctx = if streamed {
        SessionContext::new_with_config_rt(
            SessionConfig::new()
                .with_information_schema(false)
                .with_target_partitions(1),
            ctx.runtime_env(),
        )
    } else {
        ctx.clone()
    };
    let files = source::files(&options.usage, &ctx.runtime_env()).await?;
    // Every file is registered (`f<i>`) and checked on its own, so that a wrong one is named.
    let mut schemas = Vec::new();
    let mut footers = Vec::new();
    for (i, (path, format)) in files.iter().enumerate() {
        schemas.push(source::register(&files_ctx, i, path, *format).await?);
        footers.push(source::footer(path, *format));
    }
    let present: Vec<_> = footers.iter().map(|f| source::proven_present(f.as_deref())).collect();
    let integers = integer_measures(&mut plan, &schemas, &footers, &present);
    let wanted = source::Wanted {
        properties: &plan.properties,
        integers: &integers,
        as_read: plan.source == sql::Source::Usage,
    };
    let mut selects = Vec::new();
    for (i, (path, _)) in files.iter().enumerate() {
        selects.push(source::normalized(
            i,
            &format!("f{i}"),
            path,
            &schemas[i],
            &wanted,
            &present[i],
        )?);
    }
    // When nothing needs file order (no de-duplication, no LATEST tie, no hour read as events), a
    // folder of like Parquet files is read as one table (`d<j>`).
    let unordered = plan.source == sql::Source::Usage && !plan.latest.contains(&true) && plan.row_hours.is_empty();
    let tables = source::tables(&options.usage, &files, unordered.then_some(&schemas[..]));
    // Should a folder still fail to register as one table, its files stay tables of their own.
    if tables.len() < files.len() {
        let whole = folder_selects(&files_ctx, &tables, &files, &present, &wanted).await;
        if let Ok(whole) = whole {
            selects = whole;
        }
    }
    let mut report = Report {
        files: files.len() + options.aggregates.len(),
        ..Report::default()
    };
    // Query results first (the files', then aggregate files'), then all read into the store at once:
    // an input refused halfway adds nothing.
    let mut results: Vec<(Vec<RecordBatch>, Option<&PathBuf>)> = Vec::new();
    let mut row_events = Vec::new();
    if !selects.is_empty() {
        match plan.source {
            sql::Source::Window { known: true } => batches::register_known(&ctx, state)?,
            sql::Source::Streamed => register_firsts(&ctx, &files_ctx, &selects, state, &files).await?,
            _ => {}
        }
        let usage_cte = format!("usage AS ({})", selects.join(" UNION ALL "));
        progress(&format!("aggregating {} file(s) by hour", files.len()));
        let query = sql::aggregate(&plan, &usage_cte);
        results.push((run(&ctx, &files_ctx, &query, &files).await?, None));
        if !plan.row_hours.is_empty() {
            let rows = run(&ctx, &files_ctx, &sql::row_hours(&plan, &usage_cte), &files).await?;
            row_events = batches::events(&rows, &plan)?;
        }
    }
    results.extend(aggregate_files(&ctx, &options.aggregates, files.len()).await?);
    let store = state.events.make_mut();
    let mut sink = store.aggregates(&layout).map_err(Error::new)?;
    for (rows, path) in &results {
        let read = batches::aggregates(rows, &layout, &plan, path.map(PathBuf::as_path), &mut sink)?;
        report.refused += read.refused;
        report.aggregated += read.events;
        report.aggregates += read.aggregates;
    }
    sink.finish();
    report.as_rows = row_events.len() as u64;
    for e in &row_events {
        store.push(e);
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Which measures every file holds as whole integers whose sums fit in 64 bits (read as integers,
/// not decimals); marks in `plan.whole` those every file holds as whole integers at all.
fn integer_measures(
    plan: &mut sql::Plan,
    schemas: &[Schema],
    footers: &[Option<Arc<ParquetMetaData>>],
    present: &[HashSet<String>],
) -> HashSet<String> {
    let mut integers = HashSet::new();
    for (j, &k) in plan.measures.iter().enumerate() {
        let name = &plan.properties[k];
        plan.whole[j] = !schemas.is_empty()
            && schemas
                .iter()
                .zip(present)
                .all(|(schema, present)| source::whole_integer(schema, name, present));
        let magnitude = || {
            footers.iter().zip(schemas).try_fold(0u128, |sum, (footer, schema)| {
                sum.checked_add(source::magnitude(footer.as_deref(), schema, name)?)
            })
        };
        if plan.whole[j] && magnitude().is_some_and(|m| m <= i64::MAX as u128) {
            integers.insert(name.clone());
        }
    }
    integers
}

/// The selects of the usage read by tables (a folder of like Parquet files as one), each table
/// registered as `d<j>`.
async fn folder_selects(
    files_ctx: &SessionContext,
    tables: &[(PathBuf, Format, String)],
    files: &[(PathBuf, Format)],
    present: &[HashSet<String>],
    wanted: &source::Wanted<'_>,
) -> Result<Vec<String>, Error> {
    let mut selects = Vec::new();
    for (j, (path, format, ext)) in tables.iter().enumerate() {
        let table = format!("d{j}");
        let schema = source::register_as(files_ctx, &table, path, *format, ext).await?;
        // What every file of the table proves.
        let proven = source::common(
            files
                .iter()
                .zip(present)
                .filter(|((f, _), _)| f.starts_with(path))
                .map(|(_, p)| p.clone()),
        );
        selects.push(source::normalized(j, &table, path, &schema, wanted, &proven)?);
    }
    Ok(selects)
}

/// The rows of the aggregate files made elsewhere, each registered as `f<first + k>`.
async fn aggregate_files<'p>(
    ctx: &SessionContext,
    aggregates: &'p [PathBuf],
    first: usize,
) -> Result<Vec<(Vec<RecordBatch>, Option<&'p PathBuf>)>, Error> {
    let mut results = Vec::new();
    for (k, path) in aggregates.iter().enumerate() {
        let format = Format::of(path)
            .ok_or_else(|| Error::file(path, "is not an aggregate file: name it .parquet, .csv or .ndjson"))?;
        let i = first + k;
        source::prepare(&ctx.runtime_env(), path)?;
        source::register(ctx, i, path, format).await?;
        let rows = run(ctx, ctx, &format!("SELECT * FROM f{i}"), &[(path.clone(), format)]).await?;
        results.push((rows, Some(path)));
    }
    Ok(results)
}

/// Registers table `firsts`: the files' normalized rows, de-duplicated in order (`firsts`), the
/// state's ids counting first.
async fn register_firsts(
    ctx: &SessionContext,
    files_ctx: &SessionContext,
    selects: &[String],
    state: &State,
    files: &[(PathBuf, Format)],
) -> Result<(), Error> {
    let mut plans = Vec::with_capacity(selects.len());
    for (select, (path, _)) in selects.iter().zip(files) {
        let plan = async { files_ctx.sql(select).await?.into_optimized_plan() }
            .await
            .map_err(|e| Error::file_caused(path, "cannot be read", e))?;
        plans.push((plan, path.display().to_string()));
    }
    let known = state.events.transaction_ids().clone();
    let Some(stream) = firsts::Firsts::new(files_ctx.clone(), plans, known) else {
        return Ok(());
    };
    let schema = datafusion::physical_plan::streaming::PartitionStream::schema(&stream).clone();
    let table = datafusion::catalog::streaming::StreamingTable::try_new(schema, vec![Arc::new(stream)])
        .map_err(|e| Error::caused("cannot de-duplicate the files", e))?;
    ctx.register_table("firsts", Arc::new(table))
        .map_err(|e| Error::caused("cannot de-duplicate the files", e))?;
    Ok(())
}

/// Runs `query` in `ctx`; a failure is retried file by file (`files`, registered in `files_ctx` as
/// `f0`, `f1`, ...) to name the file it comes from.
async fn run(
    ctx: &SessionContext,
    files_ctx: &SessionContext,
    query: &str,
    files: &[(PathBuf, Format)],
) -> Result<Vec<datafusion::arrow::record_batch::RecordBatch>, Error> {
    let outcome = match ctx.sql(query).await {
        Ok(df) => df.collect().await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(rows) => Ok(rows),
        Err(e) => {
            for (i, (path, _)) in files.iter().enumerate() {
                let probe = format!("SELECT max(to_timestamp_nanos(\"timestamp\")) FROM f{i}");
                if let Err(fe) = async { files_ctx.sql(&probe).await?.collect().await }.await {
                    return Err(Error::column(path, "timestamp", format!("cannot be read: {fe}")));
                }
            }
            Err(Error::caused("the aggregation failed", e))
        }
    }
}
