#!/usr/bin/env bash
# The runbook's drill suite (issue #17): every alert of examples/beacon-runner-example fires under its
# drill, on the example started from its built jar on PostgreSQL + Redis and scraped by a real
# Prometheus (Debian's /usr/bin/prometheus) with the UNMODIFIED alerts.yml as its rule file.
#
#   scripts/drills.sh            # about 18 minutes; writes docs/DRILLS.md
#
# What it does:
#   1. builds nothing: it needs examples/beacon-runner-example/target/beacon-runner-example-*.jar
#      (mvn -B -q package -DskipTests -pl examples/beacon-runner-example -am);
#   2. starts one runner per drill (two for the runner-pair drill), each on a PostgreSQL schema of its
#      own and a Redis database of its own (the pair on a redis-server of its own, which it stops),
#      and one Prometheus per drill (scrape and evaluation every 5 s), since the ratio alerts sum over
#      every runner a Prometheus scrapes;
#   3. submits 2 jobs a second to every runner (LoadGenerator --ids keeps every accepted id) and
#      checks a healthy period of 6 minutes: no alert pending or firing anywhere;
#   4. runs every drill at once: injects its fault, polls /api/v1/alerts until its alerts fire,
#      applies the runbook's fix, polls until they resolve, stops the load and reads every accepted
#      job back from the database (COMPLETED or FAILED, else lost);
#   5. writes docs/DRILLS.md (BEACON_DRILLS_OUT) and stops everything it started, by PID.
#
# Settings (environment): BEACON_PG_URL (JDBC, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# BEACON_DRILLS_PSQL (libpq URI of the same database, default postgresql://postgres@127.0.0.1:5432/test),
# BEACON_DRILLS_REDIS (host:port of the shared Redis, default 127.0.0.1:6379; databases 11 to 14 are used),
# BEACON_DRILLS_RUNNER_PORT (first runner port, default 18540), BEACON_DRILLS_PROM_PORT (first
# Prometheus port, default 9391), BEACON_DRILLS_REDIS_PORT (the pair's own redis-server, default 18570),
# BEACON_DRILLS_HEALTHY_SECONDS (default 360), BEACON_DRILLS_RATE (jobs a second per runner, default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$(ls "$ROOT"/examples/beacon-runner-example/target/beacon-runner-example-*-SNAPSHOT.jar 2>/dev/null | head -1 || true)
RULES=$ROOT/examples/beacon-runner-example/src/main/prometheus/alerts.yml
OUT=${BEACON_DRILLS_OUT:-$ROOT/docs/DRILLS.md}
PG_JDBC=${BEACON_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
PSQL_URI=${BEACON_DRILLS_PSQL:-postgresql://postgres@127.0.0.1:5432/test}
REDIS_HOSTPORT=${BEACON_DRILLS_REDIS:-127.0.0.1:6379}
RUNNER_PORT=${BEACON_DRILLS_RUNNER_PORT:-18540}
PROM_PORT=${BEACON_DRILLS_PROM_PORT:-9391}
OWN_REDIS_PORT=${BEACON_DRILLS_REDIS_PORT:-18570}
HEALTHY_SECONDS=${BEACON_DRILLS_HEALTHY_SECONDS:-360}
RATE=${BEACON_DRILLS_RATE:-2}
PROMETHEUS=${BEACON_DRILLS_PROMETHEUS:-/usr/bin/prometheus}
POLL=5

for tool in java curl jq psql redis-cli redis-server "$PROMETHEUS"; do
  command -v "$tool" >/dev/null || { echo "drills.sh: $tool is missing" >&2; exit 2; }
done
[[ -n "$JAR" && -f "$JAR" ]] || {
  echo "drills.sh: no runner jar; build it: mvn -B -q package -DskipTests -pl examples/beacon-runner-example -am" >&2
  exit 2
}

WORK=$(mktemp -d /tmp/beacon-drills.XXXXXX)
PIDS=$WORK/pids                      # every process this script started: "PID what" a line
TOKEN=drills-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
SCHEMA_PREFIX=drills17_
: >"$PIDS"
# The admin header in a file of its own (0600): curl reads it with -H @file, so `ps` never shows the token.
AUTH_HEADER=$WORK/auth.hdr
(umask 077; printf 'Authorization: Bearer %s\n' "$TOKEN" >"$AUTH_HEADER")

# The drills: name, runner port offset, Redis database (or "own"), the alerts they must fire, and the
# runbook's times (seconds to fire after the fault; what "resolved" takes after the fix).
DRILLS=(failures latency negotiation paused pair)
declare -A OFFSET=([failures]=0 [latency]=1 [negotiation]=2 [paused]=3 [pair]=4)
declare -A REDIS_DB=([failures]=11 [latency]=12 [negotiation]=13 [paused]=14 [pair]=own)
declare -A EXPECT=(
  [failures]="HighJobFailureRate"
  [latency]="HighHTTPLatency"
  [negotiation]="LowNegotiationSuccessRate"
  [paused]="JobsStuckInQueue JobsNotProcessed"
  [pair]="RunnerDown StreamConsumerStalled JobsRunningPastTheirLease")
declare -A FAULT=(
  [failures]='{"target":"provider","region":"*","failure_rate":1.0}'
  [latency]='{"target":"api","latency_ms":3000}'
  [negotiation]='{"target":"provider","region":"*","failure_rate":0.8}'
  [paused]='{"target":"publisher","paused":true}'
  [pair]='runner A: {"target":"provider","region":"*","latency_ms":5000}, 15 s later kill -9 A and redis-cli shutdown of the pair'"'"'s Redis')
declare -A FIX=(
  [failures]='DELETE /api/v1/admin/faults; POST /api/v1/admin/circuit-breakers/reset'
  [latency]='DELETE /api/v1/admin/faults'
  [negotiation]='DELETE /api/v1/admin/faults'
  [paused]='DELETE /api/v1/admin/faults; POST /api/v1/admin/outbox/publisher/restart'
  [pair]='start the Redis again; restart runner A (same --db, --redis, --port, token)')
declare -A DOC_FIRE=([HighJobFailureRate]=330 [HighHTTPLatency]=330 [LowNegotiationSuccessRate]=420
  [JobsStuckInQueue]=300 [JobsNotProcessed]=360 [RunnerDown]=60 [StreamConsumerStalled]=60
  [JobsRunningPastTheirLease]=150)
declare -A DOC_RESOLVE=([HighJobFailureRate]=270 [HighHTTPLatency]=300 [LowNegotiationSuccessRate]=190
  [JobsStuckInQueue]=30 [JobsNotProcessed]=30 [RunnerDown]=30 [StreamConsumerStalled]=30
  [JobsRunningPastTheirLease]=60)
SLACK=30                             # a scrape, an evaluation and the poll: 5 s each, with margin

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$WORK/drills.log" >&2; }

# kill_started SIGNAL PIDFILE: signals the process only if it is still the one this script started.
kill_started() {
  local pid what
  pid=$(cat "$2" 2>/dev/null) || return 0
  what=$(awk -v p="$pid" '$1 == p { sub(/^[^ ]+ /, ""); print; exit }' "$PIDS")
  [[ -n "$what" ]] && ours "$pid" "$what" && kill "$1" "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  log "stopping everything started (work directory $WORK)"
  if [[ -f "$PIDS" ]]; then
    while read -r pid what; do
      ours "$pid" "$what" && kill "$pid" 2>/dev/null || true
    done <"$PIDS"
    sleep 2
    while read -r pid what; do
      ours "$pid" "$what" && kill -9 "$pid" 2>/dev/null || true
    done <"$PIDS"
  fi
  for d in "${DRILLS[@]}"; do
    psql "$PSQL_URI" -qAtc "DROP SCHEMA IF EXISTS ${SCHEMA_PREFIX}$d CASCADE" >/dev/null 2>&1 || true
    local db=${REDIS_DB[$d]}
    if [[ "$db" != own ]]; then
      redis_keys "$db" | while read -r key; do redis-cli -h "${REDIS_HOSTPORT%:*}" -p "${REDIS_HOSTPORT#*:}" -n "$db" DEL "$key" >/dev/null; done || true
    fi
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Whether PID is still the process this script started (a PID of a process that ended may be reused).
# No "tr | grep -q" pipe: grep -q exits at the first match, tr dies of SIGPIPE and pipefail says false.
ours() {
  [[ -n "$1" && -r /proc/$1/cmdline ]] || return 1
  local cmdline
  cmdline=$(tr '\0' ' ' </proc/"$1"/cmdline 2>/dev/null) || return 1
  [[ "$cmdline" == *"$2"* ]]
}

# The example's keys in one database of the shared Redis: its stream and group, under "runner:".
redis_keys() {
  redis-cli -h "${REDIS_HOSTPORT%:*}" -p "${REDIS_HOSTPORT#*:}" -n "$1" --scan --pattern 'runner:*' 2>/dev/null
}

jdbc_url() {
  local schema=$1
  if [[ "$PG_JDBC" == *\?* ]]; then echo "$PG_JDBC&currentSchema=$schema"; else echo "$PG_JDBC?currentSchema=$schema"; fi
}

redis_uri() {
  local d=$1
  if [[ "${REDIS_DB[$d]}" == own ]]; then echo "redis://127.0.0.1:$OWN_REDIS_PORT"; else echo "redis://$REDIS_HOSTPORT/${REDIS_DB[$d]}"; fi
}

start_own_redis() {
  mkdir -p "$WORK/redis"
  redis-server --port "$OWN_REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" --appendonly no \
    >>"$WORK/redis.log" 2>&1 &
  echo "$! redis-server" >>"$PIDS"
  local i
  for i in $(seq 50); do
    redis-cli -p "$OWN_REDIS_PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "own redis-server on $OWN_REDIS_PORT did not start"; return 1
}

# start_runner NAME DRILL PORT: the jar with the drill's schema and Redis; PID in $WORK/pid-NAME.
start_runner() {
  local name=$1 d=$2 port=$3
  BEACON_ADMIN_TOKEN=$TOKEN java -Xmx192m -XX:+UseSerialGC -jar "$JAR" \
    --db "$(jdbc_url "${SCHEMA_PREFIX}$d")" --redis "$(redis_uri "$d")" --port "$port" \
    >>"$WORK/runner-$name.log" 2>&1 &
  local pid=$!
  echo "$pid beacon-runner-example" >>"$PIDS"
  echo "$pid" >"$WORK/pid-$name"
}

# wait_ready PORT [PID]: until the runner answers /health/live (180 s at most); fails early when PID ended.
wait_ready() {
  local port=$1 pid=${2:-} i
  for i in $(seq 180); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health/live" && return 0
    [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null && return 1
    sleep 1
  done
  log "runner on $port did not become live in 180 s"; return 1
}

# launch_runner NAME DRILL PORT: start_runner until it is live, 3 tries: on a loaded machine the first
# database connection may time out and the runner exits.
launch_runner() {
  local try
  for try in 1 2 3; do
    start_runner "$@"
    wait_ready "$3" "$(cat "$WORK/pid-$1")" && return 0
    log "runner $1 did not start (try $try): $(grep -m1 -i exception "$WORK/runner-$1.log" | cut -c1-160)"
    kill_started -TERM "$WORK/pid-$1"
    sleep 5
  done
  return 1
}

# start_prometheus DRILL PORT TARGET...: scrape and evaluation every 5 s, the unmodified rules.
start_prometheus() {
  local d=$1 port=$2; shift 2
  local targets dir=$WORK/prometheus-$d
  mkdir -p "$dir/data"
  targets=$(printf "'127.0.0.1:%s'," "$@"); targets=${targets%,}
  cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
rule_files:
  - $RULES
scrape_configs:
  - job_name: beacon-runner
    static_configs:
      - targets: [$targets]
EOF
  "$PROMETHEUS" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=2h >>"$dir/prometheus.log" 2>&1 &
  echo "$! prometheus" >>"$PIDS"
  local i
  for i in $(seq 60); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/-/ready" && return 0
    sleep 1
  done
  log "prometheus on $port did not become ready"; return 1
}

# The state of ALERTNAME in the Prometheus on PORT: firing, pending or none.
alert_state() {
  curl -s --max-time 4 "http://127.0.0.1:$1/api/v1/alerts" | jq -r --arg a "$2" \
    '[.data.alerts[] | select(.labels.alertname == $a) | .state]
     | if any(. == "firing") then "firing" elif length > 0 then "pending" else "none" end' 2>/dev/null || echo unknown
}

# Every alert pending or firing in the Prometheus on PORT, as "name:state" words.
active_alerts() {
  curl -s --max-time 4 "http://127.0.0.1:$1/api/v1/alerts" \
    | jq -r '.data.alerts[] | "\(.labels.alertname):\(.state)"' 2>/dev/null | sort -u | tr '\n' ' '
}

admin() {
  local port=$1 method=$2 path=$3 body=${4:-}
  curl -s --max-time 20 -o /dev/null -w '%{http_code}' -X "$method" -H @"$AUTH_HEADER" \
    ${body:+-d "$body"} "http://127.0.0.1:$port$path"
}

start_load() {
  local d=$1 port=$2 seconds=$3
  java -Xmx128m -XX:+UseSerialGC -cp "$JAR" org.projectbeacon.example.LoadGenerator --url "http://127.0.0.1:$port" \
    --rate "$RATE" --duration "${seconds}s" --ids "$WORK/ids-$d" >>"$WORK/load-$d.log" 2>&1 &
  local pid=$!
  echo "$pid LoadGenerator" >>"$PIDS"
  echo "$pid" >"$WORK/pid-load-$d"
}

# Jobs of the drill's accepted ids by final status: "accepted completed failed other missing".
job_counts() {
  local d=$1
  psql "$PSQL_URI" -qAt -F ' ' -c "SELECT id, status FROM ${SCHEMA_PREFIX}$d.runner_jobs" >"$WORK/jobs-$d" 2>>"$WORK/psql.log" || true
  awk 'NR == FNR { status[$1] = $2; next }
       { n++; s = status[$1]; if (s == "COMPLETED") c++; else if (s == "FAILED") f++; else if (s == "") m++; else o++ }
       END { printf "%d %d %d %d %d\n", n, c, f, o, m }' "$WORK/jobs-$d" "$WORK/ids-$d"
}

inject() {
  local d=$1 port=$2
  case $d in
    pair)
      admin "$port" POST /api/v1/admin/faults '{"target":"provider","region":"*","latency_ms":5000}' >/dev/null
      sleep 15 # runner A now holds jobs in hand
      kill_started -KILL "$WORK/pid-pair-a"
      redis-cli -p "$OWN_REDIS_PORT" shutdown save >/dev/null 2>&1 || true
      ;;
    *) admin "$port" POST /api/v1/admin/faults "${FAULT[$d]}" >/dev/null ;;
  esac
}

fix() {
  local d=$1 port=$2
  case $d in
    failures)
      admin "$port" DELETE /api/v1/admin/faults >/dev/null
      admin "$port" POST /api/v1/admin/circuit-breakers/reset >/dev/null ;;
    paused)
      admin "$port" DELETE /api/v1/admin/faults >/dev/null
      admin "$port" POST /api/v1/admin/outbox/publisher/restart >/dev/null ;;
    pair)
      start_own_redis
      launch_runner pair-a pair "$port" ;;
    *) admin "$port" DELETE /api/v1/admin/faults >/dev/null ;;
  esac
}

