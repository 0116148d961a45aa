#!/usr/bin/env bash
# `make run`: provision, start the services, migrate, load the demo catalog and serve the
# portal on http://127.0.0.1:$CKAN_PORT with its job worker and scheduler. Ctrl-C stops them
# and every service this command started (`make stop` stops them all).
set -euo pipefail
. "$(dirname "$0")/env.sh"
INI="$ROOT/config/development.ini"

"$ROOT/dev/provision.sh"
. "$ROOT/dev/env.sh"   # picks up the secret provisioned on a first run

started=$("$ROOT/dev/services.sh" start | sed -n 's/^started: //p')
background=()
cleanup() {
    trap - INT TERM EXIT
    [ ${#background[@]} -gt 0 ] && kill "${background[@]}" 2>/dev/null || true
    # shellcheck disable=SC2086
    [ -n "$started" ] && "$ROOT/dev/services.sh" stop $started
}
trap cleanup INT TERM EXIT

"$ROOT/dev/setup-db.sh" "$INI" datastore
# Every dataset again when the configset changed since the last indexing (a new field must be
# filled), else only those missing.
indexed="$DATA_DIR/indexed-configset.sum"
if [ "$(cat "$indexed" 2>/dev/null)" = "$(cat "$DATA_DIR/solr/configset.sum")" ]; then
    ckan -c "$INI" search-index rebuild --only-missing --quiet
else
    ckan -c "$INI" search-index rebuild --quiet
    cp "$DATA_DIR/solr/configset.sum" "$indexed"
fi
ckan -c "$INI" zaozhuang demo load --admin-password-file "$DATA_DIR/admin_password"

cat <<MSG

  枣庄市公共数据开放平台 — Zaozhuang Public Data Portal
  http://127.0.0.1:$CKAN_PORT
  sysadmin: admin / $(cat "$DATA_DIR/admin_password")
  demo applicant (enterprise): demo-enterprise / $(cat "$DATA_DIR/storage/demo_enterprise_password" 2>/dev/null)
  Ctrl-C stops the portal and the services this command started.

MSG
# The production image's server and entry point, with as many workers (default 3).
CKAN_INI="$INI" gunicorn --bind "127.0.0.1:$CKAN_PORT" --workers "${GUNICORN_WORKERS:-3}" \
    --timeout 120 --pythonpath "$ROOT/config/docker" --access-logfile - wsgi:application &
server=$!
background+=($server)
# The worker's DataStore loading jobs fetch uploads from the portal (the demo's among them):
# it starts once the portal answers, so that none of them fails on a server not yet up.
until curl -fs -o /dev/null "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show"; do
    kill -0 "$server" 2>/dev/null || exit 1
    sleep 1
done
ckan -c "$INI" jobs worker >"$DATA_DIR/worker.log" 2>&1 &
background+=($!)
ckan -c "$INI" zaozhuang scheduler >"$DATA_DIR/scheduler.log" 2>&1 &
background+=($!)
wait "$server"
