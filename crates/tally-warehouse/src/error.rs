//! The warehouse's refusals: what went wrong in the user's words (naming the file and column at
//! fault where there is one), with the error underneath (DataFusion's, Arrow's, the file system's,
//! the object store's) kept as the source, so a caller can look deeper than the sentence.

use std::path::Path;

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    message: String,
    #[source]
    source: Option<Cause>,
}

impl Error {
    /// A refusal of Tally's own, with nothing underneath.
    pub fn new(message: impl std::fmt::Display) -> Error {
        Error {
            message: message.to_string(),
            source: None,
        }
    }

    /// `message`, because of `source`.
    pub fn caused(message: impl std::fmt::Display, source: impl Into<Cause>) -> Error {
        Error {
            message: message.to_string(),
            source: Some(source.into()),
        }
    }

    pub fn file(path: &Path, message: impl std::fmt::Display) -> Error {
        Error::new(format!("{}: {message}", path.display()))
    }

    /// `path: what`, because of `source` (an I/O or DataFusion error reading it).
    pub fn file_caused(path: &Path, what: impl std::fmt::Display, source: impl Into<Cause>) -> Error {
        Error::caused(format!("{}: {what}", path.display()), source)
    }

    /// Naming the file where there is one (aggregate files), not where the query's result is at fault.
    pub fn at(file: Option<&Path>, message: impl std::fmt::Display) -> Error {
        match file {
            Some(f) => Error::file(f, message),
            None => Error::new(message),
        }
    }

    pub fn column(path: &Path, column: &str, message: impl std::fmt::Display) -> Error {
        Error::new(format!("{}: column `{column}` {message}", path.display()))
    }

    /// The sentence and every cause under it, joined by `: ` (what a command line prints).
    pub fn report(&self) -> String {
        let mut out = self.message.clone();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            out.push_str(": ");
            out.push_str(&cause.to_string());
            next = cause.source();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_is_kept_as_the_source_and_reported_after_the_sentence() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::file_caused(Path::new("usage.csv"), "cannot be read", io);
        assert_eq!(e.to_string(), "usage.csv: cannot be read");
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(
            source.downcast_ref::<std::io::Error>().map(|e| e.kind()),
            Some(std::io::ErrorKind::NotFound)
        );
        assert_eq!(e.report(), "usage.csv: cannot be read: no such file");
        assert_eq!(Error::new("plain").report(), "plain");
    }
}
