/* GET /api/public/links/{link} (API.md "Public booking API"): the booking page's data in
 * one statement that also records the funnel event link_viewed. PostgreSQL builds the
 * JSON (keys in the order of API.md); the core adds each service's charge amount
 * (kf_link_page_charges, by kf_payment_charge: the one place that rule lives). */
#include "mod_kf_catalog_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_public_request.h"
#include "kf_catalog_rules.h"
#include "kf_link.h"


/* The link's page as JSON: the link, its tenant, what it offers. */
#define PUBLIC_LINK_JSON                                                                    \
    "(SELECT json_build_object("                                                            \
    "  'link', json_build_object('id', ok.slug,"                                            \
    "     'expires_at', " KFM_SQL_RFC3339("ok.expires_at") ","                              \
    "     'preselected', json_build_object('service', ok.service_id,"                       \
    "                                      'professional', ok.professional_id)),"           \
    "  'tenant', json_build_object(" KFM_SQL_PUBLIC_TENANT_FIELDS("t") ","                 \
    /* what the customer may undo, shown before paying */                                   \
    "     'policy', json_build_object('cancel_cutoff_hours', t.cancel_cutoff_hours,"        \
    "        'reschedule_cutoff_hours', t.reschedule_cutoff_hours,"                         \
    "        'max_reschedules', t.max_reschedules, 'refund_on_cancel', t.refund_on_cancel)," \
    /* the sites that may frame the page: the only parents it posts its events to */        \
    "     'embed_origins', array_to_json(t.embed_origins))," \
    "  'services', COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name," \
    "     'description', s.description, 'image_url', s.image_url,"                          \
    "     'duration_minutes', s.duration_minutes,"                                          \
    /* customers per start: more than one is a group class (its slots show seats_left) */   \
    "     'capacity', s.capacity,"                                                          \
    /* a collective team: booked with all its professionals, none chosen */                 \
    "     'team', s.team_ids IS NOT NULL,"                                                  \
    /* booked as a series: {every, min, max, pay}, or null */                               \
    "     'series', s.series,"                                                              \
    /* where it takes place, before booking: a video service's link comes only with the     \
     * booking (its mails and page), and may be the professional's own */                   \
    "     'location', CASE s.location_type"                                                 \
    "        WHEN 'in_person' THEN json_build_object('type', 'in_person',"                   \
    "          'address', s.location_value)"                                                \
    "        WHEN 'phone' THEN json_build_object('type', 'phone',"                           \
    "          'instructions', s.location_value)"                                           \
    "        WHEN 'video' THEN json_build_object('type', 'video') END,"                     \
    "     'price', json_build_object('amount', s.price_amount, 'currency', s.currency),"    \
    /* the amount is the core's (kf_payment_charge): added by kf_link_page_charges() */     \
    "     'charge', json_build_object('type', s.charge_type,"                               \
    "        'deposit_percent', s.deposit_percent, 'currency', s.currency),"                \
    "     'professional_ids', (SELECT json_agg(x.professional_id ORDER BY x.professional_id)" \
    "                          FROM sp x WHERE x.service_id = s.id))"                       \
    "     ORDER BY s.name, s.id)"                                                           \
    "    FROM services s WHERE s.id IN (SELECT service_id FROM sp)), '[]'::json),"          \
    "  'professionals', COALESCE((SELECT json_agg(json_build_object('id', p.id,"            \
    "     'name', p.name, 'description', p.description, 'photo_url', p.photo_url,"          \
    "     'service_ids', (SELECT json_agg(x.service_id ORDER BY x.service_id)"              \
    "                     FROM sp x WHERE x.professional_id = p.id))"                       \
    "     ORDER BY p.name, p.id)"                                                           \
    "    FROM professionals p WHERE p.id IN (SELECT professional_id FROM sp)), '[]'::json)," \
    /* packages: those of the link whose service it offers (so each session can be booked   \
     * through it) */                                                                       \
    "  'packages', COALESCE((SELECT json_agg(json_build_object('id', k.id, 'name', k.name," \
    "     'description', k.description, 'sessions', k.sessions,"                            \
    "     'price', json_build_object('amount', k.price_amount, 'currency', k.currency),"    \
    "     'currency', k.currency, 'valid_days', k.valid_days,"                              \
    "     'service', json_build_object('id', s.id, 'name', s.name,"                         \
    "        'duration_minutes', s.duration_minutes))"                                      \
    "     ORDER BY k.created_at, k.id)"                                                     \
    "    FROM link_packages lp JOIN packages k ON k.id = lp.package_id AND k.archived_at IS NULL" \
    "    JOIN services s ON s.id = k.service_id"                                            \
    "    WHERE lp.link_id = ok.id AND k.service_id IN (SELECT service_id FROM sp)), '[]'::json)" \
    "  )::text FROM ok JOIN tenants t ON t.id = ok.tenant_id)"

