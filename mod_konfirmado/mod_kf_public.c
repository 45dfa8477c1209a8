/* Shared ground of the public booking API: see mod_kf_public.h. */
#include "mod_kf_public.h"
#include "kf_metrics.h"
#include "mod_kf_public_sql.h"
#include "kf_calendar.h"
#include "mod_kf_config.h"
#include "kf_host.h"
#include "kf_crypto.h"
#include "kf_text.h"

#include "util_script.h"

#include <apr_lib.h>

const kfm_sql kfm_public_sql[] = {
    {"kf_public_availability", AVAILABILITY_SQL},
    {"kf_hold_judge", HOLD_JUDGE_SQL},
    {NULL, NULL},
};

int kfm_public_host(kfm_req *kr, const char **subdomain)
{
    /* the router answered 404 unknown_host before any handler for every other host */
    *subdomain = kr->host_tenant;
    return 1;
}

int kfm_public_reply_text(kfm_req *kr, int status, const char *json, apr_size_t len)
{
    request_rec *r = kr->r;
    r->status = status;
    ap_set_content_type(r, "application/json; charset=utf-8");
    apr_table_setn(r->headers_out, "Content-Language", kf_locale_tag(kr->locale));
    ap_set_content_length(r, (apr_off_t)len);
    if (!r->header_only) {
        ap_rwrite(json, (int)len, r);
    }
    return OK;
}

int kfm_public_http_status(const char *code)
{
    if (strcmp(code, "link_expired") == 0) {
        return HTTP_GONE;
    }
    if (strcmp(code, "invalid_timezone") == 0 || strcmp(code, "invalid_parameter") == 0) {
        return HTTP_BAD_REQUEST;
    }
    return HTTP_NOT_FOUND;
}

static int prof_index(const kfm_availability *av, const char *id)
{
    for (int i = 0; id && i < av->nprof; i++) {
        if (strcmp(av->prof_ids[i], id) == 0) {
            return i;
        }
    }
    return -1;
}

/* Columns of kf_public_availability: every row is (kind, id, seven values); what each
 * position holds depends on the kind (see the SELECTs above). */
enum { AV_KIND, AV_ID, AV_COLUMNS = 9 };
enum { H_STATUS = 1, H_NOW, H_FROM, H_TO, H_FROM_DAY, H_RUNS_OUT = 7, H_TIMEZONE };
enum { S_DURATION = 2, S_INTERVAL, S_BUFFER_BEFORE, S_BUFFER_AFTER, S_EARLIEST, S_LATEST };
enum { P_ID = 1, P_SYNCED = 2, P_RETRY_PENDING = 3, P_CALENDAR = 8 };
enum { W_PROF = 1, W_START, W_END, W_DAY };
enum { B_PROF = 1, B_START, B_END, B_EXPIRES = 6 };
enum { Z_AT = 2, Z_OFFSET = 4 };
enum { A_COUNT = 2, A_FIRST_ENDS_IN };

static apr_int64_t num(const char *v)
{
    return v ? apr_atoi64(v) : 0;
}

