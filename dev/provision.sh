#!/usr/bin/env bash
# Installs what the portal needs on Debian 12 and skips whatever is already in place:
#   Debian packages (PostgreSQL 15, Redis, Java 17 + Maven for Solr, libmagic),
#   the Python virtualenv with pinned CKAN 2.12.0 and the extension,
#   the Solr 9.10.1 launcher built from Maven Central.
# Usage: dev/provision.sh [--tests]   (--tests adds what the test suite needs: Chromium)
set -euo pipefail
. "$(dirname "$0")/env.sh"

with_tests=false
[ "${1:-}" = "--tests" ] && with_tests=true

say() { printf '==> %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
packages=(postgresql-15 redis-server openjdk-17-jdk-headless maven libmagic1 python3-venv curl)
# fonts-noto-cjk: the browser test's screenshots render Chinese in Noto Sans CJK.
$with_tests && packages+=(chromium chromium-driver fonts-wqy-microhei fonts-noto-cjk docker-compose)
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]}" >&2
        echo "Install them, then run this command again:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    say "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian package starts no cluster of ours; the project runs its own under .data/.
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL 15 binaries not found in $PG_BIN (set PG_BIN)" >&2; exit 1; }

# --- Python virtualenv -----------------------------------------------------
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
req_files=("$ROOT/requirements.txt" "$ROOT/requirements-no-deps.txt" "$ROOT/requirements-dev.txt"
           "$ROOT/setup.py")
want=$(stamp_of "${req_files[@]}")
if [ "$(cat "$VENV/.provisioned" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip setuptools wheel
    "$VENV/bin/pip" install -q -r "$ROOT/requirements-dev.txt"
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements-no-deps.txt"
    "$VENV/bin/pip" install -q --no-deps -e "$ROOT"
    echo "$want" > "$VENV/.provisioned"
fi

# --- Solr launcher -----------------------------------------------------------
solr_dir="$ROOT/dev/solr"
want=$(find "$solr_dir/pom.xml" "$solr_dir/src" -type f | sort | xargs cat | sha256sum | cut -d' ' -f1)
if [ "$(cat "$solr_dir/target/.built" 2>/dev/null)" != "$want" ]; then
    say "Building the Solr 9.10.1 launcher (Maven Central)"
    mvn -q -B -f "$solr_dir/pom.xml" package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -DskipTests
    echo "$want" > "$solr_dir/target/.built"
fi

# --- Secret ----------------------------------------------------------------
mkdir -p "$DATA_DIR"
chmod 755 "$DATA_DIR"
if [ ! -s "$DATA_DIR/secret_key" ]; then
    "$VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(32))" > "$DATA_DIR/secret_key"
    chmod 600 "$DATA_DIR/secret_key"
fi
