#!/usr/bin/env bash
# What one proxied request costs besides CPU time: system calls (all of them, and strace's table
# by call) and, for Limpet, bytes allocated plus JFR's CPU and allocation samples by frame. Same
# backends, wrk script and client population as the anchors (../shared/bench/anchors), 1 proxy
# thread, keep-alive and connection-per-request; every load run bounded by wrk -d and timeout.
#
#   bash bench/per-request.sh                      # limpet src + ds, HAProxy stick-src + lua
#   VARIANTS="src" HAPROXY="hap-stick-src" bash bench/per-request.sh
#   LIMPET_TRANSPORT=io_uring bash bench/per-request.sh
#   LIMPET_JAR=/path/to/older/limpet-dataplane.jar HAPROXY= bash bench/per-request.sh  # a before/after
#
# Results: bench/results/per-request-<timestamp>/ (summary.txt, *.jfr, strace tables).
# Run on a quiet machine: strace slows the proxy, so its table is read per request, never timed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=$(cd "${ANCHORS_DIR:-$root/../shared/bench/anchors}" && pwd)
[ -f "$anchors/run.sh" ] || { echo "anchors not found at $anchors (set ANCHORS_DIR)" >&2; exit 2; }
export ANCHORS=$anchors
VARIANTS=${VARIANTS-src ds}
HAPROXY=${HAPROXY-hap-stick-src hap-lua}
MODES=${MODES:-keep-alive close}
WARMUP=${WARMUP:-10}
SECONDS_MEASURED=${SECONDS_MEASURED:-5}
CONNS=${CONNS:-64}
out=${OUTDIR:-$here/results/per-request-$(date +%Y%m%d-%H%M%S)}
export RUNDIR="$out/rundir" PROXY_PORT=${PROXY_PORT:-18080} PROXY_THREADS=1 HAP_NBTHREAD=1
export HAP_REUSE=${HAP_REUSE:-always} BACKENDS="127.0.0.2:8080,127.0.0.3:8080,127.0.0.4:8080"
export CLIENTS=${CLIENTS:-1000} SRCBIND_N=${SRC_ADDRS:-1000}
mkdir -p "$RUNDIR/tmp"
summary="$out/summary.txt"
OUT=$RUNDIR
. "$here/lib.sh"   # log, start, stop, wait_http, anchors_shim, start_backends; the traps
shim=$(anchors_shim "$anchors")

# wrk_run SECONDS MODE OUTFILE: the anchors' load; prints the number of requests served
wrk_run() {
  local hdr=()
  [ "$2" = close ] && hdr=(-H "Connection: close")
  LD_PRELOAD="$shim" timeout -k 5 $(($1 + 30)) wrk -t1 -c"$CONNS" -d"$1s" --timeout 5s \
    -s "$anchors/lua/clients.lua" "${hdr[@]}" "http://127.0.0.1:$PROXY_PORT/" > "$3" 2>&1
  sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$3"
}

# syscalls_per_request NAME PID MODE: perf counts every system call of the process (cheap, so the
# proxy runs at speed); strace -c then gives the table by call over a second, shorter run
syscalls_per_request() {
  local name=$1 pid=$2 mode=$3 perf_out="$out/$1.$3.perf" n calls
  perf stat -e raw_syscalls:sys_enter -p "$pid" -o "$perf_out" -- sleep $((SECONDS_MEASURED + 1)) &
  local perf_pid=$!
  n=$(wrk_run "$SECONDS_MEASURED" "$mode" "$out/$name.$mode.wrk")
  wait "$perf_pid"
  calls=$(awk '/raw_syscalls:sys_enter/ { gsub(",", "", $1); print $1 }' "$perf_out")
  strace -c -f -p "$pid" -o "$out/$name.$mode.strace" &
  local strace_pid=$!
  sleep 0.5
  local traced
  traced=$(wrk_run 3 "$mode" "$out/$name.$mode.strace-wrk")
  kill -INT "$strace_pid"
  wait "$strace_pid" 2>/dev/null || true
  awk -v n="$n" -v c="$calls" -v t="$traced" -v name="$name" -v mode="$mode" 'BEGIN {
    printf "%-24s %-10s requests %8d  syscalls/request %6.2f  (strace table: %d requests)\n",
      name, mode, n, c / n, t }' >> "$summary"
  awk -v t="$traced" 'NR > 2 && $NF != "total" && $4 ~ /^[0-9]+$/ {
      printf "    %-16s %6.3f per request\n", $NF, $4 / t }' "$out/$name.$mode.strace" \
    | sort -k2 -nr | awk 'NR <= 8' >> "$summary"  # awk reads all: no SIGPIPE under pipefail
}

