/* GET /api/admin/customers?q&page (API.md "Admin API", Customers): the tenant's customers,
 * one per address that booked (its newest name and phone), how many bookings and the last
 * one, and which reminders they turned off (mail, or texts by preference or a STOP). */
#include "mod_kf_customers_feature.h"
#include "mod_kf_customers_columns.h"
#include "mod_kf_session.h"
#include "mod_kf_sql.h"
#include "kf_customer_list.h"

#include <apr_strings.h>


const kfm_sql kfm_customer_list_sql[] = {
    /* tenant three times, the pattern three times, offset */
    {"kf_customer_list",
     "WITH c AS (SELECT DISTINCT ON (lower(r.customer_email)) lower(r.customer_email) AS email,"
     "   r.customer_name AS name, r.customer_phone AS phone,"
     "   count(*) OVER (PARTITION BY lower(r.customer_email)) AS bookings,"
     "   max(r.starts_at) OVER (PARTITION BY lower(r.customer_email)) AS last_at"
     "  FROM reservations r WHERE r.tenant_id = %s::uuid AND coalesce(r.customer_email, '') <> ''"
     "   AND r.status NOT IN ('held', 'expired', 'failed')"
     "  ORDER BY lower(r.customer_email), r.created_at DESC)"
     " SELECT " KFM_SQL_COLUMNS(KFM_CUSTOMER_LIST_COLUMNS) ", count(*) OVER ()"
     " FROM c LEFT JOIN customer_preferences p ON p.tenant_id = %s::uuid AND p.email = c.email"
     " WHERE c.email ILIKE %s OR coalesce(c.name, '') ILIKE %s OR coalesce(c.phone, '') LIKE %s"
     " ORDER BY c.last_at DESC, c.email"
     " LIMIT " KFM_SQL_INT(KF_CUSTOMERS_PER_PAGE) " OFFSET %s::int"},
    {NULL, NULL},
};

static const char *read_customer_query(kfm_req *kr, const apr_table_t *params, void *q,
                                       const char **why)
{
    return kf_customer_query_read(params, q, why);
}

int kfm_handle_admin_customers(kfm_req *kr)
{
    request_rec *r = kr->r;
    kf_customer_query q;
    int reply = OK;
    if (!kfm_query_read(kr, read_customer_query, &q, &reply)) {
        return reply;
    }
    const char *pattern = kf_customer_query_pattern(r->pool, q.q);
    const char *tenant = kr->session->tenant.id;
    const char *args[] = {tenant, tenant, tenant, pattern, pattern, pattern,
                          apr_itoa(r->pool, (q.page - 1) * KF_CUSTOMERS_PER_PAGE)};
    kfm_rows *res = NULL;
    if (kfm_db_select(r, kr->db, "kf_customer_list", &res, 7, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, res,
                                                     KF_CUSTOMER_LIST_COL_TOTAL + 1, &n);
    return kfm_reply_json(kr, HTTP_OK, kf_customer_list_page(rows, n, q.page));
}
