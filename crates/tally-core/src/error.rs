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

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The offending field, e.g. `commits[0].access_schedule.schedule_items[1].amount`; empty for the body itself.
    pub path: String,
}

impl Error {
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            path: path.into(),
        }
    }
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Invalid, path, message)
    }
    pub fn not_found(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, path, message)
    }
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

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A refusal raised while serde builds a domain type from its body (`TryFrom` of a parsed term): it
/// travels through serde as a message and comes back out of `parse` as the same code and field path,
/// joined to where the term sits in the body.
#[derive(Debug)]
pub struct InBody(pub Error);

const MARK: char = '\u{1}';

impl fmt::Display for InBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = serde_json::to_value(self.0.code).ok();
        let code = code.as_ref().and_then(|c| c.as_str()).unwrap_or("invalid");
        write!(f, "{MARK}{code}{MARK}{}{MARK}{}", self.0.path, self.0.message)
    }
}

/// The error serde_path_to_error reports at `path`, with a refusal from `InBody` restored.
pub(crate) fn at_path(path: &str, message: String) -> Error {
    let path = if path == "." { "" } else { path };
    let mut parts = message.splitn(4, MARK);
    if let (Some(""), Some(code), Some(inner), Some(text)) = (parts.next(), parts.next(), parts.next(), parts.next()) {
        let code = serde_json::from_value(serde_json::Value::String(code.into())).unwrap_or(ErrorCode::Invalid);
        // serde may append " at line L column C" to a message from a string source.
        let text = text.split(" at line ").next().unwrap_or(text);
        return Error::new(code, join_path(path, inner), text);
    }
    Error::new(ErrorCode::InvalidBody, path, message)
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
    let parsed =
        serde_path_to_error::deserialize(de).map_err(|e| at_path(&e.path().to_string(), e.into_inner().to_string()));
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