# jfr_per_request NAME PID MODE: bytes allocated per request by the data plane's threads (JFR's
# ThreadAllocationStatistics, first and last reading; the recorder's and jcmd's own threads left
# out) and the top frames of CPU and allocation
tool_threads='"(JFR|Attach Listener)'
jfr_per_request() {
  local name=$1 pid=$2 mode=$3 file="$out/$1.$3.jfr" n
  jcmd "$pid" JFR.start name=per-request settings=profile filename="$file" > /dev/null
  n=$(wrk_run "$SECONDS_MEASURED" "$mode" "$out/$name.$mode.jfr-wrk")
  jcmd "$pid" JFR.stop name=per-request > /dev/null
  jfr print --events jdk.ThreadAllocationStatistics "$file" | awk -v TOOL="$tool_threads" -v n="$n" -v name="$name" -v mode="$mode" '
    /allocated = / { v = $3; gsub(/[^0-9.]/, "", v); u = $4
      b = v * (u ~ /kB/ ? 1024 : u ~ /MB/ ? 1048576 : u ~ /GB/ ? 1073741824 : 1) }
    /javaThreadId/ { if ($0 ~ TOOL) next; t = $NF; if (!(t in first)) first[t] = b; last[t] = b }
    END { for (t in first) s += last[t] - first[t]
      printf "%-24s %-10s bytes allocated/request %8.0f  (JFR, %d requests)\n", name, mode, s / n, n }' \
    >> "$summary"
  echo "    CPU samples, top frames:" >> "$summary"
  jfr print --events jdk.ExecutionSample --stack-depth 1 "$file" \
    | awk '/stackTrace = \[/ { getline; sub(/^[ \t]+/, ""); sub(/ +line:.*/, ""); c[$0]++; n++ }
           END { for (f in c) printf "      %5.1f%%  %s\n", 100 * c[f] / n, f }' \
    | sort -nr | awk 'NR <= 12' >> "$summary"
  echo "    allocation samples (weight), top frames:" >> "$summary"
  jfr print --events jdk.ObjectAllocationSample --stack-depth 1 "$file" \
    | awk -v TOOL="$tool_threads" '/weight = / { v = $3; gsub(/[^0-9.]/, "", v); u = $4
             w = v * (u ~ /kB/ ? 1024 : u ~ /MB/ ? 1048576 : u ~ /GB/ ? 1073741824 : 1) }
           /eventThread = / { tool = $0 ~ TOOL }
           /stackTrace = \[/ { if (tool) next; getline; sub(/^[ \t]+/, ""); sub(/ +line:.*/, ""); c[$0] += w; s += w }
           END { for (f in c) printf "      %5.1f%%  %s\n", 100 * c[f] / s, f }' \
    | sort -nr | awk 'NR <= 12' >> "$summary"
}

[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && mvn -B -q -o -DskipTests package -pl dataplane -am)
start_backends "$anchors"
{
  echo "per-request costs, $(date -u +%FT%TZ), 1 proxy thread, wrk -t1 -c$CONNS, $CLIENTS clients"
  echo "LIMPET_TRANSPORT=${LIMPET_TRANSPORT:-default}"
} > "$summary"

export LIMPET_JAR=${LIMPET_JAR:-$root/dataplane/target/limpet-dataplane.jar}
export LIMPET_JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
for variant in $VARIANTS; do
  start "limpet-$variant" env PROXY_VARIANT="$variant" bash "$here/limpet-proxy.sh"
  proxy=$PGID
  wait_http "http://127.0.0.1:$PROXY_PORT/"
  for mode in $MODES; do
    wrk_run "$WARMUP" "$mode" "$out/limpet-$variant.$mode.warmup" > /dev/null
    syscalls_per_request "limpet-$variant" "$proxy" "$mode"
    jfr_per_request "limpet-$variant" "$proxy" "$mode"
  done
  stop "$proxy"
done
for scenario in $HAPROXY; do
  start "$scenario" haproxy -db -f "$anchors/conf/hap-common.cfg" -f "$anchors/conf/$scenario.cfg"
  proxy=$PGID
  wait_http "http://127.0.0.1:$PROXY_PORT/"
  for mode in $MODES; do
    wrk_run 3 "$mode" "$out/$scenario.$mode.warmup" > /dev/null
    syscalls_per_request "$scenario" "$proxy" "$mode"
  done
  stop "$proxy"
done
cat "$summary"
