#!/usr/bin/env bash
# HTTP/2 from clients in ONE run (issue 15): HAProxy 2.6 and Limpet's data plane, each serving h2
# over TLS (ALPN h2,http/1.1) and h2c (prior knowledge) at once, in front of the anchors' 3 nginx
# backends (../shared/bench/anchors/conf/backends.nginx.conf.in, 127.0.0.{2,3,4}:8080; both
# proxies speak HTTP/1.1 keep-alive to them, round robin, no persistence: the anchors' hap-rr and
# Limpet's rr), loaded by the same h2load run: a fixed number of requests over long-lived
# connections (keep-alive), every run bounded by `timeout`.
#
#   bash bench/h2load.sh                                   # both proxies, h2 and h2c, 1 and 2 threads
#   TARGETS=haproxy THREADS=1 REQUESTS=2000 WARMUP_REQUESTS=0 bash bench/h2load.sh   # a quick check
#   REPEAT=3 THREADS=1 SKIP_BUILD=1 bash bench/h2load.sh   # medians of 3 rounds
#
# Knobs (environment, defaults in brackets):
#   TARGETS [haproxy limpet]  MODES [h2 h2c]  THREADS [1 2] (HAProxy nbthread, Limpet --threads)
#   REQUESTS [300000] measured requests per row;  WARMUP_REQUESTS [200000] before each row (JIT)
#   CONNS [16] h2load clients (connections);  STREAMS [10] concurrent streams per connection
#   REPEAT [1]  LOAD_TIMEOUT [180] s per h2load run  START_TIMEOUT [90] s
#   QUIET_PCT [20] QUIET_WAIT [30]: before each measurement wait up to QUIET_WAIT s for the box,
#     benchmark idle, to be below QUIET_PCT % busy; the value seen is column bg%
#   H1_PORT [18080] (readiness, HTTP/1.1)  TLS_PORT [18443]  H2C_PORT [18082]
#   SKIP_BUILD [0]  MVN [mvn]  LIMPET_JAVA_OPTS, LIMPET_TRANSPORT as for bench/anchors.sh
# Columns: req/s (h2load's, over the measured requests), CPU µs per request (user+sys of the
# proxy's whole process group, a JVM's JIT and GC threads included, /proc/<pid>/stat before and
# after, divided by the 2xx answers), mean ms per request (h2load's "time for request"), errs
# (requests not answered 2xx), bg%; then Limpet ÷ HAProxy per thread count and mode. Goal
# (issue 15): req/s ratio >= 1.0 and CPU ratio <= 1.0.
# Results: bench/results/h2load-<timestamp>/ (table.txt, results.tsv, raw/). Needs root for
# apt-get (h2load is Debian's nghttp2-client) when a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=$(cd "${ANCHORS_DIR:-$root/../shared/bench/anchors}" && pwd)
[ -f "$anchors/conf/backends.nginx.conf.in" ] || { echo "anchors not found at $anchors (set ANCHORS_DIR)" >&2; exit 2; }
TARGETS=${TARGETS:-haproxy limpet}
MODES=${MODES:-h2 h2c}
THREADS=${THREADS:-1 2}
REQUESTS=${REQUESTS:-300000}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-200000}
CONNS=${CONNS:-16}
STREAMS=${STREAMS:-10}
REPEAT=${REPEAT:-1}
LOAD_TIMEOUT=${LOAD_TIMEOUT:-180}
START_TIMEOUT=${START_TIMEOUT:-90}
QUIET_PCT=${QUIET_PCT:-20}
QUIET_WAIT=${QUIET_WAIT:-30}
H1_PORT=${H1_PORT:-18080}
TLS_PORT=${TLS_PORT:-18443}
H2C_PORT=${H2C_PORT:-18082}
OUT=${OUTDIR:-$here/results/h2load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/tmp" "$OUT/raw"
. "$here/lib.sh"   # log, start, ticks, stop, quiet_bg; the traps

for mode in $MODES; do
  case $mode in h2|h2c) ;; *) log "FATAL: unknown mode $mode (h2, h2c)"; exit 2 ;; esac
