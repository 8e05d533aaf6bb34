//! The SDK's three ways of paging a list, as its declarations name them: `CursorPage` (`limit` and
//! `next_page` in the query, even on a POST), `BodyCursorPage` (both in the body) and
//! `CursorPageWithoutLimit` (`next_page` in the query, no `limit`). Which list pages which way comes
//! from the SDK's own declarations (`api::metronome::paging`). Tally's calls answer whole lists; the
//! door cuts the page and writes `next_page`, an opaque cursor (today an offset), `null` on the last.

use super::query::Query;
use crate::api::metronome::{self, Paging};
use crate::error::{Error, Result};
use serde_json::Value;

/// A list's page size when the request names none, and the most it may name: Metronome's.
const DEFAULT_LIMIT: usize = 100;

/// Where one page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Page {
    offset: usize,
    limit: usize,
}

/// Takes the paging keys out of the query or the body (the call behind never sees them) and answers
/// the page asked for; `None` for a call that does not page.
pub(super) fn take(method: &str, parts: &[&str], query: &mut Query, mut body: Value) -> Result<(Value, Option<Page>)> {
    // Two rate schedules take a cursor in the query that the SDK does not follow itself: a client
    // may page them by hand, so they page as a query list does.
    let by_hand = matches!(
        parts,
        ["v1", "contract-pricing", "rate-cards", "getRateSchedule"] | ["v1", "contracts", "getContractRateSchedule"]
    );
    let Some(style) = metronome::paging(method, parts).or(by_hand.then_some(Paging::Query)) else {
        return Ok((body, None));
    };
    let (cursor, limit) = match style {
        Paging::Query => (query.take("next_page")?, query.take("limit")?),
        Paging::QueryWithoutLimit => (query.take("next_page")?, None),
        Paging::Body => {
            let obj = body.as_object_mut();
            let field = |k: &str| -> Result<Option<String>> {
                match obj.as_ref().and_then(|o| o.get(k)) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(Value::Number(n)) => Ok(Some(n.to_string())),
                    Some(other) => Err(Error::invalid(k, format!("`{other}` is not a {k}"))),
                }
            };
            let found = (field("next_page")?, field("limit")?);
            if let Some(o) = body.as_object_mut() {
                o.remove("next_page");
                o.remove("limit");
            }
            found
        }
    };
    Ok((body, Some(Page::read(cursor.as_deref(), limit.as_deref())?)))
}

impl Page {
    fn read(cursor: Option<&str>, limit: Option<&str>) -> Result<Page> {
        let offset = match cursor {
            None | Some("") => 0,
            Some(c) => c.parse().map_err(|_| {
                Error::invalid(
                    "next_page",
                    format!("`{c}` is not a cursor this list gave: pass back the `next_page` of the last page"),
                )
            })?,
        };
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=DEFAULT_LIMIT).contains(&n) => n,
                _ => {
                    return Err(Error::invalid(
                        "limit",
                        format!("`{l}` is not a page size: give a whole number from 1 to {DEFAULT_LIMIT}"),
                    ))
                }
            },
        };
        Ok(Page { offset, limit })
    }

    /// Cuts `{"data": [...]}` to this page and says where the next one starts.
    pub(super) fn apply(self, answer: &mut Value) -> Result<()> {
        let Some(Value::Array(items)) = answer.get_mut("data") else {
            return Ok(());
        };
        let total = items.len();
        let end = self.offset.saturating_add(self.limit).min(total);
        let page: Vec<Value> = items.drain(self.offset.min(total)..end).collect();
        *items = page;
        let next = (end < total).then(|| end.to_string());
        answer["next_page"] = next.map_or(Value::Null, Value::String);
        Ok(())
    }
}
