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

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_CLASS=bench/target/classes/io/visionplatform/bench/PredictBench.class
VISION_CORE_JAR=$HOME/.m2/repository/io/visionplatform/vision-core/0.1.0-SNAPSHOT/vision-core-0.1.0-SNAPSHOT.jar

parse_platform_args "$@"

# 1. vision-core in the local Maven repository (this project depends on it; it is not part of the bench build)
if [[ ! -f $VISION_CORE_JAR ]]; then
  say "vision-core is not in ~/.m2 ($VISION_CORE_JAR);" \
    "installing it: mvn -B -q install -pl libs/vision-core -am -DskipTests"
  mvn -B -q install -pl libs/vision-core -am -DskipTests ||
    die "could not install vision-core; run mvn -B -q install -pl libs/vision-core -am -DskipTests yourself"
fi

# 2. this project (skipped when nothing changed since the last build, nor vision-core since then)
build_bench "$BENCH_CLASS" bench/target/lib/vision-core-0.1.0-SNAPSHOT.jar "$VISION_CORE_JAR"

# 3. the platform up, with its gateway answering, and the bootstrap admin key (unless --help/--local-only)
check_platform "--local-only measures the in-process rows alone"

# 4. the benchmark
exec_platform_bench PredictBench "-Xms256m -Xmx1g" "$@"
