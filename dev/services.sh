#!/usr/bin/env bash
# Starts, stops or reports the portal's local services, each bound to 127.0.0.1 and keeping
# its data under .data/: PostgreSQL 15, Redis and Solr 9.10.1.
# Usage: dev/services.sh start|stop|status [postgres|redis|solr ...] | reset
# `start` reuses a service that already runs from this checkout, and prints the names of the
# services it started itself on the last line ("started: ...").
set -euo pipefail
. "$(dirname "$0")/env.sh"

PG_DATA="$PG_HOME/data"
PG_RUN="$PG_HOME/run"
PG_LOG="$PG_HOME/postgresql.log"
REDIS_DIR="$DATA_DIR/redis"
SOLR_DIR="$DATA_DIR/solr"

fail() { printf 'error: %s\n' "$*" >&2; exit 1; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_postgres() {
    # initdb and the server refuse to run as root.
    # From /, which the postgres user can always enter, whatever the checkout's permissions.
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }
port_free_or_fail() {
    listening "$2" && fail "port $2 (for $1) is taken by another program. Stop it, or choose another port: $3=<port> make ..."
    return 0
}

# --- PostgreSQL ------------------------------------------------------------
postgres_running() { pid_alive "$PG_DATA/postmaster.pid"; }
psql_admin() { as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$CKAN_PG_PORT" -U postgres "$@"; }
start_postgres() {
    port_free_or_fail PostgreSQL "$CKAN_PG_PORT" CKAN_PG_PORT
    mkdir -p "$PG_RUN" "$(dirname "$PG_DATA")"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$PG_HOME"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    fi
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $CKAN_PG_PORT -c unix_socket_directories=$PG_RUN" start >/dev/null \
        || fail "PostgreSQL did not start; see $PG_LOG"
    create_databases
    return 0
}
# Roles and databases: the site, the DataStore (with its read-only user), the tests and the
# benchmark. Idempotent, so a server started before a database was added gets it too.
create_databases() {
    psql_admin <<'SQL'
SELECT 'CREATE ROLE ckan LOGIN PASSWORD ''ckan''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ckan')\gexec
SELECT 'CREATE ROLE datastore_ro LOGIN PASSWORD ''datastore_ro''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datastore_ro')\gexec
SELECT format('CREATE DATABASE %I OWNER ckan ENCODING ''UTF8''', d) FROM unnest(ARRAY['ckan','datastore','ckan_test','datastore_test','ckan_bench','datastore_bench']) d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d)\gexec
SQL
    return 0
}
stop_postgres() { postgres_running && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; return 0; }

# --- Redis -----------------------------------------------------------------
redis_running() { pid_alive "$REDIS_DIR/redis.pid"; }
start_redis() {
    port_free_or_fail Redis "$CKAN_REDIS_PORT" CKAN_REDIS_PORT
    mkdir -p "$REDIS_DIR"
    redis-server --bind 127.0.0.1 --port "$CKAN_REDIS_PORT" --protected-mode yes --daemonize yes \
        --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" >/dev/null
    for _ in $(seq 50); do listening "$CKAN_REDIS_PORT" && return 0; sleep 0.1; done
    fail "Redis did not start; see $REDIS_DIR/redis.log"
}
stop_redis() { redis_running && kill "$(cat "$REDIS_DIR/redis.pid")"; return 0; }

# --- Solr ------------------------------------------------------------------
solr_running() { pid_alive "$SOLR_DIR/solr.pid"; }
start_solr() {
    port_free_or_fail Solr "$CKAN_SOLR_PORT" CKAN_SOLR_PORT
    command -v java >/dev/null || fail "Java is missing: run dev/provision.sh (or apt-get install openjdk-17-jre-headless)"
    local target="$ROOT/dev/solr/target"
    [ -f "$target/classpath.txt" ] || fail "the Solr launcher is not built: run dev/provision.sh"
    mkdir -p "$SOLR_DIR"
    nohup java ${SOLR_JAVA_OPTS:--Xmx512m} -cp "$target/classes:$(cat "$target/classpath.txt")" \
        org.zaozhuang.solr.SolrLauncher --host 127.0.0.1 --port "$CKAN_SOLR_PORT" \
        --home "$SOLR_DIR/home" --configset "$ROOT/config/solr/ckan" \
        >"$SOLR_DIR/solr.log" 2>&1 &
    echo $! > "$SOLR_DIR/solr.pid"
    configset_sum > "$SOLR_DIR/configset.sum"
    local url="http://127.0.0.1:$CKAN_SOLR_PORT/solr/ckan/admin/ping"
    for _ in $(seq 120); do
        curl -fsS "$url" >/dev/null 2>&1 && return 0
        solr_running || { tail -n 20 "$SOLR_DIR/solr.log" >&2; fail "Solr exited while starting; see $SOLR_DIR/solr.log"; }
        sleep 1
    done
    tail -n 20 "$SOLR_DIR/solr.log" >&2
    stop_solr
    fail "Solr did not answer at $url within 120 s; see $SOLR_DIR/solr.log"
}
configset_sum() { cat "$ROOT"/config/solr/ckan/conf/* | sha256sum | cut -d' ' -f1; }
# A running Solr reads the configset once: after a change (a new field, the spellcheck) the
# core is reloaded, so that a second `make run` or `make test` never runs on the old one.
reload_solr_if_changed() {
    local sum; sum=$(configset_sum)
    [ "$sum" = "$(cat "$SOLR_DIR/configset.sum" 2>/dev/null)" ] && return 0
    curl -fsS "http://127.0.0.1:$CKAN_SOLR_PORT/solr/admin/cores?action=RELOAD&core=ckan" \
        >/dev/null || fail "Solr did not reload the changed configset; see $SOLR_DIR/solr.log"
    echo "$sum" > "$SOLR_DIR/configset.sum"
}
stop_solr() {
    solr_running || return 0
    local pid; pid=$(cat "$SOLR_DIR/solr.pid")
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$SOLR_DIR/solr.pid"
}

# ---------------------------------------------------------------------------
action="${1:-status}"; shift || true
services=("$@"); [ ${#services[@]} -gt 0 ] || services=(postgres redis solr)
case "$action" in
    start)
        started=()
        for s in "${services[@]}"; do
            if "${s}_running"; then
                [ "$s" = postgres ] && create_databases
                [ "$s" = solr ] && reload_solr_if_changed
                continue
            fi
            "start_$s"
            started+=("$s")
        done
        echo "started: ${started[*]:-}"
        ;;
    stop)
        for s in "${services[@]}"; do "stop_$s"; done
        ;;
    reset)
        # Everything the services keep: stops them, then deletes their data.
        for s in postgres redis solr; do "stop_$s"; done
        rm -rf "$DATA_DIR" "$PG_HOME"
        rmdir "$(dirname "$PG_HOME")" 2>/dev/null || true  # the fallback's own folder
        ;;
    status)
        for s in "${services[@]}"; do
            if "${s}_running"; then echo "$s: running"; else echo "$s: stopped"; fi
        done
        ;;
    *) fail "usage: $0 start|stop|status [postgres|redis|solr ...] | reset" ;;
esac
