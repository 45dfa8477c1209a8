/* GET /api/public/links/{link}/availability (API.md "Public booking API"): one statement
 * loads everything, the slot engine (lib/availability/kf_slots.c) computes, and the answer is written
 * straight into one buffer: no per-slot query and no per-slot allocation. Answers are
 * kept in the shared availability cache (mod_kf_availability_cache.h) until a write of this
 * server changes them, the clock does, or their short TTL ends. */
#include "mod_kf_availability_feature.h"
#include "mod_kf_availability_cache.h"
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"
#include "kf_text.h"
#include "kf_time.h"

#include "util_script.h"
#include <apr_lib.h>

#define DAYS_DEFAULT 14
#define DAYS_MAX 62

/* Zone names reach SQL only if made of the characters IANA names use. */
static int tz_chars_ok(const char *tz)
{
    apr_size_t n = strlen(tz);
    return n > 0 && n <= 64 && strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_+-/") == n;
}

static int parse_days(const char *s, int *days)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 3 || strspn(s, "0123456789") != n) {
        return 0;
    }
    *days = atoi(s);
    return *days >= 1 && *days <= DAYS_MAX;
}

static char *put(char *p, const char *s, apr_size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

/* Renders the answer into *json / *len (from the request pool). */
static void render_slots(kfm_req *kr, const kfm_availability *av, int days, const kf_slot *slots, int n,
                         const char **json, apr_size_t *len)
{
    /* ids are canonical UUIDs (36), the zone name at most 64 safe characters */
    apr_size_t per_slot = sizeof("{\"start\":\"\",\"end\":\"\",\"local\":\"\",\"professional\":\"\"},")
                          + 2 * KF_TIME_UTC_LEN + KF_TIME_LOCAL_LEN + 36;
    apr_size_t cap = 256 + strlen(av->timezone) + (apr_size_t)n * per_slot;
    char *buf = apr_palloc(kr->r->pool, cap);
    char *p = buf;
    int y, m, d, cursor = 0;
    const kf_tz_change *changes = (const kf_tz_change *)av->changes->elts;

    kf_civil_from_days(av->from_day, &y, &m, &d);
    p += apr_snprintf(p, cap, "{\"timezone\":\"%s\",\"from\":\"%04d-%02d-%02d\",\"days\":%d,"
                      "\"slots\":[", av->timezone, y, m, d, days);
    for (int i = 0; i < n; i++) {
        const char *prof = av->prof_ids[slots[i].prof];
        p = PUT_LIT(p, "{\"start\":\"");
        kf_time_format_utc(p, slots[i].start);
        p += KF_TIME_UTC_LEN;
        p = PUT_LIT(p, "\",\"end\":\"");
        kf_time_format_utc(p, slots[i].end);
        p += KF_TIME_UTC_LEN;
        p = PUT_LIT(p, "\",\"local\":\"");
        kf_time_format_local(p, slots[i].start,
                             kf_tz_offset_at(changes, av->changes->nelts, slots[i].start, &cursor));
        p += KF_TIME_LOCAL_LEN;
        p = PUT_LIT(p, "\",\"professional\":\"");
        p = put(p, prof, strlen(prof));
        p = PUT_LIT(p, "\"}");
        if (i + 1 < n) {
            *p++ = ',';
        }
    }
    p = PUT_LIT(p, "]}");
    *json = buf;
    *len = (apr_size_t)(p - buf);
}

/* Everything the answer depends on besides the database: the host's tenant and the
 * parameters, all checked to be made of safe characters before they get here. */
static const char *cache_key(kfm_req *kr, const char *subdomain, const char *slug,
                             const char *service, const char *professional, const char *from,
                             int days, const char *tz)
{
    return apr_psprintf(kr->r->pool, "av|%s|%s|%s|%s|%s|%d|%s", subdomain ? subdomain : "",
                        slug, service, professional ? professional : "any", from ? from : "",
                        days, tz ? tz : "");
}

/* Last second the answer stays right by the clock: see kf_slots_clock_stable_until; a
 * hold or payment window or the link running out; without `from`, the zone's day
 * rolling over (at least 23 hours after the start of today). */
static apr_int64_t stable_until(const kfm_availability *av, const char *from, const kf_slot *slots,
                                int n)
{
    apr_int64_t until = kf_slots_clock_stable_until(&av->params,
                                                    (const kf_window *)av->windows->elts,
                                                    av->windows->nelts, slots, n, av->now);
    if (av->runs_out_at != APR_INT64_MAX && av->runs_out_at - 1 < until) {
        until = av->runs_out_at - 1;
    }
    if (!from && av->params.from + 23 * 3600 - 1 < until) {
        until = av->params.from + 23 * 3600 - 1;
    }
    return until;
}

int kfm_handle_public_availability(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *slug = apr_table_get(kr->params, "link");
    const char *subdomain = NULL;
    apr_table_t *q = NULL;
    int days = DAYS_DEFAULT;
    apr_int64_t from_days;

    if (!kfm_public_host(kr, &subdomain) || !kf_link_slug_ok(slug)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    ap_args_to_table(r, &q);
    const char *service = apr_table_get(q, "service");
    const char *professional = apr_table_get(q, "professional");
    const char *from = apr_table_get(q, "from");
    const char *days_arg = apr_table_get(q, "days");
    const char *tz = apr_table_get(q, "tz");

    if (!service || !*service || (from && !kf_date_parse(from, &from_days)) ||
        (days_arg && !parse_days(days_arg, &days)) || (professional && !*professional)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_parameter");
    }
    if (tz && !tz_chars_ok(tz)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_timezone");
    }
    if (professional && strcmp(professional, "any") == 0) {
        professional = NULL;
    }
    /* garbage ids are not found, and never reach SQL */
    if (!kf_is_uuid(service)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "service_not_found");
    }
    if (professional && !kf_is_uuid(professional)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "professional_not_found");
    }

    const char *key = NULL, *json = NULL;
    apr_size_t len = 0;
    kfm_availability_gens *gens = NULL;
    if (kfm_availability_cache_enabled()) {
        key = cache_key(kr, subdomain, slug, service, professional, from, days, tz);
        if (kfm_availability_cache_get(kr, key, &json, &len)) {
            return kfm_public_reply_text(kr, HTTP_OK, json, len);
        }
        gens = kfm_availability_cache_snapshot(kr);   /* before the statement: see the header */
    }
    /* the connection goes back to the pool as soon as the facts are read: the slots are
     * computed and the answer written without it */
    int rc;
    if (!kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    kfm_availability av;
    apr_status_t loaded = kfm_availability_load(kr, slug, subdomain, service, professional,
                                                from, days, tz, &av);
    kfm_req_db_give_back(kr);
    if (loaded != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(av.status, "ok") != 0) {
        return kfm_reply_error(kr, kfm_public_http_status(av.status), av.status);
    }
    kf_slot *slots = NULL;
    int n = kfm_availability_slots(kr, &av, KF_SLOTS_ONE_PER_START, &slots);
    if (n < 0) {
        kfm_log(kr, APLOG_ERR, "service of link %s has invalid slot parameters", slug);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    render_slots(kr, &av, days, slots, n, &json, &len);
    if (key) {
        kfm_availability_cache_put(kr, key, gens, &av, stable_until(&av, from, slots, n), json, len);
    }
    return kfm_public_reply_text(kr, HTTP_OK, json, len);
}
