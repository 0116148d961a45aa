# Sourced by the dev scripts (and by you: `. dev/env.sh`) to set where the local services
# live and listen. Every port is bound to 127.0.0.1; override any of them before sourcing.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# Derived from this checkout only, never inherited: another checkout's values must not leak in.
export DATA_DIR="$ROOT/.data"
export VENV="$ROOT/.venv"

export CKAN_PORT="${CKAN_PORT:-5000}"
export CKAN_PG_PORT="${CKAN_PG_PORT:-5433}"
export CKAN_REDIS_PORT="${CKAN_REDIS_PORT:-6380}"
export CKAN_SOLR_PORT="${CKAN_SOLR_PORT:-8983}"
# Local SMTP ports: the mail catcher of the development site and the one the tests start.
export CKAN_SMTP_PORT="${CKAN_SMTP_PORT:-2525}"
export CKAN_TEST_SMTP_PORT="${CKAN_TEST_SMTP_PORT:-2526}"

export PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# The PostgreSQL cluster lives in .data/postgres, owned by the postgres user. A checkout that
# user cannot reach (e.g. under /root) keeps its cluster under /var/lib/zaozhuang-dev instead.
PG_HOME="$DATA_DIR/postgres"
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
        && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    PG_HOME="/var/lib/zaozhuang-dev/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)/postgres"
fi
export PG_HOME

# The session secret is generated once per checkout and kept out of git.
if [ -z "${CKAN_SECRET_KEY:-}" ] && [ -f "$DATA_DIR/secret_key" ]; then
    CKAN_SECRET_KEY=$(cat "$DATA_DIR/secret_key")
fi
export CKAN_SECRET_KEY
export PATH="$VENV/bin:$PATH"
