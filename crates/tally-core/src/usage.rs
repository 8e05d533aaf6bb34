//! Usage events as ingested. An event names its customer by Tally id or by ingest alias; which customer
//! that is gets decided when rating, from the aliases as they are then, so an alias added later claims
//! earlier usage and usage for an unknown alias waits, kept, until some customer claims it.

use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub transaction_id: String,
    pub customer_id: String,
    pub event_type: String,
    pub timestamp: Timestamp,
    #[serde(default)]
    pub properties: Map<String, Value>,
}

pub fn validate_events(events: &[Event]) -> Result<()> {
    for (i, e) in events.iter().enumerate() {
        if e.transaction_id.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].transaction_id"),
                "an event needs a transaction_id",
            ));
        }
        if e.customer_id.is_empty() {
            return Err(Error::invalid(
                format!("[{i}].customer_id"),
                "an event needs a customer_id",
            ));
        }
    }
    Ok(())
}
