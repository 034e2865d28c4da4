#!/usr/bin/env bash
# Postfach side by side with Postfix (issue 10): the same load through both, each relaying to its own smtp-sink.
# Usage: bench/run.sh            (10,000 messages, 20 sessions, at 5 KB and at 100 KB, after a warm-up (see below);
#                                 about 8 minutes)
#        BENCH_MESSAGES=2000 bench/run.sh   (a shorter run)
#        BENCH_STORE=postgres bench/run.sh  (Postfach on a throw-away local PostgreSQL instead of H2)
# Needs: Java 17, Maven, python3; installs Debian's postfix (for smtp-sink and the Postfix relay) when missing.
# Everything listens on 127.0.0.1 only; every process started here is stopped at the end.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
N=${BENCH_MESSAGES:-10000}
SESSIONS=${BENCH_SESSIONS:-20}
SIZES=${BENCH_SIZES:-"5120 102400"}
W=$(mktemp -d /tmp/postfach-bench.XXXXXX)
PIDS=()
PGSTOP=()
PF=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # Postfach drains before it exits; wait for that before its store goes away (else it waits on PostgreSQL)
  for _ in $(seq 40); do { [ -z "${PF_PID:-}" ] || ! kill -0 "$PF_PID" 2>/dev/null; } && break; sleep 0.5; done
  [ -n "${PF_PID:-}" ] && { pkill -9 -P "$PF_PID" 2>/dev/null; kill -9 "$PF_PID" 2>/dev/null; } || true
  [ -n "$PF" ] && postfix -c "$PF/etc" stop >/dev/null 2>&1 || true
  [ ${#PGSTOP[@]} -gt 0 ] && "${PGSTOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

command -v smtp-sink >/dev/null || { echo "installing postfix (smtp-sink, smtp-source)"; \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null; }
[ -x target/postfach/bin/postfach ] || mvn -q -B package -DskipTests

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SINK1=$(port); SINK2=$(port); SMTP=$(port); API=$(port); SUB=$(port); PFPORT=$(port)
SINKUSER=(); [ "$(id -u)" = 0 ] && SINKUSER=(-u postfix)
smtp-sink "${SINKUSER[@]}" 127.0.0.1:$SINK1 512 & PIDS+=($!)
smtp-sink "${SINKUSER[@]}" 127.0.0.1:$SINK2 512 & PIDS+=($!)

# ---- the store: the embedded H2 (default), or BENCH_STORE=postgres for a throw-away local PostgreSQL ----
STORE_ENV=()
if [ "${BENCH_STORE:-h2}" = postgres ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "BENCH_STORE=postgres needs Debian's postgresql (initdb)"; exit 1; }
  PGPORT=$(port); PGH=$W/pg; mkdir -p "$PGH"; chmod 755 "$W"
  AS=(); [ "$(id -u)" = 0 ] && { chown postgres "$PGH"; AS=(runuser -u postgres --); }
  "${AS[@]}" "$PGBIN/initdb" -D "$PGH/data" -A trust -U postgres >/dev/null
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGH/data" -l "$PGH/log" -w -o "-p $PGPORT -k $PGH -c listen_addresses=127.0.0.1 \
      -c max_connections=100" start >/dev/null
  PGSTOP=("${AS[@]}" "$PGBIN/pg_ctl" -D "$PGH/data" -m fast -w stop)
  STORE_ENV=(POSTFACH_STORAGE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/postgres?user=postgres")
fi

# ---- Postfach ----
TOKEN=bench-token-0123456789abcdef
env "${STORE_ENV[@]}" POSTFACH_DATA_DIR=$W/postfach POSTFACH_SMTP_INBOUND_PORT=$SMTP POSTFACH_SMTP_SUBMISSION_PORT=$SUB \
    POSTFACH_API_PORT=$API POSTFACH_API_TOKEN=$TOKEN POSTFACH_DELIVERY_MODE=smarthost \
    POSTFACH_DELIVERY_SMARTHOST_HOST=127.0.0.1 POSTFACH_DELIVERY_SMARTHOST_PORT=$SINK1 \
    POSTFACH_DELIVERY_SMARTHOST_STARTTLS=off POSTFACH_POLICY_DAILYLIMIT_BASE=100000000 \
    POSTFACH_SMTP_INBOUND_VERIFYSENDERS=false POSTFACH_SMTP_MAXCONNECTIONS=200 POSTFACH_SMTP_MAXCONNECTIONSPERIP=200 \
    POSTFACH_DELIVERY_WORKERS=8 JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g}" \
    target/postfach/bin/postfach serve > "$W/postfach.log" 2>&1 & PF_PID=$!; PIDS+=($PF_PID)
for _ in $(seq 120); do grep -q "SMTP inbound on" "$W/postfach.log" && break; sleep 0.5; done
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
api -d '{"id":"s1","name":"Bench Shop","email":"seller@bench-shop.example","customerServiceEmail":"cs@bench-shop.example"}' \
    http://127.0.0.1:$API/api/sellers >/dev/null
api -d '{"id":"b1","name":"Bench Buyer","email":"buyer@bench-buyer.example"}' http://127.0.0.1:$API/api/buyers >/dev/null
ALIAS=$(api -d '{"id":"302-0000000-0000001","sellerId":"s1","buyerId":"b1"}' http://127.0.0.1:$API/api/orders \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["buyerAlias"])')

metric() { curl -sf http://127.0.0.1:$API/metrics | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {print s + 0}'; }
PEAK=0
watch_heap() { while kill -0 $PF_PID 2>/dev/null; do h=$(metric 'jvm_memory_used_bytes{area="heap"'); \
  echo "$h" >> "$W/heap"; sleep 0.5; done; }
watch_heap & PIDS+=($!)

# ---- Postfix: its own config and queue directories, fsync'd queue (the default), relaying to the second sink ----
PF=$W/postfix
mkdir -p "$PF/etc" "$PF/spool" "$PF/data"
chmod 755 "$W"
chown postfix "$PF/data"
cat > "$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = bench-postfix.localdomain
mydestination =
mynetworks = 127.0.0.0/8
relay_domains =
relayhost = [127.0.0.1]:$SINK2
smtpd_relay_restrictions = permit_mynetworks, reject
default_process_limit = 200
default_destination_concurrency_limit = 20
smtp_destination_concurrency_limit = 20
alias_maps =
local_recipient_maps =
smtputf8_enable = no
maillog_file = $PF/maillog
maillog_file_prefixes = /tmp, /var
CF
sed -e "s/^smtp      inet  n       -       y       -       -       smtpd/127.0.0.1:$PFPORT inet n - n - - smtpd/" \
    -e 's/^\(\S\+\s\+\S\+\s\+\S\+\s\+\S\+\s\+\)y\(\s\)/\1n\2/' /etc/postfix/master.cf > "$PF/etc/master.cf"
grep -q '^postlog' "$PF/etc/master.cf" || echo 'postlog   unix-dgram n  -       n       -       1       postlogd' >> "$PF/etc/master.cf"
postfix -c "$PF/etc" set-permissions >/dev/null 2>&1 || true
postfix -c "$PF/etc" start >/dev/null 2>&1 || { echo "Postfix did not start:"; tail -5 "$PF/maillog"; exit 1; }
for _ in $(seq 60); do (exec 3<>/dev/tcp/127.0.0.1/$PFPORT) 2>/dev/null && break; sleep 0.5; done

pf_queue_empty() { postqueue -c "$PF/etc" -p 2>/dev/null | grep -q 'Mail queue is empty'; }

# Warm-up, not measured. Postfach: 60,000 messages of 5 KB, about a minute and a half of load: the JIT compiles
# H2's and the relay's hot paths for that long (its threads took 50-90 % of one core of two before, under 5 %
# after), and a relay that runs for weeks meets a burst with compiled code. Before those, 3,000 messages at each
# further size (100 KB): a relay that runs for weeks has seen large messages too, and with a warm-up of small ones
# only, the 100 KB part measured the JIT compiling the large-message paths (message files, multi-block digests;
# 0.8-1.1 ms of JIT per message against 0.4-0.5, 400-470 msg/s against 545-580 in the same build). Postfix, which
# has no JIT, gets 2,000 (processes forked, files cached) and 500 at each further size; after a 20,000-message
# warm-up it once ran at 504 msg/s instead of 769.
WARM_SMALL=${BENCH_WARMUP:-60000}
PFWARM=${BENCH_POSTFIX_WARMUP:-2000}
WARM=$WARM_SMALL # all that Postfach is to have delivered before the measuring starts
WARM_LARGE=${BENCH_WARMUP_LARGE:-3000}
PFWARM_LARGE=${BENCH_POSTFIX_WARMUP_LARGE:-500}
FIRST_SIZE=${SIZES%% *}
for SIZE in $SIZES; do
  [ "$SIZE" = "$FIRST_SIZE" ] && continue
  python3 bench/inject.py 127.0.0.1 $SMTP seller@bench-shop.example "$ALIAS" $WARM_LARGE $SESSIONS $SIZE >/dev/null
  python3 bench/inject.py 127.0.0.1 $PFPORT seller@bench-shop.example buyer@bench-buyer.example $PFWARM_LARGE \
      $SESSIONS $SIZE >/dev/null
  WARM=$((WARM + WARM_LARGE))
done
python3 bench/inject.py 127.0.0.1 $SMTP seller@bench-shop.example "$ALIAS" $WARM_SMALL $SESSIONS $FIRST_SIZE >/dev/null
python3 bench/inject.py 127.0.0.1 $PFPORT seller@bench-shop.example buyer@bench-buyer.example $PFWARM $SESSIONS \
    $FIRST_SIZE >/dev/null
until [ "$(metric 'postfach_deliveries_total{result="delivered"')" -ge $WARM ] 2>/dev/null; do sleep 0.2; done
until pf_queue_empty; do sleep 0.2; done

# CPU of the relay's JVM (user + system) and of its JIT compiler threads, in clock ticks, read from /proc: printed
# per measured message, so that a window in which the JIT still compiles shows as such.
JPID=$(pgrep -P $PF_PID java || echo $PF_PID)
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' /proc/$JPID/stat; }
jit_ticks() { local c=0 t; for t in /proc/$JPID/task/*; do case "$(cat $t/comm 2>/dev/null)" in C1*|C2*) \
  c=$((c + $(sed 's/.*) //' $t/stat | awk '{print $12 + $13}'))) ;; esac; done; echo $c; } # "(C2 CompilerThre)"

# the relay's own view (postfach_intake_seconds): the share of messages whose reply was decided within 50 ms of
# the end of DATA; the client's p99 adds the reading of the rest of the message and the reply's way back
FAST='postfach_intake_seconds_bucket{result="accepted",le="0.05"'
printf '\n%-9s %-9s %10s %14s %14s %9s %9s\n' system size accepted/s delivered/s "ratio (acc)" p50_ms p99_ms
DELIVERED=$WARM
for SIZE in $SIZES; do
  # Postfach: accepted rate from the client, delivered rate until the sink has everything
  C0=$(cpu_ticks); J0=$(jit_ticks)
  I0=$(metric 'postfach_intake_seconds_count{result="accepted"'); F0=$(metric "$FAST")
  t0=$(date +%s.%N)
  R=$(python3 bench/inject.py 127.0.0.1 $SMTP seller@bench-shop.example "$ALIAS" $N $SESSIONS $SIZE)
  DELIVERED=$((DELIVERED + N))
  until [ "$(metric 'postfach_deliveries_total{result="delivered"')" -ge $DELIVERED ] 2>/dev/null; do sleep 0.2; done
  t1=$(date +%s.%N)
  PA=$(echo "$R" | sed 's/.*rate=\([0-9.]*\).*/\1/'); P50=$(echo "$R" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/')
  P99=$(echo "$R" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/'); PD=$(python3 -c "print(f'{$N/($t1-$t0):.1f}')")
  C1=$(cpu_ticks); J1=$(jit_ticks)
  I1=$(metric 'postfach_intake_seconds_count{result="accepted"'); F1=$(metric "$FAST")
  echo "postfach $SIZE: $R cpu_ms_per_msg=$(python3 -c "print(f'{($C1-$C0)*1000/$TICK/$N:.2f}')")" \
       "jit_ms_per_msg=$(python3 -c "print(f'{($J1-$J0)*1000/$TICK/$N:.2f}')")" \
       "intake_within_50ms=$(python3 -c "print(f'{100*($F1-$F0)/max(1,$I1-$I0):.1f}%')")" >> "$W/raw"
  # Postfix: the same client, the same load
  t0=$(date +%s.%N)
  R2=$(python3 bench/inject.py 127.0.0.1 $PFPORT seller@bench-shop.example buyer@bench-buyer.example $N $SESSIONS $SIZE)
  until pf_queue_empty; do sleep 0.2; done
  t1=$(date +%s.%N)
  XA=$(echo "$R2" | sed 's/.*rate=\([0-9.]*\).*/\1/'); XD=$(python3 -c "print(f'{$N/($t1-$t0):.1f}')")
  X50=$(echo "$R2" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/'); X99=$(echo "$R2" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  echo "postfix $SIZE: $R2" >> "$W/raw"
  RATIO=$(python3 -c "print(f'{$PA/$XA:.2f} x')")
  printf '%-9s %-9s %10s %14s %14s %9s %9s\n' postfach $SIZE "$PA" "$PD" "$RATIO" "$P50" "$P99"
  printf '%-9s %-9s %10s %14s %14s %9s %9s\n' postfix $SIZE "$XA" "$XD" "" "$X50" "$X99"
done
RSS=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$(pgrep -P $PF_PID java || echo $PF_PID)/status 2>/dev/null || echo "?")
HEAP=$(sort -n "$W/heap" | tail -1 | awk '{printf "%.0f MB", $1 / 1048576}')
echo
echo "Postfach peak heap (sum of heap pools, sampled every 0.5 s): $HEAP; peak RSS (VmHWM): $RSS"
echo "raw client results:"; sed 's/^/  /' "$W/raw"
echo "Postfach failed deliveries: $(grep -c 'failed message' "$W/postfach.log" || true)"
