/* A PostgreSQL session's books: its transaction, its errors made safe to log, an outage told
 * in two lines. See kf_pg_session.h. */
#include "kf_pg_session.h"

#include <apr_atomic.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

#define SQL_ERROR_PREFIX "ERROR:  "

/* The five SQLSTATE characters after "ERROR:  ", or NULL. */
static const char *sqlstate_of(const char *m)
{
    if (!m || strncmp(m, SQL_ERROR_PREFIX, strlen(SQL_ERROR_PREFIX)) != 0) {
        return NULL;
    }
    const char *s = m + strlen(SQL_ERROR_PREFIX);
    for (int i = 0; i < 5; i++) {
        if (!apr_isdigit(s[i]) && !apr_isupper(s[i])) {
            return NULL;
        }
    }
    return s[5] == ':' ? s : NULL;
}

int kf_pg_error_is_sql(const char *message)
{
    return message && strncmp(message, "ERROR:", 6) == 0;
}

int kf_pg_error_is_constraint(const char *message)
{
    const char *state = sqlstate_of(message);
    if (state) {
        return state[0] == '2' && state[1] == '3';
    }
    /* terse form (no SQLSTATE): the primary message says it */
    return kf_pg_error_is_sql(message) && strstr(message, "violates") != NULL;
}

/* The name in `constraint "name"` of the first line, or NULL. */
static const char *constraint_of(apr_pool_t *p, const char *m, apr_size_t first_line)
{
    const char *key = "constraint \"";
    const char *at = m;
    while ((at = strstr(at, key)) && (apr_size_t)(at - m) < first_line) {
        const char *name = at + strlen(key);
        const char *end = strchr(name, '"');
        if (end && (apr_size_t)(end - m) < first_line && end > name && end - name <= 63) {
            return apr_pstrmemdup(p, name, (apr_size_t)(end - name));
        }
        at = name;
    }
    return NULL;
}

const char *kf_pg_error_summary(apr_pool_t *p, const char *message)
{
    if (!message) {
        return "";
    }
    apr_size_t first_line = strcspn(message, "\n");
    if (kf_pg_error_is_sql(message)) {
        const char *state = sqlstate_of(message);
        const char *constraint = constraint_of(p, message, first_line);
        const char *out = state ? apr_pstrcat(p, "SQLSTATE ", apr_pstrmemdup(p, state, 5), NULL)
                                : "SQL error (no SQLSTATE)";
        return constraint ? apr_pstrcat(p, out, ", constraint ", constraint, NULL) : out;
    }
    char *line = apr_pstrmemdup(p, message, first_line < 200 ? first_line : 200);
    for (char *c = line; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            *c = ' ';
        }
    }
    return line;
}

/* SQLSTATE 25006, or its primary message in the terse form */
static int error_is_read_only(const char *message)
{
    const char *state = sqlstate_of(message);
    if (state) {
        return strncmp(state, "25006", 5) == 0;
    }
    return strstr(message, "in a read-only transaction") != NULL;
}

kf_pg_failure kf_pg_error_kind(const char *message)
{
    if (!kf_pg_error_is_sql(message)) {
        return KF_PG_LOST;
    }
    if (error_is_read_only(message)) {
        return KF_PG_READ_ONLY;
    }
    return kf_pg_error_is_constraint(message) ? KF_PG_REFUSED : KF_PG_FAILED;
}

apr_status_t kf_pg_failure_status(const char *message)
{
    return kf_pg_error_kind(message) == KF_PG_REFUSED ? KF_PG_ECONSTRAINT : APR_EGENERAL;
}

