//! How the property tests are seeded, shared by the tests in src/ and in tests/ (tests/common/mod.rs
//! includes this file).

use proptest::test_runner::{Config, RngSeed};

/// The seed CI runs with, so that a failure there reproduces anywhere.
const CI_SEED: u64 = 20_261_207;

/// `cases` cases from a fixed seed, unless `TALLY_FRESH_SEEDS` is set (`scripts/test-properties.sh`):
/// then from a fresh seed, and `TALLY_PROPTEST_SCALE` times as many cases.
pub fn seeded(cases: u32) -> Config {
    let fresh = std::env::var_os("TALLY_FRESH_SEEDS").is_some();
    let scale: u32 = std::env::var("TALLY_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    Config {
        cases: if fresh { cases.saturating_mul(scale) } else { cases },
        rng_seed: if fresh {
            RngSeed::Random
        } else {
            RngSeed::Fixed(CI_SEED)
        },
        ..Config::default()
    }
}
