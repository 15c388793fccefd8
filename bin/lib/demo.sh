# bin/gantry demo [--no-wait] [--timeout SECONDS]: one node with every role, the example pipeline, live progress.
# Sourced by bin/gantry after redis.sh and nodes.sh.

DEMO_NODE_PID=""
DEMO_RC=130

demo_usage() {
  cat <<'USAGE'
usage: bin/gantry demo [--no-wait] [--timeout SECONDS]

Starts Redis (GANTRY_REDIS_URL, or a private redis-server under var/redis) and one Gantry node with every
role, submits examples/train-pipeline.json, shows its progress and the chosen model, then keeps the node
running until Ctrl-C.
  --no-wait          stop everything once the pipeline has finished; exit 0 only if it completed
  --timeout SECONDS  give up on the pipeline after SECONDS (default 600)
USAGE
}

demo_cleanup() {
  trap - EXIT INT TERM
  if [ -n "$DEMO_NODE_PID" ] && kill -0 "$DEMO_NODE_PID" 2>/dev/null; then
    echo "stopping the node..." >&2
    stop_node "$DEMO_NODE_PID"
  fi
  rm -f "$GANTRY_HOME/var/demo/node.pid"
  if [ -n "$PRIVATE_REDIS_DIR" ]; then
    echo "stopping the private redis-server (its data stays under ${PRIVATE_REDIS_DIR#"$GANTRY_HOME/"})" >&2
    stop_private_redis "$PRIVATE_REDIS_DIR"
  fi
}

# A node left by an interrupted demo would hold the ports and the Redis.
stop_previous_demo() {
  local pidfile="$1/node.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if is_gantry_node "$pid"; then
    echo "stopping the node of an earlier demo (pid $pid)" >&2
    stop_node "$pid"
  fi
  rm -f "$pidfile"
}

# Prints the chosen model and the report from the execution's job results.
demo_print_outcome() {
  local server="$1" id="$2"
  gantry_java status "$id" --server "$server" --json 2>/dev/null | python3 -c '
import json, sys
state = json.load(sys.stdin)
results = state.get("jobResults") or {}
best = (results.get("pick-best") or {}).get("output") or {}
report = (results.get("report") or {}).get("output") or {}
if best:
    print()
    print("chosen model: %s (job %s), accuracy %.4f" % (best.get("model"), best.get("bestJob"), best.get("accuracy", 0)))
    print("hyperparameters: " + ", ".join("%s=%s" % kv for kv in (best.get("hyperparameters") or {}).items()))
    for line in (report.get("report") or [])[2:]:
        print(line)
' || true
}

gantry_demo() {
  local no_wait=false timeout=600
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-wait) no_wait=true ;;
      --timeout | --timeout=*)
        if [ "$1" = --timeout ]; then
          timeout="${2:-}"
          shift
        else
          timeout="${1#--timeout=}"
        fi
        if ! [[ "$timeout" =~ ^[1-9][0-9]*$ ]]; then
          echo "gantry demo: --timeout needs a number of seconds" >&2
          exit 2
        fi
        ;;
      -h | --help)
        demo_usage
        exit 0
        ;;
      *)
        echo "gantry demo: unknown option '$1'" >&2
        demo_usage >&2
        exit 2
        ;;
    esac
    shift
  done
  # The example pipeline's jobs are python3 scripts (standard library only).
  install_debian_package_if_missing python3 python3 || exit 1

  local dir="$GANTRY_HOME/var/demo"
  mkdir -p "$dir"
  stop_previous_demo "$dir"
  trap demo_cleanup EXIT
  trap 'exit "$DEMO_RC"' INT TERM
  ensure_gantry_redis "$GANTRY_HOME/var/redis" || exit 1

  local http_port cluster_port
  http_port=$(port_or_free 8080)
  cluster_port=$(port_or_free 2551)
  echo "starting a Gantry node with every role (HTTP port $http_port, log var/demo/node.log)" >&2
  start_node "$dir/node.log" --roles orchestrator,worker,api --host 127.0.0.1 --port "$cluster_port" \
    --http-port "$http_port" --seeds "127.0.0.1:$cluster_port" --redis "$GANTRY_REDIS_URL"
  DEMO_NODE_PID=$NODE_PID
  echo "$NODE_PID" >"$dir/node.pid"
  printf "waiting for the node to be ready" >&2
  wait_ready "$http_port" "$NODE_PID" "$dir/node.log" 60 || exit 1

  local server="http://127.0.0.1:$http_port" id cmd rc=0
  id="train-pipeline-$(date +%Y%m%d-%H%M%S)"
  echo "submitting examples/train-pipeline.json; watch it drawn live at $server/ui/executions/$id" >&2
  gantry_command cmd submit "$GANTRY_HOME/examples/train-pipeline.json" --wait --id "$id" --server "$server"
  # --foreground: Ctrl-C still reaches the CLI, which then ends its progress line cleanly.
  timeout --foreground "$timeout" "${cmd[@]}" || rc=$?
  if [ "$rc" = 124 ]; then
    echo "the pipeline did not finish within $timeout s (bin/gantry demo --timeout SECONDS)" >&2
    rc=1
  fi
  DEMO_RC=$rc
  if [ "$rc" = 0 ]; then
    demo_print_outcome "$server" "$id"
  else
    echo "the pipeline did not complete; details: bin/gantry status $id --server $server" >&2
  fi
  cat <<INFO

run page:   $server/ui/executions/$id  (the pipeline's DAG, live)
dashboard:  $server/
HTTP API:   $server  (e.g. curl $server/execute/$id/status)
CLI:        GANTRY_URL=$server bin/gantry list
node log:   var/demo/node.log
INFO
  if [ "$no_wait" = true ]; then
    exit "$rc"
  fi
  echo "Gantry keeps running; Ctrl-C stops the node and the Redis the demo started." >&2
  wait "$DEMO_NODE_PID" || true
  echo "the node stopped by itself; the end of var/demo/node.log:" >&2
  tail -n 20 "$dir/node.log" >&2
  DEMO_NODE_PID=""
  exit 1
}
