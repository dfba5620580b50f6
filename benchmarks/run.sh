#!/usr/bin/env bash
# Runs every benchmark behind docs/BENCHMARKS.md and updates the figures there:
#   1. GuardBenchmark (JMH, -prof gc): Beacon's Guard vs a bare resilience4j breaker, with and without metrics;
#   2. OutboxDrainBenchmark: drain of a preloaded PostgreSQL outbox into a Redis stream (raw loop, Beacon, gruelbox),
#      then Beacon into a Redis Cluster (3 masters, the stream in CLUSTER_PARTITIONS partitions, default 6) beside
#      the same configuration on the single Redis;
#   3. LatencyBenchmark: commit → stream entry latency at ~1k messages/s, LISTEN/NOTIFY on and off;
#   4. HealthEndpointBenchmark under wrk (installed from Debian's packages when missing), one check hanging;
#   5. StuckJobRefreshBenchmark: OutboxMonitor.refresh() over 1M unpublished rows;
#   6. VerifyAlertsBenchmark (the checker in process) and the verify-alerts goal's own time in a real Maven build.
# Needs PostgreSQL (BEACON_PG_URL, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres) and Redis
# (BEACON_REDIS_URI, default redis://127.0.0.1:6379). Extra arguments go to the drain harness, e.g.
#   benchmarks/run.sh --messages 50000 --gruelbox-messages 5000     (quick run)
# Environment: SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar; SKIP_GUARD=1 / SKIP_DRAIN=1 / SKIP_LATENCY=1 /
# SKIP_HEALTH=1 / SKIP_STUCK=1 / SKIP_VERIFY=1 skip a part (SKIP_CLUSTER=1 only the cluster drain rows,
# SKIP_SINGLE=1 only the single-Redis drain rows);
# LATENCY_SECONDS (default 30) per LISTEN/NOTIFY mode; JMH_ARGS overrides the guard benchmark's JMH options
# (default "-wi 3 -i 5 -f 1").
# Cluster rows: BEACON_REDIS_CLUSTER_URI (a seed, redis://host:port or redis+cluster://...) when a cluster is
# running; unset, scripts/redis-topologies.sh starts one (3 masters + 3 replicas) for the run and stops it after,
# with its own variables passed through: BEACON_TOPOLOGY_DIR, BEACON_CLUSTER_BASE_PORT, BEACON_SENTINEL_DATA_PORT,
# BEACON_SENTINEL_PORT (defaults: the script's, /tmp/beacon-redis-topologies and 7000/7100/26379; set them when
# another cluster, e.g. a CI run's, uses the defaults).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DOC="$ROOT/docs/BENCHMARKS.md"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JMH_ARGS="${JMH_ARGS:--wi 3 -i 5 -f 1}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests -Dinvoker.skip=true
fi

machine() {
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/{print $2}') GiB RAM"
  echo "- java: $(java -version 2>&1 | head -1)"
}

# Replaces the text between two marker lines of $DOC (appending the section if missing) with stdin.
replace_section() {
  local begin="$1" end="$2" heading="$3" body
  body="$(cat)"
  [[ -f "$DOC" ]] || printf '# Benchmarks\n' > "$DOC"
  if ! grep -qF "$begin" "$DOC"; then
    printf '\n%s\n\n%s\n%s\n' "$heading" "$begin" "$end" >> "$DOC"
  fi
  BODY="$body" BEGIN="$begin" END="$end" awk '
    index($0, ENVIRON["BEGIN"]) == 1 { print; print ENVIRON["BODY"]; skip = 1; next }
    index($0, ENVIRON["END"]) == 1 { skip = 0 }
    !skip { print }' "$DOC" > "$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
}

