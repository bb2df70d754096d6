#!/usr/bin/env bash
# Local infrastructure stack without Docker: PostgreSQL, Kafka (KRaft), S3 (s3proxy), Redis, Keycloak.
#
#   deploy/stack.sh start  [component...]   default: postgres kafka s3 redis (+keycloak if PLATFORM_KEYCLOAK=1)
#   deploy/stack.sh stop   [component...]   default: everything we started
#   deploy/stack.sh status [component...]
#   deploy/stack.sh clean  [--all]          stop ours, delete .data except .data/dist (--all: dist too)
#
# Components: postgres kafka s3 redis keycloak. See deploy/README.md.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

PLATFORM_DATA_DIR=${PLATFORM_DATA_DIR:-$REPO_ROOT/.data}
mkdir -p "$PLATFORM_DATA_DIR"
PLATFORM_DATA_DIR=$(cd "$PLATFORM_DATA_DIR" && pwd)
export PLATFORM_DATA_DIR
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$SCRIPT_DIR/lib.sh"

DIST=${PLATFORM_DIST_DIR:-$PLATFORM_DATA_DIR/dist}
LOGS=$PLATFORM_DATA_DIR/logs
RUN=$PLATFORM_DATA_DIR/run
CONF=$PLATFORM_DATA_DIR/conf
STACK_POM=$SCRIPT_DIR/stack/pom.xml
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
MVN=${MVN:-mvn}

