//! Usage files: each registered with DataFusion by its format (Parquet, CSV, NDJSON; a folder's files
//! in name order) and read as the normalized relation `usage` (see `sql`), its columns checked first so
//! that a wrong file is named with the column at fault. A location may also be a URL, read through
//! DataFusion's object stores: `file://` always; `s3://`, `gs://` and `http(s)://` with the cargo
//! feature `object-store` (not built by CI: it brings an HTTP and TLS stack), credentials from the
//! usual environment variables (`AWS_ACCESS_KEY_ID`, `GOOGLE_SERVICE_ACCOUNT`, ...).

use crate::sql::{column, ident, literal, DECIMAL};
use crate::Error;
use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::object_store::{path::Path as StorePath, ObjectStore, ObjectStoreExt};
use datafusion::parquet::file::metadata::ParquetMetaData;
use datafusion::prelude::{CsvReadOptions, JsonReadOptions, ParquetReadOptions, SessionContext};
use futures::TryStreamExt;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Parquet,
    Csv,
    NdJson,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".parquet") {
            Some(Format::Parquet)
        } else if name.ends_with(".csv") {
            Some(Format::Csv)
        } else if name.ends_with(".ndjson") || name.ends_with(".jsonl") || name.ends_with(".json") {
            Some(Format::NdJson)
        } else {
            None
        }
    }
}

const NO_USAGE_FILES: &str = "holds no .parquet, .csv, .ndjson, .jsonl or .json file";

/// `p` as a URL, when it is written as one (`scheme://...`).
fn as_url(p: &Path) -> Option<Result<Url, Error>> {
    let s = p.to_str()?;
    s.contains("://")
        .then(|| Url::parse(s).map_err(|e| Error::file_caused(p, "is not a URL", e)))
}

/// The object store that serves `url`, registered with `runtime` on first use.
fn store(runtime: &RuntimeEnv, p: &Path, url: &Url) -> Result<Arc<dyn ObjectStore>, Error> {
    if let Ok(s) = runtime.object_store_registry.get_store(url) {
        return Ok(s);
    }
    let made = cloud::store(url).map_err(|e| Error::file(p, e))?;
    runtime.register_object_store(url, made.clone());
    Ok(made)
}

/// Makes the object store of `p` known to `runtime` when `p` is a URL (aggregate files).
pub fn prepare(runtime: &RuntimeEnv, p: &Path) -> Result<(), Error> {
    if let Some(url) = as_url(p) {
        store(runtime, p, &url?)?;
    }
    Ok(())
}

/// The usage files under URL `url`: the object itself when its name says a format, else every usage
/// file under it as a prefix, in name order.
async fn listed(runtime: &RuntimeEnv, p: &Path, url: &Url) -> Result<Vec<(PathBuf, Format)>, Error> {
    let store = store(runtime, p, url)?;
    let key = StorePath::from_url_path(url.path()).map_err(|e| Error::file_caused(p, "is not a usable path", e))?;
    if let Some(format) = Format::of(p) {
        store
            .head(&key)
            .await
            .map_err(|e| Error::file_caused(p, "cannot be read", e))?;
        return Ok(vec![(p.to_path_buf(), format)]);
    }
    let mut keys: Vec<String> = store
        .list(Some(&key))
        .map_ok(|m| m.location.to_string())
        .try_collect()
        .await
        .map_err(|e| Error::file_caused(p, "cannot be listed", e))?;
    keys.sort();
    let found: Vec<(PathBuf, Format)> = keys
        .into_iter()
        .filter_map(|k| {
            let mut u = url.clone();
            u.set_path(&format!("/{k}"));
            let path = PathBuf::from(u.to_string());
            Format::of(&path).map(|f| (path, f))
        })
        .collect();
    if found.is_empty() {
        return Err(Error::file(p, NO_USAGE_FILES));
    }
    Ok(found)
}

