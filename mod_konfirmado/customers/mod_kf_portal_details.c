/* GET /api/public/me/details: the signed-in customer's own name, address and phone at the
 * business of the request's host, as they last gave them (their newest booking or package
 * purchase there), so that the booking page of that host fills its details form for a
 * customer it knows. Only the session's own customer at the host's own tenant: a session of
 * another host is no session here (401), and nothing of anybody else is read. */
#include "mod_kf_customers_feature.h"
#include "mod_kf_portal.h"

#include <jansson.h>

/* Columns of kf_portal_details. */
enum { COL_NAME, COL_EMAIL, COL_PHONE, COL_COUNT };

const kfm_sql kfm_portal_details_sql[] = {
    /* tenant, email (lower case), twice: the details of the newest booking or purchase made
     * with the address (held times have none; an erased one has no address left) */
    {"kf_portal_details",
     "SELECT x.name, x.email, x.phone FROM ("
     "  SELECT r.customer_name AS name, r.customer_email AS email, r.customer_phone AS phone,"
     "         r.created_at FROM reservations r"
     "   WHERE r.tenant_id = %s::uuid AND lower(r.customer_email) = %s"
     "     AND r.customer_name IS NOT NULL"
     "  UNION ALL"
     "  SELECT pu.customer_name, pu.customer_email, pu.customer_phone, pu.created_at"
     "    FROM purchases pu WHERE pu.tenant_id = %s::uuid AND lower(pu.customer_email) = %s"
     " ) x ORDER BY x.created_at DESC LIMIT 1"},
    {NULL, NULL},
};

int kfm_handle_portal_details(kfm_req *kr)
{
    kfm_customer me;
    if (!kfm_portal_customer(kr, &me)) {
        return OK;
    }
    const char *args[] = {me.tenant_id, me.email, me.tenant_id, me.email};
    const char *v[COL_COUNT];
    apr_status_t rv = kfm_db_select_row(kr->r, kr->db, kr->r->pool, "kf_portal_details", 4, args,
                                        v, COL_COUNT);
    if (rv == APR_NOTFOUND) {
        return kfm_reply_error(kr, HTTP_NOT_FOUND, "not_found");   /* nothing given here yet */
    }
    if (rv != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    return kfm_reply_json(kr, HTTP_OK, json_pack("{s:s?, s:s?, s:s?}", "name", v[COL_NAME],
                                                 "email", v[COL_EMAIL], "phone", v[COL_PHONE]));
}