done
for target in $TARGETS; do
  case $target in haproxy|limpet) ;; *) log "FATAL: unknown target $target (haproxy, limpet)"; exit 2 ;; esac
done

# ------------------------------------------------------------------ tools (Debian packages)
need=()
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
case " $TARGETS " in
  *" limpet "*)
    [ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && "${MVN:-mvn}" -B -q -o -DskipTests package -pl dataplane -am)
    export LIMPET_JAR=${LIMPET_JAR:-$root/dataplane/target/limpet-dataplane.jar}
    [ -f "$LIMPET_JAR" ] || { log "FATAL: $LIMPET_JAR is missing (build it, or set LIMPET_JAR)"; exit 2; }
    export LIMPET_JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} ;;
esac

# ------------------------------------------------------------------ certificate and backends
for port in "$H1_PORT" "$TLS_PORT" "$H2C_PORT"; do
  ! ss -Hltn "sport = :$port" | grep -q . || { log "FATAL: port $port is busy (set H1_PORT/TLS_PORT/H2C_PORT)"; exit 2; }
done
for ip in 127.0.0.2 127.0.0.3 127.0.0.4; do
  ! ss -Hltn "src $ip and sport = :8080" | grep -q . || { log "FATAL: $ip:8080 is busy (an anchors run?)"; exit 2; }
done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench.limpet.test \
  -addext "subjectAltName=DNS:bench.limpet.test,IP:127.0.0.1" \
  -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null
cat "$OUT/tls.crt" "$OUT/tls.key" > "$OUT/haproxy.pem"
sed "s#@RUNDIR@#$OUT#g" "$anchors/conf/backends.nginx.conf.in" > "$OUT/backends.conf"
start backends nginx -c "$OUT/backends.conf" -p "$OUT"
BACKENDS_PGID=$PGID
for ip in 127.0.0.2 127.0.0.3 127.0.0.4; do
  for _ in $(seq 50); do curl -sf "http://$ip:8080/" >/dev/null && break; sleep 0.1; done
  curl -sf "http://$ip:8080/" >/dev/null || { log "FATAL: backend $ip:8080 did not come up"; exit 1; }
done

# ------------------------------------------------------------------ the proxies
# HAProxy: the anchors' hap-common.cfg (global, defaults, the HTTP/1.1 frontend on H1_PORT) and
# hap-rr.cfg (backend be), plus one file with the two HTTP/2 frontends.
cat > "$OUT/hap-h2.cfg" <<CFG
frontend fe_h2
    bind 127.0.0.1:$TLS_PORT ssl crt $OUT/haproxy.pem alpn h2,http/1.1
    default_backend be
frontend fe_h2c
    bind 127.0.0.1:$H2C_PORT proto h2
    default_backend be
CFG
# Limpet: bench/limpet-proxy.sh's rr variant (as bench/anchors.sh runs it) with two more virtual
# services on pool be, HTTP/2 enabled.
export LIMPET_EXTRA_VS="  - {name: bench-h2, address: 127.0.0.1, port: $TLS_PORT, pool: be, limits: {maxConnections: 8000}, http2: {enabled: true}, tls: {certificates: [{name: bench, certificateFile: $OUT/tls.crt, keyFile: $OUT/tls.key}]}}
  - {name: bench-h2c, address: 127.0.0.1, port: $H2C_PORT, pool: be, limits: {maxConnections: 8000}, http2: {enabled: true}}"

