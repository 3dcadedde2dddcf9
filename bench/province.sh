#!/usr/bin/env bash
# Every measure of issue #16 (province scale) at the given sizes, one size after the other,
# each on the same synthetic data set and build (see BENCHMARKS.md, "Province scale"):
#   bash bench/province.sh 10000 100000 1000000 | tee bench/out/province.md
# 1. synth + the streaming build (stage by stage) + Oxigraph's bulk loader alone on the same
#    triples (bench/benchmark.py; results also in bench/out/results.json);
# 2. the gap analysis: the build's gaps stage (heavy answers from the seed tables, the rest
#    recorded, the summary written beside the store), then the whole report read from it
#    (bench/gap_scale.py);
# 3. every officer query with its first page and total, entity search on the name index
#    (bench/officer_queries.py);
# 4. `chainkg serve --pages live` on the store: time to first byte of the pages, peak RSS of
#    the server and its workers (bench/served_scale.py, reusing the same seeds and build).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
for n in "$@"; do
  echo "## $n enterprises"
  "$PY" bench/benchmark.py --sizes "$n" --steps synth build bulk --timeout 3600
  store="bench/out/build-$n/store"
  "$PY" bench/gap_scale.py "$store" --seeds "bench/out/seeds-$n" \
    --only gap-summary-tables gap-report-summary \
    --repeat 1 --timeout 3600
  "$PY" bench/officer_queries.py --store "$store" --repeat 2 --timeout 20
  mkdir -p bench/out/served
  ln -sfn "../seeds-$n" "bench/out/served/seeds-$n"
  ln -sfn "../build-$n" "bench/out/served/out-$n"
  "$PY" bench/served_scale.py --sizes "$n" --work bench/out/served --repeat 5
done
