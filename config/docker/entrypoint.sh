#!/usr/bin/env bash
# Entrypoint of the CKAN image, for the web server and the jobs worker alike.
# Checks the configuration, waits for PostgreSQL and Solr and, unless INIT_DB=false, migrates
# the database, grants the DataStore's permissions and indexes the datasets Solr lacks (all
# idempotent, so every start of the web container does it); then runs the command it is given.
set -euo pipefail

export CKAN_INI="${CKAN_INI:-/srv/app/config/production.ini}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-180}"

say() { printf 'entrypoint: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for name in CKAN_SECRET_KEY CKAN_SITE_URL CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL \
            CKAN_DATASTORE_READ_URL CKAN_SOLR_URL CKAN_REDIS_URL; do
    [ -n "${!name:-}" ] || die "$name is not set"
    # .env.example's placeholders all contain "change-me": refuse to run with them.
    case "${!name}" in
        *change-me*) die "$name still holds a placeholder from .env.example; set real secrets in .env" ;;
    esac
done

# CKAN's config loader hands every CKAN_* variable to configparser, which reads '%' as the
# start of an interpolation: such a value would stop CKAN with an obscure traceback.
while IFS= read -r name; do
    case "${!name}" in
        *%*) die "$name contains '%', which CKAN's config loader cannot read; choose a value without it" ;;
    esac
done < <(compgen -e | grep '^CKAN_' || true)

# libpq (pg_isready, psql) does not know SQLAlchemy's "+driver" URL suffix.
libpq_url() { printf '%s' "$1" | sed -E 's#^postgres(ql)?\+[A-Za-z0-9_]+://#postgresql://#'; }

solr_ping() {
    python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
        "${CKAN_SOLR_URL%/}/admin/ping"
}

wait_for() {  # NAME COMMAND...
    local name=$1 deadline=$((SECONDS + WAIT_TIMEOUT))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || die "$name did not answer within ${WAIT_TIMEOUT}s"
        sleep 2
    done
    say "$name is up"
}

wait_for PostgreSQL pg_isready -q -d "$(libpq_url "$CKAN_SQLALCHEMY_URL")"
wait_for Solr solr_ping

if [ "${INIT_DB:-true}" = true ]; then
    say "migrating the database"
    ckan -c "$CKAN_INI" db upgrade
    # The DataStore's owner (the write URL's user) owns the database and its public schema,
    # which is all the generated script needs: no superuser password reaches this container.
    say "granting the DataStore's permissions"
    ckan -c "$CKAN_INI" datastore set-permissions \
        | psql -X -q -v ON_ERROR_STOP=1 -d "$(libpq_url "$CKAN_DATASTORE_WRITE_URL")" >/dev/null
    # Cheap when the index is complete; rebuilds what is missing after Solr's volume was lost.
    say "indexing datasets missing from Solr"
    ckan -c "$CKAN_INI" search-index rebuild --only-missing --quiet
fi

exec "$@"
