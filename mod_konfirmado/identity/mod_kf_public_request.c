/* What every public endpoint reads of its request: see mod_kf_public_request.h. */
#include "mod_kf_public_request.h"
#include "kf_crypto.h"
#include "kf_metrics.h"
#include "kf_text.h"
#include "kf_customer.h"
#include "kf_json.h"
#include "kf_booking_status.h"
#include "mod_kf_db.h"

#include "mod_kf_sql.h"

#include "util_script.h"

const kfm_sql kfm_public_request_sql[] = {
    /* id, token hash twice, host subdomain twice (kfm_public_booking_args) */
    {"kf_booking_token_ends",
     "SELECT extract(epoch FROM r.ends_at)::bigint FROM reservations r"
     " JOIN tenants t ON t.id = r.tenant_id"
     " WHERE r.id = %s::uuid AND " KFM_SQL_TOKEN_OPENS("r")
     "   AND (%s::text IS NULL OR t.subdomain = %s::text)"},
    {NULL, NULL},
};

int kfm_public_booking_token_expired(kfm_req *kr, const char *args[5])
{
    const char *ends = NULL;
    if (kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_booking_token_ends", 5, args, &ends,
                          1) != APR_SUCCESS) {
        return 0;
    }
    return !kf_booking_token_open(apr_atoi64(ends), apr_time_sec(apr_time_now()));
}

int kfm_public_host(kfm_req *kr, const char **subdomain)
{
    /* the router answered 404 unknown_host before any handler for every other host */
    *subdomain = kr->host_tenant;
    return 1;
}

const char *kfm_public_visit(kfm_req *kr)
{
    const char *visit = apr_table_get(kr->r->headers_in, KF_VISIT_HEADER);
    return kf_visit_id_ok(visit) ? visit : NULL;
}

const char *kfm_public_bearer(kfm_req *kr)
{
    return kf_bearer_token(apr_table_get(kr->r->headers_in, "Authorization"));
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

void kfm_public_check_customer(kfm_req *kr, json_t *body, const char *country, int terms_needed,
                               json_t *fields, const char **name, const char **email,
                               const char **phone)
{
    kf_customer c;
    const char *problem[KF_CUSTOMER_FIELDS];
    kf_customer_read(body, country, terms_needed, &c, problem);
    for (int i = 0; i < KF_CUSTOMER_FIELDS; i++) {
        if (problem[i]) {
            kfm_field_error(kr, fields, kf_customer_field_name(i), problem[i]);
        }
    }
    *name = c.name;
    *email = c.email;
    *phone = c.phone;
}
