# Shared by `bin/gantry demo` and `bin/gantry cluster`: Redis, node processes, readiness.
# Needs bin/lib/redis.sh, and gantry_command from bin/gantry.

# redis_reachable URL: true when a Redis answers PING at URL.
redis_reachable() {
  local url="$1"
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -u "$url" ping 2>/dev/null)" = PONG ]
    return
  fi
  local hostport="${url#*://}"
  hostport="${hostport#*@}"
  hostport="${hostport%%/*}"
  (exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}") 2>/dev/null
}

# ensure_gantry_redis DIR: exports GANTRY_REDIS_URL. Uses GANTRY_REDIS_URL when it answers, else the private
# redis-server under DIR (reused if still running, started with persistence otherwise; the port is kept in
# DIR/redis.port). Sets PRIVATE_REDIS_DIR when the private one is in use, so the caller can stop it.
PRIVATE_REDIS_DIR=""
ensure_gantry_redis() {
  local dir="$1" port
  if [ -n "${GANTRY_REDIS_URL:-}" ]; then
    if redis_reachable "$GANTRY_REDIS_URL"; then
      echo "using Redis at $GANTRY_REDIS_URL" >&2
      return 0
    fi
    echo "GANTRY_REDIS_URL=$GANTRY_REDIS_URL does not answer; starting a private redis-server instead" >&2
  fi
  if [ -f "$dir/redis.pid" ] && [ -f "$dir/redis.port" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null &&
    redis_reachable "redis://127.0.0.1:$(cat "$dir/redis.port")/0"; then
    export GANTRY_REDIS_URL="redis://127.0.0.1:$(cat "$dir/redis.port")/0"
    PRIVATE_REDIS_DIR="$dir"
    echo "using the private redis-server still running under $dir ($GANTRY_REDIS_URL)" >&2
    return 0
  fi
  install_redis_if_missing || return 1
  stop_private_redis "$dir"
  port=$(free_port)
  start_private_redis "$dir" "$port" yes || return 1
  echo "$port" >"$dir/redis.port"
  export GANTRY_REDIS_URL="redis://127.0.0.1:$port/0"
  PRIVATE_REDIS_DIR="$dir"
  echo "started a private redis-server on port $port (data under $dir)" >&2
}

# http_status URL [TOKEN]: prints the HTTP status code of a GET (000 when nothing answers).
http_status() {
  local url="$1" token="${2:-${GANTRY_AUTH_TOKEN:-}}"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' ${token:+-H "Authorization: Bearer $token"} "$url" 2>/dev/null ||
      true
    return
  fi
  python3 - "$url" "$token" <<'PY' 2>/dev/null || echo 000
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    req.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    print(urllib.request.urlopen(req, timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

# wait_ready HTTP_PORT PID LOG SECONDS: waits for GET /health/ready = 200, printing dots; on failure shows
# the log's tail and returns 1.
wait_ready() {
  local port="$1" pid="$2" log="$3" seconds="$4" i
  for ((i = 0; i < seconds * 2; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo >&2
      echo "the node exited during start-up; the end of $log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    if [ "$(http_status "http://127.0.0.1:$port/health/ready")" = 200 ]; then
      echo " ready" >&2
      return 0
    fi
    printf . >&2
    sleep 0.5
  done
  echo >&2
  echo "the node on HTTP port $port was not ready after $seconds s; the end of $log:" >&2
  tail -n 30 "$log" >&2
  return 1
}

# start_node LOG ARGS...: starts `gantry node ARGS` in the background, in its own session (so a Ctrl-C in this
# terminal reaches only what we decide), with the repository root as working directory (shell jobs of the
# examples use "workingDir": "."). Sets NODE_PID.
NODE_PID=""
start_node() {
  local log="$1"
  shift
  mkdir -p "$(dirname "$log")"
  local cmd
  gantry_command cmd node "$@"
  if command -v setsid >/dev/null 2>&1; then
    (cd "$GANTRY_HOME" && exec setsid "${cmd[@]}" >>"$log" 2>&1 </dev/null) &
  else
    (cd "$GANTRY_HOME" && exec nohup "${cmd[@]}" >>"$log" 2>&1 </dev/null) &
  fi
  NODE_PID=$!
}

# is_gantry_node PID: true when PID is alive and runs gantry (guards against recycled pids in pid files).
is_gantry_node() {
  kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'gantry'
}

# stop_node PID: SIGTERM (a graceful leave through CoordinatedShutdown), SIGKILL after 30 s.
stop_node() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "node $pid did not stop within 30 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

port_or_free() {
  if port_in_use "$1"; then free_port; else echo "$1"; fi
}