const char *kf_pg_lost_reason(const char *message)
{
    static const struct {
        const char *says;
        const char *reason;
    } known[] = {
        {"25006", "PostgreSQL's server is read-only (a standby, or a primary being demoted)"},
        {"in a read-only transaction",
         "PostgreSQL's server is read-only (a standby, or a primary being demoted)"},
        {"session is read-only", "no PostgreSQL server accepts writes yet (a failover under way?)"},
        {"server is in hot standby mode",
         "no PostgreSQL server accepts writes yet (a failover under way?)"},
        {"57P01", "PostgreSQL was shut down or restarted"},
        {"terminating connection due to administrator command",
         "PostgreSQL was shut down or restarted"},
        {"57P02", "PostgreSQL crashed and is restarting"},
        /* the server's words before its code: 57P03 alone cannot tell the two apart */
        {"the database system is shutting down", "PostgreSQL is shutting down"},
        {"the database system is starting up", "PostgreSQL is starting up"},
        {"57P03", "PostgreSQL is starting up or shutting down"},
        {"the database system is in recovery mode", "PostgreSQL is recovering after a crash"},
        {"Connection refused", "PostgreSQL refuses connections (not running?)"},
        {"No such file or directory", "PostgreSQL is not running (no socket)"},
        {"could not translate host name", "PostgreSQL's host name does not resolve"},
        {"timeout expired", "PostgreSQL did not answer in time"},
        {"password authentication failed", "PostgreSQL refuses the module's role (password)"},
        {"no pg_hba.conf entry", "PostgreSQL refuses the module's role (pg_hba.conf)"},
        {"too many clients", "PostgreSQL has no connection slot left (max_connections)"},
        {"53300", "PostgreSQL has no connection slot left (max_connections)"},
    };
    for (size_t i = 0; message && i < sizeof(known) / sizeof(known[0]); i++) {
        if (strstr(message, known[i].says)) {
            return known[i].reason;
        }
    }
    return "the connection to PostgreSQL broke";
}

int kf_pg_error_no_migrations(const char *message)
{
    return message && strstr(message, "kf_schema_migrations") != NULL;
}

int kf_pg_placeholder_count(const char *sql)
{
    int n = 0;
    for (const char *c = sql; c && *c; c++) {
        if (c[0] == '%' && c[1] == '%') {
            c++;
        }
        else if (c[0] == '%' && apr_isalpha(c[1])) {
            n++;
        }
    }
    return n;
}

/* ---- a database outage's two log lines ---- */

void kf_pg_outage_connection_lost(kf_pg_outage *o, const char *message)
{
    apr_atomic_xchgptr(&o->last_lost, (void *)kf_pg_lost_reason(message));
}

const char *kf_pg_outage_begins(kf_pg_outage *o, const char *message, apr_int64_t now)
{
    if (apr_atomic_cas32(&o->on, 1, 0) != 0) {
        return NULL;
    }
    o->since = now;
    const char *before = apr_atomic_casptr(&o->last_lost, NULL, NULL);
    o->reason = !message && before ? before : kf_pg_lost_reason(message);
    return o->reason;
}

int kf_pg_outage_ends(kf_pg_outage *o, apr_int64_t now, apr_int64_t *lasted)
{
    if (apr_atomic_casptr(&o->last_lost, NULL, NULL)) {
        apr_atomic_xchgptr(&o->last_lost, NULL);
    }
    if (apr_atomic_read32(&o->on) == 0 || apr_atomic_cas32(&o->on, 0, 1) != 1) {
        return 0;
    }
    *lasted = now - o->since;
    return 1;
}

const char *kf_pg_outage_reason(kf_pg_outage *o)
{
    if (apr_atomic_read32(&o->on)) {
        return o->reason;
    }
    /* a connection found lost a moment ago, not yet made again */
    return apr_atomic_casptr(&o->last_lost, NULL, NULL);
}

const char *kf_pg_outage_begins_line(kf_pg_outage *o, apr_pool_t *p, const char *message,
                                     apr_time_t now)
{
    const char *reason = kf_pg_outage_begins(o, message, now);
    if (!reason) {
        return NULL;
    }
    return apr_psprintf(p, "database connection lost: %s (%s); requests answer 503 and jobs "
                        "pause until it is back, and each pooled connection is made again at "
                        "its next use", reason,
                        message ? kf_pg_error_summary(p, message)
                                : "mod_dbd could not open a connection: its line before gives "
                                  "libpq's words");
}

const char *kf_pg_outage_ends_line(kf_pg_outage *o, apr_pool_t *p, apr_time_t now)
{
    apr_int64_t lasted = 0;
    if (!kf_pg_outage_ends(o, now, &lasted)) {
        return NULL;
    }
    return apr_psprintf(p, "database reachable again after %" APR_TIME_T_FMT " s: the "
                        "connection pool recovered", apr_time_sec(lasted));
}

