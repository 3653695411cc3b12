#!/usr/bin/env bash
# The compatibility job. Usage: bash .ci/compat/run.sh [--keep]
#
# Needs a built dist/ (npm run build). Packs the package once, then on each
# Node line (COMPAT_NODE_LINES, default "20 22 24"; binaries from node.sh)
# installs it with plain `npm install` into fresh apps beside OpenTelemetry JS
# 3 (Node >= 22.15) and 2, runs each app as ESM and CJS with the processor
# and with the exporter against the Phoenix test server, and prints the
# matrix (compat.ts). Exit 1 when a cell fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if [[ ! -f dist/index.js || ! -f dist/index.cjs ]]; then
  echo "compat: no dist/ to pack: run npm run build first" >&2
  exit 1
fi

args=()
for major in ${COMPAT_NODE_LINES:-20 22 24}; do
  dir="$(bash "$here/node.sh" "$major")"
  args+=(--node "$major=$dir")
done

# The driver itself runs on the machine's node, from the clone (it starts the
# Phoenix test server from test/servers/); the apps run on each line's node.
exec "$root/node_modules/.bin/tsx" "$here/compat.ts" "${args[@]}" "$@"
