//! The command line as types (clap): each command's flags, their help, and the values they take.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use tally_core::Timestamp;

#[derive(Parser)]
#[command(
    name = "tally",
    version,
    about = "Tally: Metronome's contract model rated from the command line",
    long_about = "Tally: Metronome's contract model rated from the command line.\n\n\
                  Exit status: 0 when all is well (for `diff`, nothing changed); 1 when an expectation \
                  fails or a diff finds a change; 2 on bad input.",
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the calls of a scenario file and print every response as one JSON array
    Run(RunArgs),
    /// Run every scenario file under the paths and check it against its expectations
    Test(TestArgs),
    /// What a change does to every customer's invoices: BEFORE and AFTER are scenario files or exported states
    Diff(DiffArgs),
    /// Answer Metronome's REST API over HTTP on this machine, for its SDK, any client and curl
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// (needs the `serve` feature, which this build was made without)
    #[cfg(not(feature = "serve"))]
    #[command(disable_help_flag = true)]
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
    /// Rate usage files or folders (Parquet, CSV, NDJSON) with an exported state, through DataFusion
    #[cfg(feature = "warehouse")]
    Rate(RateArgs),
    /// (needs the `warehouse` feature, which this build was made without)
    #[cfg(not(feature = "warehouse"))]
    #[command(disable_help_flag = true)]
    Rate {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
        rest: Vec<String>,
    },
}

#[derive(Args)]
pub struct RunArgs {
    /// The scenario file
    pub file: PathBuf,
    /// Also compare with the file's "expect" and exit 1 on a difference; a file that checks nothing
    /// (no expectation, or a refused call no expectation names) fails too
    #[arg(long)]
    pub check: bool,
    /// With --check: a file that checks nothing passes
    #[arg(long, requires = "check")]
    pub allow_unchecked: bool,
    /// Ask every invoice list with explain=true: each line says why it costs what it does
    #[arg(long)]
    pub explain: bool,
    /// Start from an exported state instead of an empty one
    #[arg(long, value_name = "STATE.json")]
    pub import: Option<PathBuf>,
    /// Write the state after the calls (the app's Export format) to this file
    #[arg(long, value_name = "STATE.json")]
    pub export: Option<PathBuf>,
}

#[derive(Args)]
pub struct ServeArgs {
    /// The port to listen on; 0 picks a free one (the line printed at start names it)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on; only this machine can reach the default
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// The state, read at start when the file exists and written after each change (a new file
    /// renamed over the old one, so a crash never leaves half of it); without it, nothing is kept
    #[arg(long, value_name = "STATE.json")]
    pub state: Option<PathBuf>,
    /// Start the clock here and keep it still, until `POST /tally/clock` moves it forward; without it
    /// the clock is the machine's
    #[arg(long, value_parser = time, value_name = "RFC3339")]
    pub now: Option<Timestamp>,
    /// The largest request body taken, in bytes; a larger one is refused with 413
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: usize,
}

#[derive(Args)]
pub struct TestArgs {
    /// Scenario files or folders (searched at any depth for .json files)
    #[arg(default_value = "tests/scenarios")]
    pub paths: Vec<PathBuf>,
    /// A file that checks nothing (no expectation, a misspelled "expect", or a refused call no
    /// expectation names) passes
    #[arg(long)]
    pub allow_unchecked: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal
    Table,
    /// The diff as JSON
    Json,
    /// Markdown for a pull-request comment
    Markdown,
}

#[derive(Args)]
pub struct DiffArgs {
    /// A scenario file or an exported state: before the change
    pub before: PathBuf,
    /// A scenario file or an exported state: after the change
    pub after: PathBuf,
    /// The clock both sides are rated at (required when both are exported states)
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub now: Option<Timestamp>,
    /// Compare invoices through this time (default: the latest contract end on either side, at least
    /// twelve months past the later clock when a contract is open-ended)
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub through: Option<Timestamp>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[cfg(feature = "warehouse")]
#[derive(Args)]
#[command(
    after_help = "The state's events count first, then the files in order, rows in file order. \
    A PATH may be a file:// URL; s3://, gs:// and http(s):// need the build's object-store feature. \
    What bills nothing is counted by reason on stderr and in the JSON's \"not_billed\"."
)]
pub struct RateArgs {
    /// An exported state (or a scenario file): the customers, contracts and rate cards
    #[arg(long, value_name = "STATE.json")]
    pub state: PathBuf,
    /// Usage files or folders (Parquet, CSV, NDJSON); repeatable
    #[arg(long, value_name = "PATH")]
    pub usage: Vec<PathBuf>,
    /// Hourly aggregates made elsewhere, in the aggregate schema (docs/warehouse.md); repeatable
    #[arg(long, value_name = "FILE")]
    pub aggregates: Vec<PathBuf>,
    /// Invoices starting on or after this time
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub from: Option<Timestamp>,
    /// Invoices ending on or before this time
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub to: Option<Timestamp>,
    /// Rate this customer only
    #[arg(long, value_name = "ID")]
    pub customer: Option<String>,
    /// The clock (default: the state's, or now)
    #[arg(long, value_name = "TIME", value_parser = time)]
    pub now: Option<Timestamp>,
    /// Write the invoices here: JSON, or one CSV row per line item when the name ends in .csv
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Every transaction_id is unique: skip de-duplication
    #[arg(long)]
    pub assume_unique_ids: bool,
}

/// An RFC 3339 time, as the API takes it.
fn time(v: &str) -> Result<Timestamp, String> {
    Timestamp::parse(v).map_err(|e| e.to_string())
}