const char *kf_pg_failure_line(apr_pool_t *p, const char *label, const char *message)
{
    const char *summary = kf_pg_error_summary(p, message);
    switch (kf_pg_error_kind(message)) {
    case KF_PG_REFUSED:
        return apr_psprintf(p, "%s refused by a constraint: %s", label, summary);
    case KF_PG_FAILED:
        return apr_psprintf(p, "%s failed: %s", label, summary);
    case KF_PG_READ_ONLY:
        return apr_psprintf(p, "%s failed, the server is read-only (a standby, or a primary "
                            "being demoted): its connection is dropped: %s", label, summary);
    case KF_PG_LOST:
        break;
    }
    return apr_psprintf(p, "%s failed, connection lost: %s", label, summary);
}

void kf_pg_tx_begin(kf_pg_tx *t, apr_pool_t *p)
{
    kf_pg_tx_queue(t, p, NULL, "BEGIN", 0, NULL);
    t->begin_queued = 1;
    t->open = 1;
    t->failed = 0;
}

void kf_pg_tx_defer_writes(kf_pg_tx *t)
{
    if (t->open) {
        t->deferring = 1;
    }
}

int kf_pg_tx_defers(const kf_pg_tx *t, int wants_count)
{
    return t->deferring && !wants_count;
}

void kf_pg_tx_queue(kf_pg_tx *t, apr_pool_t *p, const char *label, const char *command,
                    int nargs, const char *const *args)
{
    if (!t->queued) {
        t->queued = apr_array_make(p, 8, sizeof(kf_pg_queued));
    }
    kf_pg_queued *w = apr_array_push(t->queued);
    w->label = label;
    w->command = command;
    w->nargs = nargs;
    w->args = apr_palloc(p, sizeof(*w->args) * (nargs > 0 ? (apr_size_t)nargs : 1));
    for (int i = 0; i < nargs; i++) {
        w->args[i] = args[i] ? apr_pstrdup(p, args[i]) : NULL;
    }
}

apr_array_header_t *kf_pg_tx_take_queue(kf_pg_tx *t)
{
    apr_array_header_t *q = t->queued;
    t->queued = NULL;
    t->begin_queued = 0;
    return q;
}

void kf_pg_tx_statement_failed(kf_pg_tx *t)
{
    if (t->open) {
        t->failed = 1;
    }
}

kf_pg_commit kf_pg_tx_commit_plan(const kf_pg_tx *t)
{
    if (t->begin_queued && t->queued && t->queued->nelts == 1) {
        return KF_PG_COMMIT_NOTHING_RAN;
    }
    return t->failed ? KF_PG_COMMIT_REFUSED : KF_PG_COMMIT_SEND;
}

int kf_pg_tx_reached_server(const kf_pg_tx *t)
{
    return !t->begin_queued;
}

int kf_pg_tx_end(kf_pg_tx *t)
{
    int failed = t->failed;
    t->open = 0;
    t->failed = 0;
    t->deferring = 0;
    t->begin_queued = 0;
    t->queued = NULL;
    return failed;
}

int kf_pg_holders_take(kf_pg_holders *h)
{
    /* counted before the check: an exit that begins meanwhile waits for this one */
    apr_atomic_inc32(&h->held);
    if (apr_atomic_read32(&h->exiting)) {
        apr_atomic_dec32(&h->held);
        return 0;
    }
    return 1;
}

void kf_pg_holders_release(kf_pg_holders *h)
{
    apr_atomic_dec32(&h->held);
}

void kf_pg_holders_stop(kf_pg_holders *h)
{
    apr_atomic_set32(&h->exiting, 1);
}

apr_uint32_t kf_pg_holders_held(kf_pg_holders *h)
{
    return apr_atomic_read32(&h->held);
}

void kf_pg_holders_drain(kf_pg_holders *h, apr_interval_time_t at_most)
{
    const apr_interval_time_t step = apr_time_from_msec(10);
    kf_pg_holders_stop(h);
    for (apr_interval_time_t waited = 0; waited < at_most && kf_pg_holders_held(h) > 0;
         waited += step) {
        apr_sleep(step);
    }
}