# One drill, start to end, in the background; its results go to $WORK/result-DRILL and jobs-DRILL.txt.
run_drill() {
  local d=$1 port=$((RUNNER_PORT + ${OFFSET[$1]})) prom=$((PROM_PORT + ${OFFSET[$1]}))
  local alerts=${EXPECT[$d]} a max_fire=0 also=""
  local -A fired=() resolved=()
  for a in $alerts; do (( ${DOC_FIRE[$a]} > max_fire )) && max_fire=${DOC_FIRE[$a]}; done
  local fault_port=$port
  [[ $d == pair ]] && fault_port=$((RUNNER_PORT + 5)) # runner A; the load goes to B
  log "$d: injecting ${FAULT[$d]}"
  inject "$d" "$fault_port"
  local t0=$SECONDS deadline=$((SECONDS + max_fire * 3 / 2 + 60))
  while (( SECONDS < deadline )); do
    local all=1
    for a in $alerts; do
      if [[ -z "${fired[$a]:-}" ]]; then
        if [[ $(alert_state "$prom" "$a") == firing ]]; then fired[$a]=$((SECONDS - t0)); log "$d: $a firing after ${fired[$a]} s"; else all=0; fi
      fi
    done
    for a in $(active_alerts "$prom"); do
      [[ $a == *:firing && " $alerts " != *" ${a%:*} "* && " $also " != *" ${a%:*} "* ]] && also="$also ${a%:*}"
    done
    (( all )) && break
    sleep "$POLL"
  done
  log "$d: applying the fix: ${FIX[$d]}"
  local t1=$SECONDS # from the start of the fix: a restarted runner's start-up counts
  fix "$d" "$fault_port"
  deadline=$((SECONDS + 600))
  while (( SECONDS < deadline )); do
    local all=1
    for a in $alerts; do
      if [[ -z "${resolved[$a]:-}" ]]; then
        if [[ $(alert_state "$prom" "$a") == none ]]; then resolved[$a]=$((SECONDS - t1)); log "$d: $a resolved ${resolved[$a]} s after the fix"; else all=0; fi
      fi
    done
    (( all )) && break
    sleep "$POLL"
  done
  kill_started -TERM "$WORK/pid-load-$d"
  # Read every accepted job back once none is in flight any more (bounded).
  local counts i
  for i in $(seq 36); do
    counts=$(job_counts "$d")
    read -r _ _ _ other missing <<<"$counts"
    (( other == 0 && missing == 0 )) && break
    sleep 5
  done
  log "$d: jobs accepted/completed/failed/unfinished/missing: $counts"
  echo "$counts" >"$WORK/jobs-$d.txt"
  : >"$WORK/result-$d"
  for a in $alerts; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "${fired[$a]:-}" "${DOC_FIRE[$a]}" "${resolved[$a]:-}" "${DOC_RESOLVE[$a]}" "${also# }" \
      >>"$WORK/result-$d"
  done
}

