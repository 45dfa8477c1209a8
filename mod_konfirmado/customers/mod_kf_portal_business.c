/* GET /api/public/me/business: the public face of the business the request's host names
 * (name, logo, colours, zone, language, terms: the booking page's "tenant"), so that the
 * pages without a booking link (/book/me, /book/unsubscribe) wear the business's brand.
 * Nothing here is more than the business's own booking page already shows. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_sql.h"

#include <jansson.h>

const kfm_sql kfm_portal_business_sql[] = {
    /* subdomain: the same object as GET /api/public/links/{link}'s "tenant" */
    {"kf_portal_business",
     "SELECT json_build_object(" KFM_SQL_PUBLIC_TENANT_FIELDS("t") ")::text"
     " FROM tenants t WHERE t.subdomain = %s"},
    {NULL, NULL},
};

int kfm_handle_portal_business(kfm_req *kr)
{
    if (!kr->host_tenant) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");   /* the platform's host */
    }
    const char *args[] = {kr->host_tenant};
    kfm_rows *res = NULL;
    if (kfm_db_select(kr->r, kr->db, "kf_portal_business", &res, 1, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *text = kfm_db_value(kr->db, kr->r->pool, res, 0, 0);
    json_t *business = text ? json_loads(text, 0, NULL) : NULL;
    if (!business) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");
    }
    return kfm_reply_json(kr, HTTP_OK, business);
}
