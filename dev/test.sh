#!/usr/bin/env bash
# `make test`: provision, start what the tests need (reusing what already runs), migrate the
# test database and run the whole suite against the real PostgreSQL, Redis and Solr.
# Extra arguments go to pytest, e.g. `make test ARGS="-k search"`.
set -euo pipefail
. "$(dirname "$0")/env.sh"
INI="$ROOT/config/test.ini"

"$ROOT/dev/provision.sh" --tests
. "$ROOT/dev/env.sh"

started=$("$ROOT/dev/services.sh" start | sed -n 's/^started: //p')
cleanup() {
    # shellcheck disable=SC2086
    [ -n "$started" ] && "$ROOT/dev/services.sh" stop $started
    return 0
}
trap cleanup EXIT

"$ROOT/dev/setup-db.sh" "$INI" datastore_test
cd "$ROOT"
# The production stack cannot run here (no Docker engine); check that it is well-formed.
docker-compose --env-file .env.example -f docker-compose.yml config -q
echo "docker-compose.yml: valid"
python -m pytest --ckan-ini="$INI" "$@"