# --- start ------------------------------------------------------------------------------------------
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "work directory $WORK; jar $JAR"
for d in "${DRILLS[@]}"; do
  psql "$PSQL_URI" -qAtc "DROP SCHEMA IF EXISTS ${SCHEMA_PREFIX}$d CASCADE; CREATE SCHEMA ${SCHEMA_PREFIX}$d" >/dev/null
  if [[ "${REDIS_DB[$d]}" != own ]]; then
    redis_keys "${REDIS_DB[$d]}" | while read -r key; do redis-cli -h "${REDIS_HOSTPORT%:*}" -p "${REDIS_HOSTPORT#*:}" -n "${REDIS_DB[$d]}" DEL "$key" >/dev/null; done
  fi
done
start_own_redis
# One at a time: six JVMs starting at once on a busy machine time out on their first connection.
for d in failures latency negotiation paused; do
  launch_runner "$d" "$d" $((RUNNER_PORT + ${OFFSET[$d]}))
done
launch_runner pair-b pair $((RUNNER_PORT + 4))
launch_runner pair-a pair $((RUNNER_PORT + 5))
log "runners live on ports $RUNNER_PORT-$((RUNNER_PORT + 5))"
for d in failures latency negotiation paused; do
  start_prometheus "$d" $((PROM_PORT + ${OFFSET[$d]})) $((RUNNER_PORT + ${OFFSET[$d]}))