/* Columns of kf_public_link. */
#define PUBLIC_LINK_COLUMNS(FIRST, NEXT)                                                    \
    FIRST(LINK_STATUS, "CASE WHEN NOT EXISTS (SELECT 1 FROM link) THEN 'link_not_found'"    \
                       " WHEN NOT EXISTS (SELECT 1 FROM ok) THEN 'link_expired' ELSE 'ok' END") \
    NEXT(LINK_JSON, PUBLIC_LINK_JSON)
enum { PUBLIC_LINK_COLUMNS(KFM_SQL_POSITION, KFM_SQL_POSITION) LINK_COLUMN_COUNT };

const kfm_sql kfm_public_links_sql[] = {
    {"kf_public_link",
     "WITH a AS (SELECT %s::text AS slug, %s::text AS sub, %s::text AS visit),"
     " link AS (SELECT l.* FROM a JOIN booking_links l ON l.slug = a.slug AND l.active"
     "  JOIN tenants t ON t.id = l.tenant_id AND (a.sub IS NULL OR t.subdomain = a.sub)),"
     " ok AS (SELECT * FROM link WHERE " KFM_SQL_LINK_OPEN("link", "now()") "),"
     /* who offers what, restricted to what the link allows */
     " sp AS (SELECT sp.service_id, sp.professional_id FROM ok"
     "  JOIN service_professionals sp ON sp.tenant_id = ok.tenant_id"
     "  JOIN services s ON s.id = sp.service_id AND s.archived_at IS NULL"
     "  JOIN professionals p ON p.id = sp.professional_id AND p.archived_at IS NULL"
     "  WHERE (ok.service_id IS NULL OR sp.service_id = ok.service_id)"
     "    AND (ok.professional_id IS NULL OR sp.professional_id = ok.professional_id)),"
     " ev AS (INSERT INTO funnel_events (tenant_id, link_id, event, visit_id)"
     "  SELECT ok.tenant_id, ok.id, 'link_viewed', a.visit FROM ok, a)"
     " SELECT " KFM_SQL_COLUMNS(PUBLIC_LINK_COLUMNS)},
    {NULL, NULL},
};

int kfm_handle_public_link(kfm_req *kr)
{
    const char *slug = apr_table_get(kr->params, "link");
    const char *subdomain = NULL;
    const char *v[LINK_COLUMN_COUNT];

    if (!kfm_public_host(kr, &subdomain) || !kf_link_slug_ok(slug)) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "link_not_found");
    }
    const char *args[] = {slug, subdomain, kfm_public_visit(kr)};
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_public_link", 3, args, v,
                          LINK_COLUMN_COUNT) != APR_SUCCESS || !v[LINK_STATUS]) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *status = v[LINK_STATUS], *json = v[LINK_JSON];
    if (strcmp(status, "ok") != 0 || !json) {
        return kfm_reply_error(kr, kf_api_public_status(status), status);
    }
    json_t *answer = json_loads(json, 0, NULL);
    if (!answer || kf_link_page_charges(answer) != APR_SUCCESS) {
        json_decref(answer);
        kfm_log(kr, APLOG_ERR, "public link %s: a service's charge could not be computed", slug);
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, answer);
}