start_target() {   # start_target TARGET THREADS ; sets PGID, returns 1 if it does not serve
  local target=$1 thr=$2 _
  case $target in
    haproxy)
      start "haproxy-t$thr" env HAP_NBTHREAD="$thr" RUNDIR="$OUT" PROXY_PORT="$H1_PORT" HAP_REUSE=always \
        haproxy -db -f "$anchors/conf/hap-common.cfg" -f "$anchors/conf/hap-rr.cfg" -f "$OUT/hap-h2.cfg" ;;
    limpet)
      start "limpet-t$thr" env RUNDIR="$OUT" PROXY_PORT="$H1_PORT" PROXY_THREADS="$thr" PROXY_VARIANT=rr \
        BACKENDS="127.0.0.2:8080,127.0.0.3:8080,127.0.0.4:8080" bash "$here/limpet-proxy.sh" ;;
  esac
  for _ in $(seq $((START_TIMEOUT * 5))); do
    kill -0 "$PGID" 2>/dev/null || break
    if curl -sf -o /dev/null --max-time 2 --http2-prior-knowledge "http://127.0.0.1:$H2C_PORT/" &&
       curl -skf -o /dev/null --max-time 2 --http2 "https://127.0.0.1:$TLS_PORT/"; then
      return 0
    fi
    sleep 0.2
  done
  log "ERROR: $target (threads $thr) does not serve h2 and h2c; log tail:"
  tail -n 20 "$OUT/$target-t$thr.log" >&2
  stop "$PGID"
  return 1
}

load() {   # load MODE REQUESTS OUTFILE
  local url="http://127.0.0.1:$H2C_PORT/"
  [ "$1" = h2 ] && url="https://127.0.0.1:$TLS_PORT/"
  timeout -k 5 "$LOAD_TIMEOUT" h2load -n "$2" -c "$CONNS" -m "$STREAMS" -t 1 "$url" > "$3" 2>&1 || true
}

# ------------------------------------------------------------------ run
tick_us=$((1000000 / $(getconf CLK_TCK)))
{
  echo "# $(date -Is) $(uname -n) nproc=$(nproc) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# haproxy $(haproxy -v | head -1 | cut -d' ' -f3), $(h2load --version | head -1), $(openssl version | cut -d' ' -f1-2), $(java -version 2>&1 | head -1)"
  echo "# h2load -n $REQUESTS -c $CONNS -m $STREAMS -t 1 (after $WARMUP_REQUESTS of warm-up); h2 = TLS 1.3, ALPN h2; h2c = prior knowledge; RSA 2048"
} > "$OUT/meta.txt"
cat "$OUT/meta.txt" >&2
printf 'round\ttarget\tthreads\tmode\trps\tcpu_us_per_req\tmean_ms\terrors\tbg_pct\tprotocol\n' > "$OUT/results.tsv"
for rd in $(seq "$REPEAT"); do
  for thr in $THREADS; do
    for target in $TARGETS; do
      if ! start_target "$target" "$thr"; then
        for mode in $MODES; do
          printf '%s\t%s\t%s\t%s\tNA\tNA\tNA\tNA\tNA\tstart-failed\n' "$rd" "$target" "$thr" "$mode" >> "$OUT/results.tsv"
        done
        continue
      fi
      pg=$PGID
      for mode in $MODES; do
        tag="r$rd-$target-t$thr-$mode"
        [ "$WARMUP_REQUESTS" -gt 0 ] && load "$mode" "$WARMUP_REQUESTS" "$OUT/raw/$tag-warmup.txt"
        bg=$(quiet_bg)
        before=$(ticks "$pg")
        load "$mode" "$REQUESTS" "$OUT/raw/$tag.txt"
        after=$(ticks "$pg")
        # h2load: "finished in 1.05s, 1904.76 req/s, ...", "requests: N total, ..., S succeeded, ...",
        # "status codes: A 2xx, ...", "Application protocol: h2", "time for request: min max mean sd"
        awk -v rd="$rd" -v target="$target" -v thr="$thr" -v mode="$mode" -v bg="$bg" \
            -v dt=$((after - before)) -v tick="$tick_us" '
          /^finished in/       { rps = $4 + 0 }
          /^requests:/         { total = $2 }
          /^status codes:/     { ok = $3 }
          /^Application protocol:/ { proto = $3 }
          /^time for request:/ { v = $6; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[^m]s$/) ms *= 1000 }
          END {
            if (ok + 0 == 0 || proto == "") {
              printf "%s\t%s\t%s\t%s\tNA\tNA\tNA\t%s\t%s\t%s\n", rd, target, thr, mode, total + 0, bg, (proto == "" ? "no-result" : proto); exit }
            printf "%s\t%s\t%s\t%s\t%.0f\t%.1f\t%.2f\t%d\t%s\t%s\n", rd, target, thr, mode, rps,
              dt * tick / ok, ms, total - ok, bg, proto }' "$OUT/raw/$tag.txt" >> "$OUT/results.tsv"
        row=$(tail -n 1 "$OUT/results.tsv")
        log "$(echo "$row" | awk -F'\t' '{ printf "%-8s t%s %-4s %8s req/s %7s us/req mean %6s ms errs %s bg %s%% (%s)", $2, $3, $4, $5, $6, $7, $8, $9, $10 }')"
        case "$(echo "$row" | cut -f10)" in
          h2|h2c) ;;
          *) log "WARN: $tag: no HTTP/2 result (see $OUT/raw/$tag.txt)"; tail -n 5 "$OUT/raw/$tag.txt" >&2 ;;
        esac
      done
      stop "$pg"
    done
  done
