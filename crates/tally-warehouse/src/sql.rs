//! The aggregation, as SQL text: the documented seam between a query engine and Tally. DataFusion runs
//! it here; the same GROUP BY runs in ClickHouse, Spark or BigQuery, and its result, written as the
//! aggregate schema (docs/warehouse.md), feeds `tally rate --aggregates`.
//!
//! Every source is first read as one normalized relation, `usage`:
//! `(__file, transaction_id, customer_id, event_type, ts_ns, <p>_text, <p>_num, <p>_has ...)`, where
//! `ts_ns` is nanoseconds since 1970 UTC, `<p>_text` a property's value as text (what dimensions compare
//! and UNIQUE counts), `<p>_num` its value as a number where it reads as one (what SUM, MAX and LATEST
//! read) and `<p>_has` 1 where the event has the property (what counts the events without it).
//! A row without a transaction id, customer, event type or time is refused: its customer is NULL.

/// Nanoseconds in an hour.
pub const HOUR_NS: i64 = 3_600_000_000_000;

/// How numbers are summed: 28 digits before the point, 10 after (Tally's own numbers keep every digit
/// a JSON text gives; a value with more than 10 decimal places is rounded here).
pub const DECIMAL: &str = "DECIMAL(38, 10)";

/// A SQL identifier for a property column of the normalized relation (`p0_text`, `p0_num`, ...): the
/// property's own name may be any text, so columns are numbered and the names kept beside.
pub fn column(i: usize, part: &str) -> String {
    format!("p{i}_{part}")
}

/// Quotes `name` as a SQL identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes `text` as a SQL string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// What the aggregation keeps: property names with what each is read as.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Every property rating reads (dimensions and measures), each once, in this order.
    pub properties: Vec<String>,
    /// Indices into `properties`.
    pub dims: Vec<usize>,
    pub measures: Vec<usize>,
    /// Of `measures`: which keep their distinct values (UNIQUE), which their latest value (LATEST).
    pub distinct: Vec<bool>,
    pub latest: Vec<bool>,
    /// Of `measures`: which every event has as an integer (a column of an integer type that every
    /// file's footers prove never null: `source::whole_integer`). Its numeric count is then the
    /// events' and its absent count 0, two aggregates a group need not keep.
    pub whole: Vec<bool>,
    /// Hours (since 1970) whose events reach rating as rows, not aggregates: they hold an instant
    /// off the hour where rating cuts usage.
    pub row_hours: Vec<i64>,
    /// Where the events come from, and how repeated transaction ids are dropped.
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The files' normalized union, `usage`, as it is (the warehouse guarantees unique ids).
    Usage,
    /// `usage` de-duplicated in SQL by the `firsts` CTE (`dedupe_cte`), the portable seam; `known`
    /// says whether a table `known(transaction_id)` holds ids stored before, which count first.
    Window { known: bool },
    /// A table `firsts` registered beside the query, already de-duplicated in file and row order,
    /// whose `__seq` orders its rows (`crate::firsts`, what Tally itself runs).
    Streamed,
}

/// The relation rating reads, and the column that orders rows of one instant after their time.
fn base(plan: &Plan) -> (&'static str, &'static str) {
    match plan.source {
        Source::Usage => ("usage", "__file"),
        Source::Window { .. } => ("firsts", "__file"),
        Source::Streamed => ("firsts", crate::firsts::SEQ),
    }
}

/// The query's WITH clause: the files' union (`usage_cte`) and the window that de-duplicates it, where
/// the plan reads them.
fn with(plan: &Plan, usage_cte: &str) -> String {
    match plan.source {
        Source::Usage => format!("WITH {usage_cte} "),
        Source::Window { known } => format!("WITH {usage_cte}, {} ", dedupe_cte(known)),
        Source::Streamed => String::new(),
    }
}