done
start_prometheus pair $((PROM_PORT + 4)) $((RUNNER_PORT + 4)) $((RUNNER_PORT + 5))
log "prometheus ready on ports $PROM_PORT-$((PROM_PORT + 4))"
for d in "${DRILLS[@]}"; do
  start_load "$d" $((RUNNER_PORT + ${OFFSET[$d]})) 3600
done

# --- healthy period ---------------------------------------------------------------------------------
log "healthy period: ${HEALTHY_SECONDS} s at $RATE jobs/s per runner"
HEALTHY_SEEN=""
healthy_end=$((SECONDS + HEALTHY_SECONDS))
while (( SECONDS < healthy_end )); do
  for d in "${DRILLS[@]}"; do
    for a in $(active_alerts $((PROM_PORT + ${OFFSET[$d]}))); do
      [[ " $HEALTHY_SEEN " == *" $d/$a "* ]] || { HEALTHY_SEEN="$HEALTHY_SEEN $d/$a"; log "healthy period: $d has $a"; }
    done
  done
  sleep 10
done
log "healthy period over: ${HEALTHY_SEEN:-no alert pending or firing}"

# --- drills, all at once ----------------------------------------------------------------------------
DRILL_PIDS=()
for d in "${DRILLS[@]}"; do
  run_drill "$d" &
  DRILL_PIDS+=($!)
  echo "$! drills.sh" >>"$PIDS"
