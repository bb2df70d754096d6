# shellcheck shell=bash
# Reusable process helpers for the local stack (and other scripts). Source it:
#
#   source "$(dirname "$0")/lib.sh"
#
# Functions:
#   start_bg NAME LOGFILE CMD...   start CMD detached (own session), pid -> $PLATFORM_DATA_DIR/run/NAME.pid
#   stop_pid NAME [TIMEOUT_S]      TERM the recorded process (its process group when it leads its own
#                                  session), wait, then KILL; removes the pidfile
#   is_running NAME                0 when the pidfile names a live process (stale pidfiles are removed)
#   read_pid NAME                  print the recorded pid (no liveness check)
#   record_pid NAME PID            (re)write the pidfile, e.g. with the real JVM pid found by port
#   pid_by_port PORT               pid of the process listening on TCP PORT (ss -ltnp), empty if none
#   port_open HOST PORT            0 when a TCP connect succeeds (bash /dev/tcp, 2 s timeout)
#   wait_port HOST PORT TIMEOUT_S [NAME]  wait until the port accepts; fail early if NAME died
#   wait_http URL TIMEOUT_S [NAME]        wait until URL answers 2xx; fail early if NAME died
#   log_tail FILE [LINES]          print the last LINES (30) lines of FILE, indented
#
# Only processes whose pid we recorded are ever signalled: nothing is killed by name.
# A pidfile holds "PID STARTTIME" (starttime from /proc/PID/stat) so a recycled pid is not
# mistaken for ours.

: "${PLATFORM_DATA_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.data}"

_run_dir() { printf '%s/run' "$PLATFORM_DATA_DIR"; }
_pidfile() { printf '%s/run/%s.pid' "$PLATFORM_DATA_DIR" "$1"; }

# Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat).
_proc_starttime() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }          # drop "pid (comm) ", comm may contain spaces
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s' "${20}"
}

_pid_alive() {
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  [ -d "/proc/$1" ] || return 1
  local state
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ "$state" != "Z" ]
}

record_pid() {
  local name=$1 pid=$2 st
  mkdir -p "$(_run_dir)"
  st=$(_proc_starttime "$pid") || st=""
  printf '%s %s\n' "$pid" "$st" >"$(_pidfile "$name")"
}

read_pid() {
  local f
  f=$(_pidfile "$1")
  [ -f "$f" ] || return 1
  awk 'NR==1 {print $1}' "$f"
}

is_running() {
  local f pid st now
  f=$(_pidfile "$1")
  [ -f "$f" ] || return 1
  read -r pid st <"$f" || true
  if _pid_alive "$pid"; then
    now=$(_proc_starttime "$pid") || now=""
    if [ -z "$st" ] || [ "$st" = "$now" ]; then
      return 0
    fi
  fi
  rm -f "$f"   # stale: process gone (or pid recycled by something else)
  return 1
}

start_bg() {
  local name=$1 log=$2
  shift 2
  local f pid
  f=$(_pidfile "$name")
  mkdir -p "$(_run_dir)" "$(dirname "$log")"
  rm -f "$f"
  # setsid: own session + process group (stop_pid can signal the whole group, and the process
  # survives the caller's terminal). The inner shell writes its own pid and execs the command,
  # so the recorded pid is the command's pid whatever the caller's job-control mode.
  # Descriptors above 2 (e.g. a caller's flock or a test runner's pipes) are closed so the daemon
  # does not hold them.
  # shellcheck disable=SC2016
  setsid bash -c '
    for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"; done
    echo $$ >"$0.tmp" && mv -f "$0.tmp" "$0" && exec nohup "$@"' "$f" "$@" \
    >>"$log" 2>&1 </dev/null &
  disown "$!" 2>/dev/null || true   # no job-status noise from the caller's shell
  for _ in $(seq 1 100); do
    [ -s "$f" ] && break
    sleep 0.05
  done
  pid=$(read_pid "$name") || { echo "start_bg: $name did not start" >&2; return 1; }
  record_pid "$name" "$pid"
  return 0
}

# Wait until no process of group $1 (or pid $1 when $2 = pid) is left, up to $3 seconds.
_wait_gone() {
  local target=$1 mode=$2 timeout=$3 waited=0
  while :; do
    if [ "$mode" = group ]; then
      kill -0 -- "-$target" 2>/dev/null || return 0
    else
      _pid_alive "$target" || return 0
    fi
    [ "$waited" -ge $((timeout * 10)) ] && return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

stop_pid() {
  local name=$1 timeout=${2:-20}
  local f pid pgid sid mypgid mode target
  f=$(_pidfile "$name")
  if ! is_running "$name"; then
    rm -f "$f"
    return 0
  fi
  pid=$(read_pid "$name")
  pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') || true
  sid=$(ps -o sid= -p "$pid" 2>/dev/null | tr -d ' ') || true
  mypgid=$(ps -o pgid= -p $$ 2>/dev/null | tr -d ' ') || true
  # Signal the whole group only when it is a session we created with start_bg
  # (group leader == session leader) and not our own group.
  if [ -n "$pgid" ] && [ "$pgid" = "$sid" ] && [ "$pgid" != "$mypgid" ] && [ "$pgid" != 1 ]; then
    mode=group target=$pgid
    kill -TERM -- "-$pgid" 2>/dev/null || true
  else
    mode=pid target=$pid
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if ! _wait_gone "$target" "$mode" "$timeout"; then
    echo "  $name: still alive after ${timeout}s, sending KILL" >&2
    if [ "$mode" = group ]; then
      kill -KILL -- "-$target" 2>/dev/null || true
    else
      kill -KILL "$target" 2>/dev/null || true
    fi
    _wait_gone "$target" "$mode" 5 || true
  fi
  rm -f "$f"
  return 0
}

pid_by_port() {
  { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2; } || true
}

port_open() {
  # shellcheck disable=SC2016
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# wait_until DESCRIPTION TIMEOUT_S NAME INTERVAL_S CMD... — retry CMD until it succeeds; fail early when the
# process NAME (if given) has exited, or after TIMEOUT_S.
wait_until() {
  local what=$1 timeout=$2 name=$3 interval=$4 start=$SECONDS
  shift 4
  until "$@"; do
    if [ -n "$name" ] && ! is_running "$name"; then
      echo "  $name exited before $what" >&2
      return 1
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      echo "  timeout after ${timeout}s waiting for $what" >&2
      return 1
    fi
    sleep "$interval"
  done
}

http_ok() { # URL — 0 when it answers 2xx
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" 2>/dev/null) =~ ^2 ]]
}

wait_port() { wait_until "$1:$2 to open" "$3" "${4:-}" 0.3 port_open "$1" "$2"; }

wait_http() { wait_until "$1 to answer 2xx" "$2" "${3:-}" 1 http_ok "$1"; }

log_tail() {
  local file=$1 lines=${2:-30}
  if [ -s "$file" ]; then
    echo "  --- last $lines lines of $file ---" >&2
    tail -n "$lines" "$file" | sed 's/^/  | /' >&2
  else
    echo "  (no output in $file)" >&2
  fi
}
