//! CSV usage events into the JSON the core's ingest takes. Plumbing only: columns `transaction_id`,
//! `customer_id`, `event_type`, `timestamp`; every other column becomes a property (a number when it
//! reads as one). The core validates the result and names the row it refuses (`[3].timestamp`).

use serde_json::{json, Map, Value};

fn cells(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut quoted, mut chars) = (String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

/// What a CSV row must hold, said wherever a CSV is refused.
pub const EXPECTED: &str = "Expected a header row `transaction_id,customer_id,event_type,timestamp` (then one column per property), and on each line a timestamp like 2025-01-31T00:00:00Z.";

/// Events read from CSV, and for each the line of the text it came from (1-based, the header counted,
/// blank lines counted), to name the line a refusal is about as the file shows it.
#[derive(Debug)]
pub struct CsvEvents {
    pub body: Value,
    pub lines: Vec<usize>,
}

pub fn to_events(text: &str) -> Result<CsvEvents, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (header_line, header) = lines.next().ok_or(format!("The CSV is empty. {EXPECTED}"))?;
    let header = cells(header);
    for need in ["transaction_id", "customer_id", "event_type", "timestamp"] {
        if !header.iter().any(|h| h == need) {
            return Err(format!(
                "The CSV header (line {}) has no `{need}` column. {EXPECTED}",
                header_line + 1
            ));
        }
    }
    let mut numbers = Vec::new();
    let events = lines
        .map(|(n, l)| {
            numbers.push(n + 1);
            let mut e = Map::new();
            let mut props = Map::new();
            for (h, v) in header.iter().zip(cells(l)) {
                match h.as_str() {
                    "transaction_id" | "customer_id" | "event_type" | "timestamp" => {
                        e.insert(h.clone(), json!(v));
                    }
                    _ if v.is_empty() => {}
                    _ => {
                        let value = serde_json::from_str::<serde_json::Number>(&v)
                            .map(Value::Number)
                            .unwrap_or(Value::String(v));
                        props.insert(h.clone(), value);
                    }
                }
            }
            e.insert("properties".into(), Value::Object(props));
            Value::Object(e)
        })
        .collect();
    Ok(CsvEvents {
        body: Value::Array(events),
        lines: numbers,
    })
}

/// The core's refusal of event `[i]` said of the CSV line it came from: "Line 4, column timestamp:
/// `31/01/2025` is not a date and time. Expected …". `offset` is added to the line numbers in
/// `lines` (a file read in chunks). `None`: the path names no event.
pub fn on_line(e: &tally_core::Error, lines: &[usize], offset: usize) -> Option<String> {
    let (index, rest) = e
        .path
        .strip_prefix('[')
        .and_then(|p| p.split_once(']'))
        .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.trim_start_matches('.'))))?;
    let line = lines.get(index)? + offset;
    let column = rest.strip_prefix("properties.").unwrap_or(rest);
    let column = if column.is_empty() {
        String::new()
    } else {
        format!(", column {column}")
    };
    // The parser's detail ("premature end of input") is not a billing person's concern.
    const RFC: &str = "is not an RFC 3339 timestamp";
    let message = match e.message.find(RFC) {
        Some(i) => format!("{}is not a date and time", &e.message[..i]),
        None => e.message.clone(),
    };
    Some(format!("Line {line}{column}: {message}. {EXPECTED}"))
}

/// Reads pasted events: a JSON array (no line numbers), or CSV with a header row.
pub fn parse_events(text: &str) -> Result<(Value, Option<Vec<usize>>), String> {
    // Leading blank lines count as the file shows them; only the kind is judged on the trimmed text.
    let t = text.trim();
    if t.starts_with('[') || t.starts_with('{') {
        serde_json::from_str(t)
            .map(|v| (v, None))
            .map_err(|e| format!("Not JSON: {e}"))
    } else {
        to_events(text).map(|c| (c.body, Some(c.lines)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_row_is_named_by_its_line_in_the_file_header_and_blank_lines_counted() {
        let text = "transaction_id,customer_id,event_type,timestamp,cpu_hours\n\na,c,u,2025-01-01T00:00:00Z,1\nb,c,u,31/01/2025,2\n";
        let csv = to_events(text).unwrap();
        assert_eq!(csv.lines, vec![3, 4]);
        let e = tally_core::Error::new(
            tally_core::ErrorCode::InvalidBody,
            "[1].timestamp",
            "`31/01/2025` is not an RFC 3339 timestamp (premature end of input)",
        );
        assert_eq!(
            on_line(&e, &csv.lines, 0).unwrap(),
            format!("Line 4, column timestamp: `31/01/2025` is not a date and time. {EXPECTED}")
        );
        // In a file read in chunks, the lines before the chunk are added.
        assert!(on_line(&e, &csv.lines, 1000).unwrap().starts_with("Line 1004,"));
        assert!(to_events("customer_id,timestamp\n")
            .unwrap_err()
            .starts_with("The CSV header (line 1) has no `transaction_id` column."));
    }
}
