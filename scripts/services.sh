#!/usr/bin/env bash
# Starts and stops the project's own Neo4j Community (embedded, Bolt on loopback) and Redis.
#   scripts/services.sh up   [dev|test]   start what is not running, wait until both answer
#   scripts/services.sh down [dev|test]   stop exactly what `up` started (by pid)
#   scripts/services.sh env  [dev|test]   print the environment that points at them
# When NEO4J_URI (or REDIS_URL) is already set, that server is used and nothing is started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
action=${1:-up}
profile=${2:-${TAHALUF_PROFILE:-dev}}

case "$profile" in
  dev)  neo4j_port=${TAHALUF_NEO4J_PORT:-7687}; redis_port=${TAHALUF_REDIS_PORT:-6379}
        heap=${TAHALUF_NEO4J_HEAP:-4g}; pagecache_mb=4096; txmax_mb=4096 ;;
  test) neo4j_port=${TAHALUF_NEO4J_PORT:-7688}; redis_port=${TAHALUF_REDIS_PORT:-6380}
        heap=${TAHALUF_NEO4J_HEAP:-2g}; pagecache_mb=1024; txmax_mb=1536 ;;
  *) echo "unknown profile '$profile' (dev or test)" >&2; exit 2 ;;
esac
password=${NEO4J_PASSWORD:-tahaluf-dev-password}
var="$root/var/$profile"
cache="$root/.cache/neo4j"
mkdir -p "$var"

say() { printf '[services:%s] %s\n' "$profile" "$*"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_neo4j() {
  if [ "$(ls "$cache/lib" 2>/dev/null | wc -l)" -lt 200 ]; then
    say "fetching Neo4j Community 5.26 jars from Maven Central (once) ..."
    mkdir -p "$cache/lib"
    (cd services/neo4j && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$cache/lib") \
      || { say "could not fetch the Neo4j jars with Maven"; exit 1; }
  fi
  if [ ! -f "$cache/classes/Launcher.class" ] || [ services/neo4j/Launcher.java -nt "$cache/classes/Launcher.class" ]; then
    mkdir -p "$cache/classes"
    javac -d "$cache/classes" -cp "$cache/lib/*" services/neo4j/Launcher.java
  fi
}

start_neo4j() {
  if [ -n "${NEO4J_URI:-}" ]; then say "NEO4J_URI is set ($NEO4J_URI): not starting Neo4j"; return; fi
  local pidf="$var/neo4j.pid"
  if alive "$pidf"; then say "neo4j already running (pid $(cat "$pidf"))"; return; fi
  if port_open "$neo4j_port"; then say "port $neo4j_port is taken by another process"; exit 1; fi
  command -v java >/dev/null || { say "java (17+) is needed for Neo4j"; exit 1; }
  fetch_neo4j
  say "starting neo4j on bolt://127.0.0.1:$neo4j_port (data in var/$profile/neo4j)"
  nohup java -Xms512m -Xmx"$heap" -XX:+UseG1GC -cp "$cache/lib/*:$cache/classes" Launcher \
    "$var/neo4j" "$neo4j_port" "$password" "$pagecache_mb" "$txmax_mb" \
    >"$var/neo4j.log" 2>&1 </dev/null &
  echo $! >"$pidf"
}

install_redis() {
  command -v redis-server >/dev/null && return
  say "installing redis-server from apt ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null \
    || { say "could not install redis-server with apt-get"; exit 1; }
  # Debian starts its own redis on 6379 at install; we run ours, so stop that one.
  (service redis-server stop || true) >/dev/null 2>&1
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then say "REDIS_URL is set ($REDIS_URL): not starting Redis"; return; fi
  local pidf="$var/redis.pid"
  if alive "$pidf"; then say "redis already running (pid $(cat "$pidf"))"; return; fi
  install_redis
  if port_open "$redis_port"; then say "port $redis_port is taken by another process"; exit 1; fi
  say "starting redis on 127.0.0.1:$redis_port"
  mkdir -p "$var/redis"
  nohup redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$var/redis" \
    --appendonly yes --save "" --daemonize no >"$var/redis.log" 2>&1 </dev/null &
  echo $! >"$pidf"
}

wait_ready() {
  local deadline=$((SECONDS + 240))
  if [ -z "${NEO4J_URI:-}" ]; then
    until grep -q "neo4j ready" "$var/neo4j.log" 2>/dev/null && port_open "$neo4j_port"; do
      if ! alive "$var/neo4j.pid"; then say "neo4j failed to start; last lines of var/$profile/neo4j.log:"; tail -20 "$var/neo4j.log" >&2; exit 1; fi
      [ $SECONDS -lt $deadline ] || { say "neo4j did not answer within 240 s"; exit 1; }
      sleep 1
    done
    say "neo4j answers on bolt://127.0.0.1:$neo4j_port"
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    until redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; do
      if ! alive "$var/redis.pid"; then say "redis failed to start:"; tail -20 "$var/redis.log" >&2; exit 1; fi
      [ $SECONDS -lt $deadline ] || { say "redis did not answer within 240 s"; exit 1; }
      sleep 0.5
    done
    say "redis answers on 127.0.0.1:$redis_port"
  fi
}

stop_one() {
  local name=$1 pidf="$var/$1.pid"
  if alive "$pidf"; then
    local pid; pid=$(cat "$pidf")
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidf"
}

print_env() {
  echo "NEO4J_URI=${NEO4J_URI:-bolt://127.0.0.1:$neo4j_port}"
  echo "NEO4J_USER=${NEO4J_USER:-neo4j}"
  echo "NEO4J_PASSWORD=$password"
  echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$redis_port/0}"
}

case "$action" in
  up) start_neo4j; start_redis; wait_ready ;;
  down) stop_one neo4j; stop_one redis ;;
  env) print_env ;;
  *) echo "usage: scripts/services.sh up|down|env [dev|test]" >&2; exit 2 ;;
esac
