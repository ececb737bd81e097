#!/usr/bin/env bash
# The README's first command (`npm run demo`): start the one test server the example needs
# (FerretDB for the Mongo wire protocol, built the first time), then run the example app end to
# end against it. Payloads go to a local folder, so the S3 gateway and Azurite are neither built
# nor started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/test-servers.sh start mongo
# shellcheck disable=SC1091
source .servers/env
npx tsx examples/app.ts