/* Runs `statement` (kf_public_availability or kf_hold_judge) and reads its rows into *av. */
static apr_status_t load_rows(kfm_req *kr, const char *statement, int nargs, const char **args,
                              kfm_availability *av)
{
    request_rec *r = kr->r;
    ap_dbd_t *db = kr->db;
    kfm_rows *res = NULL;
    memset(av, 0, sizeof(*av));
    av->status = "internal_error";
    av->runs_out_at = APR_INT64_MAX;
    if (kfm_db_select(r, db, statement, &res, nargs, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int nrows = kfm_db_rows(db, res);
    av->windows = apr_array_make(r->pool, 32, sizeof(kf_window));
    av->busy = apr_array_make(r->pool, 64, sizeof(kf_busy));
    av->changes = apr_array_make(r->pool, 4, sizeof(kf_tz_change));
    av->prof_ids = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)(nrows + 1));
    av->prof_calendars = apr_pcalloc(r->pool, sizeof(char *) * (apr_size_t)(nrows + 1));
    av->prof_synced_at = apr_pcalloc(r->pool, sizeof(apr_int64_t) * (apr_size_t)(nrows + 1));
    av->prof_retry_pending = apr_pcalloc(r->pool, sizeof(int) * (apr_size_t)(nrows + 1));

    /* Rows come ordered by kind: A, B, H, L, P, S, W, Z. Busy rows name professionals that are
     * only indexed by the P rows after them, so they are resolved in a second pass. */
    const char *v[AV_COLUMNS];
    int first_busy = -1, nbusy_rows = 0;
    for (int i = 0; i < nrows; i++) {
        kfm_db_row(db, r->pool, res, i, v, AV_COLUMNS);
        switch (v[AV_KIND] ? v[AV_KIND][0] : 0) {
        case 'L':
            av->link_id = v[AV_ID];
            av->tenant_id = v[H_TIMEZONE];   /* column e */
            break;
        case 'A':
            av->active_holds = (int)num(v[A_COUNT]);
            av->first_hold_ends_in = num(v[A_FIRST_ENDS_IN]);
            break;
        case 'H':
            av->status = v[H_STATUS];
            av->now = num(v[H_NOW]);
            if (v[H_RUNS_OUT]) {
                av->runs_out_at = num(v[H_RUNS_OUT]);
            }
            av->timezone = v[H_TIMEZONE];
            av->params.from = num(v[H_FROM]);
            av->params.to = num(v[H_TO]);
            av->from_day = num(v[H_FROM_DAY]);
            break;
        case 'S':
            av->params.duration = (int)num(v[S_DURATION]);
            av->params.interval = (int)num(v[S_INTERVAL]);
            av->params.buffer_before = (int)num(v[S_BUFFER_BEFORE]);
            av->params.buffer_after = (int)num(v[S_BUFFER_AFTER]);
            av->params.earliest = num(v[S_EARLIEST]);
            av->params.latest = num(v[S_LATEST]);
            break;
        case 'P':
            av->prof_ids[av->nprof] = v[P_ID];
            av->prof_calendars[av->nprof] = v[P_CALENDAR];
            av->prof_synced_at[av->nprof] = num(v[P_SYNCED]);
            av->prof_retry_pending[av->nprof] = (int)num(v[P_RETRY_PENDING]);
            av->nprof++;
            break;
        case 'W': {
            kf_window *w = apr_array_push(av->windows);
            w->prof = prof_index(av, v[W_PROF]);
            w->start = num(v[W_START]);
            w->end = num(v[W_END]);
            w->day = (int)num(v[W_DAY]);
            break;
        }
        case 'B':
            if (first_busy < 0) {
                first_busy = i;
            }
            nbusy_rows++;
            break;
        case 'Z': {
            kf_tz_change *z = apr_array_push(av->changes);
            z->at = num(v[Z_AT]);
            z->offset = (int)num(v[Z_OFFSET]);
            break;
        }
        default:
            break;
        }
    }
    for (int i = first_busy; i >= 0 && i < first_busy + nbusy_rows; i++) {
        const char *id = kfm_db_value(db, r->pool, res, i, B_PROF);
        const char *lo = kfm_db_value(db, r->pool, res, i, B_START);
        const char *hi = kfm_db_value(db, r->pool, res, i, B_END);
        const char *until = kfm_db_value(db, r->pool, res, i, B_EXPIRES);
        if (until && num(until) < av->runs_out_at) {
            av->runs_out_at = num(until);
        }
        kf_busy *b = apr_array_push(av->busy);
        b->prof = prof_index(av, id);
        /* an unbounded range (never written by us) blocks everything on that side */
        b->start = lo ? num(lo) : APR_INT64_MIN / 2;
        b->end = hi ? num(hi) : APR_INT64_MAX / 2;
    }
    if (!av->status) {
        av->status = "internal_error";
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

apr_status_t kfm_availability_load(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *service_id, const char *professional_id,
                           const char *from_day, int days, const char *tz, kfm_availability *av)
{
    const char *args[] = {slug, subdomain, service_id, professional_id, from_day,
                          apr_itoa(kr->r->pool, days), tz};
    return load_rows(kr, "kf_public_availability", 7, args, av);
}

apr_status_t kfm_hold_judge_load(kfm_req *kr, const char *slug, const char *subdomain,
                                 const char *service_id, const char *professional_id,
                                 apr_int64_t start, const char *client_ip, int limit,
                                 kfm_availability *av)
{
    apr_pool_t *p = kr->r->pool;
    const char *args[] = {slug, subdomain, service_id, professional_id,
                          apr_psprintf(p, "%" APR_INT64_T_FMT, start), client_ip,
                          apr_itoa(p, limit)};
    return load_rows(kr, "kf_hold_judge", 7, args, av);
}

int kfm_availability_slots(kfm_req *kr, kfm_availability *av, kf_slots_mode mode, kf_slot **slots)
{
    apr_int64_t margin = 86400;
    apr_int64_t stale = kfm_conf_calendar_stale(kr->conf);
    for (int i = 0; i < av->nprof; i++) {
        const char *status = av->prof_calendars[i];
        apr_int64_t until = kf_calendar_busy_known_until(status, av->prof_synced_at[i], stale);
        if (until < av->runs_out_at) {
            av->runs_out_at = until;   /* the answer changes when the busy times go stale */
        }
        if (!kf_calendar_busy_known(status, av->prof_synced_at[i], av->now, stale)) {
            /* busy times unknown or too old: offer nothing of that professional rather than
             * risk a double booking */
            kf_busy *b = apr_array_push(av->busy);
            b->prof = i;
            b->start = av->params.from - margin;
            b->end = av->params.to + margin;
            kfm_log(kr, APLOG_DEBUG, "calendar of professional %s: busy times not known, no slots",
                    av->prof_ids[i]);
        }
    }
    return kf_slots_compute(kr->r->pool, &av->params, av->nprof,
                            (const kf_window *)av->windows->elts, av->windows->nelts,
                            (const kf_busy *)av->busy->elts, av->busy->nelts, mode, slots);
}

const char *kfm_public_visit(kfm_req *kr)
{
    const char *visit = apr_table_get(kr->r->headers_in, KF_VISIT_HEADER);
    return kf_visit_id_ok(visit) ? visit : NULL;
}

const char *kfm_public_bearer(kfm_req *kr)
{
    const char *auth = apr_table_get(kr->r->headers_in, "Authorization");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
        return NULL;
    }
    const char *token = auth + 7;
    while (*token == ' ') {
        token++;
    }
    return kf_token_shape_ok(token) ? token : NULL;
}

const char *kfm_public_query_token(kfm_req *kr)
{
    apr_table_t *q = NULL;
    ap_args_to_table(kr->r, &q);
    return q ? apr_table_get(q, "token") : NULL;
}

int kfm_public_booking_args(kfm_req *kr, const char *token, const char *args[5])
{
    const char *id = apr_table_get(kr->params, "id");
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain) || !kf_is_uuid(id) || !kf_token_shape_ok(token)) {
        return 0;
    }
    const char *hash = kf_sha256_hex(kr->r->pool, token, strlen(token));
    args[0] = id;
    args[1] = hash;
    args[2] = hash;
    args[3] = subdomain;
    args[4] = subdomain;
    return 1;
}
