#!/usr/bin/env bash
# Forward benchmark: the forward latency of each fixture model (YOLOv8n, YOLO11n, YOLO26n on shapes4, 192x192), single
# image, in DJL (best.pt rebuilt by vision-core on libtorch) against ONNX Runtime (the fixture's model.onnx, and
# vision-core's own ONNX export of best.pt), printed as ratios. See bench/README.md.
#
#   bench/run-forward-bench.sh [--runs N] [--warmup N] [--threads N] [--fixtures DIR] [--image PATH] [--help]
#
# No platform needed: everything runs in this JVM. It installs vision-core into ~/.m2 when the jar there is missing
# or predates the ONNX exporter, builds this bench project when its sources changed, then runs
# io.visionplatform.bench.ForwardBench with -Dai.djl.offline=true (libtorch comes from the pytorch-native-cpu jar on
# the class path, unpacked once to ~/.djl.ai or $DJL_CACHE_DIR; nothing is downloaded).
# Environment: BENCH_JAVA_OPTS (default -Xms256m -Xmx2g) for the benchmark's JVM.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_CLASS=bench/target/classes/io/visionplatform/bench/ForwardBench.class
VISION_CORE_JAR=$HOME/.m2/repository/io/visionplatform/vision-core/0.1.0-SNAPSHOT/vision-core-0.1.0-SNAPSHOT.jar
EXPORTER_CLASS=io/visionplatform/vision/onnx/OnnxExporter.class

HELP=0
for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && HELP=1
done

# 1. vision-core in the local Maven repository, with the ONNX exporter (this project depends on it; it is not part of
#    the bench build). A zip's central directory stores entry names as plain text, so grep finds the class.
if [[ ! -f $VISION_CORE_JAR ]] || ! grep -qa "$EXPORTER_CLASS" "$VISION_CORE_JAR"; then
  say "vision-core in ~/.m2 is missing or has no ONNX exporter ($VISION_CORE_JAR);" \
    "installing it: mvn -B -q install -pl libs/vision-core -am -DskipTests"
  mvn -B -q install -pl libs/vision-core -am -DskipTests ||
    die "could not install vision-core; run mvn -B -q install -pl libs/vision-core -am -DskipTests yourself"
fi

# 2. this project (skipped when nothing changed since the last build, nor vision-core since then)
build_bench "$BENCH_CLASS" bench/target/lib/vision-core-0.1.0-SNAPSHOT.jar "$VISION_CORE_JAR"

# 3. the fixtures (unless --help): the default is relative to the checkout's root, where lib.sh moved us
if ((HELP == 0)); then
  fixtures=../shared/fixtures/ultralytics
  args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    case ${args[i]} in
      --fixtures) fixtures=${args[i + 1]:-$fixtures} ;;
      --fixtures=*) fixtures=${args[i]#--fixtures=} ;;
    esac
  done
  [[ -d $fixtures ]] || die "no fixtures at $fixtures (pass --fixtures DIR)"
fi

# 4. the benchmark
# shellcheck disable=SC2086 # a list of JVM options
exec java ${BENCH_JAVA_OPTS:--Xms256m -Xmx2g} -Dai.djl.offline=true -cp "$BENCH_CP" \
  io.visionplatform.bench.ForwardBench "$@"
