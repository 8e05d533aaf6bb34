//! The warehouse at its edges: transaction ids repeated across the state and files, refused rows,
//! files that cannot be rated (each named), and aggregates made elsewhere. Figures worked by hand.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tally_core::{call, State, Timestamp};
use tally_warehouse::{load, Dedupe, Options, Report};

fn now() -> Timestamp {
    Timestamp::ymd(2025, 3, 1)
}

/// API units at 100 cents each for customer `c` (alias `c-prod`), January 2025.
fn world() -> State {
    let mut s = State::default();
    for (c, body) in [
        (
            "POST /v1/billable-metrics/create",
            json!({"id": "m", "name": "Units", "event_type_filter": {"in_values": ["api"]}, "aggregation_type": "SUM", "aggregation_key": "units"}),
        ),
        (
            "POST /v1/contract-pricing/products/create",
            json!({"id": "api", "name": "API", "type": "USAGE", "billable_metric_id": "m"}),
        ),
        (
            "POST /v1/contract-pricing/rate-cards/create",
            json!({"id": "rc", "name": "List", "rates": [{"product_id": "api", "starting_at": "2025-01-01T00:00:00Z", "rate_type": "FLAT", "price": 100}]}),
        ),
        (
            "POST /v1/customers",
            json!({"id": "c", "name": "C", "ingest_aliases": ["c-prod"]}),
        ),
        (
            "POST /v1/contracts/create",
            json!({"id": "k", "customer_id": "c", "rate_card_id": "rc", "starting_at": "2025-01-01T00:00:00Z", "ending_before": "2025-02-01T00:00:00Z"}),
        ),
    ] {
        call(&mut s, c, &body, now()).unwrap_or_else(|e| panic!("{c}: {e}"));
    }
    s
}

