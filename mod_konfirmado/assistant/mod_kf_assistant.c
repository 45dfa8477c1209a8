/* POST /api/public/links/{link}/assistant (API.md "Booking assistant"): the link's services
 * and professionals in one statement, the sentence read by the core's parser
 * (lib/assistant), the slots from the availability engine exactly as the availability
 * endpoint computes them (kfm_availability_load, kfm_availability_slots; for a series the
 * service's rule allows, kfm_availability_series_slots as with repeat/count), chosen for the
 * intent by the core, and the answer. Nothing is held or written but the funnel's line.
 * POST .../assistant/events records the page's own funnel steps (opened, slot picked). */
#include "mod_kf_assistant_feature.h"
#include "mod_kf_assistant_columns.h"
#include "mod_kf_public_request.h"
#include "mod_kf_availability_facts.h"
#include "mod_kf_sql.h"
#include "mod_kf_zones.h"
#include "mod_kf_assistant_llm.h"
#include "kf_assistant_answer.h"
#include "kf_assistant_catalog.h"
#include "kf_assistant_request.h"
#include "kf_catalog_rules.h"
#include "kf_availability_answer.h"
#include "kf_time.h"

#include <apr_strings.h>

#define LINK_OF_HOST                                                                          \
    " link AS (SELECT l.* FROM a JOIN booking_links l ON l.slug = a.slug AND l.active"       \
    "  JOIN tenants t ON t.id = l.tenant_id AND (a.sub IS NULL OR t.subdomain = a.sub)),"    \
    " ok AS (SELECT * FROM link WHERE " KFM_SQL_LINK_OPEN("link", "now()") ")"

const kfm_sql kfm_assistant_sql[] = {
    {"kf_assistant_catalog",
     "WITH a AS (SELECT %s::text AS slug, %s::text AS sub)," LINK_OF_HOST ","
     /* who offers what, restricted to what the link allows (as the public link's page) */
     " sp AS (SELECT sp.service_id, sp.professional_id FROM ok"
     "  JOIN service_professionals sp ON sp.tenant_id = ok.tenant_id"
     "  JOIN services s ON s.id = sp.service_id AND s.archived_at IS NULL"
     "  JOIN professionals p ON p.id = sp.professional_id AND p.archived_at IS NULL"
     "  WHERE (ok.service_id IS NULL OR sp.service_id = ok.service_id)"
     "    AND (ok.professional_id IS NULL OR sp.professional_id = ok.professional_id))"
     " SELECT " KFM_SQL_COLUMNS(KFM_ASSISTANT_CATALOG_COLUMNS) " FROM ("
     "  SELECT 0 AS o, 'L' AS k, CASE WHEN NOT EXISTS (SELECT 1 FROM link) THEN 'link_not_found'"
     "    WHEN NOT EXISTS (SELECT 1 FROM ok) THEN 'link_expired' ELSE 'ok' END AS id,"
     "    (SELECT t.timezone FROM ok JOIN tenants t ON t.id = ok.tenant_id) AS name,"
     "    NULL::int AS minutes, NULL::text AS zone, NULL::text AS offers, NULL::int AS capacity"
     "  UNION ALL SELECT 1, 'S', s.id::text, s.name, s.duration_minutes, NULL, NULL, s.capacity"
     "   FROM services s WHERE s.id IN (SELECT service_id FROM sp)"
     "  UNION ALL SELECT 2, 'P', p.id::text, p.name, NULL, p.timezone,"
     "   (SELECT string_agg(x.service_id::text, ',' ORDER BY x.service_id) FROM sp x"
     "    WHERE x.professional_id = p.id), NULL"
     "   FROM professionals p WHERE p.id IN (SELECT professional_id FROM sp)"
     " ) c ORDER BY o, name, id"},
    /* a funnel step of the assistant, for the visit of the wizard that opened it */
    {"kf_assistant_funnel",
     "WITH a AS (SELECT %s::text AS slug, %s::text AS sub)," LINK_OF_HOST
     " INSERT INTO funnel_events (tenant_id, link_id, event, visit_id)"
     " SELECT ok.tenant_id, ok.id, %s::text, %s::text FROM ok"},
    {NULL, NULL},
};

