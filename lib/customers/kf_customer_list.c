/* The merchant's customers (see kf_customer_list.h). */
#include "kf_customer_list.h"
#include "kf_query.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

const char *kf_customer_query_read(const apr_table_t *args, kf_customer_query *out,
                                   const char **reason)
{
    const char *q = apr_table_get(args, "q");
    const char *page = apr_table_get(args, "page");
    out->q = q ? q : "";
    out->page = 1;
    if (kf_utf8_length(out->q) > KF_CUSTOMERS_Q_MAX) {
        *reason = "invalid_parameter";
        return "q";
    }
    if (page) {
        out->page = kf_query_positive(page, 100000);
        if (out->page == 0) {
            *reason = "invalid_parameter";
            return "page";
        }
    }
    return NULL;
}

const char *kf_customer_query_pattern(apr_pool_t *p, const char *q)
{
    size_t n = strlen(q);
    char *out = apr_palloc(p, 2 * n + 3), *o = out;
    *o++ = '%';
    for (const char *c = q; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\') {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

json_t *kf_customer_json(const char *const *row)
{
    const char *phone = row[KF_CUSTOMER_LIST_COL_PHONE];
    const char *last = row[KF_CUSTOMER_LIST_COL_LAST];
    return json_pack("{s:s, s:s, s:o, s:I, s:o, s:{s:b, s:b}}",
                     "email", row[KF_CUSTOMER_LIST_COL_EMAIL],
                     "name", row[KF_CUSTOMER_LIST_COL_NAME] ? row[KF_CUSTOMER_LIST_COL_NAME] : "",
                     "phone", phone && *phone ? json_string(phone) : json_null(),
                     "bookings", (json_int_t)apr_atoi64(row[KF_CUSTOMER_LIST_COL_BOOKINGS]),
                     "last_booking_at", last ? json_string(last) : json_null(),
                     "reminders_opt_out", "email", kf_text_true(row[KF_CUSTOMER_LIST_COL_MAIL_OFF]),
                     "text", kf_text_true(row[KF_CUSTOMER_LIST_COL_TEXT_OFF]));
}

json_t *kf_customer_list_page(const char *const *const *rows, int n, int page)
{
    json_t *items = json_array();
    apr_int64_t total = 0;
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, kf_customer_json(rows[i]));
        total = apr_atoi64(rows[i][KF_CUSTOMER_LIST_COL_TOTAL]);
    }
    return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
                     "page", page, "per_page", KF_CUSTOMERS_PER_PAGE);
}
