#!/usr/bin/env bash
# Webhook ingest benchmark: signed Wompi, Stripe or Airwallex events with distinct references,
# each verified (Wompi's checksum, Stripe-Signature, Airwallex's x-signature with the
# tenant's secret), recorded once,
# moving its booking to paid and queueing its merchant callback in one transaction. Reports
# verified events per second, and (closed loop) how long their confirmation mails took to
# leave after the load: bench/run counts those seconds into the maximum.
#
#   tests/stack up && bench/webhook_ingest.sh [SECONDS] [CONNECTIONS] [wompi|stripe|airwallex]
#   BENCH_WARMUP=0 ...   no warm-up run before measuring (default 3 s, as bench/run)
#   BENCH_RATE=400 ...   open loop: the events leave at that rate whatever the answers take
#                        (bench/paced.lua), latency counted from each event's due time
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${1:-10}
CONNS=${2:-16}
PROVIDER=${3:-wompi}
THREADS=2
set -a; . var/stack.env; set +a
PORT=${BENCH_PORT:-$KF_PORT}      # another httpd of the stack (bench/ab.py)
WARMUP=${BENCH_WARMUP:-3}
# more events than the runs can send: none repeats. The warm-up sends its own (the first
# ones), so the measured seconds start with every connection open, its statements prepared
# and planned, and PostgreSQL's buffers holding the tables: steady ingest, not a cold start.
RATE=${BENCH_RATE:-}
if [ -n "$RATE" ]; then
    PER_S=$(( RATE * 12 / 10 + 100 ))   # the paced run sends RATE a second, with room
else
    PER_S=3000
