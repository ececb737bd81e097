#!/usr/bin/env bash
# Makes sure a Chromium is installed for the Studio's end-to-end tests (test/studio/*.e2e.test.ts),
# the way scripts/test-servers.sh provisions the servers: Debian's `chromium` package, installed
# with apt-get when running as root (as CI does) and /usr/bin/chromium is missing. Playwright's own
# browser download is not used: its CDN is unreachable from these machines.
# Where it truly cannot be installed (not root, no apt-get) it says so and exits 0: the e2e suite
# then skips with that reason, except under CI=true, where it fails instead.
# CHRONOS_CHROMIUM names another binary to use.
set -euo pipefail

log() { printf '[ensure-chromium] %s\n' "$*" >&2; }

chromium=${CHRONOS_CHROMIUM:-/usr/bin/chromium}
if [[ -x "$chromium" ]]; then
  exit 0
fi
if [[ -n "${CHRONOS_CHROMIUM:-}" ]]; then
  log "CHRONOS_CHROMIUM=$chromium is not an executable file"
  exit 1
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  log "installing Debian's chromium with apt-get (once; about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  [[ -x /usr/bin/chromium ]] || { log "apt-get finished but /usr/bin/chromium is missing"; exit 1; }
  log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
log "no chromium at $chromium, and it cannot be installed here (needs root and apt-get)."
log "The Studio's browser tests will be skipped. Install it with 'sudo apt-get install -y chromium' or set CHRONOS_CHROMIUM."
