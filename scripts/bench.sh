#!/usr/bin/env bash
# npm run bench [-- compare.sh options]: measures this tracker side by side with opentracker,
# bittorrent-tracker and the node-null / null ceilings, in one run of the shared benchmark
# harness (../shared/bench, or $BENCH_HARNESS). Installs what the harness needs (apt: opentracker,
# wrk, build-essential), builds it and this project, then prints the harness's tables.
# Examples:  npm run bench                 (3 rounds x UDP 15 s + HTTP 15 s)
#            npm run bench -- -m           (plus the 1,000,000-peer memory test)
#            npm run bench -- -u -r 5      (HTTP only, 5 rounds)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -x "$HARNESS/compare.sh" ] || { echo "benchmark harness not found at $HARNESS (set BENCH_HARNESS)" >&2; exit 2; }

missing=""
for p in opentracker wrk build-essential python3 curl; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
make -C "$HARNESS" -s
[ -d "$HARNESS/anchors/node_modules" ] || make -C "$HARNESS" -s anchors
(cd "$ROOT" && npm run --silent build)

TARGETS=$(mktemp /tmp/bench-targets.XXXXXX)
trap 'rm -f "$TARGETS"' EXIT
grep -v '^[[:space:]]*#' "$HARNESS/anchors/targets.conf" | grep -v '^[[:space:]]*$' > "$TARGETS"
# The tracker under test; the harness pins it to CPU 0 and exports $BENCH_RUN.
printf '%s\n' "nest-tracker | 26969 | http://127.0.0.1:27070/announce | cd $ROOT && TORRUST_TRACKER_CONFIG_TOML=\"\$(sed \"s#@RUN@#\$BENCH_RUN#\" scripts/bench/tracker.bench.toml)\" exec node --max-semi-space-size=4 dist/main.js" >> "$TARGETS"
exec "$HARNESS/compare.sh" -f "$TARGETS" -b opentracker "$@"
