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

pub fn to_events(text: &str) -> Result<Value, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = cells(lines.next().ok_or("the CSV is empty")?);
    for need in ["transaction_id", "customer_id", "event_type", "timestamp"] {
        if !header.iter().any(|h| h == need) {
            return Err(format!("the CSV header needs a `{need}` column"));
        }
    }
    let events = lines
        .map(|l| {
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
    Ok(Value::Array(events))
}

/// Reads pasted events: a JSON array, or CSV with a header row.
pub fn parse_events(text: &str) -> Result<Value, String> {
    let t = text.trim();
    if t.starts_with('[') || t.starts_with('{') {
        serde_json::from_str(t).map_err(|e| format!("Not JSON: {e}"))
    } else {
        to_events(t)
    }
}