/* The link's catalog as the parser reads it: *status "ok" (and *tenant_zone), or the
 * error code of the link. */
static apr_status_t load_catalog(kfm_req *kr, const char *slug, const char *subdomain,
                                 kf_assistant_catalog *cat, const char **status,
                                 const char **tenant_zone)
{
    kfm_rows *res = NULL;
    const char *args[] = {slug, subdomain};
    if (kfm_db_select(kr->r, kr->db, "kf_assistant_catalog", &res, 2, args) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, kr->r->pool, res,
                                                     KF_ASSISTANT_CAT_COLUMNS, &n);
    kf_assistant_catalog_of_rows(kr->r->pool, rows, n, cat, status, tenant_zone);
    return APR_SUCCESS;
}

static const kf_zone *zone_of(void *baton, const char *name)
{
    return name ? kfm_zone(baton, name) : NULL;
}

static apr_status_t record(kfm_req *kr, const char *slug, const char *subdomain,
                           const char *event, int *recorded)
{
    const char *args[] = {slug, subdomain, event, kfm_public_visit(kr)};
    return kfm_db_exec(kr->r, kr->db, "kf_assistant_funnel", recorded, 4, args);
}

/* The answer for the checked question asked on `today` in the customer's zone: availability
 * read and the slots chosen. */
