#!/usr/bin/env bash
# `npm test` with CPU-bound busy processes beside it (two by default: as many as this project's 2-core CI has
# cores), so anyone can check that no test depends on the machine's speed. The busy processes are stopped
# however the run ends; the exit code is npm test's. Usage: scripts/test-under-load.sh [vitest args…]
# LOAD_PROCESSES=N changes the number of busy processes.
set -u
cd "$(dirname "$0")/.."
busy=()
stop_busy() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null; done
}
trap stop_busy EXIT
trap 'exit 130' INT TERM
for _ in $(seq "${LOAD_PROCESSES:-2}"); do
  node -e 'for (;;) {}' &
  busy+=("$!")
done
echo "test-under-load: ${#busy[@]} busy processes (pids ${busy[*]}) beside npm test" >&2
start=$(date +%s)
npm test -- "$@"
code=$?
echo "test-under-load: npm test exited $code after $(( $(date +%s) - start )) s" >&2
exit "$code"