fi
N=$(( (DURATION + WARMUP) * PER_S ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "seeding $N bookings and signed events..." >&2
tenant=$(/usr/bin/python3 bench/webhook_seed.py "$N" "$work/events.jsonl" "$PROVIDER")
# the bench tenant (and its bookings, payments, queued callbacks) goes away afterwards
trap 'psql "$KF_PGURL" -XAtq -c "DELETE FROM tenants WHERE id = '"'"'$tenant'"'"'" >/dev/null; rm -rf "$work"' EXIT
count() {
    psql "$KF_PGURL" -XAtq -c "SELECT count(*) FROM payment_events WHERE tenant_id = '$tenant' AND result = 'paid'"
}
mail_waiting() {
    psql "$KF_PGURL" -XAtq -c "SELECT count(*) FROM mail_outbox WHERE tenant_id = '$tenant'
        AND sent_at IS NULL AND failed_at IS NULL"
}
# Waits until the approvals' mails have all left (at most MAIL_DRAIN_LIMIT seconds) and prints
# how long that took: an approval's work ends when its confirmation is sent, not when its
# answer is.
MAIL_DRAIN_LIMIT=300
mail_drain() {
    local start now
    start=$(date +%s.%N)
    while [ "$(mail_waiting)" -gt 0 ]; do
        now=$(date +%s.%N)
        if awk -v a="$start" -v b="$now" -v l="$MAIL_DRAIN_LIMIT" 'BEGIN { exit !(b - a > l) }'; then
            echo "the load's mails were not all sent within ${MAIL_DRAIN_LIMIT} s" >&2
            return 1
        fi
        sleep 0.1
    done
    now=$(date +%s.%N)
    awk -v a="$start" -v b="$now" 'BEGIN { printf "%.2f\n", b - a }'
}
# The merchants' figures job's pass over the seeded bookings (tens of thousands made in a
# second, which a business never makes: 3 s of a core in one statement) is made now, as is
# autovacuum's over the seeded rows (and over the rows the last run's teardown deleted): either
# would otherwise land in the measured seconds, as a share of them that depends on timing. The
# job then counts, at its interval, what the approvals change.
psql "$KF_PGURL" -XAtq -c "SELECT kf_metrics_refresh('$tenant'::uuid, now(), interval '10 minutes')" >/dev/null
psql "$KF_PGURL" -XAtq -c "VACUUM ANALYZE reservations, payments, payment_events, merchant_callbacks,
    mail_outbox, funnel_events, reservation_history, calendar_events, availability_changes" >/dev/null
measured="$work/events.jsonl"
if [ "$WARMUP" -gt 0 ]; then
    head -n $(( WARMUP * PER_S )) "$work/events.jsonl" > "$work/warmup.jsonl"
    tail -n +$(( WARMUP * PER_S + 1 )) "$work/events.jsonl" > "$work/measured.jsonl"
    measured="$work/measured.jsonl"
    # an open-loop run warms up at its own rate: a closed-loop burst first would leave the
    # jobs a backlog of its mails and callbacks to work off during the measured seconds,
    # which is not the steady load that run measures
    warm_script=bench/webhook.lua
    [ -z "$RATE" ] || warm_script=bench/paced.lua
    EVENTS="$work/warmup.jsonl" THREADS=$THREADS RATE=$RATE BODY_SCRIPT="$PWD/bench/webhook.lua" \
        wrk -t$THREADS -c"$CONNS" -d"${WARMUP}s" -H "Host: $KF_BASE_DOMAIN" -s "$warm_script" \
        "http://127.0.0.1:$PORT/api/webhooks/$PROVIDER" >/dev/null
    # The queues the warm-up filled, analysed as autovacuum would have a minute into a burst:
    # the bench's tenant went with its deliveries and mails at the last run's end, and plans
    # the jobs made while those tables held a few rows would read them whole all the run.
    # (BENCH_QUEUES_AS_FOUND=1 leaves them as found: what bench/results/ab-queues-analysed.json
    # set beside it)
    # the warm-up's mails leave first: the measured seconds start with no mail owed
    mail_drain >/dev/null
    [ -n "${BENCH_QUEUES_AS_FOUND:-}" ] ||
        psql "$KF_PGURL" -XAtq -c "ANALYZE merchant_callbacks, callback_attempts, mail_outbox" >/dev/null
fi
before=$(count)
lsn() { psql "$KF_PGURL" -XAtq -c "SELECT pg_current_wal_insert_lsn()"; }
wal_start=$(lsn)
[ -z "${BENCH_MARK:-}" ] || touch "$BENCH_MARK.start"   # bench/ab.py: the CPU count starts
if [ -n "$RATE" ]; then
    EVENTS="$measured" THREADS=$THREADS RATE=$RATE BODY_SCRIPT="$PWD/bench/webhook.lua" \
        wrk -t$THREADS -c"$CONNS" -d"${DURATION}s" -H "Host: $KF_BASE_DOMAIN" -s bench/paced.lua \
        "http://127.0.0.1:$PORT/api/webhooks/$PROVIDER" | tee "$work/wrk.txt"
else
    EVENTS="$measured" THREADS=$THREADS wrk -t$THREADS -c"$CONNS" -d"${DURATION}s" --latency \
        -H "Host: $KF_BASE_DOMAIN" -s bench/webhook.lua "http://127.0.0.1:$PORT/api/webhooks/$PROVIDER" | tee "$work/wrk.txt"
fi
after=$(count)
# what the load's answers left queued (a queued mail's row is also what an approval writes)
queued=$(psql "$KF_PGURL" -XAtq -F ' ' -c "SELECT 'mail_outbox rows still queued:', count(*),
    'mean row', round(avg(pg_column_size(m.*))), 'bytes, max', max(pg_column_size(m.*)), 'bytes'
    FROM mail_outbox m WHERE tenant_id = '$tenant' AND sent_at IS NULL")
if [ -z "$RATE" ]; then
    # closed loop (a maximum): the load's seconds end when its mails have left
    drained=$(mail_drain)
    echo "mail drained in $drained s after the load"
fi
[ -z "${BENCH_MARK:-}" ] || touch "$BENCH_MARK.end"
wal_end=$(lsn)
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/wrk.txt")
applied=$((after - before))
echo "$PROVIDER verified events applied (booking paid, callback queued): $applied in ${DURATION}s" \
     "= $(( applied / DURATION ))/s; non-2xx answers: ${non2xx:-0}"
# what an approval writes: WAL (the whole cluster's in those seconds) and its queued mail's row
wal=$(psql "$KF_PGURL" -XAtq -c "SELECT pg_wal_lsn_diff('$wal_end', '$wal_start')::bigint")
echo "WAL per applied event: $(( wal / (applied > 0 ? applied : 1) )) bytes"
echo "$queued"

