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
cxx_flags=(-std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined
           -DCREDO_RESOURCE_DIR="\"$src/resources\"" -DCREDO_VERSION="\"fuzz\"" -I"$src/src")
fuzz_options=(-max_len=2048 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

mkdir -p "$work/corpus" "$work/corpus_mlflow" "$work/corpus_application" "$work/objects"
cp -n "$src"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true
cp -n "$src"/tests/fuzz/corpus_mlflow/* "$work/corpus_mlflow/" 2>/dev/null || true
cp -n "$src"/tests/fuzz/corpus_application/* "$work/corpus_application/" 2>/dev/null || true

# The code under test is compiled once (instrumented for the fuzzer, not linked with its main),
# two files at a time, and shared by the three harnesses: compiling the data stage once per
# harness was most of this test's time. All of it is rebuilt when any of its sources changed.
library_sources=$(ls "$src"/src/credo/base/*.cc "$src"/src/credo/data/*.cc | grep -v '_test\.cc$')
library_sources="$library_sources $src/src/credo/serve/mlflow_protocol.cc $src/src/credo/serve/application_json.cc"
stamp="$work/objects/.built"
if [ ! -f "$stamp" ] || [ -n "$(find "$src/src/credo/base" "$src/src/credo/data" "$src/src/credo/serve" \
      "$src/tests/fuzz" -newer "$stamp" -name '*.[ch]*' | head -1)" ]; then
  rm -f "$work"/objects/*.o
  export FUZZ_CXX_FLAGS="${cxx_flags[*]} -fsanitize=fuzzer-no-link"
  # shellcheck disable=SC2016  # expanded by the inner shell
  echo $library_sources | tr ' ' '\n' | xargs -P 2 -I{} sh -c \
    'clang++ $FUZZ_CXX_FLAGS -c "$1" -o "$2/objects/$(basename "$1" .cc).o"' _ {} "$work"
  touch "$stamp"
fi
objects=("$work"/objects/*.o)
for harness in csv_reader_fuzz mlflow_protocol_fuzz application_json_fuzz; do
  if [ ! -x "$work/$harness" ] || [ "$stamp" -nt "$work/$harness" ]; then
    clang++ "${cxx_flags[@]}" -fsanitize=fuzzer "$src/tests/fuzz/$harness.cc" "${objects[@]}" \
      -lzip -lxxhash -lpthread -o "$work/$harness"
  fi
done

cd "$work"
status=0
echo "== csv_reader_fuzz (${csv_seconds} s)"
./csv_reader_fuzz -max_total_time="$csv_seconds" "${fuzz_options[@]}" corpus 2>&1 | tail -n 12 || status=1
echo "== mlflow_protocol_fuzz (${mlflow_seconds} s)"
./mlflow_protocol_fuzz -max_total_time="$mlflow_seconds" "${fuzz_options[@]}" corpus_mlflow 2>&1 | tail -n 12 || status=1
echo "== application_json_fuzz (${application_seconds} s)"
./application_json_fuzz -max_total_time="$application_seconds" "${fuzz_options[@]}" corpus_application 2>&1 | tail -n 12 || status=1
exit "$status"
