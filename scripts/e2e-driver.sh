#!/usr/bin/env bash
# Runs the end-to-end chaos suite (RunnerE2eChaosIT: the example runner in JVMs of its own on
# PostgreSQL and a redis-server of the test's own, driven over HTTP while faults hit) and prints each
# scenario's row and where the runners' logs are. Extra arguments go to Maven, e.g.
#   scripts/e2e-driver.sh '-Dit.test=RunnerE2eChaosIT#baseline'
# Needs PostgreSQL on 127.0.0.1:5432 (BEACON_PG_URL) and /usr/bin/redis-server; never stops the shared Redis.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/examples/beacon-runner-example"
cd "$ROOT"
mvn -B verify -pl examples/beacon-runner-example -am -Dinvoker.skip=true -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=RunnerE2eChaosIT "$@"
status=$?
shopt -s nullglob
rows=("$MODULE"/target/reliability/e2e-*.md)
if (( ${#rows[@]} > 0 )); then
  echo "| scenario | sent | published | lost | duplicates | took | result | notes |"
  cat "${rows[@]}"
fi
echo "runner logs: $MODULE/target/e2e/ (scripts/reliability-report.sh puts the rows into docs/RELIABILITY.md)"
exit "$status"
