#!/usr/bin/env bash
# Ingest the shared corpus (CSV, then HTML) into a fresh database and print rate and peak memory.
#   scripts/bench/ingest-foundation.sh [pglite|postgres]
# postgres uses $BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# to create and drop a scratch database.
set -euo pipefail
cd "$(dirname "$0")/../.."
kind=${1:-pglite}
csv=../shared/corpus/cablegate-1295.csv.gz
html=../shared/corpus/cablegate-html-1295.tar.gz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ "$kind" = postgres ]; then
  admin=${BENCH_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  name=cablegraph_bench_$$
  psql "$admin" -qc "create database $name"
  trap 'psql "$admin" -qc "drop database if exists $name with (force)"; rm -rf "$scratch"' EXIT
  export DATABASE_URL=${admin%/*}/$name
else
  unset DATABASE_URL
  export CABLEGRAPH_DATA=$scratch/data
fi

run() {
  echo "== $kind: cablegraph ingest $*"
  /usr/bin/time -v node bin/cablegraph.js ingest --quiet "$@" 2>"$scratch/time" || true
  grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$scratch/time" | sed 's/^\s*/   /'
}
run "$csv"
run "$csv"
run "$html"
