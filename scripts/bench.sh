#!/usr/bin/env bash
# `npm run bench`: start the test servers, then measure the engine next to the raw driver and SDK
# calls on the same servers. Prints tables; writes no result files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test-servers.sh start
# shellcheck disable=SC1091
source .servers/env
# Node 20 works today; the AWS SDK warns (once per process) that 2027 releases will need Node 22.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx tsx bench/run.ts "$@"