fn january_total(s: &State) -> Value {
    let list = tally_core::api::read(s, "GET /v1/customers/c/invoices", &Value::Null, now()).unwrap();
    list["data"][0]["total"].clone()
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tally-warehouse-edges-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn options(usage: Vec<PathBuf>, dedupe: Dedupe) -> Options {
    Options {
        usage,
        aggregates: vec![],
        dedupe,
        horizon: now(),
    }
}

fn rate(s: &mut State, o: &Options) -> Result<Report, String> {
    load(s, o, &mut |_| {}).map_err(|e| e.report())
}

/// The state holds t1 (5 units). File a: t1 again (100, a repeat: dropped), t2 (7). File b: t2 again
/// (1,000, dropped: file a came first), t3 (1). Counted: 5 + 7 + 1 = 13 units, $13.00. Without
/// de-duplication every row counts: 5 + 100 + 7 + 1,000 + 1 = 1,113 units.
#[test]
fn a_repeated_transaction_id_counts_once_the_state_first_then_files_in_order() {
    let d = dir("dedupe");
    let event = |id: &str, units: u32| {
        json!({"transaction_id": id, "customer_id": "c-prod", "event_type": "api", "timestamp": "2025-01-10T10:00:00Z", "properties": {"units": units}}).to_string()
    };
    let a = write(&d, "a.ndjson", &format!("{}\n{}\n", event("t1", 100), event("t2", 7)));
    let b = write(&d, "b.ndjson", &format!("{}\n{}\n", event("t2", 1000), event("t3", 1)));
    let mut s = world();
    let body: Value = serde_json::from_str(&format!("[{}]", event("t1", 5))).unwrap();
    call(&mut s, "POST /v1/ingest", &body, now()).unwrap();
    // Tally's ordered de-duplication and the documented seam's SQL window agree across files.
    for dedupe in [Dedupe::Ordered, Dedupe::Window] {
        let mut once = s.clone();
        let r = rate(&mut once, &options(vec![a.clone(), b.clone()], dedupe)).unwrap();
        assert_eq!(january_total(&once), json!(1300), "{dedupe:?}");
        assert_eq!(r.aggregated, 2, "t2 and t3 from the files ({dedupe:?})");
    }
    let mut every = s.clone();
    rate(&mut every, &options(vec![a, b], Dedupe::Off)).unwrap();
    assert_eq!(january_total(&every), json!(111300));
}

/// Within one file the first row of an id counts, as in the core: t1 (5 units) then t1 again (100,
/// dropped), t2 (7) then t2 again (1,000, dropped): 12 units, $12.00. The rows
/// follow 30,000 single events of 1 unit each (t100000 ...), so the file is read in several
/// batches: $30,000.00 + $12.00.
#[test]
fn within_one_file_the_first_row_of_a_transaction_id_counts() {
    let d = dir("dedupe-in-file");
    let event = |id: &str, hour: u32, units: u32| format!("{id},c-prod,api,2025-01-10T{hour:02}:00:00Z,{units}");
    let mut lines = vec!["transaction_id,customer_id,event_type,timestamp,units".to_string()];
    for i in 0..30_000 {
        lines.push(event(&format!("t{}", 100_000 + i), 1 + i % 9, 1));
    }
    lines.push(event("t1", 10, 5));
    lines.push(event("t1", 11, 100));
    lines.push(event("t2", 12, 7));
    lines.push(event("t2", 13, 1000));
    let f = write(&d, "usage.csv", &(lines.join("\n") + "\n"));
    let mut once = world();
    let r = rate(&mut once, &options(vec![f.clone()], Dedupe::Ordered)).unwrap();
    assert_eq!(r.aggregated, 30_002);
    assert_eq!(january_total(&once), json!(3001200));
    // Without de-duplication every row counts: 31,112 units. The folder, here with a second file of
    // 2 units and followed by a file of its own (4 units), is read as one table: 31,118 units.
    let mut every = world();
    let r = rate(&mut every, &options(vec![f.clone()], Dedupe::Off)).unwrap();
    assert_eq!((r.files, r.aggregated), (1, 30_004));
    assert_eq!(january_total(&every), json!(3111200));
    let header = "transaction_id,customer_id,event_type,timestamp,units";
    write(
        &d,
        "more.csv",
        &format!("{header}\nm1,c-prod,api,2025-01-11T00:00:00Z,2\n"),
    );
    let alone = dir("dedupe-in-file-alone");
    let last = write(
        &alone,
        "last.csv",
        &format!("{header}\nl1,c-prod,api,2025-01-12T00:00:00Z,4\n"),
    );
    let mut every = world();
    let r = rate(&mut every, &options(vec![d, last], Dedupe::Off)).unwrap();
    assert_eq!((r.files, r.aggregated), (3, 30_006));
    assert_eq!(january_total(&every), json!(3111800));
}

/// A row without a customer is refused and counted; the others are rated. In CSV, and in Parquet,
/// where a column whose footer statistics prove no null or empty value skips its check
/// (`source::proven_present`): there the empty customer keeps the customer's check.
#[test]
fn a_row_without_a_customer_is_refused_and_counted() {
    let d = dir("refused");
    let csv = write(
        &d,
        "usage.csv",
        "transaction_id,customer_id,event_type,timestamp,units\n\
         t1,c,api,2025-01-05T00:00:00Z,3\n\
         t2,,api,2025-01-06T00:00:00Z,50\n\
         t3,c-prod,api,2025-01-07T00:00:00Z,4\n\
         t2,c,api,2025-01-08T00:00:00Z,2\n",
    );
    let event = |id: &str, customer: &str, day: u32, units: u32| {
        json!({"transaction_id": id, "customer_id": customer, "event_type": "api",
               "timestamp": format!("2025-01-{day:02}T00:00:00Z"), "properties": {"units": units}})
    };
    let parquet = parquet(
        &d,
        "usage",
        &[
            event("t1", "c", 5, 3),
            event("t2", "", 6, 50),
            event("t3", "c-prod", 7, 4),
            event("t2", "c", 8, 2),
        ],
    );
    // The refused row does not take its transaction id: t2 with a customer (2 units) counts, as it
    // would in the core, which never stores a refused event. 3 + 4 + 2 units, $9.00.
    for f in [csv, parquet] {
        for dedupe in [Dedupe::Ordered, Dedupe::Window, Dedupe::Off] {
            let mut s = world();
            let r = rate(&mut s, &options(vec![f.clone()], dedupe)).unwrap();
            assert_eq!((r.aggregated, r.refused), (3, 1), "{f:?} {dedupe:?}");
            assert_eq!(january_total(&s), json!(900), "{f:?} {dedupe:?}");
        }
    }
}

/// A Parquet file with `units` as a top-level integer column that its footer proves never null: the
/// query then takes every event's units as a number without counting them (`Plan::whole`). 3 + 4 + 2
/// units, $9.00. The same with a row whose units are missing (the counts are kept): 3 + 2, $5.00.
#[test]
fn a_parquet_integer_column_proven_present_rates_like_any_other() {
    let d = dir("whole");
    let from_csv = |name: &str, csv: &str| parquet_of(&d, name, csv, Read::Csv);
    let head = "transaction_id,customer_id,event_type,timestamp,units\n";
    let whole = from_csv(
        "whole",
        &format!("{head}t1,c,api,2025-01-05T00:00:00Z,3\nt2,c-prod,api,2025-01-06T00:00:00Z,4\nt3,c,api,2025-01-07T00:00:00Z,2\n"),
    );
    let gaps = from_csv(
        "gaps",
        &format!("{head}t1,c,api,2025-01-05T00:00:00Z,3\nt2,c-prod,api,2025-01-06T00:00:00Z,\nt3,c,api,2025-01-07T00:00:00Z,2\n"),
    );
    for (f, cents) in [(whole, 900), (gaps, 500)] {
        for dedupe in [Dedupe::Ordered, Dedupe::Off] {
            let mut s = world();
            let r = rate(&mut s, &options(vec![f.clone()], dedupe)).unwrap();
            assert_eq!((r.aggregated, r.refused), (3, 0), "{f:?} {dedupe:?}");
            assert_eq!(january_total(&s), json!(cents), "{f:?} {dedupe:?}");
        }
    }
}

/// Integer units are summed as 64-bit integers only where the files' footers prove no sum can pass
/// `i64::MAX`. Two files of one event each, in one hour (one group), 5,000,000,000,000,000,000 units
/// (each file alone fits):
/// together 10,000,000,000,000,000,000 units, past `i64::MAX` (9,223,372,036,854,775,807), so they are
/// summed as decimals: at $1.00 a unit, 1,000,000,000,000,000,000,000 cents. Summed as integers they
/// would overflow. Small units in the same two files are summed as integers: 3 + 4 units, $7.00.
/// A sum with more digits than Tally's numbers hold (28 before the point and a 10th decimal place) is
/// refused with the customer, hour and property, never read as 0.
#[test]
fn integer_units_are_summed_exactly_past_the_64_bit_range() {
    let d = dir("magnitude");
    let head = "transaction_id,customer_id,event_type,timestamp,units\n";
    for (units, cents) in [
        (["5000000000000000000", "5000000000000000000"], "1000000000000000000000"),
        (["3", "4"], "700"),
    ] {
        let files: Vec<PathBuf> = units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let csv = format!("{head}t{i},c,api,2025-01-05T00:{i}0:00Z,{u}\n");
                parquet_of(&d, &format!("f{i}-{u}"), &csv, Read::Csv)
            })
            .collect();
        for dedupe in [Dedupe::Off, Dedupe::Ordered] {
            let mut s = world();
            let r = rate(&mut s, &options(files.clone(), dedupe)).unwrap();
            assert_eq!((r.aggregated, r.refused), (2, 0), "{units:?} {dedupe:?}");
            assert_eq!(january_total(&s).to_string(), cents, "{units:?} {dedupe:?}");
        }
    }
    let huge = json!({"transaction_id": "t1", "customer_id": "c", "event_type": "api", "timestamp": "2025-01-05T00:00:00Z",
        "properties": {"units": "9000000000000000000000000000.0000000001"}});
    let f = write(&d, "huge.ndjson", &format!("{huge}\n"));
    let e = rate(&mut world(), &options(vec![f], Dedupe::Off)).unwrap_err();
    assert!(
        e.contains("customer c, hour 2025-01-05T00:00:00Z: `units` comes to 90000000000000000000000000000000000001 ten-billionths, past the 28 digits"),
        "{e}"
    );
}

