#!/usr/bin/env bash
# Builds the JS package of Tally into pkg/: pkg/web (ES module for browsers) and pkg/node (Node.js),
# with one package.json. Uses the wasm-bindgen CLI that matches Cargo.lock (scripts/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The `wasm` profile: fat LTO, one codegen unit (Cargo.toml); native `release` builds go without.
cargo build -q -p tally-wasm --profile wasm --target wasm32-unknown-unknown
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/wasm/tally_wasm.wasm"
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --out-dir pkg/web "$wasm"
wasm-bindgen --target nodejs --out-dir pkg/node "$wasm"
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
cat > pkg/package.json <<JSON
{
  "name": "tally-billing",
  "version": "$version",
  "description": "Tally: a usage-based billing rating engine (Metronome's contract model) compiled to WebAssembly",
  "license": "MIT",
  "types": "./web/tally_wasm.d.ts",
  "exports": {
    ".": {
      "node": { "types": "./node/tally_wasm.d.ts", "default": "./node/tally_wasm.js" },
      "default": { "types": "./web/tally_wasm.d.ts", "default": "./web/tally_wasm.js" }
    }
  },
  "files": ["web", "node"]
}
JSON
