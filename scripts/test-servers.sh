#!/usr/bin/env bash
# Starts, stops and reports the real servers the test suite talks to:
#   - FerretDB v1.24.2 (MongoDB wire protocol, SQLite handler), built from test/servers/ferretdb
#     with one patch so that `_id` lookups and updates use the `_id` index (see its build.sh)
#   - Versity S3 Gateway v1.8.0 (S3-compatible) over a folder in memory (/dev/shm) when the machine has one
#   - Azurite (Azure Blob), in memory, from node_modules
# Usage: scripts/test-servers.sh start [mongo|s3|azure ...]|stop|status|env
# `start` with names starts (and builds) only those servers: `npm run demo` needs Mongo only.
# Idempotent: `start` leaves running servers alone and starts only what is missing; `stop` stops
# only the processes this script started (their pids live in .servers/run). Built binaries are
# cached in .servers/bin, keyed by version, so only the first start on a machine compiles.
# After `start`, .servers/env holds the addresses as shell exports (MONGODB_URI etc.).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$root/.servers"
bin="$state/bin"
run="$state/run"
data="${CHRONOS_TEST_DATA:-$state/data}"
mkdir -p "$bin" "$run" "$data"

FERRETDB_VERSION=v1.24.2
# Names the patches test/servers/ferretdb/build.sh applies (`_id` queries use the `_id` index, also
# when the filter has other keys; a bulk update closes each statement's query), so a binary built
# without them is never reused.
FERRETDB_PATCH=id-index-pushdown-bulk-update
VERSITYGW_VERSION=v1.8.0
MONGO_PORT=${CHRONOS_MONGO_PORT:-27027}
S3_PORT=${CHRONOS_S3_PORT:-7070}
AZURE_PORT=${CHRONOS_AZURE_PORT:-10010}
S3_ACCESS_KEY=chronos-test
S3_SECRET_KEY=chronos-test-secret
# The public, documented Azurite development account (not a secret).
AZURE_ACCOUNT=devstoreaccount1
AZURE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

