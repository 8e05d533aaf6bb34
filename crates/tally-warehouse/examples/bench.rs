//! The warehouse benchmark (scripts/bench-warehouse.sh runs it; never part of the tests): one month of
//! usage for 100 customers, 20 products and 4 regions as Snappy-compressed Parquet (in time order, as
//! a warehouse holds it; `--random-times` spreads every file over the month instead), then, each in a
//! process of its own so that peak memory is its own:
//! - `floor DIR`: DataFusion's own `SELECT count(*) ... GROUP BY` customer, event type, hour, region;
//! - `rate DIR [--assume-unique-ids]`: Tally's aggregation and the rating of every customer's month.
//!
//! Each prints events/s and the process's peak resident memory (VmHWM). Figures only.

use datafusion::arrow::array::{Int64Array, RecordBatch, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tally_core::{call, State, Timestamp};
use tally_warehouse::Dedupe;

// The allocator `tally rate` runs with (crates/tally-cli).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CUSTOMERS: u64 = 100;
const PRODUCTS: u64 = 20;
const REGIONS: [&str; 4] = ["US", "EU", "APAC", "LATAM"];
const FILES: u64 = 50;
/// January 2025, in nanoseconds.
const START: i64 = 1_735_689_600_000_000_000;
const MONTH: i64 = 31 * 24 * 3_600_000_000_000;

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("transaction_id", DataType::Utf8, false),
        Field::new("customer_id", DataType::Utf8, false),
        Field::new("event_type", DataType::Utf8, false),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            false,
        ),
        Field::new("region", DataType::Utf8, false),
        Field::new("units", DataType::Int64, false),
    ]))
}

/// A small deterministic generator (xorshift64*), so every run writes the same files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Where an event's time falls. `Ordered`, as a warehouse holds usage: appended as it happens, so
/// file `f` holds the `f`-th of `FILES` consecutive slices of the month, in time order. `Random`:
/// every file spans the whole month in no order, so each row lands in any of the month's groups.
#[derive(Clone, Copy)]
enum Times {
    Ordered,
    Random,
}

fn write_file(dir: &Path, file: u64, per_file: u64, times: Times) {
    let path = dir.join(format!("usage-{file:03}.parquet"));
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let out = std::fs::File::create(&path).expect("the benchmark folder is writable");
    let mut writer = ArrowWriter::try_new(out, schema(), Some(props)).expect("a Parquet writer");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (file + 1));
    let batch = 65_536u64;
    let mut n = 0;
    while n < per_file {
        let rows = batch.min(per_file - n);
        let mut tx = Vec::with_capacity(rows as usize);
        let (mut customer, mut ty, mut ts, mut region, mut units) = (
            Vec::with_capacity(rows as usize),
            Vec::with_capacity(rows as usize),
            Vec::with_capacity(rows as usize),
            Vec::with_capacity(rows as usize),
            Vec::with_capacity(rows as usize),
        );
        for i in 0..rows {
            let r = rng.next();
            tx.push(format!("t{:03}-{:010}", file, n + i));
            customer.push(format!("cust-{:03}", r % CUSTOMERS));
            ty.push(format!("e{:02}", (r >> 8) % PRODUCTS));
            ts.push(match times {
                // A draw of its own: the month needs 52 bits of the 64.
                Times::Random => START + (rng.next() % MONTH as u64) as i64,
                Times::Ordered => {
                    let slice = MONTH / FILES as i64;
                    let step = slice / per_file as i64;
                    START + file as i64 * slice + (n + i) as i64 * step + (rng.next() % step as u64) as i64
                }
            });
            region.push(REGIONS[((r >> 40) % 4) as usize]);
            units.push(1 + ((r >> 44) % 100) as i64);
        }
        let columns: Vec<datafusion::arrow::array::ArrayRef> = vec![
            Arc::new(StringArray::from(tx)),
            Arc::new(StringArray::from(customer)),
            Arc::new(StringArray::from(ty)),
            Arc::new(TimestampNanosecondArray::from(ts).with_timezone("UTC")),
            Arc::new(StringArray::from(region)),
            Arc::new(Int64Array::from(units)),
        ];
        let b = RecordBatch::try_new(schema(), columns).expect("a batch");
        writer.write(&b).expect("a Parquet batch written");
        n += rows;
    }
    writer.close().expect("the Parquet file closed");
}

