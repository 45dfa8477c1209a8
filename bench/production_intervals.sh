# Sourced by bench/run, bench/ab and bench/statement_cost: the jobs that look for work on a
# timer run at their production interval during a benchmark, and retry at production's pace.
# The test stack runs the merchants' figures and alerts every 2 s and the reminders, the
# purge and the personal-data retention every second, so that tests see their work at once;
# the last two read the bookings table whole each time, which took a quarter of PostgreSQL's
# time during webhook ingest. It also retries merchant callbacks at a quarter of their
# schedule and failed mails from 1 s; webhook ingest's callbacks go to a closed port, so a
# load's retries are production's. The settings go inside the platform's virtual host, where
# the stack sets its own (a setting of the main server would not override them).
# production_intervals FILE writes them; remove FILE and restart httpd afterwards.
production_intervals() {
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "KonfirmadoMetricsInterval 60" "KonfirmadoAlertsInterval 60" \
        "KonfirmadoReminderInterval 60" "KonfirmadoPurgeInterval 3600" \
        "KonfirmadoCallbackRetryDivisor 1" "KonfirmadoMailRetryBase 5" > "$1"
}
