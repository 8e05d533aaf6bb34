//! Tally's core: the contract model of usage-based billing (customers, products, rate cards,
//! contracts with commits, credits, charges, overrides and usage filters) and the rating engine that
//! turns stored state and a period into invoices.
//!
//! Pure and deterministic: no I/O, no clock, no randomness, no global state. The same calls give the
//! same bytes. Money is one type (`money::Money`, cents of a credit type) whose arithmetic is checked:
//! a figure past `Decimal`'s range is refused with an error, never billed. Parsing the wire (JSON bodies) and errors that name the offending field live here too;
//! the JS binding (`tally-wasm`), the app (`tally-app`) and the command line (`tally-cli`) only carry
//! calls in and answers out.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod case;
mod record;

pub mod api;
pub mod balance;
pub mod calendar;
pub mod commit;
pub mod contract;
pub mod credit_type;
pub mod customer;
pub mod customer_balance;
pub mod diff;
mod drawdown;
pub mod error;
pub mod explain;
pub mod http;
pub mod invoice;
pub mod metric;
pub mod money;
pub mod overrides;
mod pricing;
pub mod product;
pub mod rate_card;
pub mod rating;
pub mod scenario;
pub mod schedule;
pub mod services;
pub mod state;
pub mod subscription;
pub mod threshold;
pub mod time;
pub mod usage;
pub mod wire;

pub use api::call;
pub use error::{Error, ErrorCode, Result};
pub use invoice::Invoice;
pub use rating::unbilled;
pub use scenario::Scenario;
pub use state::State;
pub use time::Timestamp;

/// The version of the exported state format; `State` exports carry it so later Tallys can read them.
pub const STATE_FORMAT_VERSION: u32 = 1;