/// The CTE that keeps the first occurrence of each transaction id; `known` holds the ids stored
/// before (the state's events), which always come first.
pub fn dedupe_cte(with_known: bool) -> String {
    let known = if with_known {
        " WHERE transaction_id NOT IN (SELECT transaction_id FROM known)"
    } else {
        ""
    };
    // A refused row (no customer: something an event needs is missing) is kept to be counted, and
    // does not take its id from a valid row.
    format!(
        "firsts AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY transaction_id, customer_id IS NULL ORDER BY __file) AS __n \
         FROM usage{known}) WHERE __n = 1 OR customer_id IS NULL)"
    )
}

fn in_row_hours(plan: &Plan) -> String {
    let hours: Vec<String> = plan.row_hours.iter().map(|h| h.to_string()).collect();
    format!("(ts_ns / {HOUR_NS}) IN ({})", hours.join(", "))
}

/// A measure's column in the aggregate schema: `<property>__<part>`.
pub fn measure_column(property: &str, part: &str) -> String {
    ident(&format!("{property}__{part}"))
}

/// The GROUP BY: one row per customer key, event type, hour and dimension values, in the aggregate
/// schema: `customer_id`, `event_type`, `hour` (its start, a UTC timestamp), one column per dimension
/// named after its property, `events`, and per measure `<p>__numeric`, `<p>__absent`, `<p>__sum`,
/// `<p>__max` and, where kept, `<p>__latest_at`, `<p>__latest`, `<p>__distinct`. Refused rows come out
/// as groups without a customer.
pub fn aggregate(plan: &Plan, usage_cte: &str) -> String {
    let mut select = vec![
        "customer_id".to_string(),
        "event_type".to_string(),
        format!("to_timestamp_nanos((ts_ns / {HOUR_NS}) * {HOUR_NS}) AS hour"),
    ];
    let mut group = vec![
        "customer_id".to_string(),
        "event_type".to_string(),
        format!("ts_ns / {HOUR_NS}"),
    ];
    for &i in &plan.dims {
        select.push(format!("{} AS {}", column(i, "text"), ident(&plan.properties[i])));
        group.push(column(i, "text"));
    }
    select.push("count(*) AS events".into());
    for (j, &i) in plan.measures.iter().enumerate() {
        let (text, num, has) = (column(i, "text"), column(i, "num"), column(i, "has"));
        let out = |part: &str| measure_column(&plan.properties[i], part);
        if plan.whole[j] {
            select.push(format!("count(*) AS {}", out("numeric")));
            select.push(format!("0 AS {}", out("absent")));
        } else {
            select.push(format!("count({num}) AS {}", out("numeric")));
            select.push(format!("count(*) - count({has}) AS {}", out("absent")));
        }
        select.push(format!("sum({num}) AS {}", out("sum")));
        select.push(format!("max({num}) AS {}", out("max")));
        if plan.latest[j] {
            select.push(format!(
                "to_timestamp_nanos(max(CASE WHEN {num} IS NOT NULL THEN ts_ns END)) AS {}",
                out("latest_at")
            ));
            select.push(format!(
                "last_value({num} ORDER BY ts_ns, {}) FILTER (WHERE {num} IS NOT NULL) AS {}",
                base(plan).1,
                out("latest")
            ));
        }
        if plan.distinct[j] {
            select.push(format!(
                "array_agg(DISTINCT {text}) FILTER (WHERE {text} IS NOT NULL) AS {}",
                out("distinct")
            ));
        }
    }
    let skip = if plan.row_hours.is_empty() {
        String::new()
    } else {
        format!(" WHERE NOT {}", in_row_hours(plan))
    };
    format!(
        "{}SELECT {} FROM {}{skip} GROUP BY {}",
        with(plan, usage_cte),
        select.join(", "),
        base(plan).0,
        group.join(", ")
    )
}

/// The rows of the hours that hold a cut off the hour, in time order then file (and row) order.
pub fn row_hours(plan: &Plan, usage_cte: &str) -> String {
    let (from, order) = base(plan);
    format!(
        "{}SELECT * FROM {from} WHERE customer_id IS NOT NULL AND {} ORDER BY ts_ns, {order}",
        with(plan, usage_cte),
        in_row_hours(plan)
    )
}