log() { printf '[test-servers] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # name port seconds
  local name=$1 port=$2 deadline=$((SECONDS + $3))
  until port_open "$port"; do
    if ((SECONDS > deadline)); then
      log "$name did not answer on port $port; its log:"
      tail -n 30 "$run/$name.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# The S3 gateway's objects live in memory, like Azurite's: on this kind of machine the gateway
# shares the CPUs with the code under test, and on disk its file system calls cost it twice the CPU
# of the same PUT on tmpfs (1.1 vs 0.45 ms per PUT, measured on the test machine), a cost a real S3 service does
# not put on the client's machine. Without a writable /dev/shm it falls back to the data folder.
s3_data_dir() {
  if [[ -z "${CHRONOS_TEST_DATA:-}" && -d /dev/shm && -w /dev/shm ]]; then
    echo "/dev/shm/chronos-s3-$(printf '%s' "$root" | cksum | cut -d' ' -f1)"
  else
    echo "$data/s3"
  fi
}

pid_alive() { [[ -f "$run/$1.pid" ]] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

build_ferretdb() {
  local out="$bin/ferretdb-launcher-$FERRETDB_VERSION-$FERRETDB_PATCH"
  if [[ ! -x "$out" ]]; then
    log "building the FerretDB $FERRETDB_VERSION launcher (minutes on a fresh machine, cached after)"
    bash "$root/test/servers/ferretdb/build.sh" "$out"
  fi
  echo "$out"
}

build_versitygw() {
  local out="$bin/versitygw-$VERSITYGW_VERSION"
  if [[ ! -x "$out" ]]; then
    log "building Versity S3 Gateway $VERSITYGW_VERSION (minutes on a fresh machine, cached after)"
    local tmp
    tmp=$(mktemp -d)
    GOBIN="$tmp" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
    mv "$tmp/versitygw" "$out"
    rmdir "$tmp"
  fi
  echo "$out"
}

start_one() { # name port cmd...
  local name=$1 port=$2
  shift 2
  if pid_alive "$name"; then
    log "$name already running (pid $(cat "$run/$name.pid"))"
    return 0
  fi
  if port_open "$port"; then
    log "port $port is taken by a process this script did not start; set CHRONOS_${name^^}_PORT to another port"
    return 1
  fi
  nohup "$@" >"$run/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
  wait_for_port "$name" "$port" 60
  log "$name answering on 127.0.0.1:$port (pid $(cat "$run/$name.pid"))"
}

write_env() {
  cat >"$state/env" <<ENV
export MONGODB_URI='mongodb://127.0.0.1:$MONGO_PORT/?maxPoolSize=1'
export CHRONOS_TEST_S3_ENDPOINT='http://127.0.0.1:$S3_PORT'
export CHRONOS_TEST_S3_ACCESS_KEY='$S3_ACCESS_KEY'
export CHRONOS_TEST_S3_SECRET_KEY='$S3_SECRET_KEY'
export CHRONOS_TEST_AZURE_ENDPOINT='http://127.0.0.1:$AZURE_PORT/$AZURE_ACCOUNT'
export CHRONOS_TEST_AZURE_ACCOUNT='$AZURE_ACCOUNT'
export CHRONOS_TEST_AZURE_KEY='$AZURE_KEY'
ENV
}

start() {
  local wanted=("$@") name
  ((${#wanted[@]} > 0)) || wanted=(mongo s3 azure)
  for name in "${wanted[@]}"; do
    case $name in
      mongo)
        local ferretdb
        ferretdb=$(build_ferretdb)
        # Test data is throwaway: a server started afresh starts empty, so what a crashed run left
        # (FerretDB's SQLite files can be left unreadable by a crash) never blocks the next one.
        pid_alive mongo || rm -rf "$data/ferretdb"
        mkdir -p "$data/ferretdb"
        # maxPoolSize=1 (in the exported URI) because FerretDB v1 applies an update as read-modify-write
        # in separate steps: concurrent updates from several connections lose writes.
        start_one mongo "$MONGO_PORT" "$ferretdb" -listen "127.0.0.1:$MONGO_PORT" -dir "$data/ferretdb"
        ;;
      s3)
        local versitygw s3_data
        versitygw=$(build_versitygw)
        s3_data=$(s3_data_dir)
        pid_alive s3 || rm -rf "$s3_data"
        mkdir -p "$s3_data"
        # --keep-alive: the gateway closes every connection after one request unless told otherwise
        # (S3 itself keeps them open), which made each PUT pay a TCP connect on both sides.
        # --quiet: no access-log line per request. --io-buffer-size: payloads are small; the default
        # 1 MiB buffer per request cost CPU for nothing.
        start_one s3 "$S3_PORT" env ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
          "$versitygw" --port "127.0.0.1:$S3_PORT" --keep-alive --quiet posix --io-buffer-size 65536 "$s3_data"
        ;;
      azure)
        start_one azure "$AZURE_PORT" "$root/node_modules/.bin/azurite-blob" --inMemoryPersistence \
          --blobHost 127.0.0.1 --blobPort "$AZURE_PORT" --skipApiVersionCheck --loose --silent
        ;;
      *) log "unknown server \"$name\" (known: mongo, s3, azure)"; return 2 ;;
    esac
  done
  write_env
  log "addresses written to .servers/env"
}

stop() {
  local name
  for name in mongo s3 azure; do
    if pid_alive "$name"; then
      kill "$(cat "$run/$name.pid")" 2>/dev/null || true
      log "stopped $name"
    fi
    rm -f "$run/$name.pid"
  done
  # Objects kept in memory would hold RAM until the next start.
  case $(s3_data_dir) in /dev/shm/*) rm -rf "$(s3_data_dir)" ;; esac
}

status() {
  local name port rc=0
  for name in mongo s3 azure; do
    case $name in mongo) port=$MONGO_PORT ;; s3) port=$S3_PORT ;; azure) port=$AZURE_PORT ;; esac
    if pid_alive "$name" && port_open "$port"; then
      echo "$name: running on 127.0.0.1:$port (pid $(cat "$run/$name.pid"))"
    else
      echo "$name: stopped"
      rc=1
    fi
  done
  return $rc
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  env) write_env && cat "$state/env" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
