#!/usr/bin/env bash
# Runs every benchmark behind docs/BENCHMARKS.md and updates the figures there:
#   1. GuardBenchmark (JMH, -prof gc): Beacon's Guard vs a bare resilience4j breaker, with and without metrics,
#      and the two side by side in one JVM (group sideBySide, one thread each): issue #15 goal 1's ratio;
#   2. OutboxDrainBenchmark: drain of a preloaded PostgreSQL outbox into a Redis stream (raw loop, Beacon, gruelbox),
#      then Beacon into a Redis Cluster (3 masters, the stream in CLUSTER_PARTITIONS partitions, default 6) beside
#      the same configuration on the single Redis;
#   3. LatencyBenchmark: commit → stream entry latency at ~1k messages/s, LISTEN/NOTIFY on and off;
#   4. HealthEndpointBenchmark under wrk (installed from Debian's packages when missing), one check hanging; the
#      server pinned to the last core and wrk to the others (taskset), a 10 s warm-up of each probe first, and a
#      JFR recording of the server whose GC pauses and CPU share are printed with the figures; the same probes
#      again from HealthLatencyTrace (a thread per connection), since a one-threaded wrk on a busy machine
#      measures its own waits too;
#   4b. JMH HealthRenderBenchmark (snapshot render, /health/ready handler), LedgerBenchmark (processing
#      ledger on H2), -prof gc (issue #15 goal 5), and SinkBenchmark (the drain's Redis step alone, one batch
#      through RedisStreamSink with and without de-duplication: goal 3's per-step measurement);
#   5. StuckJobRefreshBenchmark: OutboxMonitor.refresh() over 1M unpublished rows;
#   6. VerifyAlertsBenchmark (the checker in process) and the verify-alerts goal's own time in a real Maven build.
# Needs PostgreSQL (BEACON_PG_URL, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres) and Redis
# (BEACON_REDIS_URI, default redis://127.0.0.1:6379). Extra arguments go to the drain harness, e.g.
#   benchmarks/run.sh --messages 50000 --gruelbox-messages 5000     (quick run)
# Environment: SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar; SKIP_GUARD=1 / SKIP_DRAIN=1 / SKIP_LATENCY=1 /
# SKIP_HEALTH=1 / SKIP_MICRO=1 (the goal-5 JMH benchmarks) / SKIP_STUCK=1 / SKIP_VERIFY=1 skip a part (SKIP_CLUSTER=1 only the cluster drain rows,
# SKIP_SINGLE=1 only the single-Redis drain rows);
# LATENCY_SECONDS (default 30) per LISTEN/NOTIFY mode; JMH_ARGS overrides the guard benchmark's JMH options
# (default "-wi 3 -i 5 -f 1"); HEALTH_SECONDS (default 20) per wrk measurement.
# Each part also rewrites its line under "Issue #15 goals" in docs/BENCHMARKS.md (Beacon, baseline, ratio, load
# average, met / not met) and prints it; a part that is skipped leaves its last line as it was.
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