static int answer(kfm_req *kr, const char *slug, const char *subdomain,
                  const kf_assistant_catalog *cat, kf_intent *in, const kf_zone *customer,
                  apr_int64_t today, const kf_assistant_offer *offers, int noffers)
{
    apr_pool_t *p = kr->r->pool;
    kf_assistant_choice ch = {.why = KF_WHY_NONE};
    kfm_availability av;
    kf_availability_init(p, &av);
    kf_slot *slots = NULL;
    int n = 0;
    int days = 0;
    /* a series asked: its later occurrences are read past the days asked, as availability
     * reads them for repeat/count */
    int reach = kf_assistant_series_reach(in);
    if (in->service) {
        const char *first = NULL;
        days = kf_assistant_days_to_read(p, in, today, KF_AVAIL_DAYS_MAX, &first);
        const char *professional = in->professional && strcmp(in->professional, "any") != 0
                                   ? in->professional : NULL;
        apr_status_t loaded = kfm_availability_load(kr, slug, subdomain, in->service,
                                                    professional, first, days + reach,
                                                    in->timezone, &av);
        /* a collective service is booked with its whole team, whichever member was named */
        if (loaded == APR_SUCCESS && strcmp(av.status, "ok") == 0 && av.params.team &&
            professional) {
            in->professional = "any";
            loaded = kfm_availability_load(kr, slug, subdomain, in->service, NULL, first,
                                           days + reach, in->timezone, &av);
        }
        if (loaded != APR_SUCCESS) {
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
        if (strcmp(av.status, "ok") != 0) {
            return kfm_reply_error(kr, kf_api_public_status(av.status), av.status);
        }
    }
    if (record(kr, slug, subdomain, "assistant_answered", NULL) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    kfm_req_db_give_back(kr);
    kf_series_every every = KF_SERIES_NONE;
    int count = 1;
    kf_assistant_series_verdict series = in->service
        ? kf_assistant_series_judge(p, in, &av.series, &every, &count) : KF_ASSISTANT_SERIES_NONE;
    if (in->service && series != KF_ASSISTANT_SERIES_OUTSIDE) {
        apr_int64_t to = kfm_availability_days_end(kr, &av, days);
        if (series == KF_ASSISTANT_SERIES_OK) {
            n = kfm_availability_series_slots(kr, &av, every, count, av.params.from, to,
                                              KF_SLOTS_ONE_PER_START, &slots);
        }
        else {
            av.params.to = to;   /* single sessions: the days asked, not the series' reach */
            n = kfm_availability_slots(kr, &av, KF_SLOTS_ONE_PER_START, &slots);
        }
        if (n < 0) {
            kfm_log(kr, APLOG_ERR, "service of link %s has invalid slot parameters", slug);
            return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
        }
    }
    /* the professionals' zones by the engine's index */
    const char **zone_names = kf_assistant_catalog_zones(p, cat, av.prof_ids, av.nprof);
    const kf_zone **zones = kf_assistant_zones_of(p, zone_names, av.nprof, zone_of, kr);
    if (n > 0 || in->follow == KF_FOLLOW_PICK) {
        kf_assistant_choose(p, in, today, slots, n, (const kf_tz_change *)av.changes->elts,
                            av.changes->nelts, av.prof_ids, offers, noffers, &ch);
    }
    kf_assistant_view view = {cat, customer, av.prof_ids, zone_names, zones, &av.series, series,
                              every, count, av.params.capacity > 1};
    const char *context = kf_assistant_context_encode(p, in, &ch, &view);
    return kfm_reply_json(kr, HTTP_OK, kf_assistant_answer(p, in, &ch, &view, context));
}

int kfm_handle_public_assistant(kfm_req *kr)
{
    request_rec *r = kr->r;
    const char *slug = apr_table_get(kr->params, "link");
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain) || !kf_link_slug_ok(slug)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    kf_fields f;
    kf_fields_init(&f, r->pool, kr->locale);
    kf_assistant_request q;
    kf_assistant_request_read(&f, kr->body, &q);
    kf_intent before;
    kf_assistant_offer offers[KF_ASSISTANT_MAX_SLOTS];
    int noffers = 0;
    int has_before = kf_assistant_request_context(r->pool, &f, &q, zone_of, kr, &before, offers,
                                                  &noffers);
    if (!kf_fields_ok(&f)) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    int rc;
    if (!kfm_req_db_own(kr, &rc)) {
        return rc;
    }
    kf_assistant_catalog cat;
    const char *status = NULL, *tenant_zone = NULL;
    if (load_catalog(kr, slug, subdomain, &cat, &status, &tenant_zone) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (strcmp(status, "ok") != 0) {
        return kfm_reply_error(kr, kf_api_public_status(status), status);
    }
    /* a context names this link's services and professionals only */
    if (has_before && !kf_assistant_catalog_names(&cat, &before)) {
        kf_fields_fail(&f, "context", "assistant_context_invalid");
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    const char *zone = q.tz ? q.tz : has_before ? before.timezone : tenant_zone;
    kf_intent in;
    apr_int64_t now = apr_time_sec(apr_time_now());
    kf_assistant_parse(r->pool, q.text, now, zone, kr->locale, zone_of, kr, &cat, &in);
    kf_assistant_request_settle(&q, has_before ? &before : NULL, zone_of, kr, &in);
    /* the day it is asked on, in the customer's zone */
    const kf_zone *customer = kfm_zone(kr, in.timezone);
    apr_int64_t today = kf_utc_day_of(now + kf_zone_offset(customer, now));
    /* what the parser did not understand may go to the language model, if one is set:
     * the connection goes back to the pool while it is asked */
    if (in.not_understood->nelts > 0 && kfm_assistant_llm_on(kr)) {
        kfm_req_db_give_back(kr);
        kfm_assistant_llm_ask(kr, q.text, today, &cat, &in);
        if (!kfm_req_db_own(kr, &rc)) {
            return rc;
        }
    }
    /* the reply speaks the request's language; without an Accept-Language, the sentence's */
    if (apr_table_get(r->headers_in, "Accept-Language")) {
        in.locale = kr->locale;
    }
    kf_assistant_reconcile(&cat, &in);
    return answer(kr, slug, subdomain, &cat, &in, customer, today, offers, noffers);
}

int kfm_handle_public_assistant_event(kfm_req *kr)
{
    const char *slug = apr_table_get(kr->params, "link");
    const char *subdomain = NULL;
    if (!kfm_public_host(kr, &subdomain) || !kf_link_slug_ok(slug)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    kf_fields f;
    kf_fields_init(&f, kr->r->pool, kr->locale);
    const char *event = kf_assistant_event_read(&f, kr->body);
    if (!event) {
        return kfm_reply_fields(kr, kf_fields_take(&f));
    }
    int recorded = 0;
    if (record(kr, slug, subdomain, event, &recorded) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    if (recorded == 0) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    return kfm_reply_empty(kr, HTTP_NO_CONTENT);
}
