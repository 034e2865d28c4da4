#!/usr/bin/env bash
# The memory run (issue 10): 50 clients each send one 10 MB message at once to a relay limited to -Xmx512m.
# Prints whether every message was accepted and delivered, whether an OutOfMemoryError occurred, and the peaks.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
W=$(mktemp -d /tmp/postfach-mem.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${BENCH_KEEP:-}" ] && cp "$W/postfach.log" /tmp/memory-run.log; rm -rf "$W"' EXIT
command -v smtp-sink >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
[ -x target/postfach/bin/postfach ] || mvn -q -B package -DskipTests
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SINK=$(port); SMTP=$(port); API=$(port); SUB=$(port)
SINKUSER=(); [ "$(id -u)" = 0 ] && SINKUSER=(-u postfix)
smtp-sink "${SINKUSER[@]}" 127.0.0.1:$SINK 512 & PIDS+=($!)
TOKEN=bench-token-0123456789abcdef
env POSTFACH_DATA_DIR=$W/data POSTFACH_SMTP_INBOUND_PORT=$SMTP POSTFACH_SMTP_SUBMISSION_PORT=$SUB \
    POSTFACH_API_PORT=$API POSTFACH_API_TOKEN=$TOKEN POSTFACH_DELIVERY_MODE=smarthost \
    POSTFACH_DELIVERY_SMARTHOST_HOST=127.0.0.1 POSTFACH_DELIVERY_SMARTHOST_PORT=$SINK \
    POSTFACH_DELIVERY_SMARTHOST_STARTTLS=off POSTFACH_SMTP_INBOUND_VERIFYSENDERS=false \
    POSTFACH_SMTP_MAXCONNECTIONS=200 POSTFACH_SMTP_MAXCONNECTIONSPERIP=200 POSTFACH_SMTP_SESSIONTIMEOUT=30m \
    JAVA_OPTS="-Xmx512m" target/postfach/bin/postfach serve > "$W/postfach.log" 2>&1 & PF_PID=$!; PIDS+=($PF_PID)
for _ in $(seq 120); do grep -q "SMTP inbound on" "$W/postfach.log" && break; sleep 0.5; done
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -d '{"id":"s1","name":"Shop","email":"seller@bench-shop.example","customerServiceEmail":"cs@bench-shop.example"}' \
    http://127.0.0.1:$API/api/sellers >/dev/null
api -d '{"id":"b1","name":"Buyer","email":"buyer@bench-buyer.example"}' http://127.0.0.1:$API/api/buyers >/dev/null
ALIAS=$(api -d '{"id":"302-0000000-0000001","sellerId":"s1","buyerId":"b1"}' http://127.0.0.1:$API/api/orders \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["buyerAlias"])')
metric() { curl -sf http://127.0.0.1:$API/metrics | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {print s + 0}'; }
(while kill -0 $PF_PID 2>/dev/null; do metric 'jvm_memory_used_bytes{area="heap"' >> "$W/heap" || true; sleep 0.5; done) &
PIDS+=($!)
R=$(BENCH_TIMEOUT=600 python3 bench/inject.py 127.0.0.1 $SMTP seller@bench-shop.example "$ALIAS" 50 50 10000000 || echo "client failed")
for _ in $(seq 600); do [ "$(metric 'postfach_deliveries_total{result="delivered"')" -ge 50 ] 2>/dev/null && break; sleep 0.5; done
echo "client: $R"
echo "delivered: $(metric 'postfach_deliveries_total{result="delivered"')"
echo "OutOfMemoryError in the log: $(grep -c OutOfMemoryError "$W/postfach.log" || true)"
echo "peak heap: $(sort -n "$W/heap" | tail -1 | awk '{printf "%.0f MB", $1 / 1048576}')"
echo "peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$(pgrep -P $PF_PID java || echo $PF_PID)/status 2>/dev/null || echo '?')"
