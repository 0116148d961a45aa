#!/usr/bin/env bash
# `make bench`: the access-policy benchmark (benchmarks/access_overhead.py) on the test services.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/dev/provision.sh" --tests
. "$ROOT/dev/env.sh"
started=$("$ROOT/dev/services.sh" start | sed -n 's/^started: //p')
# shellcheck disable=SC2086
trap '[ -n "$started" ] && "$ROOT/dev/services.sh" stop $started; true' EXIT
"$ROOT/dev/setup-db.sh" "$ROOT/config/test.ini" datastore_test
python "$ROOT/benchmarks/access_overhead.py" "$@"