/// The files `paths` name, in order: a folder's usage files (recursively) in name order.
pub async fn files(paths: &[PathBuf], runtime: &RuntimeEnv) -> Result<Vec<(PathBuf, Format)>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if let Some(url) = as_url(p) {
            out.extend(listed(runtime, p, &url?).await?);
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| Error::file_caused(p, "cannot be read", e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            // By the whole path as text, as object stores list keys (`jan.csv` before `jan/1.csv`).
            found.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
            if found.is_empty() {
                return Err(Error::file(p, NO_USAGE_FILES));
            }
            out.extend(found.into_iter().filter_map(|f| Format::of(&f).map(|k| (f, k))));
        } else {
            let format = Format::of(p).ok_or_else(|| {
                Error::file(
                    p,
                    "is not a usage file: name it .parquet, .csv, .ndjson, .jsonl or .json",
                )
            })?;
            out.push((p.clone(), format));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::file_caused(dir, "cannot be listed", e))?;
    for e in entries {
        let path = e.map_err(|e| Error::file_caused(dir, "cannot be listed", e))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if Format::of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// The tables to read `files` (the listing of `paths`) as: one per file, or, given each file's schema
/// (`schemas`, when nothing needs file order: no de-duplication, no LATEST tie, no hour read as
/// events), a local folder of Parquet files as one table, which DataFusion reads in as many
/// partitions as there are cores instead of a scan and a partial aggregation per file. Only Parquet,
/// whose columns are named and typed by each file: a CSV table reads columns by position and infers
/// types from the first rows, so a folder of CSV files with other column orders would mix values.
pub fn tables(
    paths: &[PathBuf],
    files: &[(PathBuf, Format)],
    schemas: Option<&[Schema]>,
) -> Vec<(PathBuf, Format, String)> {
    let local_folder = |d: &Path| paths.iter().any(|p| p == d && as_url(p).is_none() && p.is_dir());
    let mut out = Vec::new();
    let mut i = 0;
    while i < files.len() {
        let (f, format) = &files[i];
        let ext = extension(f);
        // A run of the folder's own files, all direct children ending alike, each listed once, all of
        // one schema, and nothing else listed under the folder: then the folder as a table reads
        // exactly these files, as they read alone.
        let folder = schemas
            .and_then(|schemas| Some((schemas, f.parent()?)))
            .filter(|(_, d)| *format == Format::Parquet && local_folder(d));
        if let Some((schemas, d)) = folder {
            let run = files[i..]
                .iter()
                .zip(&schemas[i..])
                .take_while(|((g, _), schema)| g.parent() == Some(d) && extension(g) == ext && *schema == &schemas[i])
                .count();
            let under = files.iter().filter(|(g, _)| g.starts_with(d)).count();
            let distinct: std::collections::HashSet<&PathBuf> = files[i..i + run].iter().map(|(g, _)| g).collect();
            if run > 1 && run == under && distinct.len() == run {
                out.push((d.to_path_buf(), *format, ext));
                i += run;
                continue;
            }
        }
        out.push((f.clone(), *format, ext));
        i += 1;
    }
    out
}

/// Registers file `i` as table `f<i>`.
pub async fn register(ctx: &SessionContext, i: usize, path: &Path, format: Format) -> Result<Schema, Error> {
    register_as(ctx, &format!("f{i}"), path, format, &extension(path)).await
}

/// Registers file or folder `path` as `table`, reading the files that end with `ext`.
pub async fn register_as(
    ctx: &SessionContext,
    table: &str,
    path: &Path,
    format: Format,
    ext: &str,
) -> Result<Schema, Error> {
    let table = table.to_string();
    let name = path.to_string_lossy().to_string();
    let done = match format {
        Format::Parquet => {
            ctx.register_parquet(&table, &name, ParquetReadOptions::default().file_extension(ext))
                .await
        }
        Format::Csv => {
            ctx.register_csv(&table, &name, CsvReadOptions::new().file_extension(ext))
                .await
        }
        Format::NdJson => {
            // A .json file may also be one JSON array of events (the body of POST /v1/ingest).
            let mut options = JsonReadOptions::default().file_extension(ext);
            options.newline_delimited = !starts_with_bracket(path);
            ctx.register_json(&table, &name, options).await
        }
    };
    done.map_err(|e| Error::file_caused(path, format!("cannot be read as {format:?}"), e))?;
    let df = ctx
        .table(&table)
        .await
        .map_err(|e| Error::file_caused(path, "cannot be read", e))?;
    Ok(df.schema().as_arrow().clone())
}

fn starts_with_bracket(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default()
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_number(t: &DataType) -> bool {
    t.is_numeric()
}

/// Where a property lives in a file: a top-level column, or a field of a `properties` struct.
fn property(schema: &Schema, name: &str) -> Option<(String, DataType)> {
    if let Ok(f) = schema.field_with_name("properties") {
        if let DataType::Struct(fields) = f.data_type() {
            return fields.iter().find(|x| x.name() == name).map(|x| {
                (
                    format!("get_field(\"properties\", {})", literal(name)),
                    x.data_type().clone(),
                )
            });
        }
    }
    if ["transaction_id", "customer_id", "event_type", "timestamp"].contains(&name) {
        return None;
    }
    schema
        .field_with_name(name)
        .ok()
        .map(|f| (ident(name), f.data_type().clone()))
}

/// The footer of local Parquet file `path` (its row groups' statistics), read once for what it proves
/// (`proven_present`, `magnitude`). Other formats, URLs and unreadable files have none.
pub fn footer(path: &Path, format: Format) -> Option<Arc<ParquetMetaData>> {
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};
    if format != Format::Parquet || as_url(path).is_some() {
        return None;
    }
    let reader = SerializedFileReader::new(std::fs::File::open(path).ok()?).ok()?;
    Some(Arc::new(reader.metadata().clone()))
}

/// The top-level columns that a Parquet `footer` proves present in every row: in every row group, a
/// null count of 0 and a minimum that is not empty (an empty text would be the minimum in any order).
/// The query then need not read a column only to check it (a transaction id is read for nothing else
/// when ids are not de-duplicated). A file without a footer or statistics proves nothing.
pub fn proven_present(footer: Option<&ParquetMetaData>) -> HashSet<String> {
    let Some(footer) = footer else {
        return HashSet::new();
    };
    common(footer.row_groups().iter().map(|rg| {
        rg.columns()
            .iter()
            .filter(|c| c.column_path().parts().len() == 1)
            .filter(|c| {
                c.statistics()
                    .is_some_and(|s| s.null_count_opt() == Some(0) && s.min_bytes_opt().is_some_and(|m| !m.is_empty()))
            })
            .map(|c| c.column_path().string())
            .collect()
    }))
}

/// The columns in every one of `sets` (none when there are no sets: nothing is proven).
pub fn common(sets: impl IntoIterator<Item = HashSet<String>>) -> HashSet<String> {
    let mut sets = sets.into_iter();
    let first = sets.next().unwrap_or_default();
    sets.fold(first, |all, s| all.intersection(&s).cloned().collect())
}

/// Whether every event of a file with `schema` has property `name` as an integer: a top-level column
/// (not a field of `properties`) of an integer type, proven present (`proven_present`).
pub fn whole_integer(schema: &Schema, name: &str, present: &HashSet<String>) -> bool {
    property(schema, name).is_some_and(|(expr, t)| expr == ident(name) && t.is_integer()) && present.contains(name)
}

/// A bound on the sum of the magnitudes of column `name` over every row of a Parquet file, from its
/// `footer`: each row group's rows times the larger magnitude of its minimum and maximum. None where
/// the column is not a signed integer in `schema` (an unsigned one's statistics are bit patterns that
/// read as negative past `i64::MAX`) or a row group has no statistics for it. Where the bounds of all
/// files add up to at most `i64::MAX`, no group's sum can overflow a 64-bit integer, so the query may
/// sum the column as one instead of as a decimal.
pub fn magnitude(footer: Option<&ParquetMetaData>, schema: &Schema, name: &str) -> Option<u128> {
    use datafusion::parquet::file::statistics::Statistics;
    let signed = schema.field_with_name(name).is_ok_and(|f| {
        matches!(
            f.data_type(),
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64
        )
    });
    if !signed {
        return None;
    }
    let mut total: u128 = 0;
    for rg in footer?.row_groups() {
        let column = rg
            .columns()
            .iter()
            .find(|c| c.column_path().parts().len() == 1 && c.column_path().string() == name)?;
        let largest = match column.statistics()? {
            Statistics::Int32(s) => i64::from(*s.min_opt()?)
                .unsigned_abs()
                .max(i64::from(*s.max_opt()?).unsigned_abs()),
            Statistics::Int64(s) => s.min_opt()?.unsigned_abs().max(s.max_opt()?.unsigned_abs()),
            _ => return None,
        };
        total = total.checked_add(u128::from(largest) * u128::try_from(rg.num_rows()).ok()?)?;
    }
    Some(total)
}

/// What every file's normalized SELECT reads: `properties` (dimensions and measures) and how.
pub struct Wanted<'a> {
    pub properties: &'a [String],
    /// Properties whose numbers are read as 64-bit integers instead of decimals, where every file
    /// has them as integers whose sums cannot overflow (`magnitude`): summing decimals costs more.
    pub integers: &'a HashSet<String>,
    /// Text columns keep the text type they are read as (DataFusion's string views) instead of being
    /// cast, a copy of every string; only where DataFusion itself unites the files (one SQL query),
    /// not where Tally streams them one after another under one schema (`firsts`).
    pub as_read: bool,
}

/// The normalized SELECT of `table` (file or folder `i`), after checking its columns: the four an event
/// needs, a timestamp that is text (RFC 3339) or a timestamp, and the properties wanted, read where
/// they are. `present`: columns proven never null nor empty (`proven_present`), whose checks are left
/// out.
pub fn normalized(
    i: usize,
    table: &str,
    path: &Path,
    schema: &Schema,
    wanted: &Wanted<'_>,
    present: &HashSet<String>,
) -> Result<String, Error> {
    for c in ["transaction_id", "customer_id", "event_type", "timestamp"] {
        if schema.field_with_name(c).is_err() {
            let have: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(Error::column(
                path,
                c,
                format!("is missing (the file has {}): every event has transaction_id, customer_id, event_type and timestamp", have.join(", ")),
            ));
        }
    }
    let ts = schema
        .field_with_name("timestamp")
        .map(|f| f.data_type().clone())
        .unwrap_or(DataType::Null);
    if !(is_text(&ts) || matches!(ts, DataType::Timestamp(..))) {
        return Err(Error::column(
            path,
            "timestamp",
            format!("is {ts}: Tally reads RFC 3339 text (2025-01-31T10:00:00Z) or a timestamp type"),
        ));
    }
    // An empty text is as good as missing (a CSV cell left empty).
    let text = |c: &str| {
        let is_text = schema.field_with_name(c).is_ok_and(|f| is_text(f.data_type()));
        let value = if wanted.as_read && is_text {
            c.to_string()
        } else {
            format!("CAST({c} AS VARCHAR)")
        };
        if present.contains(c) {
            value
        } else {
            format!("NULLIF({value}, '')")
        }
    };
    let ts = if is_text(&ts) {
        "to_timestamp_nanos(NULLIF(\"timestamp\", ''))"
    } else {
        "to_timestamp_nanos(\"timestamp\")"
    };
    // A row without one of these is refused: its customer is left NULL.
    let checks: Vec<String> = ["transaction_id", "customer_id", "event_type"]
        .into_iter()
        .filter(|c| !present.contains(*c))
        .map(|c| format!("{} IS NOT NULL", text(c)))
        .chain((!present.contains("timestamp")).then(|| format!("{ts} IS NOT NULL")))
        .collect();
    let customer = if checks.is_empty() {
        text("customer_id")
    } else {
        format!("CASE WHEN {} THEN {} END", checks.join(" AND "), text("customer_id"))
    };
    let mut cols = vec![
        format!("{i} AS __file"),
        format!("{} AS transaction_id", text("transaction_id")),
        format!("{customer} AS customer_id"),
        format!("{} AS event_type", text("event_type")),
        format!("CAST({ts} AS BIGINT) AS ts_ns"),
    ];
    for (k, name) in wanted.properties.iter().enumerate() {
        let number = if wanted.integers.contains(name) {
            "BIGINT"
        } else {
            DECIMAL
        };
        let (text, num) = match property(schema, name) {
            None => ("CAST(NULL AS VARCHAR)".to_string(), format!("CAST(NULL AS {number})")),
            Some((expr, t)) if is_text(&t) => (expr.clone(), format!("TRY_CAST(trim({expr}) AS {number})")),
            Some((expr, t)) if is_number(&t) => (
                format!("CAST({expr} AS VARCHAR)"),
                format!("TRY_CAST({expr} AS {number})"),
            ),
            Some((expr, DataType::Boolean)) => (format!("CAST({expr} AS VARCHAR)"), format!("CAST(NULL AS {number})")),
            // Lists and structs are never dimensions or quantities.
            Some(_) => ("CAST(NULL AS VARCHAR)".to_string(), format!("CAST(NULL AS {number})")),
        };
        // Whether the event has the property, without reading it as text: a number column would
        // otherwise be turned into text on every row only to be counted.
        let has = match property(schema, name) {
            Some((expr, t)) if is_number(&t) || t == DataType::Boolean => {
                format!("CASE WHEN {expr} IS NOT NULL THEN 1 END")
            }
            _ => format!("CASE WHEN {text} IS NOT NULL THEN 1 END"),
        };
        cols.push(format!("{text} AS {}", column(k, "text")));
        cols.push(format!("{num} AS {}", column(k, "num")));
        cols.push(format!("{has} AS {}", column(k, "has")));
    }
    Ok(format!("SELECT {} FROM {table}", cols.join(", ")))
}

/// Object stores beyond the local disk.
#[cfg(feature = "object-store")]
mod cloud {
    use object_store::{
        aws::AmazonS3Builder, gcp::GoogleCloudStorageBuilder, http::HttpBuilder, ClientOptions, ObjectStore,
    };
    use std::sync::Arc;
    use url::Url;

    pub fn store(url: &Url) -> Result<Arc<dyn ObjectStore>, String> {
        let bucket = url.host_str().unwrap_or_default();
        let made: Result<Arc<dyn ObjectStore>, object_store::Error> = match url.scheme() {
            "s3" => AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map(|s| Arc::new(s) as _),
            "gs" => GoogleCloudStorageBuilder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map(|s| Arc::new(s) as _),
            "http" | "https" => HttpBuilder::new()
                .with_url(&url[..url::Position::BeforePath])
                .with_client_options(ClientOptions::new().with_allow_http(url.scheme() == "http"))
                .build()
                .map(|s| Arc::new(s) as _),
            other => {
                return Err(format!(
                    "`{other}://` is not a store Tally reads (s3, gs, http, https, file)"
                ))
            }
        };
        made.map_err(|e| format!("cannot open its store: {e}"))
    }
}

#[cfg(not(feature = "object-store"))]
mod cloud {
    use datafusion::object_store::ObjectStore;
    use std::sync::Arc;
    use url::Url;

    pub fn store(url: &Url) -> Result<Arc<dyn ObjectStore>, String> {
        Err(format!(
            "`{}://` URLs need Tally built with the `object-store` feature (cargo build -p tally-cli --features tally-warehouse/object-store); file:// URLs and local paths always work",
            url.scheme()
        ))
    }
}
