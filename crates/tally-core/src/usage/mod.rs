//! Usage: events as ingested, the compact store that keeps them, and the hourly aggregates rating
//! reads. An event names its customer by Tally id or by ingest alias; which customer that is gets
//! decided when rating, from the aliases as they are then, so an alias added later claims earlier
//! usage and usage for an unknown alias waits, kept, until some customer claims it.

mod event;
mod external;
pub mod hourly;
mod instant;
mod intern;
mod parse;
pub(crate) mod rows;
mod scan;
mod shared;
mod sink;
pub mod store;

pub use event::{validate_events, validate_values, Event};
pub use external::{AddAggregates, AggregatePart, AggregateRef};
pub use hourly::{Aggregate, AggregateMeasure, Layout};
pub use intern::{Interner, Sym};
pub use parse::{parse_into, ArrayChunks, Format};
pub use shared::Usage;
pub use sink::Added;
pub use store::{EventRef, Store};

#[cfg(test)]
pub(crate) mod seed_tests;
