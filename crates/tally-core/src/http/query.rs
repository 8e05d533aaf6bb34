//! A request's query string: decoded pairs in their order, from which the door takes its own keys
//! (`limit`, `next_page`) before the rest goes on to the call.

use crate::error::{Error, ErrorCode, Result};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What is encoded again: all but RFC 3986's unreserved characters, so keys such as `ending_before`
/// read the same on the other side.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The decoded `key=value` pairs of a query string.
#[derive(Debug, Default)]
pub(super) struct Query {
    pairs: Vec<(String, String)>,
}

/// `s` percent-decoded (and `+` read as a space); `key` names it in the error.
pub(super) fn decode(s: &str, key: &str) -> Result<String> {
    // A form-encoded space (`+`) is a space here too, as `URLSearchParams` writes it.
    let s = s.replace('+', " ");
    percent_decode_str(&s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| Error::new(ErrorCode::InvalidBody, key, "the query is not UTF-8 once decoded"))
}

impl Query {
    pub(super) fn parse(text: &str) -> Result<Query> {
        let mut pairs = Vec::new();
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = decode(k, "")?;
            let v = decode(v, &k)?;
            pairs.push((k, v));
        }
        Ok(Query { pairs })
    }

    /// Takes the value of `key` out of the query; a key given twice is refused, not guessed at.
    pub(super) fn take(&mut self, key: &str) -> Result<Option<String>> {
        let mut found: Vec<String> = Vec::new();
        self.pairs.retain(|(k, v)| {
            let hit = k == key;
            if hit {
                found.push(v.clone());
            }
            !hit
        });
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(Error::invalid(key, format!("`{key}` is given {} times", found.len()))),
        }
    }

    /// Refuses the first key left, naming it.
    pub(super) fn refuse_any(&self) -> Result<()> {
        match self.pairs.first() {
            Some((k, _)) => Err(crate::api::query::unknown_key(k)),
            None => Ok(()),
        }
    }

    /// What is left, encoded again (`?a=1&b=2`, or nothing).
    pub(super) fn to_query_string(&self) -> String {
        if self.pairs.is_empty() {
            return String::new();
        }
        let enc = |s: &str| utf8_percent_encode(s, ENCODED).to_string();
        let joined: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        format!("?{}", joined.join("&"))
    }
}
