# Helpers shared by the comparison scripts (tls.sh, h2load.sh, per-request.sh, cpu-split.sh,
# profile.sh): processes started in their own process group and stopped by that id only, CPU time
# of a group, the box's background load, the anchors' backends and source-address shim.
# Source it after setting OUT (the directory for logs); it sets the EXIT, INT and TERM traps.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

declare -A started=()
start() {   # start NAME cmd... : in its own session and process group, whose id is the PID
  local name=$1; shift
  setsid "$@" >"$OUT/$name.log" 2>&1 </dev/null &
  started[$!]=$name
  PGID=$!
}
ticks() {   # utime+stime of every process of group $1, in clock ticks
  cat /proc/[0-9]*/stat 2>/dev/null |
    awk -v pg="$1" '{ s=$0; p=0; while ((q=index(substr(s,p+1),")"))>0) p+=q;
                      split(substr(s,p+2),f," "); if (f[3]==pg) t+=f[12]+f[13] } END { print t+0 }'
}
stop() {    # TERM the group we started, KILL after 5 s
  local pg=$1 i
  [ -n "${started[$pg]+x}" ] || return 0
  kill -TERM -- "-$pg" 2>/dev/null || true
  for i in $(seq 50); do kill -0 -- "-$pg" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
  wait "$pg" 2>/dev/null || true
  unset "started[$pg]"
}
cleanup() { for pg in "${!started[@]}"; do stop "$pg"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

busy_pct() {   # the whole box's busy % over one second, of nproc x 100
  local a b
  a=$(awk '/^cpu / { print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8 }' /proc/stat)
  echo "$a $b" | awk -v n="$(nproc)" '{ printf "%.0f", ($3 - $1) * 100 * n / ($4 - $2) }'
}

quiet_bg() {   # waits up to QUIET_WAIT s for busy_pct below QUIET_PCT; prints the last value
  local bg _
  for _ in $(seq "$QUIET_WAIT"); do
    bg=$(busy_pct)
    [ "$bg" -lt "$QUIET_PCT" ] && break
  done
  echo "$bg"
}

wait_http() {   # wait_http URL: up to 60 s for it to answer 200
  local _
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" = 200 ] && return 0
    sleep 0.2
  done
  log "no answer from $1"
  return 1
}

anchors_shim() {   # anchors_shim DIR: the anchors' source-address shim for wrk (LD_PRELOAD), built once
  local shim="$1/build/srcbind.so"
  if [ ! -f "$shim" ]; then
    mkdir -p "$1/build"
    cc -O2 -Wall -shared -fPIC -o "$shim" "$1/src/srcbind.c" -ldl
  fi
  echo "$shim"
}

start_backends() {   # start_backends DIR [prefix...]: the anchors' nginx backends, 127.0.0.2:8080 up
  local anchors=$1
  shift
  sed "s#@RUNDIR@#$OUT#g" "$anchors/conf/backends.nginx.conf.in" > "$OUT/backends.conf"
  start backends "$@" nginx -c "$OUT/backends.conf" -p "$OUT"
  wait_http http://127.0.0.2:8080/
}
