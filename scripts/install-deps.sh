#!/usr/bin/env bash
# The single list of credo's system dependencies, installed when missing.
# Idempotent: on a machine that already has everything it does nothing but check.
# Versions are those of Debian 12 (bookworm), which credo is built and tested against.
set -euo pipefail

# package            version built against
PACKAGES=(
  g++                 # 12.2.0
  cmake               # 3.25.1
  ninja-build         # 1.11.1
  ccache              # 4.7.5
  clang               # 14.0.6  (libFuzzer harness)
  libclang-rt-14-dev  # 14.0.6  (libFuzzer runtime)
  libgtest-dev        # 1.12.1
  libcli11-dev        # 2.1.2
  nlohmann-json3-dev  # 3.11.2
  libzip-dev          # 1.7.3
  libsqlite3-dev      # 3.40.1  (the tracking store)
  libxxhash-dev       # 0.8.1   (data and model fingerprints)
  libeigen3-dev       # 3.4.0   (linear algebra of the linear model and SMOTE)
  liblbfgs-dev        # 1.10    (L-BFGS / OWL-QN for logistic regression)
  libxgboost-dev      # 1.7.4   (gradient boosting and random forests, through its C API)
  libcpp-httplib-dev  # 0.11.4  (the tests' HTTP client)
  libmicrohttpd-dev   # 0.9.75  (the scoring service's HTTP server)
  wrk                 # 4.1.0   (the scoring service's load benchmark)
  curl                # 7.88    (make demo calls the scoring service it starts)
  zip                 # 3.0     (tests build zip archives)
  # The tools credo's users check its output with, run by the interop tests (make test):
  python3-xgboost     # 1.7.4   (loads the bundle's booster as mlflow.xgboost would)
  python3-yaml        # 6.0     (reads MLmodel and the MLflow export's meta.yaml as MLflow does)
  python3-numpy       # 1.24.2  (the features handed to python3-xgboost)
  prometheus          # 2.42.0  (promtool check metrics on /metrics)
  libxml2-utils       # 2.9.14  (xmllint on the SVG charts)
  chromium            # 156.0   (opens the training report and /docs, headless, for console errors)
)
# Node.js and npm build the dashboard's bundle (web/, at build time only). These machines' image
# ships Node 20 with its own npm, and Debian's npm on top of it conflicts: Debian's nodejs and npm
# (18.19 and 9.2) are installed only where npm is missing.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "credo: missing packages: ${missing[*]}; run as root or install them with apt-get" >&2
  exit 1
fi
echo "credo: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
