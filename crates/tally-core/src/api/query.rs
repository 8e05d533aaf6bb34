//! A GET call's query string, read the one way every call reads it: `key=value` pairs, values
//! percent-decoded, and a key that is not the call's, or given twice, refused by name.

use crate::error::{Error, ErrorCode, Result};
use percent_encoding::percent_decode_str;

/// The `key=value` pairs of `query`, values as sent (a key alone has an empty value).
pub(crate) fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// The value of `key`, percent-decoded.
pub(crate) fn decode(key: &str, value: &str) -> Result<String> {
    percent_decode_str(value)
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| Error::new(ErrorCode::InvalidBody, key, "not UTF-8 once decoded"))
}

/// A query key no call of Tally's reads: refused by name, never ignored.
pub(crate) fn unknown_key(key: &str) -> Error {
    Error::new(
        ErrorCode::UnknownField,
        key,
        format!("`{key}` is not a query key of this call: Tally refuses it rather than ignore it"),
    )
}

/// A query key of Metronome's API that Tally does not implement.
pub(crate) fn unimplemented_key(key: &str) -> Error {
    Error::new(
        ErrorCode::NotSupported,
        key,
        format!("`{key}` is a query key of Metronome's API that Tally does not implement"),
    )
}

/// A key given twice: refused, not guessed at.
pub(crate) fn given_twice(key: &str) -> Error {
    Error::invalid(key, format!("`{key}` is given twice: give it once"))
}

/// A query that must hold only `known` keys, each once; answers the pairs, decoded.
pub(crate) fn keys(query: &str, known: &[&str]) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs(query) {
        let v = decode(k, v)?;
        if !known.contains(&k) {
            return Err(unknown_key(k));
        }
        if out.iter().any(|(seen, _)| seen == k) {
            return Err(given_twice(k));
        }
        out.push((k.to_string(), v));
    }
    Ok(out)
}