# Rewrites goal $1's line under "Issue #15 goals" with $2 (prefixed with the time) and prints it.
goal() {
  local line="- **Goal $1** ($(date -u +%Y-%m-%dT%H:%MZ)): $2"
  echo "$line" >&2
  printf '%s\n' "$line" | replace_section "<!-- goal-$1:begin (written by benchmarks/run.sh) -->" "<!-- goal-$1:end -->" "## Issue #15 goals"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# A markdown table of a JMH CSV (-rf csv, -prof gc): time, error, allocation per op; a parameter joins the name.
jmh_table() {
  awk -F',' '
    function unq(s) { gsub(/["\r]/, "", s); return s }
    NR > 1 {
      name = unq($1); score = unq($5); err = unq($6); unit = unq($7)
      # Every parameter column (one per parameter name of the whole run; empty when not this benchmark'"'"'s).
      param = ""; for (i = 8; i <= NF; i++) { v = unq($i); if (v != "") param = param (param == "" ? "" : ", ") v }
      m = name; sub(/.*Benchmark\./, "", m); if (param != "") m = m " (" param ")"
      if (m ~ /:gc\.alloc\.rate\.norm/) { sub(/:gc\.alloc\.rate\.norm/, "", m); alloc[m] = score; next }
      if (m ~ /:/ && m !~ /^sideBySide:sideBySide/) next
      order[++k] = m; t[m] = score; e[m] = err; u[m] = unit
    }
    END {
      print "| benchmark | time | ± (99.9 %) | allocated per op |"
      print "|---|---:|---:|---:|"
      for (i = 1; i <= k; i++) { m = order[i]
        printf "| %s | %.1f %s | %.1f | %s |\n", m, t[m], u[m], e[m], (m in alloc) ? sprintf("%.0f B", alloc[m]) : "–" }
    }' "$1"
}

# One value of a JMH CSV: the score (or with $3 = 6, its 99.9 % error) of benchmark (or benchmark:secondary) $2, or empty.
jmh_score() {
  awk -F',' -v want="$2" -v col="${3:-5}" 'NR > 1 { n = $1; gsub(/"/, "", n); sub(/.*Benchmark\./, "", n); if (n == want) { s = $col; gsub(/"/, "", s); print s; exit } }' "$1"
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
    jmh_table "$CSV"
    echo
    awk -v b="$(jmh_score "$CSV" beaconGuard)" -v r="$(jmh_score "$CSV" rawResilience4jBreaker)" \
        -v bm="$(jmh_score "$CSV" beaconGuardWithMetrics)" -v rm="$(jmh_score "$CSV" rawResilience4jBreakerWithMetrics)" \
        -v sb="$(jmh_score "$CSV" sideBySide:sideBySideBeaconGuard)" -v sr="$(jmh_score "$CSV" sideBySide:sideBySideRawResilience4jBreaker)" 'BEGIN {
      if (b != "" && r != "") printf "- beaconGuard / rawResilience4jBreaker (one after the other): %.2f× the time (%+.1f ns per call)\n", b / r, b - r
      if (bm != "" && rm != "") printf "- beaconGuardWithMetrics / rawResilience4jBreakerWithMetrics: %.2f× the time (%+.1f ns per call)\n", bm / rm, bm - rm
      if (sb != "" && sr != "") printf "- **side by side** (group sideBySide, one thread each, same load): guard %.1f ns vs bare breaker %.1f ns, %.2f×\n", sb, sr, sb / sr
    }'

    echo
  } | replace_section "<!-- guard-results:begin (written by benchmarks/run.sh) -->" "<!-- guard-results:end -->" "## Guard overhead (JMH)"
  SB="$(jmh_score "$CSV" sideBySide:sideBySideBeaconGuard)"; SR="$(jmh_score "$CSV" sideBySide:sideBySideRawResilience4jBreaker)"
  AB="$(awk -F',' 'NR > 1 && $1 ~ /GuardBenchmark\.beaconGuard:gc\.alloc\.rate\.norm"/ { gsub(/"/, "", $5); printf "%.0f", $5 }' "$CSV")"
  AR="$(awk -F',' 'NR > 1 && $1 ~ /GuardBenchmark\.rawResilience4jBreaker:gc\.alloc\.rate\.norm"/ { gsub(/"/, "", $5); printf "%.0f", $5 }' "$CSV")"
  EB="$(jmh_score "$CSV" sideBySide:sideBySideBeaconGuard 6)"; ER="$(jmh_score "$CSV" sideBySide:sideBySideRawResilience4jBreaker 6)"
  goal 1 "$(awk -v sb="$SB" -v sr="$SR" -v eb="$EB" -v er="$ER" -v ab="$AB" -v ar="$AR" -v l0="$START_LOAD" -v l1="$END_LOAD" 'BEGIN {
    if (sb == "" || sr == "") { print "guard: no side-by-side result (see the JMH output)"; exit }
    printf "guard ≤ 1.10× a bare resilience4j breaker, no allocation beyond it — Beacon %.1f ± %.1f ns, baseline %.1f ± %.1f ns (side by side, one JVM), **%.2f×**: %s; allocation %s B vs %s B per call: %s; load %s → %s",
      sb, eb, sr, er, sb / sr, (sb / sr <= 1.10) ? "met" : "not met", ab, ar, (ab != "" && ar != "" && ab + 0 <= ar + 0) ? "met" : "not met", l0, l1 }')"
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
  L0="$(load)"
  java -cp "$JAR" org.projectbeacon.benchmarks.OutboxDrainBenchmark --doc "$DOC" "$@"
  # Goal 3 from the table just written: the best Beacon row with de-duplication on against the best raw loop.
  goal 3 "$(awk -F'|' -v l0="$L0" -v l1="$(load)" '
      /drain-results:begin/ { on = 1 } /drain-results:end/ { on = 0 }
      on { gsub(/^ +| +$/, "", $2) }
      on && $2 ~ /raw loop/ && $5 + 0 > raw { raw = $5 + 0; rawName = $2 }
      on && $2 ~ /^Beacon,/ && $2 !~ /dedup OFF|diagnostic/ && $5 + 0 > beacon { beacon = $5 + 0; beaconName = $2 }
      on && $2 ~ /dedup OFF/ { off = $5 + 0; offName = $2 }
      END {
        if (!raw || !beacon) { print "drain: no raw or Beacon row in the table (run with --only raw,beacon)"; exit }
        printf "drain ≥ 0.90× the raw loop, de-duplication on, fenced leases kept — Beacon %.0f msg/s (%s), baseline %.0f msg/s (%s), **%.2f×**: %s", beacon, beaconName, raw, rawName, beacon / raw, beacon / raw >= 0.90 ? "met" : "not met"
        if (off) printf "; de-duplication off (diagnostic, %s) %.2f×", offName, off / raw
        printf "; load %s → %s", l0, l1
      }' "$DOC" | sed 's/  */ /g')"
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
  LAT_OUT="$(mktemp)"
  L0="$(load)"
  {
    header "java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.LatencyBenchmark $SECONDS_PER_MODE"
    # The publisher and the consumer run in this JVM: its recording shows where commit → stream waits.
    java -XX:StartFlightRecording=settings=profile,filename="$ROOT/benchmarks/target/latency.jfr" \
      -cp "$JAR" org.projectbeacon.benchmarks.LatencyBenchmark "$SECONDS_PER_MODE" | grep -v '^\[' | tee "$LAT_OUT"
    echo "- load average (1/5/15 min) at the end: $(load)"
    echo
    echo "Publisher + consumer JVM profile (JFR \`settings=profile\`, both modes; \`benchmarks/jfr-summary.sh benchmarks/target/latency.jfr\`):"
    echo
    "$ROOT/benchmarks/jfr-summary.sh" "$ROOT/benchmarks/target/latency.jfr"
    echo
  } | tee -a /dev/stderr | replace_section "<!-- latency-results:begin (written by benchmarks/run.sh) -->" "<!-- latency-results:end -->" "## Latency"
  # The goal-4 row: | on | messages | commit p50 | p99 | stream p50 | p99 | diff p50 | diff p99 | goal | result |
  goal 4 "$(awk -F'|' -v l0="$L0" -v l1="$(load)" '$2 ~ /^ on $/ && $3 ~ /^ [0-9]+ $/ {
      for (i = 2; i <= NF; i++) { gsub(/^ +| +$/, "", $i) }
      printf "commit → stream p99 − the producer'"'"'s own commit p99 ≤ 5 ms at 1k msg/s, LISTEN/NOTIFY on — Beacon (commit → stream) p50 %s, p99 %s; baseline (the producer'"'"'s INSERT + COMMIT) p50 %s, p99 %s; difference p50 %s, **p99 %s**: %s; load %s → %s",
        $6, $7, $4, $5, $8, $9, $11, l0, l1 }' "$LAT_OUT" | sed 's/  */ /g')"
  rm -f "$LAT_OUT"
fi

if [[ "${SKIP_HEALTH:-0}" != 1 ]]; then
  if ! command -v wrk >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
  if command -v wrk >/dev/null 2>&1; then
    OUT="$(mktemp)"
    JFR="$ROOT/benchmarks/target/health-server.jfr"
    HEALTH_SECONDS="${HEALTH_SECONDS:-20}"
    # The server on the last core, wrk on the others, so wrk's own CPU is not the server's: the figure then
    # measures the server (on a shared machine other processes still run on both). One core makes the JVM
    # pick the serial collector; the JFR recording shows its pauses.
    CORES="$(nproc)"
    if [[ "$CORES" -ge 2 ]] && command -v taskset >/dev/null 2>&1; then
      PIN_SERVER=(taskset -c "$((CORES - 1))"); PIN_WRK=(taskset -c "0-$((CORES - 2))"); WRK_THREADS=$((CORES - 1))
    else
      PIN_SERVER=(); PIN_WRK=(); WRK_THREADS=1
    fi
    "${PIN_SERVER[@]}" java -XX:StartFlightRecording=settings=default,filename="$JFR" \
      -cp "$JAR" org.projectbeacon.benchmarks.HealthEndpointBenchmark > "$OUT" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do grep -q '^port=' "$OUT" && break; sleep 0.1; done
    PORT="$(sed -n 's/^port=//p' "$OUT")"
    # Warm-up, not reported: the first seconds of a fresh JVM are class loading, C2 compiles of 100-860 ms
    # and young collections of 40 ms while the heap grows (docs/BENCHMARKS.md); a probe's steady state is what
    # the goal is about. The hanging check has also timed out once by its end.
    for probe in ready live; do
      "${PIN_WRK[@]}" wrk -t"$WRK_THREADS" -c10 -d10s "http://127.0.0.1:$PORT/health/$probe" > /dev/null 2>&1
    done
    ROWS="$(mktemp)"
    {
      header "wrk -t$WRK_THREADS -c<connections> -d${HEALTH_SECONDS}s --latency http://127.0.0.1:PORT/health/<probe> (server: HealthEndpointBenchmark${PIN_SERVER[*]:+, server: ${PIN_SERVER[*]}, wrk: ${PIN_WRK[*]}}; after a 10 s warm-up of each probe; then the trace client on wrk's cores: java -cp benchmarks/target/benchmarks.jar org.projectbeacon.benchmarks.HealthLatencyTrace PORT <connections> ${HEALTH_SECONDS} /health/<probe>)"
      echo
      echo "| probe | connections | goal | requests/s | p50 | p99 | max | load average (1 min) before → after | result |"
      echo "|---|---:|---|---:|---:|---:|---:|---|---|"
      # wrk, then the same probes from HealthLatencyTrace, one client thread per connection: on a busy machine
      # the one-threaded wrk gets one thread's share of its core, and its figures then include its own waits
      # (side by side on one warm server at load 22-27: wrk p99 72-171 ms, this client 2.3-2.8 ms).
      for tool in wrk trace; do
        for probe in ready live; do
          for conns in 10 50; do
            L0="$(cut -d' ' -f1 /proc/loadavg)"
            if [[ "$tool" == wrk ]]; then
              "${PIN_WRK[@]}" wrk -t"$WRK_THREADS" -c"$conns" -d"${HEALTH_SECONDS}s" --latency "http://127.0.0.1:$PORT/health/$probe" > "$OUT.run" 2>&1
            else
              "${PIN_WRK[@]}" java -cp "$JAR" org.projectbeacon.benchmarks.HealthLatencyTrace "$PORT" "$conns" "$HEALTH_SECONDS" "/health/$probe" > "$OUT.run" 2>&1
            fi
            L1="$(cut -d' ' -f1 /proc/loadavg)"
            awk -v tool="$tool" -v probe="$probe" -v conns="$conns" -v l0="$L0" -v l1="$L1" '
              function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
              tool == "wrk" && $1 == "50%" { p50 = ms($2) } tool == "wrk" && $1 == "99%" { p99 = ms($2) }
              tool == "wrk" && $1 == "Latency" && NF >= 5 { max = ms($4) } tool == "wrk" && $1 == "Requests/sec:" { rps = $2 }
              tool == "trace" && NR == 1 {
                for (i = 1; i <= NF; i++) { if ($i == "p50") p50 = $(i + 1); if ($i == "p99") p99 = $(i + 1); if ($i == "max") max = $(i + 1) }
                rps = $0; sub(/.*requests, /, "", rps); sub(/\/s.*/, "", rps)
              }
              END {
                goal = conns == 50 ? "p99 < 5 ms, ≥ 25k requests/s" : "p99 < 5 ms"
                ok = p99 + 0 < 5 && (conns != 50 || rps + 0 >= 25000)
                printf "| /health/%s%s | %d | %s | %.0f | %.2f ms | %.2f ms | %.1f ms | %s → %s | %s |\n", probe,
                  tool == "trace" ? " (trace client)" : "", conns, probe == "ready" ? goal : "– (baseline)", rps, p50, p99, max,
                  l0, l1, probe == "ready" ? (ok ? "met" : "not met") : "baseline"
                printf "%s%s %d %.0f %.2f %s\n", tool == "trace" ? "trace-" : "", probe, conns, rps, p99, ok ? "met" : "not_met" > "/dev/stderr"
              }' "$OUT.run" 2>> "$ROWS"
          done
        done
      done
      kill "$SERVER" 2>/dev/null || true
      # This block is a subshell (it feeds a pipe), which cannot wait for the server: poll until the JVM
      # has exited and written its recording.
      for _ in $(seq 1 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
      trap - EXIT
      echo
      # The server's own profile of the run: every GC pause and the CPU it got next to the machine's.
      if [[ -s "$JFR" ]]; then
        echo "Server profile (JFR \`settings=default\`, the whole run including the warm-up; \`benchmarks/jfr-summary.sh benchmarks/target/health-server.jfr\`):"
        echo
        "$ROOT/benchmarks/jfr-summary.sh" "$JFR" "$CORES"
        echo
      fi
    } | tee -a /dev/stderr | replace_section "<!-- health-results:begin (written by benchmarks/run.sh) -->" "<!-- health-results:end -->" "## Health endpoint under wrk"
    goal 2 "$(awk '{ rps[$1 $2] = $3; p99[$1 $2] = $4; res[$1 $2] = $5; sub(/_/, " ", res[$1 $2]) }
      END { printf "/health/ready p99 < 5 ms at 10 and 50 connections, ≥ 25k requests/s at 50 — Beacon p99 %.2f ms (10), %.2f ms and %.0f requests/s (50); baseline /health/live in the same server p99 %.2f ms (10), %.2f ms (50); ratio ready/live p99 %.2f× (10), %.2f× (50); %s at 10, %s at 50 (wrk); per-request trace client p99 %.2f ms (10), %.2f ms and %.0f requests/s (50), live %.2f / %.2f ms: %s at 10, %s at 50",
        p99["ready10"], p99["ready50"], rps["ready50"], p99["live10"], p99["live50"],
        (p99["live10"] > 0 ? p99["ready10"] / p99["live10"] : 0), (p99["live50"] > 0 ? p99["ready50"] / p99["live50"] : 0), res["ready10"], res["ready50"],
        p99["trace-ready10"], p99["trace-ready50"], rps["trace-ready50"], p99["trace-live10"], p99["trace-live50"], res["trace-ready10"], res["trace-ready50"] }' "$ROWS"); load (1/5/15 min) now $(load)"
    rm -f "$OUT" "$OUT.run" "$ROWS"
  else
    echo "wrk is not installed and could not be installed; skipping the health endpoint benchmark" >&2
  fi
fi

if [[ "${SKIP_MICRO:-0}" != 1 ]]; then
  CSV="$(mktemp)"
  L0="$(load)"
  # shellcheck disable=SC2086
  java -jar "$JAR" "HealthRenderBenchmark|LedgerBenchmark|SinkBenchmark" $JMH_ARGS -prof gc -rf csv -rff "$CSV" > "$ROOT/benchmarks/target/micro-benchmark.txt"
  {
    header "java -jar benchmarks/target/benchmarks.jar \"HealthRenderBenchmark|LedgerBenchmark|SinkBenchmark\" $JMH_ARGS -prof gc"
    echo "- load average (1/5/15 min) at the end: $(load)"
    echo
    jmh_table "$CSV"
    echo
  } | tee -a /dev/stderr | replace_section "<!-- micro-results:begin (written by benchmarks/run.sh) -->" "<!-- micro-results:end -->" "## Health render, processing ledger and Redis sink (JMH)"
  goal 5 "$(awk -F',' -v l0="$L0" -v l1="$(load)" '
      NR > 1 { n = $1; gsub(/"/, "", n); sub(/.*Benchmark\./, "", n); v = $5; gsub(/"/, "", v); u = $7; gsub(/"/, "", u); t[n] = sprintf("%.1f %s", v, u) }
      END { printf "JMH benchmarks for the health snapshot render and the processing ledger exist and ran — renderReport %s, readyHandler %s, ledger runOnceNewMessage %s, acquireDoneMessage %s (H2); no baseline (they are the baseline for the next regressions): met; load %s → %s",
        t["renderReport"], t["readyHandler"], t["runOnceNewMessage"], t["acquireDoneMessage"], l0, l1 }' "$CSV")"
  rm -f "$CSV"
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
