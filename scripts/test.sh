#!/usr/bin/env bash
# The test command (`npm test`): lints (ESLint, whose rules include the store boundary of
# scripts/lint/store-boundary.js: only the stores open Mongo collections; then knip for unused
# files, exports and dependencies), starts the real test servers, makes sure Chromium is there for
# the Studio's browser tests (scripts/ensure-chromium.sh), then runs the type check (which
# includes the type tests in test/types) on TypeScript 5.9 and on TypeScript 7 (scripts/ts7.sh
# installs it into .tools/ts7), checks that generated/ matches schemas/, and runs every suite
# against the servers. CI runs exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm run --silent lint
npm run --silent lint:exports
bash scripts/test-servers.sh start
bash scripts/ensure-chromium.sh
# shellcheck disable=SC1091
source .servers/env
# Node 20 works today; the AWS SDK warns (once per process) that 2027 releases will need Node 22.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx tsc --noEmit -p tsconfig.json
# The same check (sources, generated code, type tests) on TypeScript 7, the native compiler that
# `npm install -D typescript` now installs; the packed-app suite type-checks on it too.
CHRONOS_TS7_TSC="$(bash scripts/ts7.sh)"
export CHRONOS_TS7_TSC
"$CHRONOS_TS7_TSC" --noEmit -p tsconfig.json
npm run --silent generate -- --check
npx vitest run "$@"
