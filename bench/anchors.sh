#!/usr/bin/env bash
# Limpet's data plane against HAProxy (and nginx) in ONE run of the shared anchors benchmark:
# same backends, same wrk load, same machine state; report ratios from that run only.
#
#   bash bench/anchors.sh                          # Limpet rr/cookie/src/hdr vs the matching HAProxy scenarios
#   REPEAT=3 bash bench/anchors.sh                 # medians of 3 rounds
#   SCENARIOS="hap-rr" PROXY_VARIANTS="rr" bash bench/anchors.sh
#
# Variants (PROXY_VARIANTS) and the HAProxy scenario each compares with:
#   rr      no persistence, round robin                    vs hap-rr
#   cookie  HttpCookie insert (AES-GCM value, name SRV)    vs hap-cookie
#   src     ClientIP persistence                           vs hap-stick-src
#   hdr     CustomHeader on True-Client-IP                 vs hap-stick-hdr
#   ds      DataScript: True-Client-IP table persistence  vs hap-lua (PROXY_VARIANTS=ds SCENARIOS=hap-lua)
# The data plane's socket transport (--transport): LIMPET_TRANSPORT=auto|io_uring|epoll|nio for
# every variant (default auto), or per variant as a suffix, to compare transports in one run:
#   PROXY_VARIANTS="rr-epoll rr-io_uring cookie-epoll cookie-io_uring" bash bench/anchors.sh
# Results: bench/results/<timestamp>/table.txt (not checked in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
anchors=${ANCHORS_DIR:-$root/../shared/bench/anchors}
[ -f "$anchors/run.sh" ] || { echo "anchors not found at $anchors (set ANCHORS_DIR)" >&2; exit 2; }

(cd "$root" && mvn -B -q -DskipTests package -pl dataplane -am)
export LIMPET_JAR="$root/dataplane/target/limpet-dataplane.jar"
export LIMPET_JAVA_OPTS=${LIMPET_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}

PROXY_NAME=limpet \
PROXY_VARIANTS=${PROXY_VARIANTS:-rr cookie src hdr} \
PROXY_WARMUP=${PROXY_WARMUP:-10} \
PROXY_CMD="exec bash $here/limpet-proxy.sh" \
SCENARIOS=${SCENARIOS:-hap-rr hap-cookie hap-stick-src hap-stick-hdr} \
OUTDIR=${OUTDIR:-$here/results/$(date +%Y%m%d-%H%M%S)} \
  bash "$anchors/run.sh"
