#!/usr/bin/env bash
# The anchors' PROXY_CMD for Limpet: renders a data-plane configuration for $PROXY_VARIANT from
# the anchors' environment ($PROXY_PORT, $BACKENDS, $PROXY_THREADS, $RUNDIR) and runs the data
# plane in the foreground (exec), access log off like the HAProxy and nginx anchors.
# A variant may end in the data plane's socket transport (rr-io_uring, cookie-epoll, rr-nio), so
# that one anchors run compares transports; without one, $LIMPET_TRANSPORT (default auto).
# LIMPET_RENDER_ONLY=1 prints the configuration instead of running it (RequestAllocation uses it).
# LIMPET_EXTRA_VS: more entries of virtualServices (YAML lines, "  - {...}"), all on pool be;
# h2load.sh adds its HTTP/2 listeners (TLS and h2c) that way.
set -euo pipefail
config="$RUNDIR/limpet-$PROXY_VARIANT.yaml"
variant=${PROXY_VARIANT%%-*}
transport=${LIMPET_TRANSPORT:-auto}
[ "$variant" != "$PROXY_VARIANT" ] && transport=${PROXY_VARIANT#*-}
servers=""
i=0
IFS=',' read -ra backends <<< "$BACKENDS"
for hp in "${backends[@]}"; do
  i=$((i + 1))
  servers="$servers      - {name: s$i, ip: ${hp%:*}, port: ${hp#*:}, headerValue: s$i}
"
done
script=""
case "$variant" in
  rr)     profile="" ;;
  cookie) profile="{name: p, type: HttpCookie, httpCookie: {name: SRV}}" ;;
  src)    profile="{name: p, type: ClientIP, clientIp: {timeoutMinutes: 20}}" ;;
  hdr)    profile="{name: p, type: CustomHeader, customHeader: {name: True-Client-IP}}" ;;
  ds)     profile="" ; script=1 ;;   # the header-persistence DataScript (like hap-lua)
  *) echo "unknown variant $PROXY_VARIANT" >&2; exit 2 ;;
esac
{
  echo "version: bench-$PROXY_VARIANT"
  echo "virtualServices:"
  echo "  - {name: bench, address: 127.0.0.1, port: $PROXY_PORT, pool: be, limits: {maxConnections: 8000}${script:+, dataScripts: [pick]}}"
  [ -n "${LIMPET_EXTRA_VS:-}" ] && printf '%s\n' "$LIMPET_EXTRA_VS"
  echo "pools:"
  echo "  - name: be"
  [ -n "$profile" ] && echo "    persistenceProfile: p"
  echo "    servers:"
  printf '%s' "$servers"
  [ -n "$profile" ] && { echo "persistenceProfiles:"; echo "  - $profile"; }
  [ -n "$script" ] && cat <<'LUA'
dataScripts:
  - name: pick
    pools: [{pool: be}]
    events:
      httpRequest: |
        local client = avi.http.get_header("True-Client-IP")
        if client then
          local server = avi.vs.table_lookup(client)
          if server then avi.pool.select("be", server) end
        end
      httpResponse: |
        local client = avi.http.get_header("True-Client-IP", avi.HTTP_REQUEST)
        if client then avi.vs.table_insert(client, avi.pool.server_ip(), 1200) end
LUA
} > "$config"
[ "${LIMPET_RENDER_ONLY:-0}" = 1 ] && { cat "$config"; exit 0; }
# shellcheck disable=SC2086
# LIMPET_TRANSPORT=none: no --transport option, for a jar from before it existed (epoll then)
transport_opt=(--transport "$transport")
[ "$transport" = none ] && transport_opt=()
exec java $LIMPET_JAVA_OPTS -jar "$LIMPET_JAR" --config "$config" --threads "$PROXY_THREADS" \
  --admin 127.0.0.1:0 --no-access-log "${transport_opt[@]}"
