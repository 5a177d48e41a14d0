#!/usr/bin/env bash
# Benchmark of the serve stage: the real `credo serve` on loopback under wrk (one request script,
# serve_bench.lua beside this file), scenario by scenario: a warm-up, then full load (or a paced
# load), printing requests/s, latency percentiles, non-2xx answers and the server's peak memory,
# and a last table against the service's targets. Endpoints the server does not have yet (404)
# are reported "not available" and skipped.
#
# usage: serve_bench.sh CREDO_BINARY
# By default a store is built once from generated data (credo synth 30,000 clients, credo features,
# credo train xgboost) in SERVE_BENCH_DATA (default: beside the binary, serve-bench-data) and
# reused. To benchmark an existing store instead:
#   SERVE_BENCH_STORE   the store folder (e.g. demo/store)
#   SERVE_BENCH_MODEL   the model to serve (default models:/credit-default@champion)
#   SERVE_BENCH_IDS     a CSV whose first column is the known clients' ids (e.g. demo/predictions.csv)
# Load: SERVE_BENCH_SECONDS (10), SERVE_BENCH_WARMUP_SECONDS (2), SERVE_BENCH_THREADS (2),
# SERVE_BENCH_CONNECTIONS (32); SERVE_BENCH_SERVE_FLAGS (default --quiet) go to credo serve.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 CREDO_BINARY" >&2
  exit 2
fi
credo=$(realpath "$1")
script_dir=$(cd "$(dirname "$0")" && pwd)
lua_script="$script_dir/serve_bench.lua"
seconds=${SERVE_BENCH_SECONDS:-10}
warmup_seconds=${SERVE_BENCH_WARMUP_SECONDS:-2}
threads=${SERVE_BENCH_THREADS:-2}
connections=${SERVE_BENCH_CONNECTIONS:-32}
model=${SERVE_BENCH_MODEL:-models:/credit-default@champion}
serve_flags=${SERVE_BENCH_SERVE_FLAGS:---quiet}
command -v wrk > /dev/null || { echo "serve_bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl > /dev/null || { echo "serve_bench: curl is not installed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/serve_bench.XXXXXX")
server_pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then kill -TERM "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- The store and the known clients' ids.
if [ -n "${SERVE_BENCH_STORE:-}" ]; then
  store=$(realpath "$SERVE_BENCH_STORE")
  ids_csv=${SERVE_BENCH_IDS:?"serve_bench: with SERVE_BENCH_STORE, give SERVE_BENCH_IDS (a CSV of client ids in its first column)"}
else
  data=${SERVE_BENCH_DATA:-$(dirname "$credo")/serve-bench-data}
  store="$data/store"
  ids_csv="$data/application_train.csv"
  if [ ! -f "$data/train.txt" ]; then
    echo "building the store in $data (once): synth, features, train"
    "$credo" synth --clients 30000 --seed 42 --quiet --out "$data" > /dev/null
    "$credo" features --data "$data" --out "$data/features.credo" --quiet > /dev/null
    "$credo" train --features "$data/features.credo" --store "$store" --algorithms xgboost --folds 3 --trials 1 \
      --refine-trials 0 --quiet > "$data/train.txt.partial"
    mv "$data/train.txt.partial" "$data/train.txt"
  fi
fi
tail -n +2 "$ids_csv" | cut -d, -f1 > "$work/ids.txt"
first_id=$(head -n 1 "$work/ids.txt")

# --- The server.
# shellcheck disable=SC2086  # the flags are words
CREDO_STORE="$store" "$credo" serve --model "$model" --port 0 $serve_flags > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
port=
for _ in $(seq 1 600); do
  port=$(sed -n 's|^listening on *http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.out")
  if [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/ready" > /dev/null; then break; fi
  if ! kill -0 "$server_pid" 2> /dev/null; then
    echo "serve_bench: credo serve did not start:" >&2
    cat "$work/serve.out" "$work/serve.err" >&2
    exit 1
  fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/ready" > /dev/null || { echo "serve_bench: credo serve never got ready" >&2; exit 1; }
base="http://127.0.0.1:$port"
head -n 1 "$work/serve.out"
echo "load               wrk, $threads threads, $connections connections, ${seconds} s per scenario after ${warmup_seconds} s of warm-up"

peak_memory_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 * 1024 / 1e6 }' "/proc/$server_pid/status"; }
# A figure from the line serve_bench.lua prints: figure NAME FILE.
figure() { sed -n "s/^serve_bench .*\\b$1=\\([0-9.]*\\).*/\\1/p" "$2"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# --- The scenarios. Each is: name, method, path, rate (0: full load), target.
summary=()
failed=0
last_rps=  # the last scenario's requests/s (empty when not available)
run_scenario() {
  local name=$1 method=$2 path=$3 rate=$4 target=$5
  local probe_path=${path//\{id\}/$first_id} probe_body=() target_text
  case $target in
    rps*) target_text=">= ${target#rps>=} req/s" ;;
    p99*) target_text="p99 < ${target#p99<} ms" ;;
  esac
  if [ "$method" = POST ]; then
    probe_body=(-H 'Content-Type: application/json' --data-binary
      '{"application": {"AMT_INCOME_TOTAL": 202500, "AMT_CREDIT": 406597.5, "AMT_ANNUITY": 24700.5, "CODE_GENDER": "M", "DAYS_BIRTH": -9461, "EXT_SOURCE_2": 0.26}}')
  fi
  local code
  last_rps=
  code=$(curl -s -o "$work/probe.json" -w '%{http_code}' -X "$method" "${probe_body[@]}" "$base$probe_path")
  local heading="$name: $method $path"
  if [ "$rate" != 0 ]; then heading+=" at $rate requests/s"; fi
  echo
  echo "-- $heading"
  if [ "$code" = 404 ]; then
    echo "   not available (404): $(head -c 200 "$work/probe.json")"
    summary+=("$(printf '%-34s %10s %8s %8s %8s %7s   %-22s %s' "$name" - - - - - "$target_text" "not available (404)")")
    return
  fi
  local env=(SERVE_BENCH_METHOD="$method" SERVE_BENCH_PATH="$path" SERVE_BENCH_IDS="$work/ids.txt"
             SERVE_BENCH_THREADS="$threads" SERVE_BENCH_RATE="$rate")
  env "${env[@]}" wrk -t "$threads" -c "$connections" -d "${warmup_seconds}s" -s "$lua_script" "$base" > /dev/null
  env "${env[@]}" wrk -t "$threads" -c "$connections" -d "${seconds}s" -s "$lua_script" "$base" > "$work/wrk.out"
  local rps p50 p90 p99 p999 non2xx socket_errors timeouts
  rps=$(figure rps "$work/wrk.out")
  p50=$(figure p50_us "$work/wrk.out"); p90=$(figure p90_us "$work/wrk.out")
  p99=$(figure p99_us "$work/wrk.out"); p999=$(figure p999_us "$work/wrk.out")
  non2xx=$(figure non2xx "$work/wrk.out"); socket_errors=$(figure socket_errors "$work/wrk.out")
  timeouts=$(figure timeouts "$work/wrk.out")
  last_rps=$rps
  printf '   %.0f requests/s   latency p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms\n' "$rps" "$(ms "$p50")" \
    "$(ms "$p90")" "$(ms "$p99")" "$(ms "$p999")"
  printf '   non-2xx %s, socket errors %s, timeouts %s; server peak memory %s MB\n' "$non2xx" "$socket_errors" \
    "$timeouts" "$(peak_memory_mb)"
  local errors=$((non2xx + socket_errors + timeouts)) verdict
  if [ "$errors" -gt 0 ]; then
    failed=1
    echo "   FAILED: $errors requests were not answered with 2xx (first answer: $(head -c 200 "$work/probe.json"))"
  fi
  # Targets: "rps>=N" on throughput, "p99<N" in ms on the 99th percentile.
  case $target in
    rps*) verdict=$(awk -v v="$rps" -v t="${target#rps>=}" 'BEGIN { print (v >= t ? "met" : "not met") }') ;;
    p99*) verdict=$(awk -v v="$p99" -v t="${target#p99<}" 'BEGIN { print (v / 1000 < t ? "met" : "not met") }') ;;
  esac
  if [ "$errors" -gt 0 ]; then verdict="not met (errors)"; fi
  summary+=("$(printf '%-34s %10.0f %8s %8s %8s %7s   %-22s %s' "$name" "$rps" "$(ms "$p50")" "$(ms "$p99")" \
    "$(ms "$p999")" "$errors" "$target_text" "$verdict")")
}

