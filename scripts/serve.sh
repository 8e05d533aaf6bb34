#!/usr/bin/env bash
# Builds Tally's app and serves it on http://127.0.0.1:8080 (PORT to change), rebuilding on edits.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/tools.sh
exec trunk serve --port "${PORT:-8080}"