HOST=127.0.0.1
MACHINE_DB_PORT=${PLATFORM_DB_PORT:-5432}
# Explicit PLATFORM_DB_PORT: the embedded server (if needed) listens on exactly that port.
EMBEDDED_DB_PORT=${PLATFORM_DB_PORT:-${PLATFORM_EMBEDDED_DB_PORT:-15432}}
DB_USER=postgres
DB_PASSWORD=
KAFKA_PORT=${PLATFORM_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${PLATFORM_KAFKA_CONTROLLER_PORT:-9093}
S3_PORT=${PLATFORM_S3_PORT:-9000}
REDIS_PORT=${PLATFORM_REDIS_PORT:-6379}
KC_PORT=${PLATFORM_KEYCLOAK_PORT:-8180}
KC_MGMT_PORT=${PLATFORM_KEYCLOAK_MANAGEMENT_PORT:-9190}
KC_VERSION=26.5.6
KC_HOME=$DIST/keycloak/keycloak-$KC_VERSION

S3_ACCESS_KEY=platform
S3_SECRET_KEY=platform-local-key
S3_REGION=us-east-1

DATABASES=(platform_gateway platform_datasets platform_models platform_training platform_deployments platform_billing platform_common)
TOPICS=(platform.accounts platform.datasets platform.models platform.exports platform.training
        platform.deployments platform.usage platform.billing platform.webhooks)
BUCKETS=(platform-datasets platform-models platform-training platform-deployments platform-billing)

PG_DIR=$PLATFORM_DATA_DIR/postgres
PG_DATA=$PG_DIR/pgdata
KAFKA_DIR=$PLATFORM_DATA_DIR/kafka
S3_DIR=$PLATFORM_DATA_DIR/s3
KC_DATA=$PLATFORM_DATA_DIR/keycloak

ALL_COMPONENTS=(postgres kafka s3 redis keycloak)
FAILED=0

# ---------------------------------------------------------------------------------------------
# output helpers

_now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
_since() { awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1fs", b - a }'; }
say() { printf '%-9s %s\n' "$1:" "$2"; }
fail() { # fail COMPONENT MESSAGE [LOGFILE...]
  local comp=$1 msg=$2
  shift 2
  printf '%-9s ERROR %s\n' "$comp:" "$msg" >&2
  local f
  for f in "$@"; do log_tail "$f" 30; done
  FAILED=1
  return 1
}

rotate_log() { # keep one previous log
  [ -f "$1" ] && mv -f "$1" "$1.1"
  return 0
}

# Marker each of our JVMs carries on its command line, so a process found on one of our ports
# can be recognised as ours (e.g. pidfile lost) and adopted instead of reported as foreign.
jvm_mark() { printf -- '-Dplatform.stack=%s@%s' "$1" "$PLATFORM_DATA_DIR"; }

# adopt NAME PORT: record the listener of PORT when its command line carries our marker.
adopt() {
  local name=$1 port=$2 pid
  pid=$(pid_by_port "$port")
  [ -n "$pid" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(jvm_mark "$name")" || return 1
  record_pid "$name" "$pid"
}

foreign_port() { # explain who holds a port we need
  local pid
  pid=$(pid_by_port "$2")
  fail "$1" "port $HOST:$2 is in use by another process${pid:+ (pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100))}"
}

# ---------------------------------------------------------------------------------------------
# downloads (deploy/stack/pom.xml), skipped when the component's marker exists

ensure_dist() { # ensure_dist COMPONENT PROFILE PHASE   (downloads into $DIST/PROFILE)
  local comp=$1 profile=$2 phase=$3 marker=$DIST/$2/.stack-complete t0
  if [ -f "$marker" ]; then
    # the postgres bundle also holds our compiled launcher: rebuild when its sources changed
    if [ "$comp" != postgres ] || [ -z "$(find "$SCRIPT_DIR/stack/src" "$STACK_POM" -newer "$marker" -print -quit)" ]; then
      return 0
    fi
  fi
  t0=$(_now)
  mkdir -p "$LOGS"
  rm -rf "${DIST:?}/$profile"
  say "$comp" "downloading into $DIST/$profile (mvn -P$profile) ..."
  if ! "$MVN" -B -q -Dstyle.color=never -f "$STACK_POM" -P"$profile" -Dstack.dist="$DIST" "$phase" \
      >"$LOGS/mvn-$profile.log" 2>&1; then
    fail "$comp" "download failed" "$LOGS/mvn-$profile.log"
    return 1
  fi
  date -u +%FT%TZ >"$marker"
  say "$comp" "downloaded ($(du -sh "$DIST/$profile" | cut -f1), $(_since "$t0"))"
}

# ---------------------------------------------------------------------------------------------
# postgres

wait_log_line() { # FILE REGEX TIMEOUT_S NAME
  local start=$SECONDS
  until grep -q -- "$2" "$1" 2>/dev/null; do
    is_running "$4" || { echo "  $4 exited" >&2; return 1; }
    [ $((SECONDS - start)) -ge "$3" ] && { echo "  timeout after $3s" >&2; return 1; }
    sleep 0.3
  done
}

pg_orphan_pid() { # a postmaster of OUR data dir still alive (launcher killed with -9)
  local pid
  [ -f "$PG_DATA/postmaster.pid" ] || return 1
  pid=$(head -n1 "$PG_DATA/postmaster.pid")
  _pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PG_DATA" || return 1
  printf '%s' "$pid"
}

stop_pg_orphan() {
  local pid
  pid=$(pg_orphan_pid) || return 0
  say postgres "stopping orphaned embedded postmaster (pid $pid)"
  kill -INT "$pid" 2>/dev/null || true        # fast shutdown
  _wait_gone "$pid" pid 20 || { kill -KILL "$pid" 2>/dev/null || true; _wait_gone "$pid" pid 5 || true; }
}

pg_active_port() { # port of the PostgreSQL in use (ours or the machine's), empty if none
  if is_running postgres && [ -f "$RUN/postgres.port" ]; then
    cat "$RUN/postgres.port"
  elif port_open "$HOST" "$MACHINE_DB_PORT"; then
    printf '%s' "$MACHINE_DB_PORT"
  fi
}

create_databases() {
  local port=$1 t0 out dbs=() d
  ensure_dist postgres postgres package || return 1
  for d in "${DATABASES[@]}"; do dbs+=("$d" "${d}_test"); done
  t0=$(_now)
  if ! out=$("$JAVA" -Xmx64m -XX:TieredStopAtLevel=1 -cp "$DIST/postgres/libs/*" \
      io.visionplatform.stack.CreateDatabases "$HOST" "$port" "$DB_USER" "$DB_PASSWORD" "${dbs[@]}" 2>&1); then
    fail postgres "database creation failed: $out"
    return 1
  fi
  say postgres "$out ($(_since "$t0"))"
}

start_postgres() {
  local t0 port
  t0=$(_now)
  if is_running postgres; then
    port=$(cat "$RUN/postgres.port" 2>/dev/null || echo "$EMBEDDED_DB_PORT")
    if wait_port "$HOST" "$port" 10 postgres 2>/dev/null; then
      say postgres "embedded already running (pid $(read_pid postgres), $HOST:$port)"
      create_databases "$port"
      return
    fi
    say postgres "embedded launcher alive but $HOST:$port closed: restarting it"
    stop_pid postgres 30
  fi
  stop_pg_orphan
  if port_open "$HOST" "$MACHINE_DB_PORT"; then
    say postgres "using the machine's PostgreSQL at $HOST:$MACHINE_DB_PORT (not ours, never stopped)"
    create_databases "$MACHINE_DB_PORT"
    return
  fi
  port=$EMBEDDED_DB_PORT
  if port_open "$HOST" "$port"; then
    foreign_port postgres "$port"
    return 1
  fi
  ensure_dist postgres postgres package || return 1
  mkdir -p "$PG_DIR/work" "$LOGS"
  rotate_log "$LOGS/postgres.log"
  start_bg postgres "$LOGS/postgres.log" "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 "$(jvm_mark postgres)" \
    -cp "$DIST/postgres/libs/*" io.visionplatform.stack.EmbeddedPostgresLauncher "$port" "$PG_DATA" "$PG_DIR/work" \
    || { fail postgres "could not start" "$LOGS/postgres.log"; return 1; }
  printf '%s\n' "$port" >"$RUN/postgres.port"
  if ! wait_log_line "$LOGS/postgres.log" '^READY' 90 postgres || ! wait_port "$HOST" "$port" 10 postgres; then
    fail postgres "embedded PostgreSQL did not become ready" "$LOGS/postgres.log"
    stop_pid postgres 20; stop_pg_orphan
    return 1
  fi
  say postgres "embedded PostgreSQL 16 started (pid $(read_pid postgres), $HOST:$port, data $PG_DATA, $(_since "$t0"))"
  create_databases "$port"
}

stop_postgres() {
  if is_running postgres || pg_orphan_pid >/dev/null; then
    local t0
    t0=$(_now)
    stop_pid postgres 30
    stop_pg_orphan
    rm -f "$RUN/postgres.port"
    say postgres "embedded PostgreSQL stopped ($(_since "$t0"))"
  elif port_open "$HOST" "$MACHINE_DB_PORT"; then
    say postgres "machine's PostgreSQL at $HOST:$MACHINE_DB_PORT left running (not ours)"
  else
    say postgres "not running"
  fi
}

status_postgres() {
  local pid
  if is_running postgres; then
    local port
    port=$(cat "$RUN/postgres.port" 2>/dev/null)
    if port_open "$HOST" "$port"; then
      status_line postgres up "$(read_pid postgres)" "$port" "ours (embedded, $PG_DATA)"
    else
      status_line postgres down "$(read_pid postgres)" "$port" "ours (launcher alive, port closed)"
    fi
  elif pid=$(pg_orphan_pid); then
    status_line postgres up "$pid" "$(sed -n 4p "$PG_DATA/postmaster.pid")" "ours (orphaned postmaster; 'start' restarts it)"
  elif port_open "$HOST" "$MACHINE_DB_PORT"; then
    status_line postgres up - "$MACHINE_DB_PORT" "machine's"
  else
    status_line postgres down - "$MACHINE_DB_PORT" "-"
  fi
}

# Stop and status of a JVM component we start and track by pidfile (kafka, s3, keycloak).
stop_component() { # NAME PORT GRACE_S
  local name=$1 port=$2 grace=$3 t0
  if is_running "$name" || adopt "$name" "$port"; then
    t0=$(_now)
    stop_pid "$name" "$grace"
    say "$name" "stopped ($(_since "$t0"))"
  else
    say "$name" "not running"
  fi
}

status_component() { # NAME PORT NOTE_WHEN_ALIVE_BUT_PORT_CLOSED
  local name=$1 port=$2 closed_note=$3
  if is_running "$name" || adopt "$name" "$port"; then
    if port_open "$HOST" "$port"; then
      status_line "$name" up "$(read_pid "$name")" "$port" "ours"
    else
      status_line "$name" down "$(read_pid "$name")" "$port" "ours ($closed_note)"
    fi
  elif port_open "$HOST" "$port"; then
    status_line "$name" up "$(pid_by_port "$port")" "$port" "NOT ours"
  else
    status_line "$name" down - "$port" "-"
  fi
}

# ---------------------------------------------------------------------------------------------
# kafka

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data" "$CONF"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# generated by deploy/stack.sh on each start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.recovery.threads.per.data.dir=2
log.retention.hours=168
EOF
  cat >"$CONF/kafka-log4j2.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="file" fileName="$LOGS/kafka.log" filePattern="$LOGS/kafka.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="20 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
EOF
  cat >"$CONF/kafka-tools-log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="stderr" target="SYSTEM_ERR"><PatternLayout pattern="%p %m (%c)%n"/></Console>
  </Appenders>
  <Loggers>
    <Root level="WARN"><AppenderRef ref="stderr"/></Root>
  </Loggers>
</Configuration>
EOF
}

kafka_tool_java() { # run a Kafka class with the tools logging config
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$CONF/kafka-tools-log4j2.xml" \
    -cp "$DIST/kafka/tools:$DIST/kafka/libs/*" "$@"
}

kafka_random_uuid() { # same shape as Kafka's Uuid.randomUuid(): 16 random bytes, base64url, no padding
  local id
  while :; do
    id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ "$id" == -* ]] || { printf '%s' "$id"; return; }
  done
}

kafka_compile_tools() {
  local src=$SCRIPT_DIR/stack/tools/KafkaTopics.java cls=$DIST/kafka/tools/KafkaTopics.class
  if [ ! -f "$cls" ] || [ "$src" -nt "$cls" ]; then
    mkdir -p "$DIST/kafka/tools"
    "$JAVAC" -nowarn -d "$DIST/kafka/tools" -cp "$DIST/kafka/libs/*" "$src" 2>"$LOGS/kafka-tools-javac.log" \
      || { fail kafka "cannot compile $src" "$LOGS/kafka-tools-javac.log"; return 1; }
  fi
}

kafka_create_topics() {
  local t0 out
  t0=$(_now)
  kafka_compile_tools || return 1
  if ! out=$(kafka_tool_java KafkaTopics "$HOST:$KAFKA_PORT" 3 "${TOPICS[@]}" 2>&1); then
    fail kafka "topic creation failed: $(printf '%s' "$out" | tail -n 5)" "$LOGS/kafka.log"
    return 1
  fi
  say kafka "$out ($(_since "$t0"))"
}

start_kafka() {
  local t0 id
  t0=$(_now)
  if is_running kafka || adopt kafka "$KAFKA_PORT"; then
    if wait_port "$HOST" "$KAFKA_PORT" 10 kafka 2>/dev/null; then
      say kafka "already running (pid $(read_pid kafka), $HOST:$KAFKA_PORT)"
      kafka_create_topics
      return
    fi
    say kafka "process alive but $HOST:$KAFKA_PORT closed: restarting it"
    stop_pid kafka 30
  fi
  if port_open "$HOST" "$KAFKA_PORT"; then foreign_port kafka "$KAFKA_PORT"; return 1; fi
  if port_open "$HOST" "$KAFKA_CONTROLLER_PORT"; then foreign_port kafka "$KAFKA_CONTROLLER_PORT"; return 1; fi
  ensure_dist kafka kafka generate-resources || return 1
  mkdir -p "$LOGS"
  kafka_write_config
  # Not running (checked above): a lock file left by a killed broker is stale.
  find "$KAFKA_DIR/data" -maxdepth 1 -name .lock -delete 2>/dev/null
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    [ -s "$KAFKA_DIR/cluster.id" ] || kafka_random_uuid >"$KAFKA_DIR/cluster.id"
    id=$(cat "$KAFKA_DIR/cluster.id")
    if ! kafka_tool_java kafka.tools.StorageTool format --ignore-formatted -t "$id" \
        -c "$KAFKA_DIR/server.properties" >"$LOGS/kafka-format.log" 2>&1; then
      fail kafka "storage format failed" "$LOGS/kafka-format.log"
      return 1
    fi
    say kafka "storage formatted (cluster id $id)"
  fi
  rotate_log "$LOGS/kafka.out"
  start_bg kafka "$LOGS/kafka.out" "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "$(jvm_mark kafka)" \
    -Dlog4j2.configurationFile="$CONF/kafka-log4j2.xml" -Dkafka.logs.dir="$LOGS" \
    -cp "$DIST/kafka/libs/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
    || { fail kafka "could not start" "$LOGS/kafka.out"; return 1; }
  if ! wait_port "$HOST" "$KAFKA_PORT" 120 kafka; then
    fail kafka "broker did not open $HOST:$KAFKA_PORT" "$LOGS/kafka.log" "$LOGS/kafka.out"
    stop_pid kafka 20
    return 1
  fi
  say kafka "broker started (pid $(read_pid kafka), $HOST:$KAFKA_PORT, KRaft controller :$KAFKA_CONTROLLER_PORT, $(_since "$t0"))"
  kafka_create_topics
}

stop_kafka() { stop_component kafka "$KAFKA_PORT" 40; }

status_kafka() { status_component kafka "$KAFKA_PORT" "process alive, port closed"; }

# ---------------------------------------------------------------------------------------------
# s3 (s3proxy, filesystem backend)

s3_curl_code() { # s3_curl_code [curl args...] -> HTTP code of a SigV4-signed request
  # curl 7.x does not send x-amz-content-sha256 itself; s3proxy requires it for SigV4.
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" 2>/dev/null || true
}

s3_write_config() {
  mkdir -p "$CONF" "$S3_DIR"
  cat >"$CONF/s3proxy.properties" <<EOF
# generated by deploy/stack.sh on each start
s3proxy.endpoint=http://$HOST:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
jclouds.filesystem.basedir=$S3_DIR
EOF
  cat >"$CONF/s3proxy-logback.xml" <<'EOF'
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.eclipse.jetty" level="WARN"/>
  <logger name="org.gaul.shaded" level="WARN"/>
  <logger name="jclouds" level="WARN"/>
  <logger name="org.jclouds" level="WARN"/>
  <logger name="org.gaul.s3proxy" level="INFO"/>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
EOF
}

start_s3() {
  local t0 b code
  t0=$(_now)
  mkdir -p "$S3_DIR"
  for b in "${BUCKETS[@]}"; do mkdir -p "$S3_DIR/$b"; done   # a bucket is a directory of the fs backend
  if is_running s3 || adopt s3 "$S3_PORT"; then
    if wait_port "$HOST" "$S3_PORT" 10 s3 2>/dev/null; then
      say s3 "already running (pid $(read_pid s3), http://$HOST:$S3_PORT, buckets ${#BUCKETS[@]})"
      return
    fi
    say s3 "process alive but $HOST:$S3_PORT closed: restarting it"
    stop_pid s3 20
  fi
  if port_open "$HOST" "$S3_PORT"; then foreign_port s3 "$S3_PORT"; return 1; fi
  ensure_dist s3 s3proxy generate-resources || return 1
  s3_write_config
  rotate_log "$LOGS/s3proxy.log"
  start_bg s3 "$LOGS/s3proxy.log" "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 "$(jvm_mark s3)" \
    -Dlogback.configurationFile="$CONF/s3proxy-logback.xml" \
    -cp "$DIST/s3proxy/libs/*" org.gaul.s3proxy.Main --properties "$CONF/s3proxy.properties" \
    || { fail s3 "could not start" "$LOGS/s3proxy.log"; return 1; }
  if ! wait_port "$HOST" "$S3_PORT" 60 s3; then
    fail s3 "s3proxy did not open $HOST:$S3_PORT" "$LOGS/s3proxy.log"
    stop_pid s3 10
    return 1
  fi
  code=$(s3_curl_code "http://$HOST:$S3_PORT/")
  if [ "$code" != 200 ]; then
    fail s3 "signed ListBuckets answered HTTP $code" "$LOGS/s3proxy.log"
    return 1
  fi
  say s3 "s3proxy started (pid $(read_pid s3), http://$HOST:$S3_PORT, data $S3_DIR, buckets ${#BUCKETS[@]}, $(_since "$t0"))"
}

stop_s3() { stop_component s3 "$S3_PORT" 20; }

status_s3() { status_component s3 "$S3_PORT" "process alive, port closed"; }

# ---------------------------------------------------------------------------------------------
# redis (never started or stopped by us)

start_redis() {
  if port_open "$HOST" "$REDIS_PORT"; then
    say redis "using the machine's Redis at $HOST:$REDIS_PORT"
  else
    say redis "Redis absent: in-memory rate limits"
  fi
}
stop_redis() {
  if port_open "$HOST" "$REDIS_PORT"; then
    say redis "machine's Redis at $HOST:$REDIS_PORT left running (not ours)"
  else
    say redis "not running (never ours)"
  fi
}
status_redis() {
  if port_open "$HOST" "$REDIS_PORT"; then
    status_line redis up - "$REDIS_PORT" "machine's"
  else
    status_line redis down - "$REDIS_PORT" "absent: in-memory rate limits"
  fi
}

# ---------------------------------------------------------------------------------------------
# keycloak (dev mode, H2 under .data/keycloak, realm imported from deploy/keycloak/)

kc_well_known() { printf 'http://%s:%s/realms/platform/.well-known/openid-configuration' "$HOST" "$KC_PORT"; }

start_keycloak() {
  local t0 pid
  t0=$(_now)
  if is_running keycloak || adopt keycloak "$KC_PORT"; then
    if wait_http "$(kc_well_known)" 10 keycloak 2>/dev/null; then
      say keycloak "already running (pid $(read_pid keycloak), http://$HOST:$KC_PORT)"
      return
    fi
    say keycloak "process alive but realm endpoint does not answer: restarting it"
    stop_pid keycloak 30
  fi
  if port_open "$HOST" "$KC_PORT"; then foreign_port keycloak "$KC_PORT"; return 1; fi
  ensure_dist keycloak keycloak generate-resources || return 1
  [ -x "$KC_HOME/bin/kc.sh" ] || { fail keycloak "$KC_HOME/bin/kc.sh missing (delete $DIST/keycloak and retry)"; return 1; }
  mkdir -p "$KC_HOME/data/import" "$KC_DATA" "$LOGS"
  cp -f "$SCRIPT_DIR/keycloak/platform-realm.json" "$KC_HOME/data/import/platform-realm.json"
  rotate_log "$LOGS/keycloak.log"
  say keycloak "starting (first start up to ~90 s) ..."
  # KC_DB_URL_PATH moves the dev-file H2 database from the dist into .data/keycloak.
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin KC_DB_URL_PATH="$KC_DATA" \
  JAVA_OPTS_KC_HEAP="-Xms64m -Xmx768m" JAVA_OPTS_APPEND="$(jvm_mark keycloak)" \
    start_bg keycloak "$LOGS/keycloak.log" "$KC_HOME/bin/kc.sh" start-dev --http-host="$HOST" \
      --http-port="$KC_PORT" --http-management-port="$KC_MGMT_PORT" --import-realm \
    || { fail keycloak "could not start" "$LOGS/keycloak.log"; return 1; }
  if ! wait_http "$(kc_well_known)" 300 keycloak; then
    fail keycloak "realm platform not served at $(kc_well_known)" "$LOGS/keycloak.log"
    stop_pid keycloak 30
    return 1
  fi
  # kc.sh runs the server as a second JVM: record the real one (same process group).
  pid=$(pid_by_port "$KC_PORT")
  [ -n "$pid" ] && record_pid keycloak "$pid"
  say keycloak "started (pid $(read_pid keycloak), http://$HOST:$KC_PORT/realms/platform, admin/admin, $(_since "$t0"))"
}

stop_keycloak() { stop_component keycloak "$KC_PORT" 40; }

status_keycloak() { status_component keycloak "$KC_PORT" "starting or hung"; }

# ---------------------------------------------------------------------------------------------

status_line() { # NAME up|down PID PORT OWNER
  printf '%-9s %-5s pid %-8s port %-6s %s\n' "$1" "$2" "$3" "$4" "$5"
}

write_env() {
  local db_port redis_url="" oidc_url="" f=$PLATFORM_DATA_DIR/stack.env
  db_port=$(pg_active_port)
  [ -n "$db_port" ] || db_port=$MACHINE_DB_PORT
  port_open "$HOST" "$REDIS_PORT" && redis_url="redis://$HOST:$REDIS_PORT"
  if (is_running keycloak || adopt keycloak "$KC_PORT") && port_open "$HOST" "$KC_PORT"; then
    oidc_url="http://$HOST:$KC_PORT/realms/platform"
  fi
  {
    echo "# generated by deploy/stack.sh $(date -u +%FT%TZ); source it: . $f"
    printf 'export %s=%q\n' \
      PLATFORM_DB_HOST "$HOST" \
      PLATFORM_DB_PORT "$db_port" \
      PLATFORM_DB_USER "$DB_USER" \
      PLATFORM_DB_PASSWORD "$DB_PASSWORD" \
      KAFKA_BOOTSTRAP_SERVERS "$HOST:$KAFKA_PORT" \
      PLATFORM_S3_ENDPOINT "http://$HOST:$S3_PORT" \
      PLATFORM_S3_ACCESS_KEY "$S3_ACCESS_KEY" \
      PLATFORM_S3_SECRET_KEY "$S3_SECRET_KEY" \
      PLATFORM_S3_REGION "$S3_REGION" \
      PLATFORM_REDIS_URL "$redis_url" \
      PLATFORM_OIDC_URL "$oidc_url" \
      PLATFORM_OIDC_CLIENT_ID platform-gateway \
      PLATFORM_OIDC_CLIENT_SECRET platform-gateway-local
  } >"$f.tmp" && mv -f "$f.tmp" "$f"
}

normalize_components() { # args -> COMPONENTS array (validated)
  COMPONENTS=()
  local c
  for c in "$@"; do
    case "$c" in
      postgres|postgresql|pg|db) COMPONENTS+=(postgres) ;;
      kafka) COMPONENTS+=(kafka) ;;
      s3|s3proxy|minio) COMPONENTS+=(s3) ;;
      redis) COMPONENTS+=(redis) ;;
      keycloak|kc|oidc) COMPONENTS+=(keycloak) ;;
      *) echo "unknown component '$c' (known: ${ALL_COMPONENTS[*]})" >&2; exit 2 ;;
    esac
  done
}

with_lock() { # serialize start/stop/clean of this data dir
  mkdir -p "$RUN"
  exec 9>"$RUN/stack.lock"
  if ! flock -w 600 9; then
    echo "another deploy/stack.sh holds $RUN/stack.lock" >&2
    exit 1
  fi
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

main() {
  local cmd=${1:-} c t0
  [ $# -gt 0 ] && shift
  t0=$(_now)
  case "$cmd" in
    start)
      normalize_components "$@"
      if [ ${#COMPONENTS[@]} -eq 0 ]; then
        COMPONENTS=(postgres kafka s3 redis)
        [ "${PLATFORM_KEYCLOAK:-0}" = 1 ] && COMPONENTS+=(keycloak)
      fi
      with_lock
      for c in "${COMPONENTS[@]}"; do "start_$c" || FAILED=1; done
      write_env
      if [ "$FAILED" = 0 ]; then
        echo "stack up ($(_since "$t0")); env: . $PLATFORM_DATA_DIR/stack.env"
      else
        echo "stack start FAILED for some components ($(_since "$t0")); logs in $LOGS" >&2
      fi
      ;;
    stop)
      normalize_components "$@"
      [ ${#COMPONENTS[@]} -eq 0 ] && COMPONENTS=(keycloak s3 kafka postgres redis)
      with_lock
      for c in "${COMPONENTS[@]}"; do "stop_$c" || FAILED=1; done
      write_env
      ;;
    status)
      normalize_components "$@"
      [ ${#COMPONENTS[@]} -eq 0 ] && COMPONENTS=("${ALL_COMPONENTS[@]}")
      for c in "${COMPONENTS[@]}"; do "status_$c"; done
      ;;
    clean)
      local all=0
      for c in "$@"; do
        case "$c" in --all) all=1 ;; *) echo "usage: stack.sh clean [--all]" >&2; exit 2 ;; esac
      done
      with_lock
      for c in keycloak s3 kafka postgres; do "stop_$c" || FAILED=1; done
      if [ "$FAILED" = 0 ]; then
        # everything in the data dir except the downloads (and the lock we hold)
        find "$PLATFORM_DATA_DIR" -mindepth 1 -maxdepth 1 ! -name dist ! -name run -exec rm -rf {} +
        find "$RUN" -mindepth 1 ! -name stack.lock -exec rm -rf {} +
        if [ "$all" = 1 ]; then
          rm -rf "${DIST:?}"
          echo "clean: removed $PLATFORM_DATA_DIR (including downloads in $DIST)"
        else
          echo "clean: removed $PLATFORM_DATA_DIR except $DIST"
        fi
      else
        echo "clean: not deleting data, some component did not stop" >&2
      fi
      ;;
    -h|--help|help|"") usage ;;
    *) echo "unknown command '$cmd'" >&2; usage ;;
  esac
  return "$FAILED"
}

main "$@"
