#!/usr/bin/env bash
# Gateway benchmark: direct vs gateway-service vs nginx, side by side in one run. See bench/README.md.
#
#   bench/run-gateway-bench.sh [--concurrency N] [--seconds S] [--warmup S] [any GatewayBench option]
#
# Builds what is missing (the gateway's quarkus-app, this bench project), starts the local stack if it is not
# up (deploy/stack.sh start is idempotent), installs nginx from Debian packages when it is missing and we can,
# then runs io.visionplatform.bench.GatewayBench, which starts/stops the gateway JVM and nginx itself.
# Environment: BENCH_NO_NGINX_INSTALL=1 never runs apt-get; BENCH_GATEWAY_DB (default platform_gateway_bench)
# is the database the benchmark's gateway uses, dropped and recreated on each run when psql is available.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GATEWAY_JAR=gateway-service/target/quarkus-app/quarkus-run.jar
BENCH_CLASS=bench/target/classes/io/visionplatform/bench/GatewayBench.class

# 1. the gateway (built only when missing: a newer one may be under construction by someone else)
if [[ ! -f $GATEWAY_JAR ]]; then
  say "building the services (mvn install -DskipTests), $GATEWAY_JAR is missing"
  mvn -B -q install -DskipTests -De2e.skip=true
fi

# 2. this project (skipped when nothing changed since the last build)
build_bench "$BENCH_CLASS" bench/target/lib

# 3. the stack: PostgreSQL, Kafka (the gateway's readiness needs both), S3, Redis
say "making sure the local stack is up (deploy/stack.sh start)"
deploy/stack.sh start >&2
[[ -f $PLATFORM_DATA_DIR/stack.env ]] || die "$PLATFORM_DATA_DIR/stack.env missing after deploy/stack.sh start"
# shellcheck disable=SC1091
source "$PLATFORM_DATA_DIR/stack.env"
# An empty value (e.g. PLATFORM_OIDC_URL='' without Keycloak) must not override a default with nothing.
for var in $(compgen -e | grep -E '^(PLATFORM_|KAFKA_)'); do
  [[ -n ${!var} ]] || unset "$var"
done

# 4. a database of its own, so the bench's throw-away admin key never lands in the platform's gateway database
GATEWAY_DB=${BENCH_GATEWAY_DB:-platform_gateway_bench}
DB_ARGS=()
if command -v psql >/dev/null 2>&1; then
  export PGPASSWORD=${PLATFORM_DB_PASSWORD:-}
  PSQL=(psql -q -v ON_ERROR_STOP=1 -h "${PLATFORM_DB_HOST:-127.0.0.1}" -p "${PLATFORM_DB_PORT:-5432}"
    -U "${PLATFORM_DB_USER:-postgres}" -d postgres)
  if "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $GATEWAY_DB WITH (FORCE)" -c "CREATE DATABASE $GATEWAY_DB" >/dev/null; then
    DB_ARGS=(--gateway-db "$GATEWAY_DB")
  else
    say "could not (re)create database $GATEWAY_DB; the gateway uses platform_gateway (admin 'bench-admin')"
  fi
else
  say "no psql: the gateway uses its own database platform_gateway (admin 'bench-admin')"
fi

# 5. nginx, from Debian packages when missing
NGINX_ARGS=()
find_nginx() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }
NGINX=$(find_nginx)
SKIP_REASON=""
if [[ -z $NGINX ]]; then
  if [[ ${BENCH_NO_NGINX_INSTALL:-0} == 1 ]]; then
    SKIP_REASON="nginx not installed and BENCH_NO_NGINX_INSTALL=1"
  elif ! command -v apt-get >/dev/null 2>&1; then
    SKIP_REASON="nginx not installed and no apt-get on this machine"
  elif [[ $(id -u) != 0 ]] && ! sudo -n true 2>/dev/null; then
    SKIP_REASON="nginx not installed; apt-get needs root (run: sudo apt-get install -y nginx-light)"
  else
    SUDO=(); [[ $(id -u) == 0 ]] || SUDO=(sudo -n)
    APT_LOG=$ROOT/bench/target/apt-nginx.log
    mkdir -p "$(dirname "$APT_LOG")"
    say "installing nginx from Debian packages (apt-get update; apt-get install nginx-light || nginx), log $APT_LOG"
    if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$APT_LOG" 2>&1 &&
      { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light >>"$APT_LOG" 2>&1 ||
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >>"$APT_LOG" 2>&1; }; then
      NGINX=$(find_nginx)
      [[ -n $NGINX ]] || SKIP_REASON="apt-get install succeeded but no nginx binary was found"
    else
      SKIP_REASON="apt-get could not install nginx-light or nginx: $(grep -E '^(E|W|Err):' "$APT_LOG" | tail -n 2 | tr '\n' ' ')"
      [[ -n ${SKIP_REASON#*: } ]] || SKIP_REASON="apt-get could not install nginx-light or nginx (see $APT_LOG)"
    fi
  fi
fi
if [[ -n $NGINX ]]; then
  NGINX_ARGS=(--nginx "$NGINX")
else
  say "nginx row will be skipped: $SKIP_REASON"
  NGINX_ARGS=(--nginx-skip-reason "$SKIP_REASON")
fi

# 6. the benchmark (it starts and stops the gateway JVM and nginx as its own child processes)
exec java -Xms256m -Xmx512m -cp "$BENCH_CP" io.visionplatform.bench.GatewayBench \
  --gateway-jar "$GATEWAY_JAR" "${DB_ARGS[@]}" "${NGINX_ARGS[@]}" "$@"
