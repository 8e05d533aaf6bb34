//! The one error type of the core: every refused call names the field it refuses.

use serde::Serialize;
use std::fmt;

/// What kind of refusal this is; stable strings that JS callers can switch on.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not the shape the call takes (wrong type, missing field, bad timestamp).
    InvalidBody,
    /// The body parses but breaks a rule (negative price, inverted window, ...).
    Invalid,
    /// The body refers to something that does not exist.
    NotFound,
    /// The body clashes with what exists (duplicate id, alias owned by another customer).
    Conflict,
    /// The call's path is not one Tally knows.
    UnknownCall,
    /// An amount is beyond what Tally can represent exactly; it is refused, never billed as a wrong figure.
    OutOfRange,
    /// The body has a field the call does not define (a misspelling, or another call's field): refused,
    /// never ignored.
    UnknownField,
    /// The body has a field of Metronome's API that Tally does not implement: refused, never ignored.
    NotSupported,
}

/// A refused call: what kind of refusal, why, and the field at fault.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    /// The kind of refusal; stable, for callers to switch on.
    pub code: ErrorCode,
    /// Why the call was refused, in words for a person.
    pub message: String,
    /// The offending field, e.g. `commits[0].access_schedule.schedule_items[1].amount`; empty for the body itself.
    pub path: String,
}

impl Error {
    /// A refusal of kind `code` at field `path`.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            path: path.into(),
        }
    }
    /// The body breaks a rule (`ErrorCode::Invalid`).
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, path, message)
    }
    /// The body names something that does not exist (`ErrorCode::NotFound`).
    pub fn not_found(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, path, message)
    }
    /// The body clashes with what exists (`ErrorCode::Conflict`).
    pub fn conflict(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, path, message)
    }
    /// Prefixes the path with the field that holds the nested value that failed.
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        self
    }
}

pub(crate) fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => prefix.to_string(),
        _ if rest.starts_with('[') => format!("{prefix}{rest}"),
        _ => format!("{prefix}.{rest}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// The core's result: an `Error` unless told otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A refusal raised while serde builds a domain type from its body (`TryFrom` of a parsed term). Serde
/// only carries text out of a failed parse, so the refusal itself waits beside the parse, in a slot
/// of this thread, and the text serde carries is only its ticket; `parse` takes it back by that ticket
/// and joins its field path to where the term sits in the body. A ticket no refusal answers (serde
/// tried another variant and failed for its own reason) is an ordinary invalid body.
#[derive(Debug)]
pub struct InBody(pub Error);

thread_local! {
    static RAISED: std::cell::RefCell<Vec<Error>> = const { std::cell::RefCell::new(Vec::new()) };
}

const TICKET: &str = "\u{1}tally refusal #";

impl fmt::Display for InBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = RAISED.with(|r| {
            let mut r = r.borrow_mut();
            r.push(self.0.clone());
            r.len() - 1
        });
        write!(f, "{TICKET}{n}\u{1}")
    }
}

/// The error serde_path_to_error reports at `path`: a refusal raised in the body (`InBody`) as it
/// was raised, or serde's own message.
fn at_path(path: &str, message: String, raised: Vec<Error>) -> Error {
    let path = if path == "." { "" } else { path };
    let ticket = message
        .split_once(TICKET)
        .and_then(|(_, rest)| rest.split('\u{1}').next()?.parse::<usize>().ok());
    if let Some(e) = ticket.and_then(|n| raised.into_iter().nth(n)) {
        return Error::new(e.code, join_path(path, &e.path), e.message);
    }
    // serde says which field is missing only in its message: the path names the field itself.
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    if let Some(field) = missing {
        return Error::new(ErrorCode::InvalidBody, join_path(path, field), message);
    }
    Error::new(ErrorCode::InvalidBody, path, message)
}

/// Deserializes, naming the field at fault: a refusal raised in the body (`InBody`) comes out as it
/// was raised, any other failure as `invalid_body` at its path.
pub(crate) fn tracked<'de, T, D>(de: D) -> Result<T>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: fmt::Display,
{
    RAISED.with(|r| r.borrow_mut().clear());
    let parsed = serde_path_to_error::deserialize(de);
    let raised = RAISED.with(|r| std::mem::take(&mut *r.borrow_mut()));
    parsed.map_err(|e| {
        let path = e.path().to_string();
        at_path(path.trim_start_matches('.'), e.into_inner().to_string(), raised)
    })
}

/// Parses a JSON body into a request type, naming the exact field that does not fit. Only the
/// path-tracking parse is compiled for each body type: a plain parse first (faster on big bodies)
/// doubled every type's deserializer in the app's .wasm (64 KB gzipped). The one big body, a batch
/// of events, has its own plain first parse (`api::usage::ingest`).
///
/// A field the body type does not define is refused (`unknown_field`, its path), never ignored: the
/// parse reports every field it skips (`serde_ignored`), and the first one refuses the body.
pub fn parse<T: serde::de::DeserializeOwned>(body: &serde_json::Value) -> Result<T> {
    let mut skipped: Option<String> = None;
    let mut note = |p: serde_ignored::Path| {
        skipped.get_or_insert_with(|| field_path(&p));
    };
    let de = serde_ignored::Deserializer::new(body, &mut note);
    let parsed = tracked(de);
    if let Some(path) = skipped {
        return Err(unknown_field(path));
    }
    parsed
}

/// The refusal of a field the call does not define.
pub fn unknown_field(path: String) -> Error {
    let name = path.rsplit(['.', ']']).next().unwrap_or(&path).to_string();
    Error::new(
        ErrorCode::UnknownField,
        path,
        format!("`{name}` is not a field of this call: Tally refuses it rather than ignore it (is it misspelled?)"),
    )
}

/// A skipped field's path as Tally writes paths: `commits[0].access_schedule.amount`.
fn field_path(p: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match p {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_path(parent)),
        Path::Map { parent, key } => join_path(&field_path(parent), key),
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => field_path(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// A term whose conversion refuses an amount over 10 at its own field, `amount`.
    #[derive(Debug, Deserialize)]
    #[serde(try_from = "u32")]
    struct Small(#[allow(dead_code)] u32);

    impl TryFrom<u32> for Small {
        type Error = InBody;
        fn try_from(n: u32) -> std::result::Result<Small, InBody> {
            if n > 10 {
                return Err(InBody(Error::new(ErrorCode::Invalid, "amount", "is over 10")));
            }
            Ok(Small(n))
        }
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        items: Vec<Small>,
    }

    #[test]
    fn a_refusal_raised_inside_a_term_keeps_its_code_and_joins_its_path() {
        let e = parse::<Body>(&json!({ "items": [1, 12] })).unwrap_err();
        assert_eq!(e.code, ErrorCode::Invalid);
        assert_eq!(e.path, "items[1].amount");
        assert_eq!(e.message, "is over 10");
        // The slot is emptied by each parse: the next failure is serde's own.
        let e = parse::<Body>(&json!({ "items": ["1"] })).unwrap_err();
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidBody, "items[0]"));
    }

    #[test]
    fn text_that_looks_like_a_ticket_is_only_text() {
        let forged = format!("{TICKET}0\u{1}");
        let e = parse::<Body>(&json!({ "items": [forged] })).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidBody, "{e}");
        assert_eq!(e.path, "items[0]");
    }
}
