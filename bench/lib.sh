# Shared by the run-*-bench.sh scripts (sourced, not run). Sourcing it moves to the checkout's root and sets ROOT,
# PLATFORM_DATA_DIR (exported), BENCH_CP, say and die.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PLATFORM_DATA_DIR=${PLATFORM_DATA_DIR:-$ROOT/.data}
BENCH_CP='bench/target/classes:bench/target/lib/*'

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

# build_bench CLASS_FILE NEEDED_PATH [INPUT...]: mvn package of this project when CLASS_FILE or NEEDED_PATH is
# missing, or when its sources, its pom or an INPUT changed since CLASS_FILE was built.
build_bench() {
  local class=$1 needed=$2
  shift 2
  if [[ ! -f $class || ! -e $needed ]] ||
    [[ -n $(find bench/src bench/pom.xml "$@" -newer "$class" -type f -print -quit) ]]; then
    say "building bench (mvn -f bench/pom.xml package)"
    mvn -B -q -f bench/pom.xml package
  fi
}

# parse_platform_args "$@": what the arguments of a benchmark that calls the running platform change here: GATEWAY
# (--gateway, else PLATFORM_GATEWAY_PORT), OWN_KEY (--key or --root given), LOCAL_ONLY, HELP.
parse_platform_args() {
  GATEWAY="http://127.0.0.1:${PLATFORM_GATEWAY_PORT:-8080}"
  OWN_KEY=0
  LOCAL_ONLY=0
  HELP=0
  local args=("$@") i
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
}

# check_platform [HINT]: unless --help or --local-only, the gateway must answer GET /api/health (the platform is
# already up: starting it is not these scripts' business) and, unless --key/--root, the bootstrap admin key that
# ./platform start wrote must be there (the benchmark reads the file itself). HINT ends the "does not answer" error.
check_platform() {
  ((HELP == 0 && LOCAL_ONLY == 0)) || return 0
  local health
  if ! health=$(curl -s -m 10 "$GATEWAY/api/health" 2>/dev/null) || [[ -z $health ]]; then
    die "the platform's gateway does not answer at $GATEWAY/api/health; start the platform with ./platform start" \
      "(or pass --gateway URL), then run this again${1:+; $1}"
  fi
  if [[ $health != *'"data":{"status":"UP"'* ]]; then
    say "warning: the gateway answers but not every service is UP: ${health:0:400}"
  fi
  local key_file=$PLATFORM_DATA_DIR/secrets/bootstrap-api-key
  if ((OWN_KEY == 0)) && [[ ! -s $key_file ]]; then
    die "no API key in $key_file (./platform start writes it); pass --key KEY or set PLATFORM_DATA_DIR"
  fi
}

# exec_platform_bench CLASS DEFAULT_JVM_OPTS "$@": runs io.visionplatform.bench.CLASS against $GATEWAY;
# BENCH_JAVA_OPTS replaces DEFAULT_JVM_OPTS.
exec_platform_bench() {
  local class=$1 jvm_opts=${BENCH_JAVA_OPTS:-$2}
  shift 2
  # shellcheck disable=SC2086 # a list of JVM options
  exec java $jvm_opts -cp "$BENCH_CP" "io.visionplatform.bench.$class" --gateway "$GATEWAY" "$@"
}
