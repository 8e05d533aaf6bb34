#!/usr/bin/env bash
# Runs every test of Tally: the gates (cargo fmt --check, clippy -D warnings), native (cargo test), wasm
# in headless Chromium and Firefox (wasm-bindgen-test), the JS package from Node, and the built app in
# headless Chromium. Installs what is missing first (scripts/tools.sh). The last lines are node's test
# runner summary; any failure exits non-zero. CI runs this with no argument (.ci/run).
#
#   bash scripts/test.sh --quick   the native tests only, for the edit loop: no tools, gates, wasm,
#                                  builds or browsers (cargo is all it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# A build cache outside the clone, reused when it exists (CI machines that keep one between runs; a
# developer's own). Without one, everything builds under ./target as usual.
cache="${TALLY_BUILD_CACHE:-$HOME/.cache/tally-target}"
if [ -z "${CARGO_TARGET_DIR:-}" ] && [ -d "$cache" ]; then
  export CARGO_TARGET_DIR="$cache"
  echo "reusing the build cache $cache"
fi
target="${CARGO_TARGET_DIR:-$PWD/target}"
# Incremental caches help an edit-compile loop, not a run from a clean clone: they cost disk (1.5 GB)
# and time here.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
quick=false
case "${1:-}" in
  "") ;;
  --quick) quick=true ;;
  *) echo "usage: bash scripts/test.sh [--quick]" >&2; exit 2 ;;
esac
native() {
  step "native: cargo test (core, CLI, warehouse, scenarios, property tests)"
  cargo test --workspace --exclude tally-app
  cargo test -p tally-app --bins   # the app's form models, natively
}
if $quick; then
  native
  exit 0
fi

step "tools"
bash scripts/tools.sh

step "gates: cargo fmt --check, cargo clippy -D warnings"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
bash scripts/sync-spec.sh --check

# The CLI as `cargo install tally-cli --no-default-features` builds it: run/test/diff, no DataFusion
# and no server. Before `native`, whose build of target/debug/tally (every feature) the JS tests drive.
cargo test -p tally-cli --no-default-features
native

step "wasm: wasm-bindgen-test in headless Chromium, then in headless Firefox"
cargo test -p tally-wasm --target wasm32-unknown-unknown
# The same compiled tests, run by the same runner in Firefox (it picks the browser from the driver set).
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" cargo test -p tally-wasm --target wasm32-unknown-unknown

step "build: the JS package (pkg/), the native CLI, the app (dist/)"
bash scripts/build-pkg.sh
# The CLI that the JS tests drive is the one `cargo test` built above (target/debug/tally): a
# separate `cargo build -p tally-cli` resolves features without the dev-dependencies and so would
# build all of DataFusion a second time.
test -x "$target/debug/tally"
"$target/debug/tally" serve --help > /dev/null ||
  { echo "test.sh: $target/debug/tally was built without the serve feature the JS tests need" >&2; exit 1; }
trunk build --release

step "JS: node's test runner over the package and the app in headless Chromium"
cd web/tests
TALLY_BIN="$target/debug/tally" node --test
