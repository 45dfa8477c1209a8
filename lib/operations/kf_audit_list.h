#ifndef KF_AUDIT_LIST_H
#define KF_AUDIT_LIST_H
/* The tenant's audit list (API.md: GET /api/admin/audit?action&from&to&page&per_page): its
 * query checked, and its rows (newest first) as the answer's JSON. from/to are dates in the
 * tenant's zone, both inclusive. */
#include <apr_tables.h>
#include <jansson.h>

#define KF_AUDIT_PER_PAGE_DEFAULT 50
#define KF_AUDIT_PER_PAGE_MAX 100
#define KF_AUDIT_PAGE_MAX 100000
#define KF_AUDIT_ACTION_MAX 100

typedef struct kf_audit_query {
    const char *action;   /* exact action, or NULL */
    const char *from;     /* YYYY-MM-DD or NULL */
    const char *to;
    int page;
    int per_page;
} kf_audit_query;

/* The query from its decoded parameters (a name may appear more than once): 1 with *q, 0 on
 * any bad parameter. Unknown parameters are ignored, a repeated one is refused (which value
 * was meant?), an action is 1..100 characters of UTF-8, the dates real and in order. */
int kf_audit_query_read(const apr_table_t *args, kf_audit_query *q);

/* The same from the query string as it came (NULL: none): split at '&', each name and value
 * decoded as httpd decodes a path ('+' is a space, then %XX; a bad escape, %00 or an encoded
 * '/' refuses the query), every value kept (so that a repeat is seen). Decoded copies in p. */
int kf_audit_query_parse(apr_pool_t *p, const char *query, kf_audit_query *q);

/* Columns of kf_audit_page. */
enum {
    KF_AUDIT_COL_ID, KF_AUDIT_COL_ACTION, KF_AUDIT_COL_ENTITY_TYPE, KF_AUDIT_COL_ENTITY_ID,
    KF_AUDIT_COL_CHANGES, KF_AUDIT_COL_USER_ID, KF_AUDIT_COL_USER_EMAIL, KF_AUDIT_COL_IP,
    KF_AUDIT_COL_USER_AGENT, KF_AUDIT_COL_CREATED, KF_AUDIT_COLUMNS
};

/* One row as the list shows it: its changes as JSON (an object when absent or unreadable),
 * its user (null when none) with id and email. JSON values it parses belong to p. */
json_t *kf_audit_item_json(apr_pool_t *p, const char *const *row);

/* The answer: the page's n rows (KF_AUDIT_COLUMNS values each) as items, the total count and
 * the page read. */
json_t *kf_audit_page_json(apr_pool_t *p, const char *const *const *rows, int n,
                           apr_int64_t total, const kf_audit_query *q);

#endif