run_scenario "a. score a known client" GET '/api/v1/clients/{id}/score' 0 "rps>=40000"
if [ -n "$last_rps" ]; then
  half=$(awk -v v="$last_rps" 'BEGIN { printf "%.0f", v / 2 }')
  run_scenario "b. a. at half its throughput" GET '/api/v1/clients/{id}/score' "$half" "p99<2"
fi
run_scenario "c. score a new application" POST /api/v1/score 0 "rps>=10000"
run_scenario "d. explain a known client" GET '/api/v1/clients/{id}/explanation' 0 "rps>=20000"
run_scenario "e. explain a new application" POST /api/v1/explanation 0 "rps>=1000"

# --- Stop: SIGTERM, exit status 0, every acknowledged prediction logged.
peak=$(peak_memory_mb)
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
stopped=$(grep '^stopped' "$work/serve.out" | tr -s ' ' || true)
echo
echo "server             exit status $status; ${stopped:-no 'stopped' line}; peak memory $peak MB"
if [ "$status" -ne 0 ] || ! [[ $stopped =~ predictions\ logged ]]; then
  failed=1
  echo "serve_bench: credo serve did not stop cleanly:" >&2
  tail -n 20 "$work/serve.err" >&2
fi

echo
printf '%-34s %10s %8s %8s %8s %7s   %-22s %s\n' scenario "req/s" "p50 ms" "p99 ms" "p99.9 ms" errors target result
printf '%s\n' "${summary[@]}"
exit "$failed"
