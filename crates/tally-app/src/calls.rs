//! Call paths and wire names. An id goes into a call path percent-encoded, through `path` alone: the
//! core decodes each segment on its own (`tally_core::api`), so an id holding `/`, `?` or `%` stays one
//! segment and names the same customer.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a path segment keeps as written: RFC 3986's unreserved characters. Everything else is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A call: its method and its path's segments, each percent-encoded. `path("POST", &["v1", "customers",
/// "acme/eu", "updateName"])` is `POST /v1/customers/acme%2Feu/updateName`.
pub fn path(method: &str, segments: &[&str]) -> String {
    let mut call = method.to_string();
    call.push(' ');
    for s in segments {
        call.push('/');
        call.extend(utf8_percent_encode(s, SEGMENT));
    }
    call
}

/// How the wire names a value of one of the core's enums (`LineType::AppliedCommitOrCredit` is
/// `applied_commit_or_credit`, `InvoiceType::Usage` is `USAGE`): its serde name, so the app never spells
/// one out of its own.
pub fn wire_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tally_core::invoice::{InvoiceType, LineType};

    #[test]
    fn ids_in_a_path_are_one_segment_each() {
        assert_eq!(
            path("POST", &["v1", "customers", "acme/eu", "updateName"]),
            "POST /v1/customers/acme%2Feu/updateName"
        );
        assert_eq!(
            path("GET", &["v1", "customers", "a b?c%d#é"]),
            "GET /v1/customers/a%20b%3Fc%25d%23%C3%A9"
        );
        assert_eq!(path("POST", &["v1", "customers"]), "POST /v1/customers");
    }

    #[test]
    fn enums_read_as_the_wire_names_them() {
        assert_eq!(wire_name(&LineType::AppliedCommitOrCredit), "applied_commit_or_credit");
        assert_eq!(wire_name(&InvoiceType::Threshold), "THRESHOLD");
    }
}
