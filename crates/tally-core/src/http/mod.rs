//! The HTTP door: Metronome's REST calls as its official SDK sends them (method, path, query, JSON
//! body), answered as Metronome answers them (status codes, response shapes, the SDK's three ways of
//! paging, errors the SDK raises as `APIError`). `engine.fetch` in the JS package and `tally serve`
//! both go through `respond`, so a client written against Metronome runs against Tally unchanged.
//!
//! The door only translates: every call is routed by `api::call`, which checks and applies it, so a
//! refused call changes nothing here either.

mod clock;
mod paging;
mod query;
mod shapes;

use crate::api;
use crate::error::{Error, ErrorCode};
use crate::state::State;
use crate::time::Timestamp;
use serde_json::{json, Value};

/// One request as it came over the wire.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, ... (any case).
    pub method: &'a str,
    /// The path with its query string, `/v1/customers?limit=10`; a full URL is cut to its path.
    pub target: &'a str,
    /// The body's bytes; empty for none.
    pub body: &'a [u8],
}

/// The answer: a status, a JSON body and whether the state changed (so a server knows to save it).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// 200 for an answer; 400, 404, 409 or 501 for a refusal (`status_of`).
    pub status: u16,
    /// The JSON text of the body.
    pub body: String,
    /// `true` when the call changed the state (a command that was accepted).
    pub changed: bool,
}

impl Response {
    /// The headers every answer carries. A refusal says `x-should-retry: false`: the SDK retries 409s
    /// and 5xx by default, and asking again cannot change Tally's answer.
    pub fn headers(&self) -> Vec<(&'static str, &'static str)> {
        let mut h = vec![("content-type", "application/json")];
        if self.status >= 400 {
            h.push(("x-should-retry", "false"));
        }
        h
    }

    /// A refusal as the SDK reads it: a top-level `message` (what `APIError` shows), plus Tally's
    /// `code` and `path`.
    pub fn refusal(e: &Error) -> Response {
        let body = json!({ "message": e.message, "code": e.code, "path": e.path });
        Response {
            status: status_of(e.code),
            body: body.to_string(),
            changed: false,
        }
    }
}

/// The HTTP status of a refusal, as Metronome's API gives them.
pub fn status_of(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::NotFound | ErrorCode::UnknownCall => 404,
        ErrorCode::Conflict => 409,
        // Not implemented by Tally, neither the endpoint nor the field: not a mistake of the caller's.
        ErrorCode::NotSupported => 501,
        ErrorCode::InvalidBody | ErrorCode::Invalid | ErrorCode::UnknownField | ErrorCode::OutOfRange => 400,
    }
}

/// Answers one request against the state at the clock `now`, which Tally's own clock call may move
/// forward.
pub fn respond(state: &mut State, now: &mut Timestamp, req: Request) -> Response {
    match answer(state, now, req) {
        Ok((value, changed)) => Response {
            status: 200,
            body: value.to_string(),
            changed,
        },
        Err(e) => Response::refusal(&e),
    }
}

fn answer(state: &mut State, now: &mut Timestamp, req: Request) -> crate::error::Result<(Value, bool)> {
    let method = req.method.trim().to_ascii_uppercase();
    let (path, query) = split_target(req.target);
    let body = body_of(req.body)?;
    let mut query = query::Query::parse(query)?;
    if let Some(answer) = clock::route(&method, path, &query, &body, now)? {
        return Ok((answer, false));
    }
    // Each segment decoded on its own (an id may hold `%2F`), as the call behind routes it, so the
    // door pages and shapes what it routes even when a client encodes a fixed segment.
    let segments = path
        .trim_matches('/')
        .split('/')
        .map(|s| query::decode(s, ""))
        .collect::<crate::error::Result<Vec<String>>>()?;
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (body, page) = paging::take(&method, &parts, &mut query, body)?;
    // A POST call reads its body; a query key left once paging took its own is refused, not ignored.
    if method == "POST" {
        query.refuse_any()?;
    }
    let call = format!("{method} {path}{}", query.to_query_string());
    let (mut value, changed) = api::call_changing(state, &call, &body, *now)?;
    shapes::to_sdk(state, &method, &parts, &mut value);
    if let Some(page) = page {
        page.apply(&mut value)?;
    }
    Ok((value, changed))
}

/// `/v1/x?a=1` → (`/v1/x`, `a=1`); a full URL (`http://host/v1/x`) is cut to its path first.
fn split_target(target: &str) -> (&str, &str) {
    let target = target.trim();
    let path = match target.find("://") {
        Some(i) => target[i + 3..].find('/').map_or("/", |j| &target[i + 3 + j..]),
        None => target,
    };
    let path = path.split('#').next().unwrap_or_default();
    path.split_once('?').unwrap_or((path, ""))
}

/// The body as JSON; none at all reads as `{}`, so a missing required field is named, not "null".
fn body_of(bytes: &[u8]) -> crate::error::Result<Value> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| Error::new(ErrorCode::InvalidBody, "", "the body is not UTF-8 text"))?;
    if text.trim().is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_str(text).map_err(|e| Error::new(ErrorCode::InvalidBody, "", format!("the body is not JSON: {e}")))
}

#[cfg(test)]
mod tests;
