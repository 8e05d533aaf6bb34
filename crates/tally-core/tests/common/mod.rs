//! What the property tests share: how they are seeded (one file with the tests inside src/).

#[path = "../../src/usage/seed_tests.rs"]
mod seed;
pub use seed::seeded;
