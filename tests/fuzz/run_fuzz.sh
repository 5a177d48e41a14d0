#!/usr/bin/env bash
# Builds credo's libFuzzer harnesses with clang (ASan + UBSan) and fuzzes each for a bounded time,
# starting from its checked-in corpus: the CSV reader for half of SECONDS, then MLflow's
# /invocations body parser and the posted applications of /api/v1/score for a quarter each.
# Exit status is non-zero on any finding (in any of them).
# usage: run_fuzz.sh SOURCE_DIR WORK_DIR SECONDS
set -euo pipefail
src=$1; work=$2; seconds=${3:-60}
csv_seconds=$(( seconds / 2 )); [ "$csv_seconds" -ge 1 ] || csv_seconds=1
mlflow_seconds=$(( seconds / 4 )); [ "$mlflow_seconds" -ge 1 ] || mlflow_seconds=1
application_seconds=$(( seconds - csv_seconds - mlflow_seconds )); [ "$application_seconds" -ge 1 ] || application_seconds=1
cxx_flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
           -DCREDO_RESOURCE_DIR="\"$src/resources\"" -DCREDO_VERSION="\"fuzz\"" -I"$src/src")
fuzz_options=(-max_len=2048 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
base_sources=$(ls "$src"/src/credo/base/*.cc | grep -v '_test\.cc$')
# True when $1 is missing or older than any source under the given folders.
stale() {
  local binary=$1; shift
  [ ! -x "$binary" ] || [ -n "$(find "$@" -newer "$binary" -name '*.[ch]*' | head -1)" ]
}

mkdir -p "$work/corpus" "$work/corpus_mlflow" "$work/corpus_application"
cp -n "$src"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true
cp -n "$src"/tests/fuzz/corpus_mlflow/* "$work/corpus_mlflow/" 2>/dev/null || true
cp -n "$src"/tests/fuzz/corpus_application/* "$work/corpus_application/" 2>/dev/null || true

sources=$(ls "$src"/src/credo/data/*.cc | grep -v '_test\.cc$')
if stale "$work/csv_reader_fuzz" "$src/src/credo/base" "$src/src/credo/data" "$src/tests/fuzz"; then
  clang++ "${cxx_flags[@]}" "$src/tests/fuzz/csv_reader_fuzz.cc" $base_sources $sources \
    -lzip -lxxhash -lpthread -o "$work/csv_reader_fuzz"
fi
if stale "$work/mlflow_protocol_fuzz" "$src/src/credo/base" "$src/src/credo/serve/mlflow_protocol.h" \
    "$src/src/credo/serve/mlflow_protocol.cc" "$src/tests/fuzz"; then
  clang++ "${cxx_flags[@]}" "$src/tests/fuzz/mlflow_protocol_fuzz.cc" $base_sources \
    "$src/src/credo/serve/mlflow_protocol.cc" -lxxhash -lpthread -o "$work/mlflow_protocol_fuzz"
fi
if stale "$work/application_json_fuzz" "$src/src/credo/base" "$src/src/credo/data" \
    "$src/src/credo/serve/application_json.h" "$src/src/credo/serve/application_json.cc" "$src/tests/fuzz"; then
  clang++ "${cxx_flags[@]}" "$src/tests/fuzz/application_json_fuzz.cc" $base_sources $sources \
    "$src/src/credo/serve/application_json.cc" -lzip -lxxhash -lpthread -o "$work/application_json_fuzz"
fi

cd "$work"
status=0
echo "== csv_reader_fuzz (${csv_seconds} s)"
./csv_reader_fuzz -max_total_time="$csv_seconds" "${fuzz_options[@]}" corpus 2>&1 | tail -n 12 || status=1
echo "== mlflow_protocol_fuzz (${mlflow_seconds} s)"
./mlflow_protocol_fuzz -max_total_time="$mlflow_seconds" "${fuzz_options[@]}" corpus_mlflow 2>&1 | tail -n 12 || status=1
echo "== application_json_fuzz (${application_seconds} s)"
./application_json_fuzz -max_total_time="$application_seconds" "${fuzz_options[@]}" corpus_application 2>&1 | tail -n 12 || status=1
exit "$status"