done
stop "$BACKENDS_PGID"

# ------------------------------------------------------------------ table: medians over rounds, ratios
awk -F'\t' '
  NR == 1 { next }
  { key = $2 "|" $3 "|" $4; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if ($5 == "NA") { failed[key] = $10; next }
    c[key]++; rps[key, c[key]] = $5; cpu[key, c[key]] = $6; mean[key, c[key]] = $7; errs[key] += $8
    if ($9 + 0 > bg[key] + 0) bg[key] = $9 }
  function med(a, key, m,    i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[key, i]
    for (i = 2; i <= m; i++) { t = v[i]; j = i - 1; while (j >= 1 && v[j] + 0 > t + 0) { v[j + 1] = v[j]; j-- } v[j + 1] = t }
    return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END {
    printf "%-8s %3s %-4s %10s %10s %8s %6s %4s %6s\n", "target", "thr", "mode", "req/s", "cpu_us/req", "mean_ms", "errs", "bg%", "rounds"
    for (i = 1; i <= n; i++) {
      key = order[i]; split(key, k, "|"); m = c[key]
      if (m == 0) { printf "%-8s %3s %-4s %10s  (%s)\n", k[1], k[2], k[3], "FAILED", failed[key]; continue }
      r[key] = med(rps, key, m); u[key] = med(cpu, key, m)
      printf "%-8s %3s %-4s %10.0f %10.1f %8.2f %6d %4s %6d\n", k[1], k[2], k[3], r[key], u[key], med(mean, key, m), errs[key], bg[key], m
    }
    printf "\nLimpet / HAProxy (goal: req/s >= 1.00, CPU per request <= 1.00)\n"
    printf "%3s %-4s %11s %11s\n", "thr", "mode", "req/s", "cpu/req"
    for (i = 1; i <= n; i++) {
      key = order[i]; split(key, k, "|"); if (k[1] != "limpet") continue
      h = "haproxy|" k[2] "|" k[3]
      if ((key in r) && (h in r) && r[h] > 0 && u[h] > 0)
        printf "%3s %-4s %11.2f %11.2f\n", k[2], k[3], r[key] / r[h], u[key] / u[h]
      else printf "%3s %-4s %11s %11s\n", k[2], k[3], "-", "-"
    }
  }' "$OUT/results.tsv" > "$OUT/table.txt"
{ cat "$OUT/meta.txt"; cat "$OUT/table.txt"; } | tee "$OUT/table.full.txt"
log "results in $OUT (table.txt, results.tsv, raw/)"
