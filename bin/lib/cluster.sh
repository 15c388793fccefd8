# bin/gantry cluster start --nodes N | stop | status: a local cluster on loopback for trying failover by hand.
# Node i: cluster port 2550+i, HTTP port 8080+i; every node lists every node as a seed (so node 1 restarted
# alone joins the others instead of forming a second cluster); logs and pids under var/cluster/.
# Sourced by bin/gantry after redis.sh and nodes.sh.

CLUSTER_DIR="$GANTRY_HOME/var/cluster"

cluster_usage() {
  cat <<'USAGE'
usage: bin/gantry cluster start [--nodes N] | stop | status

  start --nodes N   start nodes 1..N (default 3) with every role: node i has cluster port 2550+i and
                    HTTP port 8080+i, every node a seed; Redis is GANTRY_REDIS_URL or a private
                    redis-server under var/cluster/redis; logs in var/cluster/node-i.log
  stop              stop every node (gracefully) and the private redis-server
  status            show each node's pid, ports and readiness
USAGE
}

cluster_node_pid() {
  local pidfile="$CLUSTER_DIR/node-$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  is_gantry_node "$pid" && echo "$pid"
}

cluster_start() {
  local nodes=3
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes="${2:-}"; shift ;;
      --nodes=*) nodes="${1#--nodes=}" ;;
      *) echo "gantry cluster start: unknown option '$1'" >&2; cluster_usage >&2; exit 2 ;;
    esac
    shift
  done
  if ! [[ "$nodes" =~ ^[0-9]+$ ]] || [ "$nodes" -lt 1 ] || [ "$nodes" -gt 9 ]; then
    echo "gantry cluster start: --nodes must be between 1 and 9" >&2
    exit 2
  fi
  mkdir -p "$CLUSTER_DIR"
  ensure_gantry_redis "$CLUSTER_DIR/redis" || exit 1
  echo "$GANTRY_REDIS_URL" >"$CLUSTER_DIR/redis.url"

  # Seeds: nodes 1..N and any other node of this cluster still running, so a node started again (say
  # `start --nodes 1` after node 1 died) joins the running ones.
  local i started=() seeds="" upto="$nodes" pidfile
  for pidfile in "$CLUSTER_DIR"/node-*.pid; do
    [ -f "$pidfile" ] || continue
    i="${pidfile##*/node-}"
    i="${i%.pid}"
    if [[ "$i" =~ ^[0-9]+$ ]] && [ "$i" -gt "$upto" ] && cluster_node_pid "$i" >/dev/null; then upto="$i"; fi
  done
  for ((i = 1; i <= upto; i++)); do
    seeds+="${seeds:+,}127.0.0.1:$((2550 + i))"
  done
  for ((i = 1; i <= nodes; i++)); do
    if cluster_node_pid "$i" >/dev/null; then
      echo "node $i is already running (pid $(cluster_node_pid "$i"))" >&2
      continue
    fi
    if port_in_use $((2550 + i)) || port_in_use $((8080 + i)); then
      echo "node $i: port $((2550 + i)) or $((8080 + i)) is taken by another program; not starting it" >&2
      continue
    fi
    start_node "$CLUSTER_DIR/node-$i.log" --roles orchestrator,worker,api --host 127.0.0.1 \
      --port $((2550 + i)) --http-port $((8080 + i)) --seeds "$seeds" --worker-id "node-$i" \
      --redis "$GANTRY_REDIS_URL"
    echo "$NODE_PID" >"$CLUSTER_DIR/node-$i.pid"
    started+=("$i")
    echo "node $i: pid $NODE_PID, cluster port $((2550 + i)), HTTP http://127.0.0.1:$((8080 + i))" >&2
  done

  local failed=0
  for i in "${started[@]}"; do
    printf "waiting for node %s" "$i" >&2
    wait_ready $((8080 + i)) "$(cat "$CLUSTER_DIR/node-$i.pid")" "$CLUSTER_DIR/node-$i.log" 90 || failed=1
  done
  cluster_status
  if [ "$failed" = 1 ]; then
    exit 1
  fi
  echo "try: GANTRY_URL=http://127.0.0.1:8081 bin/gantry submit examples/train-pipeline.json --wait" >&2
  echo "     kill a node with: kill \$(cat var/cluster/node-2.pid); stop them all with: bin/gantry cluster stop" >&2
}

cluster_stop() {
  local pidfile i pid
  for pidfile in "$CLUSTER_DIR"/node-*.pid; do
    [ -f "$pidfile" ] || continue
    i="${pidfile##*/node-}"
    i="${i%.pid}"
    pid=$(cat "$pidfile")
    if is_gantry_node "$pid"; then
      echo "stopping node $i (pid $pid)" >&2
      stop_node "$pid"
    fi
    rm -f "$pidfile"
  done
  if [ -f "$CLUSTER_DIR/redis/redis.pid" ]; then
    echo "stopping the private redis-server (its data stays under var/cluster/redis)" >&2
    stop_private_redis "$CLUSTER_DIR/redis"
  fi
  rm -f "$CLUSTER_DIR/redis.url"
}

cluster_status() {
  local pidfile i pid ready any=false
  for pidfile in "$CLUSTER_DIR"/node-*.pid; do
    [ -f "$pidfile" ] || continue
    [ "$any" = true ] || printf '%-6s %-8s %-16s %-24s %s\n' NODE PID CLUSTER HTTP STATE
    any=true
    i="${pidfile##*/node-}"
    i="${i%.pid}"
    pid=$(cat "$pidfile")
    if ! is_gantry_node "$pid"; then
      ready="stopped (see var/cluster/node-$i.log)"
    elif [ "$(http_status "http://127.0.0.1:$((8080 + i))/health/ready")" = 200 ]; then
      ready="ready"
    else
      ready="starting or not ready"
    fi
    printf '%-6s %-8s %-16s %-24s %s\n' "$i" "$pid" "127.0.0.1:$((2550 + i))" "http://127.0.0.1:$((8080 + i))" \
      "$ready"
  done
  if [ "$any" = false ]; then
    echo "no cluster nodes (start some with: bin/gantry cluster start --nodes 3)"
  fi
  if [ -f "$CLUSTER_DIR/redis.url" ]; then
    echo "redis: $(cat "$CLUSTER_DIR/redis.url")"
  fi
}

gantry_cluster() {
  local action="${1:-}"
  [ $# -gt 0 ] && shift
  case "$action" in
    start) cluster_start "$@" ;;
    stop) cluster_stop ;;
    status) cluster_status ;;
    -h | --help) cluster_usage ;;
    *) cluster_usage >&2; exit 2 ;;
  esac
}
