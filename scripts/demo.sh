#!/usr/bin/env bash
# `make demo`: runs credo's loop end to end. Today the loop is: data (generated with
# `credo synth`, or the real Kaggle folder / zip given as DATA=...) -> `credo inspect` ->
# `credo features` -> `credo train` (four algorithms, a small search, the champion registered) ->
# `credo predict`, all tracked in the store OUT_DIR/store (experiment "demo") -> the runs listed;
# then `credo serve` scores, decides and explains on http://127.0.0.1:PORT (8080) until Ctrl-C,
# after printing the training report to open (OUT_DIR/training-report/index.html), the officers'
# dashboard (/, printed first) and the curl lines to try. SERVE=0 stops before serving.
# usage: demo.sh CREDO_BINARY OUT_DIR CLIENTS [DATA]
set -euo pipefail
credo=$1; out=$2; clients=$3; data=${4:-}
mkdir -p "$out"
truth=()
export CREDO_STORE="$out/store"
if [ -z "$data" ]; then
  data="$out/data"
  echo "== credo synth: a generated Home Credit data set of $clients clients in $data"
  "$credo" synth --clients "$clients" --seed 42 --out "$data"
  truth=(--truth "$data/synth_truth.csv")  # the generator's true probabilities: the best possible model
else
  echo "== using the Home Credit data in $data"
fi
echo
echo "== credo inspect $data"
"$credo" inspect "$data" --columns > "$out/inspect.txt"
"$credo" inspect "$data" --json --quiet > "$out/inspect.json"
sed -n '/^Key relations/q;p' "$out/inspect.txt"
sed -n '/^Key relations/,/^$/p' "$out/inspect.txt"
echo
echo "== credo features --data $data --out $out/features.credo --experiment demo"
"$credo" features --data "$data" --out "$out/features.credo" --csv "$out/features.csv" --experiment demo
echo
echo "Every table and column is described in $out/inspect.txt (JSON: $out/inspect.json)."
echo "The features: $out/features.csv, in words: $out/features.credo.dictionary.csv,"
echo "leakage report: $out/features.credo.leakage.txt."
echo
echo "== credo train --features $out/features.credo --experiment demo (dummy, logistic regression, random forest, XGBoost)"
"$credo" train --features "$out/features.credo" --experiment demo --folds 3 --trials 1 --refine-trials 2 "${truth[@]}" \
  | tee "$out/train.txt"
report=$(sed -n 's/^report  *//p' "$out/train.txt")
ln -sfn "$(dirname "$report")" "$out/training-report"
echo
echo "== credo predict --model models:/credit-default@champion --features $out/features.credo"
"$credo" predict --model models:/credit-default@champion --features "$out/features.credo" --out "$out/predictions.csv"
echo
echo "== credo models show credit-default"
"$credo" models show credit-default
echo
echo "== credo export mlflow --out $out/mlruns"
"$credo" export mlflow --out "$out/mlruns" --overwrite
echo
echo "== credo runs list --experiment demo   (store: $CREDO_STORE)"
"$credo" runs list --experiment demo
echo
echo "== open the training report: $out/training-report/index.html"
echo "   (the leaderboard, the cost against the threshold, ROC curves, what weighs most, clients explained)"
echo

if [ "${SERVE:-1}" = "0" ]; then exit 0; fi
port=${PORT:-8080}
echo "== credo serve --model models:/credit-default@champion --port $port"
"$credo" serve --model models:/credit-default@champion --port "$port" --quiet &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' INT TERM
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "credo serve did not start"; exit 1; }
  sleep 0.2
done
client=$(sed -n '2s/,.*//p' "$out/predictions.csv")
echo
echo "Open the officers' dashboard: http://127.0.0.1:$port/?client=$client"
echo
echo "The scoring service is running on http://127.0.0.1:$port (documentation: http://127.0.0.1:$port/docs)."
echo "Score a client:"
echo "  curl -s http://127.0.0.1:$port/api/v1/clients/$client/score"
curl -s "http://127.0.0.1:$port/api/v1/clients/$client/score"; echo
echo "Why (the reasons a customer-relations officer can repeat):"
echo "  curl -s 'http://127.0.0.1:$port/api/v1/clients/$client/explanation?top=3'"
echo "A new application:"
echo "  curl -s -X POST http://127.0.0.1:$port/api/v1/score -H 'Content-Type: application/json' \\"
echo "       -d '{\"application\": {\"AMT_INCOME_TOTAL\": 202500, \"AMT_CREDIT\": 406597.5, \"AMT_ANNUITY\": 24700.5, \"DAYS_BIRTH\": -9461, \"EXT_SOURCE_2\": 0.26}}'"
echo "Ctrl-C stops the service (every prediction it answered is logged in $CREDO_STORE)."
wait $server
