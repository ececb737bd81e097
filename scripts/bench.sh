#!/usr/bin/env bash
# `npm run bench`: measure the engine next to the raw driver and SDK calls on the same servers.
# Servers: with MONGODB_URI (and CHRONOS_TEST_S3_*) already set, it uses those as they are, so a
# run can be pointed at any server set; otherwise it starts the test servers (ports from
# CHRONOS_MONGO_PORT / CHRONOS_S3_PORT / CHRONOS_AZURE_PORT) and uses their .servers/env.
# Options: `npm run bench -- --quick` (or BENCH_QUICK=1) and the others in bench/bench-config.ts.
# Prints tables; writes the summary table to bench/results/latest.md (--out=PATH, --out=- for none).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -n "${MONGODB_URI:-}" ]]; then
  echo "bench: using the servers in the environment (MONGODB_URI, CHRONOS_TEST_S3_ENDPOINT)" >&2
else
  bash scripts/test-servers.sh start
  # shellcheck disable=SC1091
  source .servers/env
fi
# Node 20 works today; the AWS SDK warns (once per process) that 2027 releases will need Node 22.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx tsx bench/run.ts "$@"
