/* The tenant's audit list: see kf_audit_list.h. */
#include "kf_audit_list.h"
#include "kf_json.h"
#include "kf_query.h"
#include "kf_text.h"
#include "kf_time.h"

#include <string.h>
#include <apr_escape.h>
#include <apr_strings.h>

int kf_audit_query_read(const apr_table_t *args, kf_audit_query *q)
{
    q->action = q->from = q->to = NULL;
    q->page = 1;
    q->per_page = KF_AUDIT_PER_PAGE_DEFAULT;
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
        if (!*v || strlen(v) > KF_AUDIT_ACTION_MAX || !kf_utf8_valid(v, strlen(v))) {
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
        !(q->page = kf_query_positive(v, KF_AUDIT_PAGE_MAX))) {
        return 0;
    }
    if ((v = apr_table_get(args, "per_page")) != NULL &&
        !(q->per_page = kf_query_positive(v, KF_AUDIT_PER_PAGE_MAX))) {
        return 0;
    }
    return 1;
}

/* A name or value decoded in place; 0 when its encoding is refused. */
static int decode_in_place(char *text)
{
    apr_status_t rv = apr_unescape_url(text, text, APR_ESCAPE_STRING, "/", NULL, 1, NULL);
    return rv == APR_SUCCESS || rv == APR_NOTFOUND;   /* NOTFOUND: nothing was escaped */
}

int kf_audit_query_parse(apr_pool_t *p, const char *query, kf_audit_query *q)
{
    apr_table_t *args = apr_table_make(p, 8);
    char *rest = apr_pstrdup(p, query ? query : "");
    char *last = NULL;
    for (char *pair = apr_strtok(rest, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        char *eq = strchr(pair, '=');
        char *value = eq ? eq + 1 : pair + strlen(pair);   /* "" in the writable copy */
        if (eq) {
            *eq = '\0';
        }
        if (!decode_in_place(pair) || !decode_in_place(value)) {
            return 0;
        }
        apr_table_addn(args, pair, value);
    }
    return kf_audit_query_read(args, q);
}

json_t *kf_audit_item_json(apr_pool_t *p, const char *const *row)
{
    json_t *item = json_object();
    const char *id = row[KF_AUDIT_COL_ID];
    json_object_set_new(item, "id", json_integer(id ? (json_int_t)apr_atoi64(id) : 0));
    kf_json_set_str(item, "action", row[KF_AUDIT_COL_ACTION]);
    kf_json_set_str(item, "entity_type", row[KF_AUDIT_COL_ENTITY_TYPE]);
    kf_json_set_str(item, "entity_id", row[KF_AUDIT_COL_ENTITY_ID]);
    const char *changes_text = row[KF_AUDIT_COL_CHANGES];
    json_t *changes = changes_text
        ? kf_json_parse(p, changes_text, strlen(changes_text), NULL) : NULL;
    if (changes) {
        json_object_set(item, "changes", changes);   /* pool-owned: set takes its own reference */
    }
    else {
        json_object_set_new(item, "changes", json_object());
    }
    const char *user_id = row[KF_AUDIT_COL_USER_ID];
    if (user_id) {
        json_t *user = json_object();
        kf_json_set_str(user, "id", user_id);
        kf_json_set_str(user, "email", row[KF_AUDIT_COL_USER_EMAIL]);
        json_object_set_new(item, "user", user);
    }
    else {
        json_object_set_new(item, "user", json_null());
    }
    kf_json_set_str(item, "ip", row[KF_AUDIT_COL_IP]);
    kf_json_set_str(item, "user_agent", row[KF_AUDIT_COL_USER_AGENT]);
    kf_json_set_str(item, "created_at", row[KF_AUDIT_COL_CREATED]);
    return item;
}

json_t *kf_audit_page_json(apr_pool_t *p, const char *const *const *rows, int n,
                           apr_int64_t total, const kf_audit_query *q)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, kf_audit_item_json(p, rows[i]));
    }
    json_t *body = json_object();
    json_object_set_new(body, "items", items);
    json_object_set_new(body, "total", json_integer((json_int_t)total));
    json_object_set_new(body, "page", json_integer(q->page));
    json_object_set_new(body, "per_page", json_integer(q->per_page));
    return body;
}
