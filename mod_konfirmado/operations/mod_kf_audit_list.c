/* GET /api/admin/audit?action&from&to&page&per_page: the session tenant's audit rows,
 * newest first. from/to are dates in the tenant's time zone, both inclusive. */
#include "mod_kf_operations_feature.h"
#include "mod_kf_operations_columns.h"
#include "mod_kf_sql.h"
#include "mod_kf_session.h"
#include "kf_audit_list.h"

/* Shared filter: tenant, optional exact action, optional local-date bounds. Each optional
 * filter takes its value twice (NULL test, comparison): apr_dbd placeholders are positional. */
#define AUDIT_FROM " FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
#define AUDIT_WHERE                                                                         \
    " WHERE a.tenant_id = %s::uuid"                                                         \
    "  AND (%s::text IS NULL OR a.action = %s::text)"                                       \
    "  AND (%s::date IS NULL"                                                               \
    "       OR a.created_at >= (%s::date)::timestamp AT TIME ZONE t.timezone)"              \
    "  AND (%s::date IS NULL"                                                               \
    "       OR a.created_at < ((%s::date) + 1)::timestamp AT TIME ZONE t.timezone)"

const kfm_sql kfm_audit_list_sql[] = {
    {"kf_audit_count", "SELECT count(*)" AUDIT_FROM AUDIT_WHERE},
    {"kf_audit_page",
     "SELECT " KFM_SQL_COLUMNS(KFM_AUDIT_COLUMNS)
     AUDIT_FROM
     " LEFT JOIN users u ON u.id = a.user_id AND u.tenant_id = a.tenant_id"
     AUDIT_WHERE
     " ORDER BY a.created_at DESC, a.id DESC LIMIT %s::int OFFSET %s::int"},
    {NULL, NULL},
};

int kfm_handle_audit_list(kfm_req *kr)
{
    request_rec *r = kr->r;
    kf_audit_query q;
    if (!kf_audit_query_parse(r->pool, r->args, &q)) {
        return kfm_reply_error(kr, HTTP_BAD_REQUEST, "invalid_parameter");
    }
    const char *tenant_id = kr->session->tenant.id;
    const char *limit = apr_itoa(r->pool, q.per_page);
    const char *offset = apr_ltoa(r->pool, (long)(q.page - 1) * q.per_page);
    const char *args[] = {tenant_id, q.action, q.action, q.from, q.from, q.to, q.to,
                          limit, offset};
    kfm_rows *count = NULL, *page = NULL;
    if (kfm_db_select(r, kr->db, "kf_audit_count", &count, 7, args) != APR_SUCCESS ||
        kfm_db_select(r, kr->db, "kf_audit_page", &page, 9, args) != APR_SUCCESS) {
        return kfm_reply_error(kr, HTTP_INTERNAL_SERVER_ERROR, "internal_error");
    }
    const char *total = kfm_db_value(kr->db, r->pool, count, 0, 0);
    int n = 0;
    const char *const *const *rows = kfm_db_all_rows(kr->db, r->pool, page, KF_AUDIT_COLUMNS, &n);
    return kfm_reply_json(kr, HTTP_OK,
                          kf_audit_page_json(r->pool, rows, n, kfm_db_number(total), &q));
}
