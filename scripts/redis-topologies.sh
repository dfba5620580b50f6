#!/usr/bin/env bash
# Starts and stops the Redis topologies the outbox's scale-out tests need, from Debian's redis-server,
# on ports and folders of their own (never the shared Redis on 6379):
#   - a Redis Cluster of 3 masters + 3 replicas on ports BASE..BASE+5 (default 7000..7005);
#   - a Sentinel set: 1 primary (SDATA, default 7100), 1 replica (SDATA+1) and 3 sentinels on
#     SPORT..SPORT+2 (default 26379..26381) watching master "mymaster".
# Usage:
#   scripts/redis-topologies.sh start [cluster|sentinel|all]   # waits until healthy, prints the export lines
#   scripts/redis-topologies.sh stop  [cluster|sentinel|all]   # stops by PID (pid files in the folder), deletes it
#   scripts/redis-topologies.sh env                            # prints the export lines only
# Environment: BEACON_TOPOLOGY_DIR (default /tmp/beacon-redis-topologies), BEACON_CLUSTER_BASE_PORT,
# BEACON_SENTINEL_DATA_PORT, BEACON_SENTINEL_PORT, BEACON_SENTINEL_MASTER (default mymaster). Tests that kill
# nodes call this script with ports and a folder of their own, so the shared topology stays as it is.
# Nothing is persisted: each server runs with save "" and appendonly no.
set -euo pipefail

DIR="${BEACON_TOPOLOGY_DIR:-/tmp/beacon-redis-topologies}"
BASE="${BEACON_CLUSTER_BASE_PORT:-7000}"
SDATA="${BEACON_SENTINEL_DATA_PORT:-7100}"
SPORT="${BEACON_SENTINEL_PORT:-26379}"
MASTER="${BEACON_SENTINEL_MASTER:-mymaster}"

log() { printf '[redis-topologies] %s\n' "$*" >&2; }

# Starts one redis-server (extra arguments appended) in $DIR/<name>, pid file there.
start_server() { # name port [args...]
  local name="$1" port="$2"; shift 2
  local d="$DIR/$name"
  mkdir -p "$d"
  if [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null; then return 0; fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$d" --save "" --appendonly no --daemonize yes \
    --pidfile "$d/pid" --logfile "$d/log" "$@"
}

wait_for() { # description command...
  local what="$1"; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not come up; logs under $DIR"; return 1
}

cluster_ok() { redis-cli -p "$BASE" cluster info | grep -q '^cluster_state:ok'; }
cluster_replicas_ok() { [ "$(redis-cli -p "$BASE" cluster nodes | grep -c 'slave')" -ge 3 ]; }
ping() { [ "$(redis-cli -p "$1" ping)" = PONG ]; }

start_cluster() {
  local ports=() p
  for i in 0 1 2 3 4 5; do
    p=$((BASE + i)); ports+=("127.0.0.1:$p")
    start_server "cluster-$p" "$p" --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout 2000 --cluster-replica-validity-factor 0
  done
  for i in 0 1 2 3 4 5; do wait_for "cluster node $((BASE + i))" ping $((BASE + i)); done
  if ! cluster_ok; then
    redis-cli --cluster create "${ports[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/cluster-create.log" 2>&1 \
      || { cat "$DIR/cluster-create.log" >&2; return 1; }
  fi
  wait_for "cluster state ok" cluster_ok
  wait_for "cluster replicas" cluster_replicas_ok
  log "cluster up on 127.0.0.1:$BASE..$((BASE + 5))"
}

sentinel_sees_master() {
  local s
  for i in 0 1 2; do
    s=$((SPORT + i))
    redis-cli -p "$s" sentinel get-master-addr-by-name "$MASTER" | grep -q 127.0.0.1 || return 1
    [ "$(redis-cli -p "$s" sentinel master "$MASTER" | grep -A1 '^num-other-sentinels$' | tail -1)" -ge 2 ] || return 1
  done
  [ "$(redis-cli -p "$SDATA" info replication | tr -d '\r' | grep '^connected_slaves:')" = "connected_slaves:1" ]
}

start_sentinel() {
  start_server "sentinel-data-$SDATA" "$SDATA"
  start_server "sentinel-data-$((SDATA + 1))" "$((SDATA + 1))" --replicaof 127.0.0.1 "$SDATA"
  local s d
  for i in 0 1 2; do
    s=$((SPORT + i)); d="$DIR/sentinel-$s"
    mkdir -p "$d"
    if [ ! -f "$d/sentinel.conf" ]; then
      # Sentinel rewrites its own configuration, so each one gets a file of its own.
      cat >"$d/sentinel.conf" <<EOF
port $s
bind 127.0.0.1
daemonize yes
pidfile $d/pid
logfile $d/log
dir $d
sentinel monitor $MASTER 127.0.0.1 $SDATA 2
sentinel down-after-milliseconds $MASTER 1000
sentinel failover-timeout $MASTER 5000
sentinel parallel-syncs $MASTER 1
EOF
    fi
    if ! { [ -f "$d/pid" ] && kill -0 "$(cat "$d/pid")" 2>/dev/null; }; then
      redis-server "$d/sentinel.conf" --sentinel
    fi
  done
  wait_for "sentinels watching $MASTER" sentinel_sees_master
  log "sentinel set up: primary 127.0.0.1:$SDATA, replica :$((SDATA + 1)), sentinels :$SPORT..$((SPORT + 2))"
}

stop_dirs() { # glob
  local d pid
  for d in $DIR/$1; do
    [ -d "$d" ] || continue
    if [ -f "$d/pid" ]; then
      pid="$(cat "$d/pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$d"
  done
}

print_env() {
  echo "export BEACON_REDIS_CLUSTER_URI=redis://127.0.0.1:$BASE"
  echo "export BEACON_REDIS_SENTINEL_URI=redis-sentinel://127.0.0.1:$SPORT,127.0.0.1:$((SPORT + 1)),127.0.0.1:$((SPORT + 2))#$MASTER"
}

command="${1:-}"; what="${2:-all}"
case "$command" in
  start)
    command -v redis-server >/dev/null || { log "redis-server is missing (Debian package redis-server)"; exit 1; }
    mkdir -p "$DIR"
    case "$what" in cluster) start_cluster ;; sentinel) start_sentinel ;; all) start_cluster; start_sentinel ;;
      *) log "unknown topology $what"; exit 2 ;; esac
    print_env ;;
  stop)
    case "$what" in cluster) stop_dirs 'cluster-*' ;; sentinel) stop_dirs 'sentinel-*' ;;
      all) stop_dirs 'sentinel-*'; stop_dirs 'cluster-*'; rm -f "$DIR/cluster-create.log"; rmdir "$DIR" 2>/dev/null || true ;;
      *) log "unknown topology $what"; exit 2 ;; esac ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop [cluster|sentinel|all] | env" >&2; exit 2 ;;
esac
