#!/usr/bin/env bash
# Usage: .ci/compat/node.sh MAJOR
# Prints the directory holding a `node` of that major line: the machine's own
# when it is of that line, otherwise one installed from the npm registry
# (package node-linux-<arch>@MAJOR) into a cache folder outside the clone,
# ${XDG_CACHE_HOME:-$HOME/.cache}/phoenix-connector/node-MAJOR, reused when present.
# Diagnostics go to stderr; stdout is only the directory.
set -euo pipefail
major="${1:?usage: node.sh MAJOR}"

if command -v node >/dev/null 2>&1; then
  machine="$(node -p 'process.versions.node.split(".")[0]')"
  if [[ "$machine" == "$major" ]]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node.sh: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac

cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/phoenix-connector"
dir="$cache/node-$major"
bin="$dir/node_modules/node-linux-$arch/bin"

works() { [[ -x "$1/node" ]] && [[ "$("$1/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" == "$major" ]]; }

if works "$bin"; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
tmp="$(mktemp -d "$cache/.node-$major.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "node.sh: installing node-linux-$arch@$major into $dir" >&2
# Run from the scratch folder so no project .npmrc applies; the npm registry is the only source.
(
  cd "$tmp"
  printf '{"name":"node-%s","private":true}\n' "$major" >package.json
  npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-$arch@$major" >&2
)
works "$tmp/node_modules/node-linux-$arch/bin" || { echo "node.sh: node-linux-$arch@$major did not give a working node $major" >&2; exit 1; }
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "$bin"
