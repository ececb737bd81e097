#!/usr/bin/env bash
# The test command (`npm test`): starts the real test servers, then runs the type check and every
# suite against them. CI runs exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test-servers.sh start
# shellcheck disable=SC1091
source .servers/env
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
