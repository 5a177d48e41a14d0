#!/usr/bin/env bash
# Builds the dashboard's bundle into OUT_DIR (the build runs it: web/bundle.cmake): installs the
# npm packages of the committed package-lock.json when they are missing or older than the lock
# (`npm ci`: exactly the locked versions; offline once npm's cache has them), then bundles.
# usage: build.sh OUT_DIR
set -euo pipefail
out=$1
web=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "credo: the dashboard's bundle (web/) needs Node.js 20 and npm at build time, and they are missing:" >&2
  echo "       run scripts/install-deps.sh (or make deps) as root, then build again" >&2
  exit 1
fi
cd "$web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --include=dev --no-audit --no-fund --prefer-offline --loglevel=error >&2 || {
    echo "credo: npm ci failed in $web: the dashboard's packages could not be installed (npm registry reachable?)" >&2
    exit 1
  }
fi
node build.mjs "$out"