#[test]
fn files_that_cannot_be_rated_are_named_with_the_column_at_fault() {
    let d = dir("bad");
    let mut s = world();
    let missing = d.join("nope.parquet");
    let e = rate(&mut s, &options(vec![missing], Dedupe::Ordered)).unwrap_err();
    assert!(e.contains("nope.parquet") && e.contains("cannot be read"), "{e}");

    let no_type = write(
        &d,
        "no_type.csv",
        "transaction_id,customer_id,timestamp,units\nt1,c,2025-01-05T00:00:00Z,3\n",
    );
    let e = rate(&mut s, &options(vec![no_type], Dedupe::Ordered)).unwrap_err();
    assert!(e.contains("no_type.csv: column `event_type` is missing"), "{e}");

    let epoch = write(
        &d,
        "epoch.csv",
        "transaction_id,customer_id,event_type,timestamp,units\nt1,c,api,1736035200,3\n",
    );
    let e = rate(&mut s, &options(vec![epoch], Dedupe::Ordered)).unwrap_err();
    assert!(e.contains("epoch.csv: column `timestamp` is Int64"), "{e}");

    let garbled = write(
        &d,
        "garbled.ndjson",
        "{\"transaction_id\":\"t1\",\"customer_id\":\"c\",\"event_type\":\"api\",\"timestamp\":\"last tuesday\",\"properties\":{\"units\":3}}\n",
    );
    let e = rate(&mut s, &options(vec![garbled], Dedupe::Ordered)).unwrap_err();
    assert!(e.contains("garbled.ndjson: column `timestamp` cannot be read"), "{e}");

    // A folder read as one table (no de-duplication) still names the file at fault.
    let folder = d.join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    write(
        &folder,
        "a.csv",
        "transaction_id,customer_id,event_type,timestamp,units\nt1,c,api,2025-01-05T00:00:00Z,3\n",
    );
    write(
        &folder,
        "b.csv",
        "transaction_id,customer_id,event_type,timestamp,units\nt2,c,api,last tuesday,3\n",
    );
    let e = rate(&mut s, &options(vec![folder], Dedupe::Off)).unwrap_err();
    assert!(e.contains("b.csv: column `timestamp` cannot be read"), "{e}");

    let other = write(&d, "notes.txt", "hello");
    let e = rate(&mut s, &options(vec![other], Dedupe::Ordered)).unwrap_err();
    assert!(e.contains("notes.txt: is not a usage file"), "{e}");
    // Nothing was added to the state by the refused loads.
    assert_eq!(january_total(&s), json!(0));
}

