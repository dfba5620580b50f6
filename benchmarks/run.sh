#!/usr/bin/env bash
# Runs every benchmark behind docs/BENCHMARKS.md and updates the figures there:
#   1. GuardBenchmark (JMH, -prof gc): Beacon's Guard vs a bare resilience4j breaker, with and without metrics;
#   2. OutboxDrainBenchmark: drain of a preloaded PostgreSQL outbox into a Redis stream (raw loop, Beacon, gruelbox).
# Needs PostgreSQL (BEACON_PG_URL, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres) and Redis
# (BEACON_REDIS_URI, default redis://127.0.0.1:6379). Extra arguments go to the drain harness, e.g.
#   benchmarks/run.sh --messages 50000 --gruelbox-messages 5000     (quick run)
# Environment: SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar; SKIP_GUARD=1 / SKIP_DRAIN=1 skip a part;
# JMH_ARGS overrides the guard benchmark's JMH options (default "-wi 3 -i 5 -f 1").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DOC="$ROOT/docs/BENCHMARKS.md"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
JMH_ARGS="${JMH_ARGS:--wi 3 -i 5 -f 1}"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
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

if [[ "${SKIP_DRAIN:-0}" != 1 ]]; then
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
