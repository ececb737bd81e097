#!/usr/bin/env bash
# Installs TypeScript 7 (the native compiler) into .tools/ts7, apart from the project's own
# TypeScript 5.9 (which ts-morph and the tooling load as a library; 7.x has no JS API), and
# prints the path of its `tsc`. Idempotent: an existing install of the pinned version is reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="${TS7_VERSION:-7.0.2}"
dir=.tools/ts7
tsc="$dir/node_modules/typescript/bin/tsc"
if [[ ! -x "$tsc" ]] || [[ "$("$tsc" --version 2>/dev/null)" != "Version $version" ]]; then
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{ "private": true }' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --silent "typescript@$version" >&2
fi
echo "$PWD/$tsc"