/// Aggregates made elsewhere, in the aggregate schema: 2 events of 3 and 4 units on Jan 5 at 10:00
/// for the alias, 1 event of 10 units on Jan 6 for the id: 17 units, $17.00.
#[test]
fn aggregates_made_elsewhere_rate_like_the_events_they_sum() {
    let d = dir("aggregates");
    let f = write(
        &d,
        "hourly.csv",
        "customer_id,event_type,hour,events,units__numeric,units__absent,units__sum,units__max\n\
         c-prod,api,2025-01-05T10:00:00Z,2,2,0,7,4\n\
         c,api,2025-01-06T00:00:00Z,1,1,0,10,10\n",
    );
    let mut s = world();
    let o = Options {
        usage: vec![],
        aggregates: vec![f],
        dedupe: Dedupe::Ordered,
        horizon: now(),
    };
    let r = rate(&mut s, &o).unwrap();
    assert_eq!((r.aggregates, r.aggregated), (2, 3));
    assert_eq!(january_total(&s), json!(1700));
}

/// Aggregates are added as they come, not merged group by group, so a group given twice and a group
/// whose hour also holds a stored event must still count once each: a stored event of 1 unit for `c` on
/// Jan 6 at 00:30; `first.csv` gives the alias's Jan 5 10:00 group twice (7 units, then 5) and
/// `second.csv` 10 units for `c` on Jan 6 at 00:00, the stored event's hour. 1 + 7 + 5 + 10 = 23 units,
/// $23.00; loading `second.csv` once more adds its 10 units again: $33.00.
#[test]
fn aggregates_of_one_group_given_twice_and_beside_stored_events_all_count() {
    let d = dir("aggregates_twice");
    let head = "customer_id,event_type,hour,events,units__numeric,units__absent,units__sum,units__max\n";
    let first = write(
        &d,
        "first.csv",
        &format!("{head}c-prod,api,2025-01-05T10:00:00Z,2,2,0,7,4\nc-prod,api,2025-01-05T10:00:00Z,1,1,0,5,5\n"),
    );
    let second = write(
        &d,
        "second.csv",
        &format!("{head}c,api,2025-01-06T00:00:00Z,1,1,0,10,10\n"),
    );
    let mut s = world();
    call(
        &mut s,
        "POST /v1/ingest",
        &json!([{"transaction_id": "t1", "customer_id": "c", "event_type": "api", "timestamp": "2025-01-06T00:30:00Z", "properties": {"units": 1}}]),
        now(),
    )
    .unwrap();
    assert_eq!(january_total(&s), json!(100));
    let o = |files: Vec<PathBuf>| Options {
        usage: vec![],
        aggregates: files,
        dedupe: Dedupe::Ordered,
        horizon: now(),
    };
    let r = rate(&mut s, &o(vec![first, second.clone()])).unwrap();
    assert_eq!((r.aggregates, r.aggregated), (3, 4));
    assert_eq!(january_total(&s), json!(2300));
    rate(&mut s, &o(vec![second])).unwrap();
    assert_eq!(january_total(&s), json!(3300));
}

