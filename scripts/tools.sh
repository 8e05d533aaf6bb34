#!/usr/bin/env bash
# Installs what Tally's build and tests need, skipping whatever is already present.
# Nothing here downloads a prebuilt binary: tools are built from crates.io or come from Debian/npm.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than this machine's
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

# cargo install --locked can ask for a version the registry mirror lacks: retry without --locked,
# still at the exact version. A binary that prints no version is looked up in cargo's own list.
cargo_install() { # crate version binary [more cargo install arguments]
  local crate=$1 version=$2 bin=$3 shown
  shift 3
  if command -v "$bin" >/dev/null 2>&1; then
    if shown=$("$bin" --version 2>/dev/null); then
      if grep -q "$version" <<<"$shown"; then return; fi
    elif cargo install --list | grep -q "^$crate v$version:"; then
      return
    fi
  fi
  say "installing $crate $version (built from source, once)"
  cargo install --locked "$crate" --version "=$version" "$@" || cargo install "$crate" --version "=$version" "$@"
}

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
cargo_install wasm-bindgen-cli "$WB_VERSION" wasm-bindgen
cargo_install trunk "$TRUNK_VERSION" trunk
# wasm-bindgen-test-runner drives Firefox through geckodriver (GECKODRIVER); built from crates.io.
cargo_install geckodriver 0.37.1 geckodriver
# The app's .wasm is split into lazily loaded chunks by this CLI (scripts/build-app-wasm.sh), the same
# library cargo-leptos uses.
cargo_install wasm_split_cli_support 0.2.4 wasm-split-cli --features build-binary

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! command -v firefox-esr >/dev/null 2>&1; then
  say "installing Debian's firefox-esr"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq firefox-esr >/dev/null
fi

# JS test dependencies (playwright-core drives Debian's chromium; it never downloads a browser;
# typescript type-checks the package's declarations). Reinstalled only when the lockfile changes.
if ! cmp -s web/tests/package-lock.json web/tests/node_modules/.tally-lock; then
  say "installing the JS test dependencies (npm ci)"
  (cd web/tests && npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.tally-lock)
fi
