#!/usr/bin/env bash
# Where the data plane's CPU goes under the anchors' load: async-profiler (from Maven Central, the
# version pinned in the root pom) attached to a running data plane, CPU samples of every thread,
# kernel time included as the `syscall` frame; collapsed stacks plus a summary per variant and mode.
# Same backends, wrk script and clients as the anchors, 1 proxy thread; every run bounded.
#
#   bash bench/profile.sh                              # src, keep-alive and close
#   VARIANTS="src ds" MODES=keep-alive bash bench/profile.sh
#   LIMPET_JAR=/path/other.jar bash bench/profile.sh
#
# Results: bench/results/profile-<timestamp>/ (<variant>.<mode>.collapsed, summary.txt). A
# collapsed file is one stack per line with its sample count: grep it, or feed it to a flame-graph
# tool. summary.txt: the share of samples in the kernel, in the JVM's own threads (JIT, GC), and
# the top frames where the samples were taken ("self").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=$(cd "${ANCHORS_DIR:-$root/../shared/bench/anchors}" && pwd)
[ -f "$anchors/run.sh" ] || { echo "anchors not found at $anchors (set ANCHORS_DIR)" >&2; exit 2; }
VARIANTS=${VARIANTS:-src}
MODES=${MODES:-keep-alive close}
WARMUP=${WARMUP:-15}
SECONDS_MEASURED=${SECONDS_MEASURED:-10}
INTERVAL_NS=${INTERVAL_NS:-100000}
out=${OUTDIR:-$here/results/profile-$(date +%Y%m%d-%H%M%S)}
export ANCHORS=$anchors RUNDIR="$out/rundir" PROXY_PORT=${PROXY_PORT:-18080} PROXY_THREADS=1
export BACKENDS="127.0.0.2:8080,127.0.0.3:8080,127.0.0.4:8080" CLIENTS=${CLIENTS:-1000}
export SRCBIND_N=${SRC_ADDRS:-1000}
export LIMPET_JAR=${LIMPET_JAR:-$root/dataplane/target/limpet-dataplane.jar}
export LIMPET_JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
mkdir -p "$RUNDIR/tmp"
summary="$out/summary.txt"
OUT=$RUNDIR
. "$here/lib.sh"   # log, start, stop, wait_http, anchors_shim, start_backends; the traps
shim=$(anchors_shim "$anchors")

# the agent: async-profiler's jar for linux-x64 from Maven Central, at the version the root pom
# pins (async-profiler.version), its native library unpacked
version=$(sed -n 's:.*<async-profiler.version>\(.*\)</async-profiler.version>.*:\1:p' "$root/pom.xml")
mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" \
  -DoutputDirectory="$out" -Dmdep.stripVersion=true
unzip -q -o "$out/async-profiler-linux-x64.jar" 'linux-x64/*' -d "$out"
agent="$out/linux-x64/libasyncProfiler.so"

wrk_run() {  # SECONDS MODE OUTFILE
  local hdr=()
  [ "$2" = close ] && hdr=(-H "Connection: close")
  LD_PRELOAD="$shim" timeout -k 5 $(($1 + 30)) wrk -t1 -c64 -d"$1s" --timeout 5s \
    -s "$anchors/lua/clients.lua" "${hdr[@]}" "http://127.0.0.1:$PROXY_PORT/" > "$3" 2>&1
}

# summarize FILE: kernel, JVM threads and top self frames of a collapsed profile
summarize() {
  awk '{ n = $NF; $NF = ""; sub(/ $/, ""); total += n
         k = split($0, f, ";"); leaf = f[k]
         if (leaf == "syscall") kernel += n
         if (f[1] ~ /^clone/) jvm += n
         self[leaf] += n }
       END { printf "    samples %d: kernel (syscall) %.1f%%, JVM threads (JIT, GC) %.1f%%\n",
               total, 100 * kernel / total, 100 * jvm / total
             for (s in self) if (s != "syscall") printf "      %5.1f%%  %s\n", 100 * self[s] / total, s }' "$1" \
    | awk 'NR == 1 { print; next } { print | "sort -nr | awk \"NR <= 15\"" }'
}

start_backends "$anchors"
echo "profile $(date -u +%FT%TZ) of $LIMPET_JAR, async-profiler ctimer every ${INTERVAL_NS} ns" > "$summary"
for variant in $VARIANTS; do
  start "limpet-$variant" env PROXY_VARIANT="$variant" bash "$here/limpet-proxy.sh"
  proxy=$PGID
  wait_http "http://127.0.0.1:$PROXY_PORT/"
  for mode in $MODES; do
    file="$out/$variant.$mode.collapsed"
    wrk_run "$WARMUP" "$mode" "$out/$variant.$mode.warmup"
    # jcmd hands the options to the agent as one argument only when quoted inside
    jcmd "$proxy" JVMTI.agent_load "$agent" "'start,event=ctimer,interval=$INTERVAL_NS'" > /dev/null
    wrk_run "$SECONDS_MEASURED" "$mode" "$out/$variant.$mode.wrk"
    jcmd "$proxy" JVMTI.agent_load "$agent" "'stop,file=$file,collapsed'" > /dev/null
    echo "limpet-$variant $mode" >> "$summary"
    summarize "$file" >> "$summary"
  done
  stop "$proxy"
done
cat "$summary"
