#!/usr/bin/env bash
# Merchant callback delivery benchmark: EVENTS signed Wompi approvals of one tenant are applied
# (as in bench/webhook_ingest.sh), each queueing its booking.paid callback to the merchant
# receiver; then the job's delivery rate is timed from the end of the ingest until none is
# pending: signed callbacks delivered per second, one server.
#
# The receiver is BENCH_CALLBACK_RECEIVER (the tenant's id is appended to it), by default the
# fakes' merchant, which records every callback and answers a few hundred a second: near
# the rate measured, so the figure cannot tell the module's limit from the fake's. bench/run points it at the stack's own in-memory baseline, which
# acknowledges a POST at once (KonfirmadoBenchBaseline On).
#
# Then every one of them is queued again at once, as a merchant's re-send does (a backlog: the
# merchant back after an outage), and timed the same way with nothing else running: the job's
# own rate (its bookings are confirmed already, so no acknowledgment moves one again).
#
#   tests/stack up && bench/callback_delivery.sh [EVENTS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-1000}
set -a; . var/stack.env; set +a
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "seeding $N bookings and signed events..." >&2
tenant=$(BENCH_CALLBACK_URL="${BENCH_CALLBACK_RECEIVER:-$KF_FAKES_URL/merchant/callback/}" \
         /usr/bin/python3 bench/webhook_seed.py "$N" "$work/events.jsonl" wompi)
trap 'psql "$KF_PGURL" -XAtq -c "DELETE FROM tenants WHERE id = '"'"'$tenant'"'"'" >/dev/null; rm -rf "$work"' EXIT
q() { psql "$KF_PGURL" -XAtq -c "$1"; }
# every event once (at most twice: a thread that sent its share starts over, as duplicates)
EVENTS="$work/events.jsonl" THREADS=2 wrk -t2 -c8 -d"$(( N / 400 + 1 ))s" \
    -H "Host: $KF_BASE_DOMAIN" -s bench/webhook.lua "http://127.0.0.1:$KF_PORT/api/webhooks/wompi" >/dev/null
paid=$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant'")
start=$(date +%s.%N)
done0=$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant' AND status = 'delivered'")
while [ "$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant' AND status = 'pending'")" != 0 ]; do
    sleep 0.2
    if awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { exit !(a - b > 600) }'; then
        echo "still pending after 10 minutes" >&2; exit 1
    fi
done
end=$(date +%s.%N)
delivered=$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant' AND status = 'delivered'")
failed=$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant' AND status = 'failed'")
awk -v q="$paid" -v d0="$done0" -v d="$delivered" -v f="$failed" -v a="$start" -v b="$end" 'BEGIN {
    printf "callbacks queued: %d; delivered during the ingest: %d; then %d in %.2f s = %.0f/s; failed: %d\n",
           q, d0, d - d0, b - a, (d - d0) / (b - a), f }' 
q "UPDATE merchant_callbacks SET status = 'pending', attempts = 0, last_error = NULL,
   next_attempt_at = now() + interval '1 second', updated_at = now() WHERE tenant_id = '$tenant'" >/dev/null
sleep 1
start=$(date +%s.%N)
while [ "$(q "SELECT count(*) FROM merchant_callbacks WHERE tenant_id = '$tenant' AND status = 'pending'")" != 0 ]; do
    sleep 0.1
    if awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { exit !(a - b > 600) }'; then
        echo "the backlog is still pending after 10 minutes" >&2; exit 1
    fi
done
end=$(date +%s.%N)
awk -v q="$paid" -v a="$start" -v b="$end" 'BEGIN {
    printf "backlog: %d queued again at once, delivered in %.2f s = %.0f/s\n", q, b - a, q / (b - a) }'
