#!/usr/bin/env bash
# Prints Tally's speed: the criterion benchmark natively (rating from hourly aggregates, text ingest,
# the usage store's bytes, the first rating that builds the hourly index), the same world in wasm under
# headless Chromium, the usage-store world (ingest against JSON.parse, re-rating after an edit), the
# package's .wasm size, and the app with a million events (import, reload, what-if) and the bytes of its
# .wasm. Figures only: nothing here passes or fails on a number.
# Each step's output is also kept, and at the end scripts/bench-record.mjs appends the figures it can
# read to bench/results.csv, one row per figure (the history; docs/performance.md holds today's).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
bash scripts/tools.sh
echo "== native (criterion)"
cargo bench -p tally-core --bench rating 2>&1 \
  | grep -E "ingest of|usage store:|first rating|rating/|time:|thrpt:" | tee "$log/native.txt"
echo "== wasm in headless Chromium"
bash scripts/build-pkg.sh
node web/bench/run.mjs "${EVENTS:-1000000}" rating | tee "$log/wasm-rating.json"
echo "== wasm in headless Chromium: the usage store (a year, 50 products, 200 customers)"
node web/bench/run.mjs "${EVENTS:-1000000}" store | tee "$log/wasm-store.json"
echo "== package size"
wasm=pkg/web/tally_wasm_bg.wasm
echo "tally_wasm_bg.wasm: $(wc -c < "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzipped" | tee "$log/pkg.txt"
echo "== the app in headless Chromium: 1,000,000 events imported, a reload, the what-if"
trunk build --release
node web/bench/app.mjs "${EVENTS:-1000000}" | tee "$log/app.json"
echo "== the app's .wasm: the first one, all of them, and what each page has fetched when it shows"
node web/bench/app-bytes.mjs | tee "$log/app-bytes.json"
echo "== recording"
# Never fails the run: the figures are printed above whatever happens to the record.
EVENTS="${EVENTS:-1000000}" node scripts/bench-record.mjs "$log" bench/results.csv \
  || echo "bench: could not append to bench/results.csv (the figures above stand)"
