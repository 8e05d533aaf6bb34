//! Which body fields are Metronome's: the list `web/tests/sdk-fields.mjs` generates from the official
//! SDK's type declarations (`metronome_fields.txt`). A field Tally does not define is refused either
//! way; the list decides how: `not_supported` for a field of Metronome's API that Tally does not
//! implement, `unknown_field` for one no Metronome call defines (a misspelling, another call's field).
//! The list also names every endpoint of Metronome's API, so a call Tally does not serve answers
//! `not_supported` naming the endpoint, never an `unknown_call` that reads like a typo.

use crate::error::{Error, ErrorCode};

const FIELDS: &str = include_str!("metronome_fields.txt");

/// `error` as the call `method path` gives it: an unknown field that Metronome's own call defines
/// becomes `not_supported`.
pub fn classify(error: Error, method: &str, parts: &[&str]) -> Error {
    if error.code != ErrorCode::UnknownField || !is_metronome_field(method, parts, &error.path) {
        return error;
    }
    let message = format!(
        "`{}` is a field of Metronome's API that Tally does not implement: refused rather than ignored",
        error.path
    );
    Error::new(ErrorCode::NotSupported, error.path, message)
}

/// Whether `field` (a body path as Tally writes it, `commits[0].access_schedule`) is one of the body
/// fields Metronome's SDK declares for `method` on the path `parts`.
pub fn is_metronome_field(method: &str, parts: &[&str], field: &str) -> bool {
    let want = without_indexes(field);
    let mut in_call = false;
    for line in FIELDS.lines().filter(|l| !l.starts_with('#')) {
        match line.strip_prefix("  ") {
            Some(f) => {
                if in_call && f == want {
                    return true;
                }
            }
            None => in_call = matches(line, method, parts),
        }
    }
    false
}

/// The refusal of `method` on `parts` when it is an endpoint of Metronome's API that Tally does not
/// serve (asked only once no route of Tally's answered it); `None` for a call Metronome lacks too.
pub fn unserved(method: &str, parts: &[&str]) -> Option<Error> {
    let line = endpoint_lines().find(|l| matches(l, method, parts))?;
    let line = line.split(" page:").next().unwrap_or_default();
    Some(Error::new(
        ErrorCode::NotSupported,
        "",
        format!("`{line}` is an endpoint of Metronome's API that Tally does not serve (docs/metronome-coverage.md)"),
    ))
}

/// How the SDK pages a list endpoint: the `page:` mark on its line of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// `CursorPage`: `limit` and `next_page` in the query string, even on a POST.
    Query,
    /// `CursorPageWithoutLimit`: `next_page` in the query string and no `limit`.
    QueryWithoutLimit,
    /// `BodyCursorPage`: `limit` and `next_page` in the JSON body.
    Body,
}

/// How `method` on `parts` pages, if it is a list the SDK pages.
pub fn paging(method: &str, parts: &[&str]) -> Option<Paging> {
    let line = endpoint_lines().find(|l| matches(l, method, parts))?;
    match line.split(" page:").nth(1)? {
        "query" => Some(Paging::Query),
        "query-without-limit" => Some(Paging::QueryWithoutLimit),
        "body" => Some(Paging::Body),
        _ => None,
    }
}

fn endpoint_lines() -> impl Iterator<Item = &'static str> {
    FIELDS.lines().filter(|l| !l.starts_with('#') && !l.starts_with("  "))
}

/// Whether a call line of the list (`POST /v1/customers/{id}/setName page:query`) is `method` on
/// `parts`.
fn matches(line: &str, method: &str, parts: &[&str]) -> bool {
    let line = line.split(" page:").next().unwrap_or_default();
    let Some((m, path)) = line.split_once(' ') else {
        return false;
    };
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    m == method && segs.len() == parts.len() && segs.iter().zip(parts).all(|(s, p)| *s == "{id}" || s == p)
}

/// `commits[0].items[12].amount` → `commits[].items[].amount`.
fn without_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metronome_field_is_told_from_a_misspelling() {
        let create = ["v1", "contracts", "create"];
        assert!(is_metronome_field("POST", &create, "hierarchy_configuration"));
        assert!(is_metronome_field(
            "POST",
            &create,
            "commits[3].invoice_schedule.do_not_invoice"
        ));
        assert!(!is_metronome_field("POST", &create, "subscription"));
        assert!(!is_metronome_field("POST", &["v1", "customers"], "ingest_alias"));
        // Path parameters match any segment.
        assert!(is_metronome_field(
            "POST",
            &["v1", "customers", "c1", "setIngestAliases"],
            "ingest_aliases"
        ));
        assert!(is_metronome_field("POST", &["v1", "ingest"], "[0].transaction_id"));
    }
}
