#!/usr/bin/env bash
# Runs the black-box tests (tests/api or tests/e2e) against a real `ronghe serve` on a
# fresh demo database and a free loopback port. The server is stopped with SIGTERM at
# the end; a server that does not stop cleanly fails the run.
set -euo pipefail
suite=${1:?usage: run-node.sh api|e2e [FILE.test.mjs ...]}
shift
# Named files (relative to tests/SUITE/) run alone; by default the whole suite.
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/ronghe-test.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

export RONGHE_BIN="${RONGHE_BIN:-$here/ronghe}" # another build (a sanitizer one, say) may be named
export RONGHE_PASSWORD="test-pass-$RANDOM$RANDOM"
export RONGHE_DB="$work/demo.db"
"$RONGHE_BIN" demo --db "$RONGHE_DB" --password "$RONGHE_PASSWORD" >/dev/null

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export RONGHE_URL="http://127.0.0.1:$port"
"$RONGHE_BIN" serve --db "$RONGHE_DB" --listen "127.0.0.1:$port" 2>"$work/server.log" &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "$RONGHE_URL/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.05
done
export RONGHE_SCREENSHOT_DIR="${RONGHE_SCREENSHOT_DIR:-$here/build/screenshots}"
mkdir -p "$RONGHE_SCREENSHOT_DIR"

status=0
targets=("$here/tests/$suite/")
if [ $# -gt 0 ]; then targets=(); for f in "$@"; do targets+=("$here/tests/$suite/$f"); done; fi
NODE_PATH="$here/tests/node_modules" node --test --test-concurrency=1 "${targets[@]}" || status=$?

kill -TERM "$pid"
if ! wait "$pid"; then
  echo "ronghe serve did not stop cleanly on SIGTERM" >&2
  cat "$work/server.log" >&2
  status=1
fi
exit $status
