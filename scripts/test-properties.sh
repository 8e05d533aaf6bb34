#!/usr/bin/env bash
# The property tests with fresh seeds and ten times the cases (CI runs them from a fixed seed, so a
# failure there reproduces). A failure here prints its seed and shrunk input, and proptest saves it in
# the test's .proptest-regressions file: commit that line so every later run tries it first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TALLY_FRESH_SEEDS=1 TALLY_PROPTEST_SCALE="${TALLY_PROPTEST_SCALE:-10}"
cargo test --release -p tally-core --lib --test properties --test differential
