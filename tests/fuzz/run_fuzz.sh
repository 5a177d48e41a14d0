#!/usr/bin/env bash
# Builds the CSV reader's libFuzzer harness with clang (ASan + UBSan) and fuzzes it for a
# bounded time, starting from the checked-in corpus. Exit status is non-zero on any finding.
# usage: run_fuzz.sh SOURCE_DIR WORK_DIR SECONDS
set -euo pipefail
src=$1; work=$2; seconds=${3:-60}
mkdir -p "$work/corpus"
cp -n "$src"/tests/fuzz/corpus/* "$work/corpus/" 2>/dev/null || true
sources=$(ls "$src"/src/credo/base/*.cc "$src"/src/credo/data/*.cc | grep -v '_test\.cc$')
if [ ! -x "$work/csv_reader_fuzz" ] || [ -n "$(find "$src/src/credo/base" "$src/src/credo/data" "$src/tests/fuzz" -newer "$work/csv_reader_fuzz" -name '*.[ch]*' | head -1)" ]; then
  clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DCREDO_RESOURCE_DIR="\"$src/resources\"" -DCREDO_VERSION="\"fuzz\"" -I"$src/src" \
    "$src/tests/fuzz/csv_reader_fuzz.cc" $sources -lzip -lxxhash -lpthread -o "$work/csv_reader_fuzz"
fi
cd "$work"
./csv_reader_fuzz -max_total_time="$seconds" -max_len=2048 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus 2>&1 | tail -n 12