/// A credit of $3.00 from Jan 10 10:30 (off the hour): 5 units at 10:15 and 3 at 10:45. Only the 3
/// after 10:30 may draw on it: 8 units, $8.00, less $3.00 = $5.00. The hour 10:00 reaches rating as
/// events; aggregated, all 8 units would sit before 10:30 and the credit would pay nothing.
#[test]
fn an_hour_cut_off_the_hour_is_read_as_events() {
    let d = dir("off_hour");
    let f = write(
        &d,
        "usage.csv",
        "transaction_id,customer_id,event_type,timestamp,units\n\
         t1,c,api,2025-01-10T10:15:00Z,5\n\
         t2,c,api,2025-01-10T10:45:00Z,3\n\
         t3,c,api,2025-01-20T00:00:00Z,0\n",
    );
    let mut s = world();
    call(
        &mut s,
        "POST /v1/customers/credits/create",
        &json!({"customer_id": "c", "name": "Late credit", "product_id": "api", "access_schedule": {"schedule_items": [
            {"amount": 300, "starting_at": "2025-01-10T10:30:00Z", "ending_before": "2025-02-01T00:00:00Z"}]}}),
        now(),
    )
    .unwrap();
    let r = rate(&mut s, &options(vec![f], Dedupe::Ordered)).unwrap();
    assert_eq!((r.as_rows, r.aggregated), (2, 1));
    assert_eq!(january_total(&s), json!(500));
}

/// A folder given as a `file://` URL is listed through DataFusion's object store, in name order: 1.ndjson
/// has t1 (4 units) and t2 (3), 2.ndjson t2 again (50, dropped: 1.ndjson comes first) and t3 (2): 9 units,
/// $9.00. A missing object is named; a cloud URL without the `object-store` feature says what to build.
#[test]
fn a_file_url_reads_through_the_object_store_in_name_order() {
    let d = dir("url");
    let event = |id: &str, units: u32| {
        json!({"transaction_id": id, "customer_id": "c-prod", "event_type": "api", "timestamp": "2025-01-10T10:00:00Z", "properties": {"units": units}}).to_string()
    };
    write(&d, "2.ndjson", &format!("{}\n{}\n", event("t2", 50), event("t3", 2)));
    write(&d, "1.ndjson", &format!("{}\n{}\n", event("t1", 4), event("t2", 3)));
    let url = |rest: &str| PathBuf::from(format!("file://{}/{rest}", d.canonicalize().unwrap().display()));
    let mut s = world();
    let r = rate(&mut s, &options(vec![url("")], Dedupe::Ordered)).unwrap();
    assert_eq!(r.files, 2);
    assert_eq!(january_total(&s), json!(900));
    let missing = rate(&mut world(), &options(vec![url("nowhere.parquet")], Dedupe::Ordered)).unwrap_err();
    assert!(
        missing.contains("nowhere.parquet") && missing.contains("cannot be read"),
        "{missing}"
    );
    if !cfg!(feature = "object-store") {
        let cloud = rate(
            &mut world(),
            &options(vec![PathBuf::from("s3://bucket/usage/")], Dedupe::Ordered),
        )
        .unwrap_err();
        assert!(
            cloud.contains("s3://bucket/usage/") && cloud.contains("object-store"),
            "{cloud}"
        );
    }
}

fn parquet(d: &Path, name: &str, events: &[Value]) -> PathBuf {
    let text: Vec<String> = events.iter().map(Value::to_string).collect();
    parquet_of(d, name, &(text.join("\n") + "\n"), Read::NdJson)
}

