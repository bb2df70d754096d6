#!/usr/bin/env bash
# Training benchmark: vision-core's trainer on the full shapes4 dataset (generate_shapes.py --seed 7), the YOLOv8n and
# YOLO11n structures from scratch with the fixture recipe, each for the wall time Ultralytics needed on these machines;
# prints images/s, epochs, val mAP50 / mAP50-95 and the ratios to Ultralytics' figures. See bench/README.md.
#
#   bench/run-train-bench.sh [--models yolov8n,yolo11n] [--threads N] [--time-scale F] [--fixtures DIR] [--help]
#
# No platform needed. Generates the dataset once into bench/target/shapes4 with Debian's python3 (numpy + Pillow:
# apt-get install python3-numpy python3-pil), installs vision-core into ~/.m2 when the jar there has no trainer, builds
# this bench project when its sources changed, then runs io.visionplatform.bench.TrainBench. About 14 minutes at the
# default time scale. Environment: BENCH_JAVA_OPTS (default -Xms512m -Xmx6g).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_CLASS=bench/target/classes/io/visionplatform/bench/TrainBench.class
VISION_CORE_JAR=$HOME/.m2/repository/io/visionplatform/vision-core/0.1.0-SNAPSHOT/vision-core-0.1.0-SNAPSHOT.jar
TRAINER_CLASS=io/visionplatform/vision/train/Trainer.class
DATA=bench/target/shapes4

HELP=0
fixtures=../shared/fixtures/ultralytics
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    -h | --help) HELP=1 ;;
    --fixtures) fixtures=${args[i + 1]:-$fixtures} ;;
    --fixtures=*) fixtures=${args[i]#--fixtures=} ;;
  esac
done

# 1. vision-core in the local Maven repository, with the trainer
if [[ ! -f $VISION_CORE_JAR ]] || ! grep -qa "$TRAINER_CLASS" "$VISION_CORE_JAR"; then
  say "vision-core in ~/.m2 is missing or has no trainer; installing it: mvn -B -q install -pl libs/vision-core -am -DskipTests"
  mvn -B -q install -pl libs/vision-core -am -DskipTests ||
    die "could not install vision-core; run mvn -B -q install -pl libs/vision-core -am -DskipTests yourself"
fi

# 2. this project
build_bench "$BENCH_CLASS" bench/target/lib/vision-core-0.1.0-SNAPSHOT.jar "$VISION_CORE_JAR"

# 3. the dataset (unless --help)
if ((HELP == 0)); then
  [[ -d $fixtures ]] || die "no fixtures at $fixtures (pass --fixtures DIR)"
  if [[ ! -f $DATA/data.yaml ]]; then
    say "generating the shapes4 dataset into $DATA (generate_shapes.py --seed 7)"
    /usr/bin/python3 "$fixtures/generate_shapes.py" "$DATA" --seed 7 ||
      die "dataset generation failed (needs Debian's python3-numpy and python3-pil)"
  fi
fi

# 4. the benchmark
# shellcheck disable=SC2086 # a list of JVM options
exec java ${BENCH_JAVA_OPTS:--Xms512m -Xmx6g} -Dai.djl.offline=true -cp "$BENCH_CP" \
  io.visionplatform.bench.TrainBench --data "$DATA" --workdir bench/target/train-bench "$@"
