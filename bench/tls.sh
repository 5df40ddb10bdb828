#!/usr/bin/env bash
# TLS termination in ONE run: HAProxy vs Limpet with OpenSSL (BoringSSL via netty-tcnative) vs
# Limpet with the JDK's TLS, the same certificate (RSA 2048), the same 3 nginx backends (the
# anchors' backend configuration, moved to port 18090), the same wrk load, on 127.0.0.1 only.
#
#   bash bench/tls.sh                                  # threads 1 and 2, keep-alive and close
#   TARGETS="haproxy limpet-openssl" THREADS=1 bash bench/tls.sh
#
# Targets: haproxy         session resumption off (no tickets, no cache): full handshakes only
#          haproxy-resume  HAProxy's defaults: wrk resumes with TLS 1.3 tickets (not in the default set)
#          limpet-openssl  Limpet, --tls-provider openssl (issues no TLS 1.3 tickets: full handshakes)
#          limpet-jdk      Limpet, --tls-provider jdk (likewise)
# Modes: ka    = keep-alive: throughput of established TLS connections
#        close = "Connection: close": a new TCP connection and a TLS 1.3 handshake per request,
#                so req/s = handshakes per second (the reuse column: HAProxy's
#                SslFrontendSessionReuse_pct, 0 when every handshake was a full one)
# Columns: req/s, p99 latency, proxy CPU (user+sys of its process group) per request, reuse%,
#          bg% = the box's busy % in the second before the measurement, this benchmark idle
#          (anything else running then is noise in that row; out of 100 per core). Before each
#          measurement the script waits up to QUIET_WAIT s [120] for bg% below QUIET_PCT [20].
# Results: bench/results/tls-<timestamp>/table.txt (not checked in). Needs haproxy, nginx, wrk,
# openssl and curl on the PATH (bench/anchors.sh installs the first three).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=${ANCHORS_DIR:-$root/../shared/bench/anchors}
THREADS=${THREADS:-1 2}
MODES=${MODES:-ka close}
TARGETS=${TARGETS:-haproxy limpet-openssl limpet-jdk}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
CONNS=${CONNS:-64}
PORT=${PORT:-18443}
QUIET_PCT=${QUIET_PCT:-20}
QUIET_WAIT=${QUIET_WAIT:-120}
BACKEND_PORT=18090
OUT=${OUTDIR:-$here/results/tls-$(date +%Y%m%d-%H%M%S)}
JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}
jar="$root/dataplane/target/limpet-dataplane.jar"
mkdir -p "$OUT/tmp"
for tool in haproxy nginx wrk openssl curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 2; }
done
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && mvn -B -q -o -DskipTests package -pl dataplane -am)

. "$here/lib.sh"   # log, start, ticks, stop, busy_pct, quiet_bg; the traps

# ------------------------------------------------------------------ certificate and backends
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench.limpet.test \
  -addext "subjectAltName=DNS:bench.limpet.test,IP:127.0.0.1" \
  -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null
cat "$OUT/tls.crt" "$OUT/tls.key" > "$OUT/haproxy.pem"
sed -e "s#@RUNDIR@#$OUT#g" -e "s#:8080#:$BACKEND_PORT#g" \
  "$anchors/conf/backends.nginx.conf.in" > "$OUT/backends.conf"
start backends nginx -c "$OUT/backends.conf" -p "$OUT"
BACKENDS_PGID=$PGID
for i in $(seq 50); do curl -sf "http://127.0.0.2:$BACKEND_PORT/" >/dev/null && break; sleep 0.1; done

haproxy_conf() {   # haproxy_conf THREADS RESUME(0|1)
  local cache="" tickets=""
  [ "$2" = 1 ] || { cache="tune.ssl.cachesize 0"; tickets=" no-tls-tickets"; }
  cat <<CFG
global
    nbthread $1
    maxconn 8000
    stats socket $OUT/hap.sock mode 600 level admin
    ssl-default-bind-options ssl-min-ver TLSv1.2
    $cache
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
    maxconn 8000
frontend fe
    bind 127.0.0.1:$PORT ssl crt $OUT/haproxy.pem alpn http/1.1$tickets
    default_backend be
backend be
    balance roundrobin
    server s1 127.0.0.2:$BACKEND_PORT
    server s2 127.0.0.3:$BACKEND_PORT
    server s3 127.0.0.4:$BACKEND_PORT
CFG
}