/// How `parquet_of` reads its text: CSV gives top-level columns, NDJSON a `properties` struct.
enum Read {
    Csv,
    NdJson,
}

/// `{name}.parquet` in `d`, written by DataFusion from `text`.
fn parquet_of(d: &Path, name: &str, text: &str, read: Read) -> PathBuf {
    let src = write(d, &format!("{name}.tmp"), text);
    let out = d.join(format!("{name}.parquet"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let ctx = datafusion::prelude::SessionContext::new();
        let path = src.to_str().unwrap();
        let df = match read {
            Read::Csv => ctx
                .read_csv(path, datafusion::prelude::CsvReadOptions::new().file_extension(".tmp"))
                .await
                .unwrap(),
            Read::NdJson => ctx
                .read_json(
                    path,
                    datafusion::prelude::JsonReadOptions::default().file_extension(".tmp"),
                )
                .await
                .unwrap(),
        };
        df.write_parquet(
            out.to_str().unwrap(),
            datafusion::dataframe::DataFrameWriteOptions::new().with_single_file_output(true),
            None,
        )
        .await
        .unwrap();
    });
    std::fs::remove_file(src).unwrap();
    out
}

/// Without de-duplication a folder of Parquet files of one schema is read as one table, and every
/// row counts: a.parquet t1 (3 units), t2 (4); b.parquet t1 again (10), t3 (5); c.parquet, whose
/// properties also hold a region (another schema, so a table of its own), t4 (6): 28 units, $28.00.
/// De-duplicated, t1's repeat is dropped: 18 units. Which files make one table is checked directly:
/// like Parquet files of one folder do; a folder given twice, CSV files (read by column position) or
/// files of two schemas do not.
#[test]
fn a_folder_of_like_parquet_files_is_one_table_and_every_row_counts() {
    let d = dir("parquet-folder");
    let event = |id: &str, units: u32| json!({"transaction_id": id, "customer_id": "c-prod", "event_type": "api", "timestamp": "2025-01-10T10:00:00Z", "properties": {"units": units}});
    let a = parquet(&d, "a", &[event("t1", 3), event("t2", 4)]);
    let b = parquet(&d, "b", &[event("t1", 10), event("t3", 5)]);
    let mut every = world();
    let r = rate(&mut every, &options(vec![d.clone()], Dedupe::Off)).unwrap();
    assert_eq!((r.files, r.aggregated), (2, 4));
    assert_eq!(january_total(&every), json!(2200));
    let mut c = event("t4", 6);
    c["properties"]["region"] = json!("US");
    parquet(&d, "c", &[c]);
    let mut every = world();
    rate(&mut every, &options(vec![d.clone()], Dedupe::Off)).unwrap();
    assert_eq!(january_total(&every), json!(2800));
    let mut once = world();
    rate(&mut once, &options(vec![d.clone()], Dedupe::Ordered)).unwrap();
    assert_eq!(january_total(&once), json!(1800));

    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use tally_warehouse::source::{tables, Format};
    let one = Schema::new(vec![Field::new("units", DataType::Int64, true)]);
    let two = Schema::new(vec![Field::new("units", DataType::Utf8, true)]);
    let pq = |p: &PathBuf| (p.clone(), Format::Parquet);
    let folders = |paths: &[PathBuf], files: &[(PathBuf, Format)], schemas: &[Schema]| {
        tables(paths, files, Some(schemas))
            .into_iter()
            .map(|(p, _, _)| p)
            .collect::<Vec<_>>()
    };
    let folder = vec![d.clone()];
    let ab = [pq(&a), pq(&b)];
    assert_eq!(folders(&folder, &ab, &[one.clone(), one.clone()]), folder);
    assert_eq!(
        folders(&folder, &ab, &[one.clone(), two.clone()]),
        vec![a.clone(), b.clone()]
    );
    let twice = [pq(&a), pq(&b), pq(&a), pq(&b)];
    let four = [one.clone(), one.clone(), one.clone(), one.clone()];
    assert_eq!(folders(&[d.clone(), d.clone()], &twice, &four).len(), 4);
    let csv = [(a.clone(), Format::Csv), (b.clone(), Format::Csv)];
    assert_eq!(folders(&folder, &csv, &[one.clone(), one.clone()]).len(), 2);
}
