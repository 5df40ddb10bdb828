#!/usr/bin/env bash
# User and kernel CPU per request, Limpet beside HAProxy or one data-plane jar beside another, on the
# anchors' backends and load (../shared/bench/anchors: 3 nginx backends, wrk with 1,000 clients from
# 1,000 source addresses, 64 connections, 1 proxy thread). Every run is bounded by wrk -d and timeout.
#
#   bash bench/cpu-split.sh                          # Limpet src beside HAProxy stick-src
#   VARIANTS="src ds" HAPROXY="hap-stick-src hap-lua" bash bench/cpu-split.sh
#   A=/path/old.jar B=/path/new.jar VARIANTS=src ROUNDS=5 bash bench/cpu-split.sh   # an A/B
#
# Side by side (default): each proxy in turn, WARMUP s of load then SECONDS_MEASURED s measured,
# per mode. A/B (A and B set): both data planes run at once (A on PROXY_PORT, B on PROXY_PORT+1),
# pinned to CPU $PROXY_CPU, wrk and the backends to CPU $LOAD_CPU, and the load alternates between
# them ROUNDS times, so that both see the same machine; read the rows in pairs. The machine drifts
# by ±10% over a minute even then: a difference is a finding only when most pairs agree.
# Columns: user, sys and total µs of CPU per request (/proc/<pid>/stat before and after, the JVM's
# JIT and GC threads included), requests and req/s of the window.
# Results: bench/results/cpu-split-<timestamp>/ (summary.txt, wrk outputs, logs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=$(cd "${ANCHORS_DIR:-$root/../shared/bench/anchors}" && pwd)
[ -f "$anchors/run.sh" ] || { echo "anchors not found at $anchors (set ANCHORS_DIR)" >&2; exit 2; }
VARIANTS=${VARIANTS:-src}
HAPROXY=${HAPROXY-hap-stick-src}
MODES=${MODES:-keep-alive close}
WARMUP=${WARMUP:-15}
SECONDS_MEASURED=${SECONDS_MEASURED:-10}
ROUNDS=${ROUNDS:-5}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
out=${OUTDIR:-$here/results/cpu-split-$(date +%Y%m%d-%H%M%S)}
export ANCHORS=$anchors RUNDIR="$out/rundir" PROXY_PORT=${PROXY_PORT:-18080} PROXY_THREADS=1
export HAP_NBTHREAD=1 HAP_REUSE=${HAP_REUSE:-always}
export BACKENDS="127.0.0.2:8080,127.0.0.3:8080,127.0.0.4:8080" CLIENTS=${CLIENTS:-1000}
export SRCBIND_N=${SRC_ADDRS:-1000}
export LIMPET_JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
mkdir -p "$RUNDIR/tmp" "$RUNDIR/b/tmp"
summary="$out/summary.txt"
OUT=$RUNDIR
. "$here/lib.sh"   # log, start, stop, wait_http, anchors_shim, start_backends; the traps
shim=$(anchors_shim "$anchors")

# measure NAME PID PORT MODE SECONDS [CPU]: one window of load; prints its row
measure() {
  local hdr=() pin=() u0 s0 u1 s1 n
  [ "$4" = close ] && hdr=(-H "Connection: close")
  [ -n "${6:-}" ] && pin=(taskset -c "$6")
  read -r u0 s0 < <(awk '{ print $14, $15 }' "/proc/$2/stat")
  LD_PRELOAD="$shim" timeout -k 5 $(($5 + 30)) "${pin[@]}" wrk -t1 -c64 -d"$5s" --timeout 5s \
    -s "$anchors/lua/clients.lua" "${hdr[@]}" "http://127.0.0.1:$3/" > "$out/$1.$4.wrk" 2>&1
  read -r u1 s1 < <(awk '{ print $14, $15 }' "/proc/$2/stat")
  n=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$out/$1.$4.wrk")
  awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v n="$n" -v t="$5" -v hz="$(getconf CLK_TCK)" \
    -v name="$1" -v mode="$4" 'BEGIN {
      f = 1e6 / hz / n
      printf "%-24s %-10s user %5.1f  sys %5.1f  total %5.1f µs/req  %8d requests  %7.0f req/s\n",
        name, mode, u * f, s * f, (u + s) * f, n, n / t }'
}

backend_pin=()
[ -n "${A:-}" ] && backend_pin=(taskset -c "$LOAD_CPU")
start_backends "$anchors" "${backend_pin[@]}"
echo "cpu-split $(date -u +%FT%TZ): 1 proxy thread, wrk -t1 -c64, $CLIENTS clients" > "$summary"

if [ -n "${A:-}" ]; then
  [ -n "${B:-}" ] || { echo "A/B needs both A and B (jars)" >&2; exit 2; }
  for variant in $VARIANTS; do
    start "a-$variant" env LIMPET_JAR="$A" PROXY_VARIANT="$variant" \
      taskset -c "$PROXY_CPU" bash "$here/limpet-proxy.sh"
    pa=$PGID
    start "b-$variant" env LIMPET_JAR="$B" PROXY_VARIANT="$variant" PROXY_PORT=$((PROXY_PORT + 1)) \
      RUNDIR="$RUNDIR/b" taskset -c "$PROXY_CPU" bash "$here/limpet-proxy.sh"
    pb=$PGID
    wait_http "http://127.0.0.1:$PROXY_PORT/"
    wait_http "http://127.0.0.1:$((PROXY_PORT + 1))/"
    echo "A = $A, B = $B" >> "$summary"
    for mode in $MODES; do
      measure "A-$variant" "$pa" "$PROXY_PORT" "$mode" "$WARMUP" "$LOAD_CPU" > /dev/null
      measure "B-$variant" "$pb" $((PROXY_PORT + 1)) "$mode" "$WARMUP" "$LOAD_CPU" > /dev/null
      for round in $(seq "$ROUNDS"); do
        measure "A-$variant" "$pa" "$PROXY_PORT" "$mode" "$SECONDS_MEASURED" "$LOAD_CPU" >> "$summary"
        measure "B-$variant" "$pb" $((PROXY_PORT + 1)) "$mode" "$SECONDS_MEASURED" "$LOAD_CPU" \
          >> "$summary"
      done
    done
    stop "$pa"
    stop "$pb"
  done
  cat "$summary"
  exit 0
fi

export LIMPET_JAR=${LIMPET_JAR:-$root/dataplane/target/limpet-dataplane.jar}
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && mvn -B -q -o -DskipTests package -pl dataplane -am)
for variant in $VARIANTS; do
  start "limpet-$variant" env PROXY_VARIANT="$variant" bash "$here/limpet-proxy.sh"
  proxy=$PGID
  wait_http "http://127.0.0.1:$PROXY_PORT/"
  for mode in $MODES; do
    measure "limpet-$variant" "$proxy" "$PROXY_PORT" "$mode" "$WARMUP" > /dev/null
    measure "limpet-$variant" "$proxy" "$PROXY_PORT" "$mode" "$SECONDS_MEASURED" >> "$summary"
  done
  stop "$proxy"
done
for scenario in $HAPROXY; do
  start "$scenario" haproxy -db -f "$anchors/conf/hap-common.cfg" -f "$anchors/conf/$scenario.cfg"
  proxy=$PGID
  wait_http "http://127.0.0.1:$PROXY_PORT/"
  for mode in $MODES; do
    measure "$scenario" "$proxy" "$PROXY_PORT" "$mode" 3 > /dev/null
    measure "$scenario" "$proxy" "$PROXY_PORT" "$mode" "$SECONDS_MEASURED" >> "$summary"
  done
  stop "$proxy"
done
cat "$summary"
