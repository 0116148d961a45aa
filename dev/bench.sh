#!/usr/bin/env bash
# `make bench`: the city-scale benchmark (benchmarks/scale.py), the portal beside stock CKAN
# on the same services, in databases of its own (config/bench.ini).
# Extra arguments go to the benchmark, e.g. `make bench ARGS="--datasets 500 --load"`.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$ROOT/dev/provision.sh" --tests
. "$ROOT/dev/env.sh"
started=$("$ROOT/dev/services.sh" start | sed -n 's/^started: //p')
# shellcheck disable=SC2086
trap '[ -n "$started" ] && "$ROOT/dev/services.sh" stop $started; true' EXIT
"$ROOT/dev/setup-db.sh" "$ROOT/config/bench.ini" datastore_bench
python "$ROOT/benchmarks/scale.py" "$@"
