#!/usr/bin/env bash
# The README's first command (`npm run demo`): start the test servers (building them the first
# time), then run the example app end to end against them with local-folder storage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test-servers.sh start
# shellcheck disable=SC1091
source .servers/env
# Node 20 works today; the AWS SDK warns (once per process) that 2027 releases will need Node 22.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx tsx examples/app.ts
