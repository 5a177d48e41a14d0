#!/usr/bin/env bash
# `make bench`: every stage's benchmark at full scale (356,255 clients, ~2.6 GB of CSV).
# The generated data is kept in BENCH_DATA (default: BUILD/bench-data) and reused; the serve
# stage's smaller store in BUILD/serve-bench-data (see bench/serve_bench.sh).
# usage: bench.sh BUILD_DIR
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}  # XGBoost's threads wait without spinning (see apps/credo/main.cc)
build=$1
data=${BENCH_DATA:-$build/bench-data}
echo "== synth stage: credo synth --clients 356255"
"$build/bench/synth_bench" --clients 356255
if [ ! -f "$data/credit_card_balance.csv" ]; then
  "$build/credo" synth --clients 356255 --seed 42 --quiet --out "$data" > /dev/null
fi
echo
echo "== data stage: the eight tables from CSV files"
"$build/bench/data_bench" "$data"
echo
echo "== features stage: default spec, CSV in, features out"
"$build/bench/features_bench" "$data"
echo
echo "== features stage: the feature file and the client store"
"$build/bench/feature_store_bench"
echo
echo "== store stage: 10,000 runs x 51 metrics, search, and 100,000 metric points"
"$build/bench/store_bench" --repeat 9
echo
echo "== train stage: gradient boosting on the full-scale feature matrix"
if [ ! -f "$data/features.credo" ]; then
  "$build/credo" features --data "$data" --out "$data/features.credo" --quiet > /dev/null
fi
"$build/bench/train_bench" "$data/features.credo" --rounds 100
echo
echo "== serve stage: credo serve on loopback under wrk (a 30,000-client store, built once in BUILD/serve-bench-data)"
if command -v wrk > /dev/null; then
  "$(dirname "$0")/../bench/serve_bench.sh" "$build/credo"
else
  echo "skipped: wrk is not installed (apt-get install wrk)"
fi
if [ -n "${BENCH_FULL_TRAIN:-}" ]; then
  echo
  echo "== train stage: credo train at full scale, compared with the generator's true probabilities"
  "$build/credo" train --features "$data/features.credo" --experiment full-scale --store "$data/store" \
    --folds 3 --trials 1 --refine-trials 0 --truth "$data/synth_truth.csv" --quiet
fi
if [ -n "${BENCH_ZIP:-}" ]; then
  if [ ! -f "$data.zip" ]; then (cd "$data" && zip -q -1 "../$(basename "$data").zip" ./*.csv); fi
  echo
  echo "== data stage: the eight tables straight from the zip archive"
  "$build/bench/data_bench" "$data.zip"
fi
