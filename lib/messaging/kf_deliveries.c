/* The deliveries list's query (see kf_deliveries.h). */
#include "kf_deliveries.h"
#include "kf_delivery_reason.h"
#include "kf_json.h"
#include "kf_query.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

int kf_deliveries_query_read(const char *status, const char *page, const char *per_page,
                             kf_deliveries_query *q)
{
    if (status && strcmp(status, "failed") && strcmp(status, "pending") && strcmp(status, "sent") &&
        strcmp(status, "suppressed")) {
        return 0;
    }
    q->status = status;
    q->page = page ? kf_query_positive(page, KF_DELIVERIES_PAGE_MAX) : 1;
    q->per_page = per_page ? kf_query_positive(per_page, KF_DELIVERIES_PER_PAGE_MAX)
                           : KF_DELIVERIES_PER_PAGE_DEFAULT;
    if (!q->page || !q->per_page) {
        return 0;
    }
    q->offset = (long)(q->page - 1) * q->per_page;
    return 1;
}

json_t *kf_delivery_json(const char *const *row)
{
    static const struct {
        const char *name;
        int column;
    } text[] = {{"id", KF_DELIVERY_COL_ID},         {"booking_id", KF_DELIVERY_COL_BOOKING},
                {"channel", KF_DELIVERY_COL_CHANNEL}, {"kind", KF_DELIVERY_COL_KIND},
                {"to", KF_DELIVERY_COL_TO},         {"error", KF_DELIVERY_COL_ERROR},
                {"status", KF_DELIVERY_COL_STATUS},  {"last_attempt_at", KF_DELIVERY_COL_LAST}};
    json_t *item = json_object();
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        kf_json_set_str(item, text[i].name, row[text[i].column]);
    }
    const char *attempts = row[KF_DELIVERY_COL_ATTEMPTS];
    json_object_set_new(item, "attempts", json_integer(attempts ? apr_atoi64(attempts) : 0));
    kf_delivery_reason why = kf_delivery_reason_of(
        row[KF_DELIVERY_COL_CHANNEL], row[KF_DELIVERY_COL_STATUS], row[KF_DELIVERY_COL_TO],
        row[KF_DELIVERY_COL_FAULT], row[KF_DELIVERY_COL_ERROR]);
    kf_json_set_str(item, "reason", why.code);
    json_object_set_new(item, "answer_code", why.answer ? json_integer(why.answer) : json_null());
    return item;
}

json_t *kf_delivery_failure_json(const char *channel, const char *to, const char *fault,
                                 const char *error, int http_status)
{
    char status_text[16];
    if (!(error && *error) && http_status > 0) {
        snprintf(status_text, sizeof status_text, "HTTP %d", http_status);
        error = status_text;
    }
    kf_delivery_reason why = kf_delivery_reason_of(channel, "failed", to, fault, error);
    if (!why.code) {
        return NULL;
    }
    return json_pack("{s:s, s:o, s:o}", "reason", why.code, "answer_code",
                     why.answer ? json_integer(why.answer) : json_null(), "to",
                     to ? json_string(to) : json_null());
}

void kf_callback_attempts_say_why(json_t *attempts)
{
    size_t i;
    json_t *a;
    json_array_foreach(attempts, i, a) {
        json_int_t code = json_integer_value(json_object_get(a, "status_code"));
        const char *error = json_string_value(json_object_get(a, "error"));
        json_t *why = code >= 200 && code < 300
                          ? NULL
                          : kf_delivery_failure_json("callback", NULL, NULL, error, (int)code);
        json_object_set_new(a, "reason", why ? json_incref(json_object_get(why, "reason"))
                                             : json_null());
        json_object_set_new(a, "answer_code",
                            why ? json_incref(json_object_get(why, "answer_code")) : json_null());
        json_decref(why);
    }
}

json_t *kf_delivery_items_json(const char *const *const *rows, int n)
{
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(items, kf_delivery_json(rows[i]));
    }
    return items;
}

json_t *kf_deliveries_page_json(json_t *items, apr_int64_t total, const kf_deliveries_query *q)
{
    return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page",
                     q->page, "per_page", q->per_page);
}
