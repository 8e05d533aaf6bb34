//! Customers: who is invoiced, and the ingest aliases their usage events carry.

use crate::error::{Error, Result};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Customer {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub ingest_aliases: Vec<String>,
    #[serde(default)]
    pub custom_fields: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Deserialize)]
pub struct SetIngestAliases {
    pub ingest_aliases: Vec<String>,
}

impl Customer {
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a customer needs a name"));
        }
        validate_aliases(&self.ingest_aliases, "ingest_aliases")
    }
}

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
