#!/usr/bin/env bash
# Prints Tally's speed: the criterion benchmark natively (rating from hourly aggregates, text ingest,
# the usage store's bytes), the same world in wasm under headless Chromium, the usage-store world
# (ingest against JSON.parse, re-rating after an edit), the package's .wasm size, and the app with a
# million events (import, reload, what-if) and the bytes of its .wasm. Figures only: nothing here passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/tools.sh
echo "== native (criterion)"
cargo bench -p tally-core --bench rating 2>&1 | grep -E "ingest of|rating/|time:|thrpt:"
echo "== wasm in headless Chromium"
bash scripts/build-pkg.sh
node web/bench/run.mjs "${EVENTS:-1000000}" rating
echo "== wasm in headless Chromium: the usage store (a year, 50 products, 200 customers)"
node web/bench/run.mjs "${EVENTS:-1000000}" store
echo "== package size"
wasm=pkg/web/tally_wasm_bg.wasm
echo "tally_wasm_bg.wasm: $(wc -c < "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzipped"
echo "== the app in headless Chromium: 1,000,000 events imported, a reload, the what-if"
trunk build --release
node web/bench/app.mjs "${EVENTS:-1000000}"
echo "== the app's .wasm: the first one, all of them, and what each page has fetched when it shows"
node web/bench/app-bytes.mjs
