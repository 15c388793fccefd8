# Shared by bin/test and bin/gantry: make sure a Redis is reachable.

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# install_debian_package_if_missing COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is absent (as root).
install_debian_package_if_missing() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != "0" ]; then
    echo "$1 is not installed and we are not root: install Debian's $2 package" >&2
    return 1
  fi
  echo "installing Debian's $2 package ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null; } || {
    echo "could not install $2" >&2; return 1; }
}

install_redis_if_missing() {
  command -v redis-server >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != "0" ]; then
    echo "redis-server is not installed and we are not root: install Debian's redis-server package, or set GANTRY_REDIS_URL" >&2
    return 1
  fi
  echo "installing Debian's redis-server package ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q redis-server >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q redis-server >/dev/null; } || {
    echo "could not install redis-server" >&2; return 1; }
  # Debian's package starts a system-wide instance; we only ever use private ones.
  (command -v systemctl >/dev/null 2>&1 && systemctl stop redis-server >/dev/null 2>&1) || true
  return 0
}

# start_private_redis DIR PORT PERSIST(yes|no)
start_private_redis() {
  local dir="$1" port="$2" persist="$3"
  mkdir -p "$dir"
  local args=(--daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir"
              --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --maxmemory-policy noeviction)
  if [ "$persist" = yes ]; then args+=(--appendonly yes --appendfsync everysec); else args+=(--save "" --appendonly no); fi
  redis-server "${args[@]}" || return 1
  local i
  for i in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server did not answer on port $port (see $dir/redis.log)" >&2
  return 1
}

stop_private_redis() {
  local dir="$1"
  [ -f "$dir/redis.pid" ] || return 0
  local pid; pid=$(cat "$dir/redis.pid" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/redis.pid"
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 20000 ))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}