done
for pid in "${DRILL_PIDS[@]}"; do wait "$pid" || log "a drill ended with status $?"; done
FINISHED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- report -----------------------------------------------------------------------------------------
verdict_fire() { [[ -n "$1" ]] && (( $1 <= $2 + SLACK )) && echo yes || { [[ -n "$1" ]] && echo late || echo "**no**"; }; }
{
  echo "# Drills: every alert under its drill"
  echo
  echo "Written by \`scripts/drills.sh\` on $FINISHED (started $STARTED): the example runner's jar on"
  echo "PostgreSQL (a schema per drill) and Redis (a database per drill; the runner pair on a redis-server"
  echo "of its own), one Prometheus $("$PROMETHEUS" --version 2>&1 | head -1 | awk '{print $3}') per drill scraping and evaluating every 5 s with the"
  echo "unmodified \`examples/beacon-runner-example/src/main/prometheus/alerts.yml\`, $RATE jobs a second per runner"
  echo "(\`LoadGenerator --rate $RATE\`) from start to the end of each drill. Times are measured by polling"
  echo "\`/api/v1/alerts\` every ${POLL} s: from the fault to \`firing\`, and from the runbook's fix to the alert gone."
  echo "\"Within\" allows ${SLACK} s over the runbook's time for a scrape, an evaluation and the poll."
  echo
  echo "## Healthy period"
  echo
  if [[ -z "$HEALTHY_SEEN" ]]; then
    echo "${HEALTHY_SECONDS} s on all $((${#DRILLS[@]} + 1)) runners: **0 alerts pending or firing**."
  else
    echo "${HEALTHY_SECONDS} s on all $((${#DRILLS[@]} + 1)) runners: alerts seen (drill/alert:state):$HEALTHY_SEEN."
  fi
  echo
  echo "## Alerts"
  echo
  echo "| alert | drill: fault | fired | seconds to fire (runbook) | fix | resolved, seconds after the fix (runbook) | other alerts firing during the drill |"
  echo "|---|---|---|---|---|---|---|"
  for d in "${DRILLS[@]}"; do
    [[ -f "$WORK/result-$d" ]] || { echo "| ${EXPECT[$d]} | $d | **drill did not finish** | | | | |"; continue; }
    while IFS=$'\t' read -r a fire doc_fire res doc_res also; do
      v=$(verdict_fire "$fire" "$doc_fire")
      echo "| \`$a\` | $d: \`${FAULT[$d]}\` | $v | ${fire:--} (${doc_fire}) | ${FIX[$d]} | $([[ -n "$res" ]] && echo "yes, $res" || echo "**no**") (${doc_res}) | ${also:--} |"
    done <"$WORK/result-$d"
  done
  echo
  echo "## Jobs"
  echo
  echo "Every id the load generator got a \`202\` for, read back from the drill's \`runner_jobs\` after the drill."
  echo
  echo "| drill | accepted | COMPLETED | FAILED | unfinished | missing | lost |"
  echo "|---|---|---|---|---|---|---|"
  for d in "${DRILLS[@]}"; do
    if [[ -f "$WORK/jobs-$d.txt" ]]; then
      read -r n c f o m <"$WORK/jobs-$d.txt"
      echo "| $d | $n | $c | $f | $o | $m | $((o + m)) |"
    else
      echo "| $d | - | - | - | - | - | not read |"
    fi
  done
  echo
  echo "FAILED is a final status (a job that kept failing under the fault, with its dead letter); lost"
  echo "counts the accepted jobs neither COMPLETED nor FAILED (or absent) 3 minutes after the drill's load stopped."
} >"$OUT"
log "wrote $OUT"
cat "$OUT"
