#!/usr/bin/env bash
# Predict benchmark: p50/p99 latency and throughput of POST /api/models/{id}/predict through the running platform's
# gateway, beside the same model on the same image in an in-process ONNX Runtime session, in one run. See
# bench/README.md.
#
#   bench/run-predict-bench.sh [--requests N] [--concurrency C] [--model PATH] [--image PATH] [any PredictBench option]
#   bench/run-predict-bench.sh --local-only     # only the in-process rows, no platform needed
#
# Needs the platform already running (./platform start) unless --local-only: this script never starts or stops
# anything. It installs vision-core into ~/.m2 when it is missing there (the in-process rows run the model-service's
# own decode/letterbox/ONNX Runtime/NMS library), builds this bench project when its sources changed, checks that the
# gateway answers GET /api/health, checks that the bootstrap admin key is there, then runs
# io.visionplatform.bench.PredictBench, which reads the key itself (it is never put on a command line).
# Environment: PLATFORM_GATEWAY_PORT (default 8080) or --gateway URL; PLATFORM_DATA_DIR (default .data) holds
# secrets/bootstrap-api-key; BENCH_JAVA_OPTS (default -Xms256m -Xmx1g) for the benchmark's JVM.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PLATFORM_DATA_DIR=${PLATFORM_DATA_DIR:-$ROOT/.data}

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

BENCH_CLASS=bench/target/classes/io/visionplatform/bench/PredictBench.class
VISION_CORE_JAR=$HOME/.m2/repository/io/visionplatform/vision-core/0.1.0-SNAPSHOT/vision-core-0.1.0-SNAPSHOT.jar

# What the arguments change here: where the gateway is, whether a key or another checkout is given, no platform.
GATEWAY="http://127.0.0.1:${PLATFORM_GATEWAY_PORT:-8080}"
OWN_KEY=0
LOCAL_ONLY=0
HELP=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --gateway) GATEWAY=${args[i + 1]:-$GATEWAY} ;;
    --gateway=*) GATEWAY=${args[i]#--gateway=} ;;
    --key | --key=* | --root | --root=*) OWN_KEY=1 ;;
    --local-only) LOCAL_ONLY=1 ;;
    -h | --help) HELP=1 ;;
  esac
done
GATEWAY=${GATEWAY%/}

# 1. vision-core in the local Maven repository (this project depends on it; it is not part of the bench build)
if [[ ! -f $VISION_CORE_JAR ]]; then
  say "vision-core is not in ~/.m2 ($VISION_CORE_JAR);" \
    "installing it: mvn -B -q install -pl libs/vision-core -am -DskipTests"
  mvn -B -q install -pl libs/vision-core -am -DskipTests ||
    die "could not install vision-core; run mvn -B -q install -pl libs/vision-core -am -DskipTests yourself"
fi

# 2. this project (skipped when nothing changed since the last build, nor vision-core since then)
if [[ ! -f $BENCH_CLASS || ! -f bench/target/lib/vision-core-0.1.0-SNAPSHOT.jar ]] ||
  [[ -n $(find bench/src bench/pom.xml "$VISION_CORE_JAR" -newer "$BENCH_CLASS" -type f -print -quit) ]]; then
  say "building bench (mvn -f bench/pom.xml package)"
  mvn -B -q -f bench/pom.xml package
fi

if ((HELP == 0 && LOCAL_ONLY == 0)); then
  # 3. the platform must be up already; starting it is not this script's business
  if ! HEALTH=$(curl -s -m 10 "$GATEWAY/api/health" 2>/dev/null) || [[ -z $HEALTH ]]; then
    die "the platform's gateway does not answer at $GATEWAY/api/health; start the platform with ./platform start" \
      "(or pass --gateway URL), then run this again; --local-only measures the in-process rows alone"
  fi
  if [[ $HEALTH != *'"data":{"status":"UP"'* ]]; then
    say "warning: the gateway answers but not every service is UP: ${HEALTH:0:400}"
  fi

  # 4. the bootstrap admin key that ./platform start wrote (PredictBench reads the file itself)
  KEY_FILE=$PLATFORM_DATA_DIR/secrets/bootstrap-api-key
  if ((OWN_KEY == 0)) && [[ ! -s $KEY_FILE ]]; then
    die "no API key in $KEY_FILE (./platform start writes it); pass --key KEY or set PLATFORM_DATA_DIR"
  fi
fi

# 5. the benchmark
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options
exec java ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g} -cp 'bench/target/classes:bench/target/lib/*' \
  io.visionplatform.bench.PredictBench --gateway "$GATEWAY" "$@"
