//! Customers: who is invoiced, and the ingest aliases their usage events carry.

use crate::error::{Error, Result};
use crate::record::record;
use indexmap::IndexMap;
use serde::Deserialize;

record! {
    /// A customer, as stored and answered back.
    pub struct Customer, body NewCustomer of "POST /v1/customers" {
        /// The customer's display name; must not be blank.
        pub name: String,
        /// Other ids usage events may name this customer by (e.g. an email); each unused by any other
        /// customer's id or alias.
        #[serde(default)]
        pub ingest_aliases: Vec<String>,
        /// Free-form key/value metadata; Tally keeps it and answers it back but does not rate on it.
        #[serde(default)]
        pub custom_fields: IndexMap<String, String>,
        /// Metronome's deprecated alias field (use `ingest_aliases`); kept and answered back, not
        /// matched against events.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub external_id: Option<String>,
    }
    stored {
        /// When its name, aliases or custom fields last changed (or it was made).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<crate::time::Timestamp>,
    }
}

/// The body of `POST /v1/customers/{id}/setIngestAliases`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetIngestAliases {
    /// The customer's aliases from now on: replaces the whole list (empty removes all).
    pub ingest_aliases: Vec<String>,
}

impl Customer {
    /// Refuses a blank name and empty or repeated ingest aliases.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a customer needs a name"));
        }
        validate_aliases(&self.ingest_aliases, "ingest_aliases")
    }
}

/// Refuses an empty alias or one listed twice; `path` names the list in the error.
pub fn validate_aliases(aliases: &[String], path: &str) -> Result<()> {
    for (i, a) in aliases.iter().enumerate() {
        if a.trim().is_empty() {
            return Err(Error::invalid(
                format!("{path}[{i}]"),
                "an ingest alias cannot be empty",
            ));
        }
        if aliases[..i].contains(a) {
            return Err(Error::invalid(
                format!("{path}[{i}]"),
                format!("ingest alias `{a}` is listed twice"),
            ));
        }
    }
    Ok(())
}
