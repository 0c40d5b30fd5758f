#!/usr/bin/env bash
# Two ingest-worker processes sharing the queue against one `ingest` of the same CSV: prints the
# time of each and the entity, mention and edge counts of both databases, which must be equal.
#   scripts/bench/queue-workers.sh FILE.csv [RECORDS_PER_JOB] [THREADS_PER_WORKER]
# Uses $BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create
# and drop two scratch databases.
set -euo pipefail
cd "$(dirname "$0")/../.."
file=${1:?usage: queue-workers.sh FILE.csv [RECORDS_PER_JOB] [THREADS_PER_WORKER]}
per_job=${2:-500}
threads=${3:-1}
admin=${BENCH_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
one=scratch_queue_one_$$
two=scratch_queue_two_$$
logs=$(mktemp -d)
psql "$admin" -qc "create database $one" -c "create database $two"
trap 'psql "$admin" -qc "drop database if exists $one with (force)" -c "drop database if exists $two with (force)"; rm -rf "$logs"' EXIT
url_one=${admin%/*}/$one
url_two=${admin%/*}/$two

seconds() { date +%s.%N; }

start=$(seconds)
DATABASE_URL=$url_one node bin/cablegraph.js ingest --quiet --threads "$((threads * 2))" "$file" >"$logs/one" 2>&1
echo "one ingest (threads $((threads * 2))): $(echo "$(seconds) - $start" | bc) s; $(head -1 "$logs/one")"

DATABASE_URL=$url_two node bin/cablegraph.js ingest --enqueue --records-per-job "$per_job" "$file"
start=$(seconds)
DATABASE_URL=$url_two node bin/cablegraph.js ingest-worker --quiet --threads "$threads" >"$logs/w1" 2>&1 &
first=$!
DATABASE_URL=$url_two node bin/cablegraph.js ingest-worker --quiet --threads "$threads" >"$logs/w2" 2>&1 &
second=$!
wait "$first" "$second"
echo "two workers (threads $threads each): $(echo "$(seconds) - $start" | bc) s"
sed 's/^/  worker 1: /' "$logs/w1"
sed 's/^/  worker 2: /' "$logs/w2"

counts="select (select count(*) from cable) as cables, (select count(*) from person) as persons,
  (select count(*) from organization) as organizations, (select count(*) from mention) as mentions,
  (select count(*) from mention where entity_id is not null) as resolved_mentions, (select count(*) from edge) as edges,
  (select md5(string_agg(name || ':' || cable_count || ':' || mention_count, '|' order by name, cable_count, mention_count)) from person) as persons_md5,
  (select md5(string_agg(name || ':' || cable_count, '|' order by name, cable_count)) from organization) as organizations_md5"
echo "one ingest:  $(psql -At -F ' ' -c "$counts" "$url_one")"
echo "two workers: $(psql -At -F ' ' -c "$counts" "$url_two")"