fn generate(dir: &Path, events: u64, times: Times) {
    std::fs::create_dir_all(dir).expect("the benchmark folder");
    let started = Instant::now();
    let per_file = events / FILES;
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let dir = dir.to_path_buf();
            std::thread::spawn(move || {
                for f in (t..FILES).step_by(2) {
                    write_file(&dir, f, per_file, times);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a writer thread");
    }
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    println!(
        "generated {} events in {FILES} Snappy Parquet files ({:.1} GB), {}, in {:.1} s",
        per_file * FILES,
        bytes as f64 / 1e9,
        match times {
            Times::Ordered => "in time order (file f holds the f-th slice of the month)",
            Times::Random => "at random times (every file spans the month)",
        },
        started.elapsed().as_secs_f64()
    );
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The floor, in two spellings of the hour: `date_trunc` (how one would write it) and integer
/// division of the time (what Tally's own query does, and cheaper); `--integer-hours` picks the second.
fn floor(dir: &Path, integer_hours: bool) {
    let started = Instant::now();
    let hour = if integer_hours {
        "CAST(\"timestamp\" AS BIGINT) / 3600000000000"
    } else {
        "date_trunc('hour', \"timestamp\")"
    };
    let batches = query(
        dir,
        &format!(
            "SELECT customer_id, event_type, {hour} AS hour, region, count(*) AS events \
             FROM usage GROUP BY customer_id, event_type, {hour}, region"
        ),
    );
    let groups: usize = batches.iter().map(|b| b.num_rows()).sum();
    let rows: i64 = batches
        .iter()
        .map(|b| {
            let c = b
                .column_by_name("events")
                .unwrap()
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap();
            c.iter().flatten().sum::<i64>()
        })
        .sum();
    let s = started.elapsed().as_secs_f64();
    println!(
        "floor ({}): DataFusion's COUNT(*) GROUP BY customer, event type, hour, region: {rows} events into {groups} groups in {s:.2} s: {:.1} M events/s; peak memory {}",
        if integer_hours { "hour as integer division" } else { "hour by date_trunc" },
        rows as f64 / s / 1e6,
        peak_memory()
    );
}

/// `sql` over the files as table `usage`, its result collected.
fn query(dir: &Path, sql: &str) -> Vec<RecordBatch> {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let ctx = SessionContext::new();
        ctx.register_parquet("usage", dir.to_str().unwrap(), ParquetReadOptions::default())
            .await
            .expect("the files");
        ctx.sql(sql)
            .await
            .expect("the query")
            .collect()
            .await
            .expect("the result")
    })
}

/// Any query over the files as table `usage`, timed (to see where the aggregation's time goes).
fn sql(dir: &Path, sql: &str) {
    let started = Instant::now();
    let rows: usize = query(dir, sql).iter().map(|b| b.num_rows()).sum();
    println!("{rows} rows in {:.2} s", started.elapsed().as_secs_f64());
}

/// 20 products (SUM of `units` on event types e00..e19, presented by region) at 1 to 20 cents a unit,
/// 100 customers, each with a January contract.
fn state() -> State {
    let mut s = State::default();
    let now = Timestamp::ymd(2025, 3, 1);
    let mut go = |c: &str, body: Value| {
        call(&mut s, c, &body, now).unwrap_or_else(|e| panic!("{c}: {e}"));
    };
    let mut rates = Vec::new();
    for p in 0..PRODUCTS {
        go(
            "POST /v1/billable-metrics/create",
            json!({"id": format!("m{p:02}"), "name": format!("Units {p}"), "event_type_filter": {"in_values": [format!("e{p:02}")]},
                "aggregation_type": "SUM", "aggregation_key": "units", "group_keys": [["region"]]}),
        );
        go(
            "POST /v1/contract-pricing/products/create",
            json!({"id": format!("p{p:02}"), "name": format!("Product {p}"), "type": "USAGE", "billable_metric_id": format!("m{p:02}"),
                "presentation_group_key": ["region"]}),
        );
        rates.push(json!({"product_id": format!("p{p:02}"), "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": p + 1}));
    }
    go(
        "POST /v1/contract-pricing/rate-cards/create",
        json!({"id": "rc", "name": "List", "rates": rates}),
    );
    for c in 0..CUSTOMERS {
        let id = format!("cust-{c:03}");
        go("POST /v1/customers", json!({"id": id, "name": id}));
        go(
            "POST /v1/contracts/create",
            json!({"customer_id": id, "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-02-01T00:00:00Z"}),
        );
    }
    s
}

fn rate(dir: &Path, dedupe: Dedupe) {
    let mut s = state();
    let now = Timestamp::ymd(2025, 3, 1);
    let options = tally_warehouse::Options {
        usage: vec![dir.to_path_buf()],
        aggregates: vec![],
        dedupe,
        horizon: now,
    };
    let started = Instant::now();
    let report = tally_warehouse::load(&mut s, &options, &mut |_| {}).expect("the aggregation");
    let aggregated = started.elapsed().as_secs_f64();
    let events = report.aggregated + report.as_rows;
    let rating = Instant::now();
    let customers: Vec<String> = (0..CUSTOMERS).map(|c| format!("cust-{c:03}")).collect();
    let total: i64 = tally_warehouse::invoices(&s, &customers, "", now)
        .expect("the invoices")
        .iter()
        .map(|i| i["total"].as_i64().unwrap_or(0))
        .sum();
    let rated = rating.elapsed().as_secs_f64();
    let all = started.elapsed().as_secs_f64();
    let label = match dedupe {
        Dedupe::Ordered => "with de-duplication",
        Dedupe::Window => "with de-duplication by the SQL window",
        Dedupe::Off => "--assume-unique-ids",
    };
    println!(
        "tally ({label}): {events} events into {} hourly aggregates in {aggregated:.2} s ({:.1} M events/s); rating 100 customers' month {rated:.2} s ({:.1} M events/s); end to end {all:.2} s: {:.1} M events/s; invoices total {total} cents; peak memory {}",
        report.aggregates,
        events as f64 / aggregated / 1e6,
        events as f64 / rated / 1e6,
        events as f64 / all / 1e6,
        peak_memory()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.get(1).map(String::as_str).unwrap_or("target/warehouse-bench"));
    match args.first().map(String::as_str) {
        Some("generate") => generate(
            &dir,
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100_000_000),
            if args.iter().any(|a| a == "--random-times") {
                Times::Random
            } else {
                Times::Ordered
            },
        ),
        Some("sql") => sql(&dir, args.get(2).map(String::as_str).unwrap_or("SELECT count(*) FROM usage")),
        Some("floor") => floor(&dir, args.iter().any(|a| a == "--integer-hours")),
        Some("rate") => rate(
            &dir,
            if args.iter().any(|a| a == "--assume-unique-ids") {
                Dedupe::Off
            } else if args.iter().any(|a| a == "--window") {
                Dedupe::Window
            } else {
                Dedupe::Ordered
            },
        ),
        _ => eprintln!(
            "usage: bench generate DIR [EVENTS] [--random-times] | floor DIR [--integer-hours] | sql DIR QUERY | rate DIR [--assume-unique-ids | --window]"
        ),
    }
}
