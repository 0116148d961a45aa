#!/usr/bin/env bash
# Migrates the database of an ini file (core and plugin migrations) and grants the DataStore's
# read-only user its rights. Idempotent.
# Usage: dev/setup-db.sh INI DATASTORE_DB
set -euo pipefail
. "$(dirname "$0")/env.sh"
ini="$1"; datastore_db="$2"
ckan -c "$ini" db upgrade >/dev/null
psql_su() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
ckan -c "$ini" datastore set-permissions 2>/dev/null \
    | psql_su "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOME/run" \
        -p "$CKAN_PG_PORT" -U postgres -d "$datastore_db" >/dev/null
