#!/usr/bin/env bash
# Builds the FerretDB test-server launcher into the path given as $1, with three patches to FerretDB.
#
# The patch: FerretDB 1.24's SQLite backend builds the unique `_id` index on the expression
# `_ferretdb_sjson->"_id"`, but filters lookups, updates and deletes by `_id` on
# `_ferretdb_sjson->'$._id'`. Both name the same JSON value, yet SQLite only uses an index whose
# expression is written the same way as the query's, so every `_id` lookup, update and delete
# scanned the whole table (an update 35 ms at 5,000 documents, 1.8 ms with the patch; a findOne
# at the end of the table 18 ms, 1.3 ms with it). The patch writes the filter expression the way
# the index is written, so `_id` queries use the `_id` index as they do on MongoDB. Queries on any
# other field still scan, and nothing else changes: results are the same, only the plan differs.
#
# How: the FerretDB module is copied from Go's module cache (read-only, so it cannot be patched
# in place), the one line is rewritten, and a temporary copy of this launcher is built against the
# copy through a `replace` directive. The build fails if the line is not found as expected.
set -euo pipefail

out=${1:?usage: build.sh <output binary>}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

mkdir "$work/launcher"
cp "$here/go.mod" "$here/go.sum" "$here/main.go" "$work/launcher/"

module=github.com/FerretDB/FerretDB
version=$(cd "$work/launcher" && go list -m -f '{{.Version}}' "$module")
source_dir=$(cd "$work/launcher" && go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d "$source_dir" ]] || { echo "build.sh: could not locate $module@$version in the module cache" >&2; exit 1; }
cp -r "$source_dir" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"

metadata="$work/ferretdb/internal/backends/sqlite/metadata/metadata.go"
original="IDColumn = DefaultColumn + \"->'\$._id'\""
patched='IDColumn = DefaultColumn + `->"_id"`'
if [[ $(grep -cF "$original" "$metadata") != 1 ]]; then
  echo "build.sh: $module@$version no longer has the line this patch rewrites ($original); review the patch" >&2
  exit 1
fi
sed -i "s|IDColumn = DefaultColumn + \"->'\\\$._id'\"|$patched|" "$metadata"
grep -qF "$patched" "$metadata" || { echo "build.sh: the patch did not apply" >&2; exit 1; }

# The second patch: FerretDB pushes an `_id` equality down to SQLite only when it is the filter's
# only key, so `{ _id, claim }` (a lease renewal, releasing or marking a claim) scanned the table.
# Pushed down whenever the filter has an `_id` string (or ObjectId) equality, the query reads the
# one document by its index; the handlers still apply the whole filter to what it returns (every
# read, update and delete path filters again in Go), so results are unchanged. Only `Query` is
# patched; `Explain` keeps reporting the filter as not pushed down.
collection="$work/ferretdb/internal/backends/sqlite/collection.go"
query_guard='if params.Filter.Len() == 1 {'
if [[ $(grep -cF "$query_guard" "$collection") != 2 ]]; then
  echo "build.sh: $module@$version no longer has the _id pushdown guard this patch rewrites; review the patch" >&2
  exit 1
fi
sed -i '0,/if params.Filter.Len() == 1 {/s//if params.Filter.Len() > 0 \&\& params.Filter.Has("_id") {/' "$collection"
grep -qF 'if params.Filter.Len() > 0 && params.Filter.Has("_id") {' "$collection" || { echo "build.sh: the pushdown patch did not apply" >&2; exit 1; }

# The third patch: an `update` command with several statements (a driver's bulkWrite of updates
# or replacements) opens a query iterator per statement and closes them all only when the command
# ends (`defer` inside the loop). Each open iterator holds a SQLite connection, so a bulk of a
# hundred replacements runs out of them and the command never answers. The patch closes each
# statement's iterator as soon as that statement is applied; results are unchanged.
update="$work/ferretdb/internal/handler/msg_update.go"
if [[ $(grep -c '^		defer closer.Close()$' "$update") != 1 ]] || ! grep -q '^		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)$' "$update"; then
  echo "build.sh: $module@$version no longer has the update loop this patch rewrites; review the patch" >&2
  exit 1
fi
sed -i -e '/^		defer closer.Close()$/d' \
  -e 's/^		result, err := common.UpdateDocument(ctx, c, "update", iter, &u)$/&\n		closer.Close()/' "$update"
grep -qP '^\t\tcloser.Close\(\)$' "$update" || { echo "build.sh: the update-loop patch did not apply" >&2; exit 1; }

cd "$work/launcher"
go mod edit -replace "$module=../ferretdb"
go build -o "$out" .