if [[ "${SKIP_GUARD:-0}" != 1 ]]; then
  CSV="$(mktemp)"
  START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  java -jar "$JAR" GuardBenchmark $JMH_ARGS -prof gc -rf csv -rff "$CSV" | tee "$ROOT/benchmarks/target/guard-benchmark.txt"
  END_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
  {
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    machine
    echo "- load average (1/5/15 min) before → after: $START_LOAD → $END_LOAD"
    echo "- command: \`java -jar benchmarks/target/benchmarks.jar GuardBenchmark $JMH_ARGS -prof gc\`"
    echo
    awk -F',' '
      function unq(s) { gsub(/["\r]/, "", s); return s }
      NR > 1 {
        name = unq($1); score = unq($5); err = unq($6); unit = unq($7)
        m = name; sub(/.*GuardBenchmark\./, "", m)
        if (m ~ /:gc\.alloc\.rate\.norm$/) { split(m, q, ":"); alloc[q[1]] = score; next }
        if (name ~ /:/) next
        order[++k] = m; t[m] = score; e[m] = err; u[m] = unit
      }
      END {
        print "| benchmark | time | ± (99.9 %) | allocated per op |"
        print "|---|---:|---:|---:|"
        for (i = 1; i <= k; i++) { m = order[i]
          printf "| %s | %.1f %s | %.1f | %s B |\n", m, t[m], u[m], e[m], (m in alloc) ? sprintf("%.0f", alloc[m]) : "?" }
        print ""
        if (("beaconGuard" in t) && ("rawResilience4jBreaker" in t))
          printf "- beaconGuard / rawResilience4jBreaker: %.2f× the time (%+.1f ns per call)\n", t["beaconGuard"] / t["rawResilience4jBreaker"], t["beaconGuard"] - t["rawResilience4jBreaker"]
        if (("beaconGuardWithMetrics" in t) && ("rawResilience4jBreakerWithMetrics" in t))
          printf "- beaconGuardWithMetrics / rawResilience4jBreakerWithMetrics: %.2f× the time (%+.1f ns per call)\n", t["beaconGuardWithMetrics"] / t["rawResilience4jBreakerWithMetrics"], t["beaconGuardWithMetrics"] - t["rawResilience4jBreakerWithMetrics"]
      }' "$CSV"
    echo
  } | replace_section "<!-- guard-results:begin (written by benchmarks/run.sh) -->" "<!-- guard-results:end -->" "## Guard overhead (JMH)"
  rm -f "$CSV"
fi

if [[ "${SKIP_DRAIN:-0}" != 1 && "${SKIP_SINGLE:-0}" != 1 ]]; then
  {
    echo
    echo "Environment of the last drain run (started $(date -u +%Y-%m-%dT%H:%M:%SZ), load average at start $(cut -d' ' -f1-3 /proc/loadavg)):"
    echo
    machine
    echo "- PostgreSQL: $(psql "${BEACON_PG_PSQL:-postgresql://postgres@127.0.0.1:5432/test}" -tAc 'select version()' 2>/dev/null | cut -d, -f1 || echo unknown)"
    echo "- Redis: $(redis-cli -u "${BEACON_REDIS_URI:-redis://127.0.0.1:6379}" info server 2>/dev/null | awk -F: '/^redis_version/{print $2}' | tr -d '\r' || echo unknown)"
    echo
  } | replace_section "<!-- drain-env:begin (written by benchmarks/run.sh) -->" "<!-- drain-env:end -->" "## Outbox drain"
  java -cp "$JAR" org.projectbeacon.benchmarks.OutboxDrainBenchmark --doc "$DOC" "$@"
fi

if [[ "${SKIP_DRAIN:-0}" != 1 && "${SKIP_CLUSTER:-0}" != 1 ]]; then
  # The script's own defaults, spelled out so that what is started is also what is stopped.
  export BEACON_TOPOLOGY_DIR="${BEACON_TOPOLOGY_DIR:-/tmp/beacon-redis-topologies}"
  export BEACON_CLUSTER_BASE_PORT="${BEACON_CLUSTER_BASE_PORT:-7000}"
  export BEACON_SENTINEL_DATA_PORT="${BEACON_SENTINEL_DATA_PORT:-7100}"
  export BEACON_SENTINEL_PORT="${BEACON_SENTINEL_PORT:-26379}"
  CLUSTER_URI="${BEACON_REDIS_CLUSTER_URI:-}"
  STARTED_CLUSTER=0
  stop_cluster() { [[ "$STARTED_CLUSTER" == 1 ]] && "$ROOT/scripts/redis-topologies.sh" stop cluster || true; }
  if [[ -z "$CLUSTER_URI" ]]; then
    STARTED_CLUSTER=1
    trap stop_cluster EXIT
    CLUSTER_URI="$("$ROOT/scripts/redis-topologies.sh" start cluster | sed -n 's/^export BEACON_REDIS_CLUSTER_URI=//p')"
  fi
  # "$@" first: a later --only / --cluster / --partitions wins in the harness.
  java -cp "$JAR" org.projectbeacon.benchmarks.OutboxDrainBenchmark --doc "$DOC" "$@" --only cluster \
    --cluster "$CLUSTER_URI" --partitions "${CLUSTER_PARTITIONS:-6}"
  stop_cluster
  STARTED_CLUSTER=0
  trap - EXIT
fi

# Prints the heading lines of a section: date, machine, load, command.
header() {
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  machine
  echo "- load average (1/5/15 min) at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- command: \`$1\`"
}

if [[ "${SKIP_LATENCY:-0}" != 1 ]]; then
  SECONDS_PER_MODE="${LATENCY_SECONDS:-30}"
  {
    header "java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.LatencyBenchmark $SECONDS_PER_MODE"
    java -cp "$JAR" org.projectbeacon.benchmarks.LatencyBenchmark "$SECONDS_PER_MODE"
  } | tee -a /dev/stderr | replace_section "<!-- latency-results:begin (written by benchmarks/run.sh) -->" "<!-- latency-results:end -->" "## Latency"
fi

if [[ "${SKIP_HEALTH:-0}" != 1 ]]; then
  if ! command -v wrk >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
  if command -v wrk >/dev/null 2>&1; then
    OUT="$(mktemp)"
    java -cp "$JAR" org.projectbeacon.benchmarks.HealthEndpointBenchmark > "$OUT" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do grep -q '^port=' "$OUT" && break; sleep 0.1; done
    PORT="$(sed -n 's/^port=//p' "$OUT")"
    sleep 2 # the hanging check has timed out once by now
    {
      header "wrk -t2 -c<connections> -d20s --latency http://127.0.0.1:PORT/health/<probe> (server: HealthEndpointBenchmark)"
      echo
      echo "| probe | connections | goal | requests/s | p50 | p99 | result |"
      echo "|---|---:|---|---:|---:|---:|---|"
      for probe in ready live; do
        for conns in 10 50; do
          wrk -t2 -c"$conns" -d20s --latency "http://127.0.0.1:$PORT/health/$probe" > "$OUT.wrk" 2>&1
          awk -v probe="/health/$probe" -v conns="$conns" '
            function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
            $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
            END { printf "| %s | %d | ≥ 20k requests/s, p99 < 5 ms | %.0f | %.2f ms | %.2f ms | %s |\n", probe, conns, rps, p50, p99,
                  (rps >= 20000 && p99 < 5) ? "met" : "not met" }' "$OUT.wrk"
        done
      done
      echo
    } | tee -a /dev/stderr | replace_section "<!-- health-results:begin (written by benchmarks/run.sh) -->" "<!-- health-results:end -->" "## Health endpoint under wrk"
    kill "$SERVER" 2>/dev/null || true
    rm -f "$OUT" "$OUT.wrk"
  else
    echo "wrk is not installed and could not be installed; skipping the health endpoint benchmark" >&2
  fi
fi

if [[ "${SKIP_STUCK:-0}" != 1 ]]; then
  {
    header "java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.StuckJobRefreshBenchmark 1000000"
    java -cp "$JAR" org.projectbeacon.benchmarks.StuckJobRefreshBenchmark 1000000 | grep -v '^  preloaded'
  } | tee -a /dev/stderr | replace_section "<!-- stuck-results:begin (written by benchmarks/run.sh) -->" "<!-- stuck-results:end -->" "## Stuck-job refresh"
fi

if [[ "${SKIP_VERIFY:-0}" != 1 ]]; then
  LOG="$(mktemp)"
  # The goal's own time inside a real build of the example (the plugin comes from the same reactor):
  # Maven logs a timestamped line when each mojo starts; the next line that starts a mojo or ends
  # the project closes it.
  mvn -B -pl examples/beacon-runner-example -am verify -DskipTests -Dinvoker.skip=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS > "$LOG" 2>&1
  MOJO_MS="$(awk '
    function t(s) { split(s, a, ":"); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 }
    started && ($0 ~ /--- / || $0 ~ /Reactor Summary/ || $0 ~ /BUILD/) { printf "%.0f", t($1) - t(start); exit }
    /--- beacon-maven-plugin:.*:verify-alerts/ && /beacon-runner-example/ { start = $1; started = 1 }' "$LOG")"
  {
    header "java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.VerifyAlertsBenchmark ../shared/corpus"
    java -cp "$JAR" org.projectbeacon.benchmarks.VerifyAlertsBenchmark "${CORPUS:-../shared/corpus}"
    echo "The goal inside a real Maven build of the example (\`mvn -B -pl examples/beacon-runner-example -am verify -DskipTests\`,"
    echo "from Maven's timestamp of the \`verify-alerts\` mojo to the next): **${MOJO_MS:-?} ms** (goal ≤ 3 s:"
    echo "$([[ -n "$MOJO_MS" && "$MOJO_MS" -le 3000 ]] && echo met || echo "not met or not measured")). Maven's own start-up and the build before the goal are not counted."
    echo
  } | tee -a /dev/stderr | replace_section "<!-- verify-results:begin (written by benchmarks/run.sh) -->" "<!-- verify-results:end -->" "## verify-alerts"
  rm -f "$LOG"
fi
