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
# Each figure is printed as it comes; the ratios to the floors follow from the seconds in them.
seconds() { # runs the bench with "$@", prints its output, and keeps the seconds matched by $pattern
  local out; out=$("$bin" "$@"); echo "$out" >&2; sed -n "s/$pattern/\1/p" <<<"$out"
}
pattern='.* groups in \([0-9.]*\) s.*'
floor=$(seconds floor "$dir")
integer=$(seconds floor "$dir" --integer-hours)
pattern='.*end to end \([0-9.]*\) s.*'
unique=$(seconds rate "$dir" --assume-unique-ids)
deduped=$(seconds rate "$dir")
awk -v f="$floor" -v i="$integer" -v u="$unique" -v d="$deduped" 'BEGIN {
  printf "end to end against the floors (date_trunc / integer hours): --assume-unique-ids %.2fx / %.2fx; with de-duplication %.2fx / %.2fx\n", u / f, u / i, d / f, d / i
}'
