/* GET /api/admin/audit?action&from&to&page&per_page: the session tenant's audit rows,
 * newest first. from/to are dates in the tenant's time zone, both inclusive. */
#include "kf_time.h"
#include "mod_kf_operations_feature.h"
#include "mod_kf_sql.h"
#include "mod_kf_session.h"
#include "kf_json.h"
#include "kf_query.h"
#include "kf_text.h"
#include "kf_tenant_rules.h"


#define AUDIT_PER_PAGE_DEFAULT 50
#define AUDIT_PER_PAGE_MAX 100
#define AUDIT_PAGE_MAX 100000
#define AUDIT_ACTION_MAX 100

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

/* Columns of kf_audit_page. */
enum { AUDIT_ID, AUDIT_ACTION, AUDIT_ENTITY_TYPE, AUDIT_ENTITY_ID, AUDIT_CHANGES, AUDIT_USER_ID,
       AUDIT_USER_EMAIL, AUDIT_IP, AUDIT_USER_AGENT, AUDIT_CREATED };

const kfm_sql kfm_audit_list_sql[] = {
    {"kf_audit_count", "SELECT count(*)" AUDIT_FROM AUDIT_WHERE},
    {"kf_audit_page",
     "SELECT a.id, a.action, a.entity_type, a.entity_id, a.changes::text, a.user_id, u.email,"
     "  host(a.ip), a.user_agent, " KFM_SQL_RFC3339("a.created_at")
     AUDIT_FROM
     " LEFT JOIN users u ON u.id = a.user_id AND u.tenant_id = a.tenant_id"
     AUDIT_WHERE
     " ORDER BY a.created_at DESC, a.id DESC LIMIT %s::int OFFSET %s::int"},
    {NULL, NULL},
};

typedef struct audit_query {
    const char *action;
    const char *from;
    const char *to;
    int page;
    int per_page;
} audit_query;

/* The query string as a table that keeps repeated names (ap_args_to_table keeps only
 * the last value), decoded ('+' is a space, then %XX). NULL on a bad %-escape. */
static apr_table_t *query_table(apr_pool_t *p, const char *query)
{
    apr_table_t *t = apr_table_make(p, 8);
    char *rest = apr_pstrdup(p, query ? query : "");
    char *last = NULL;
    for (char *pair = apr_strtok(rest, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '=');
        char *value = eq ? eq + 1 : "";
        if (eq) {
            *eq = '\0';
        }
        for (char *c = pair; *c; c++) {
            *c = *c == '+' ? ' ' : *c;
        }
        for (char *c = value; *c; c++) {
            *c = *c == '+' ? ' ' : *c;
        }
        if (ap_unescape_url(pair) != OK || ap_unescape_url(value) != OK) {
            return NULL;
        }
        apr_table_addn(t, pair, value);
    }
    return t;
}

/* Parses the query string; 0 on any bad parameter. Unknown parameters are ignored, a
 * repeated one is refused (which value was meant?). */
static int parse_query(kfm_req *kr, audit_query *q)
{
    q->action = q->from = q->to = NULL;
    q->page = 1;
    q->per_page = AUDIT_PER_PAGE_DEFAULT;
    apr_table_t *args = query_table(kr->r->pool, kr->r->args);
    if (!args) {
        return 0;
    }
    static const char *const names[] = {"action", "from", "to", "page", "per_page"};
    const apr_array_header_t *all = apr_table_elts(args);
    const apr_table_entry_t *e = (const apr_table_entry_t *)all->elts;
    for (int i = 0; i < 5; i++) {
        int seen = 0;
        for (int j = 0; j < all->nelts; j++) {
            seen += strcmp(e[j].key, names[i]) == 0;
        }
        if (seen > 1) {
            return 0;
        }
    }
    const char *v;
    if ((v = apr_table_get(args, "action")) != NULL) {
        if (!*v || strlen(v) > AUDIT_ACTION_MAX || !kf_utf8_valid(v, strlen(v))) {
            return 0;
        }
        q->action = v;
    }
    if ((v = apr_table_get(args, "from")) != NULL) {
        if (!kf_date_parse(v, NULL)) {
            return 0;
        }
        q->from = v;
    }
    if ((v = apr_table_get(args, "to")) != NULL) {
        if (!kf_date_parse(v, NULL)) {
            return 0;
        }
        q->to = v;
    }
    /* same-length YYYY-MM-DD strings compare like the dates they are */
    if (q->from && q->to && strcmp(q->from, q->to) > 0) {
        return 0;
    }
    if ((v = apr_table_get(args, "page")) != NULL &&
        !(q->page = kf_query_positive(v, AUDIT_PAGE_MAX))) {
        return 0;
    }
    if ((v = apr_table_get(args, "per_page")) != NULL &&
        !(q->per_page = kf_query_positive(v, AUDIT_PER_PAGE_MAX))) {
        return 0;
    }
    return 1;
}

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *audit_item(kfm_req *kr, kfm_rows *res, int row)
{
    ap_dbd_t *db = kr->db;
    apr_pool_t *p = kr->r->pool;
    json_t *item = json_object();
    const char *id = kfm_db_value(db, p, res, row, AUDIT_ID);
    json_object_set_new(item, "id", json_integer(id ? (json_int_t)apr_atoi64(id) : 0));
    json_object_set_new(item, "action", string_or_null(kfm_db_value(db, p, res, row, AUDIT_ACTION)));
    json_object_set_new(item, "entity_type", string_or_null(kfm_db_value(db, p, res, row, AUDIT_ENTITY_TYPE)));
    json_object_set_new(item, "entity_id", string_or_null(kfm_db_value(db, p, res, row, AUDIT_ENTITY_ID)));
    const char *changes_text = kfm_db_value(db, p, res, row, AUDIT_CHANGES);
    json_t *changes = changes_text
        ? kf_json_parse(p, changes_text, strlen(changes_text), NULL) : NULL;
    /* pool-owned: json_object_set takes its own reference */
    json_object_set(item, "changes", changes ? changes : json_object());
    const char *user_id = kfm_db_value(db, p, res, row, AUDIT_USER_ID);
    if (user_id) {
        json_t *user = json_object();
        json_object_set_new(user, "id", json_string(user_id));
        json_object_set_new(user, "email", string_or_null(kfm_db_value(db, p, res, row, AUDIT_USER_EMAIL)));
        json_object_set_new(item, "user", user);
    }
    else {
        json_object_set_new(item, "user", json_null());
    }
    json_object_set_new(item, "ip", string_or_null(kfm_db_value(db, p, res, row, AUDIT_IP)));
    json_object_set_new(item, "user_agent", string_or_null(kfm_db_value(db, p, res, row, AUDIT_USER_AGENT)));
    json_object_set_new(item, "created_at", string_or_null(kfm_db_value(db, p, res, row, AUDIT_CREATED)));
    return item;
}

int kfm_handle_audit_list(kfm_req *kr)
{
    request_rec *r = kr->r;
    audit_query q;
    if (!parse_query(kr, &q)) {
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
    json_t *items = json_array();
    int rows = kfm_db_rows(kr->db, page);
    for (int i = 0; i < rows; i++) {
        json_array_append_new(items, audit_item(kr, page, i));
    }
    json_t *body = json_object();
    json_object_set_new(body, "items", items);
    json_object_set_new(body, "total", json_integer(total ? (json_int_t)apr_atoi64(total) : 0));
    json_object_set_new(body, "page", json_integer(q.page));
    json_object_set_new(body, "per_page", json_integer(q.per_page));
    return kfm_reply_json(kr, HTTP_OK, body);
}
