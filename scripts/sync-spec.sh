#!/usr/bin/env bash
# The spec's copy in the repo (docs/spec/) kept in step with ../shared/spec, where it is written.
# `bash scripts/sync-spec.sh` copies it in; `--check` only says whether the two differ (a clone without
# ../shared/spec has nothing to compare and passes).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/spec
[ -d "$shared" ] || { echo "no $shared beside the repo: nothing to compare"; exit 0; }
if [ "${1:-}" = "--check" ]; then
  if diff -rq "$shared" docs/spec >/dev/null; then
    echo "docs/spec is in step with $shared"
  else
    echo "WARNING: docs/spec differs from $shared; run bash scripts/sync-spec.sh and commit" >&2
    diff -rq "$shared" docs/spec >&2 || true
  fi
  exit 0
fi
mkdir -p docs/spec
cp "$shared"/*.md docs/spec/
echo "copied $(ls "$shared"/*.md | wc -l) file(s) from $shared into docs/spec"
