#!/usr/bin/env bash
# Ingest benchmark: images/s of a YOLO zip of generated JPEGs through the running platform's public API, beside
# the local ImageIO decode rate of the same JPEGs, in one run. See bench/README.md.
#
#   bench/run-ingest-bench.sh [--images N] [--width W] [--height H] [--quality Q] [--keep] [any IngestBench option]
#
# Needs the platform already running (./platform start): this script never starts or stops anything. It builds
# this bench project when its sources changed, checks that the gateway answers GET /api/health, checks that the
# bootstrap admin key is there, then runs io.visionplatform.bench.IngestBench, which reads the key itself (it is
# never put on a command line).
# Environment: PLATFORM_GATEWAY_PORT (default 8080) or --gateway URL; PLATFORM_DATA_DIR (default .data) holds
# secrets/bootstrap-api-key; BENCH_JAVA_OPTS (default -Xms256m -Xmx2g) for the benchmark's JVM.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_CLASS=bench/target/classes/io/visionplatform/bench/IngestBench.class

parse_platform_args "$@"

# 1. this project (skipped when nothing changed since the last build)
build_bench "$BENCH_CLASS" bench/target/lib

# 2. the platform up, with its gateway answering, and the bootstrap admin key (unless --help/--local-only)
check_platform

# 3. the benchmark
exec_platform_bench IngestBench "-Xms256m -Xmx2g" "$@"
