#!/usr/bin/env bash
# The warehouse benchmark: EVENTS (default 100,000,000) events of one month, 100 customers, 20 products
# and 4 regions as Snappy Parquet (written once into DIR), then DataFusion's own COUNT(*) GROUP BY (the
# floor), Tally's aggregation and rating without and with transaction-id de-duplication, each in a
# process of its own (its peak memory is its own). Figures only; not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
events="${EVENTS:-100000000}"
target="${CARGO_TARGET_DIR:-target}"
# TIMES=ordered (the default: files in time order, as a warehouse holds usage) or random (every
# file spans the month, so each row may land in any of the month's 6 M groups).
times="${TIMES:-ordered}"
dir="${DIR:-$target/warehouse-bench-$events-$times}"
cargo build -q --release -p tally-warehouse --example bench
bin="$target/release/examples/bench"
flag=(); [ "$times" = random ] && flag=(--random-times)
[ -d "$dir" ] || "$bin" generate "$dir" "$events" "${flag[@]}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$bin" floor "$dir"
"$bin" floor "$dir" --integer-hours
"$bin" rate "$dir" --assume-unique-ids
"$bin" rate "$dir"
