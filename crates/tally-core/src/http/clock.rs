//! Tally's own clock call, for clients that test billing over time: `GET /tally/clock` tells the
//! time the door answers at, `POST /tally/clock {"now": "..."}` moves it. Metronome has no such call:
//! its clock is the world's. The clock only moves forward (model.md, "Finalized invoices hold once
//! time has passed them"), so an earlier time is refused.

use crate::error::{parse, Error, ErrorCode, Result};
use crate::time::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};

// No `deny_unknown_fields`: `parse` refuses an unknown field by name, as every call's body.
#[derive(Deserialize)]
struct SetClock {
    now: Timestamp,
}

/// The clock call's answer, or `None` when `path` is not the clock.
pub(super) fn route(
    method: &str,
    path: &str,
    query: &super::query::Query,
    body: &Value,
    now: &mut Timestamp,
) -> Result<Option<Value>> {
    if path.trim_end_matches('/') != "/tally/clock" {
        return Ok(None);
    }
    query.refuse_any()?;
    match method {
        "GET" => {}
        "POST" => {
            let SetClock { now: to } = parse(body)?;
            crate::api::advance_clock(now, to, "now")?;
        }
        _ => {
            return Err(Error::new(
                ErrorCode::UnknownCall,
                "",
                format!("`{method} /tally/clock` is not a call: GET tells the time, POST moves it"),
            ))
        }
    }
    Ok(Some(json!({ "data": { "now": now } })))
}
