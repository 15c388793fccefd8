#!/usr/bin/env bash
# Benchmark of the Redis persistence plugin next to raw Lettuce (see docs/PERFORMANCE.md).
# Usage: bench/redis-persistence.sh [actors=100] [events-per-actor=1000] [paced-rate=10000] [paced-seconds=5]
# Uses GANTRY_REDIS_URL when set; otherwise starts a private redis-server (AOF everysec, noeviction).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/lib/redis.sh

if [ -z "${GANTRY_REDIS_URL:-}" ]; then
  install_redis_if_missing
  dir="$PWD/target/bench-redis"
  stop_private_redis "$dir"
  rm -f "$dir"/*.aof "$dir"/appendonlydir/* 2>/dev/null || true
  port=$(free_port)
  start_private_redis "$dir" "$port" yes
  trap 'stop_private_redis "$dir"' EXIT
  GANTRY_REDIS_URL="redis://127.0.0.1:$port/0"
fi

mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.gantry.bench.RedisPersistenceBench "$GANTRY_REDIS_URL" "$@"