limpet_conf() {
  cat <<CFG
version: bench-tls
virtualServices:
  - name: bench
    address: 127.0.0.1
    port: $PORT
    pool: be
    limits: {maxConnections: 8000}
    tls:
      certificates: [{name: bench, certificateFile: $OUT/tls.crt, keyFile: $OUT/tls.key}]
pools:
  - name: be
    servers:
      - {name: s1, ip: 127.0.0.2, port: $BACKEND_PORT}
      - {name: s2, ip: 127.0.0.3, port: $BACKEND_PORT}
      - {name: s3, ip: 127.0.0.4, port: $BACKEND_PORT}
CFG
}

start_target() {   # start_target TARGET THREADS
  case "$1" in
    haproxy|haproxy-resume)
      haproxy_conf "$2" "$([ "$1" = haproxy-resume ] && echo 1 || echo 0)" > "$OUT/$1.cfg"
      start "$1-t$2" haproxy -db -f "$OUT/$1.cfg" ;;
    limpet-openssl|limpet-jdk)
      limpet_conf > "$OUT/limpet.yaml"
      # shellcheck disable=SC2086
      start "$1-t$2" java $JAVA_OPTS -jar "$jar" --config "$OUT/limpet.yaml" --threads "$2" \
        --admin 127.0.0.1:0 --no-access-log --tls-provider "${1#limpet-}" ;;
  esac
  for i in $(seq 300); do
    curl -skf "https://127.0.0.1:$PORT/" >/dev/null && return 0
    sleep 0.2
  done
  log "FATAL: $1 did not answer on https://127.0.0.1:$PORT/"; exit 1
}

load() {   # load MODE SECONDS -> wrk output
  local header=()
  [ "$1" = close ] && header=(-H "Connection: close")
  timeout $(($2 + 30)) wrk -t1 -c"$CONNS" -d"$2"s --latency "${header[@]}" "https://127.0.0.1:$PORT/"
}

p99_ms() {  # the 99% line of wrk --latency, in ms
  awk '$1=="99%" { v=$2; u=v; sub(/[a-z]+$/,"",v); sub(/^[0-9.]+/,"",u);
                   m = (u=="us") ? v/1000 : (u=="s") ? v*1000 : v; printf "%.2f", m }'
}

tick_us=$((1000000 / $(getconf CLK_TCK)))
{
  echo "# $(date -Is) $(uname -n) nproc=$(nproc) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# haproxy $(haproxy -v | head -1 | cut -d' ' -f3), $(java -version 2>&1 | head -1), $(openssl version)"
  echo "# wrk -t1 -c$CONNS -d${DURATION}s --latency, warm-up ${WARMUP}s per target; RSA 2048 certificate"
  printf '%-15s %3s %-5s %10s %9s %9s %7s %4s\n' target thr mode req/s p99_ms cpu_us/req reuse% bg%
} | tee "$OUT/table.txt"
for thr in $THREADS; do
  for target in $TARGETS; do
    start_target "$target" "$thr"
    pg=$PGID
    load ka "$WARMUP" > "$OUT/raw-$target-t$thr-warmup.txt"
    for mode in $MODES; do
      bg=$(quiet_bg)
      before=$(ticks "$pg")
      out=$(load "$mode" "$DURATION")
      after=$(ticks "$pg")
      echo "$out" > "$OUT/raw-$target-t$thr-$mode.txt"
      rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
      requests=$(echo "$out" | awk '/requests in/ { print $1 }')
      p99=$(echo "$out" | p99_ms)
      cpu=$(awk -v t=$((after - before)) -v n="$requests" -v us="$tick_us" \
        'BEGIN { printf "%.1f", (n > 0 ? t * us / n : 0) }')
      reuse=-
      [ "${target#haproxy}" != "$target" ] &&
        reuse=$(echo "show info" | socat - "UNIX-CONNECT:$OUT/hap.sock" 2>/dev/null |
          awk -F': ' '/^SslFrontendSessionReuse_pct/ { print $2 }')
      printf '%-15s %3s %-5s %10.0f %9s %9s %7s %4s\n' "$target" "$thr" "$mode" "$rps" "$p99" \
        "$cpu" "${reuse:--}" "$bg" | tee -a "$OUT/table.txt"
    done
    stop "$pg"
  done
done
stop "$BACKENDS_PGID"
log "results in $OUT/table.txt"
