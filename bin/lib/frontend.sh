#!/usr/bin/env bash
# frontend.sh OUTPUT_DIR: copies the npm libraries the pages use into OUTPUT_DIR (the build puts them in the jar
# under ui/vendor/, so the pages never ask an outside host). Runs `npm ci` first when node_modules/ lacks them or is
# older than package-lock.json. Called by Maven (exec-maven-plugin, generate-resources) from the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="$1"
elk=node_modules/elkjs/lib
if [ ! -f "$elk/elk-worker.min.js" ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "frontend.sh: npm is missing (install Node.js and npm: Debian's nodejs and npm packages)" >&2
    exit 1
  fi
  echo "frontend.sh: npm ci (node_modules/ is missing or older than package-lock.json)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
mkdir -p "$out"
cp "$elk/elk-api.js" "$elk/elk-worker.min.js" "$out/"
cp node_modules/elkjs/LICENSE.md "$out/elkjs-LICENSE.md" 2>/dev/null || true
