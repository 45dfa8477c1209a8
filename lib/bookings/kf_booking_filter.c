#include "kf_time.h"
#include "kf_booking_filter.h"
#include "kf_reservation.h"
#include "kf_query.h"
#include "kf_text.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* A state of the booking's state machine, by its name. */
int kf_booking_status_valid(const char *status, apr_size_t len)
{
    for (int s = 0; s < KF_RES_STATE_COUNT; s++) {
        const char *name = kf_res_state_name((kf_res_state)s);
        if (strlen(name) == len && strncmp(name, status, len) == 0) {
            return 1;
        }
    }
    return 0;
}

static int all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

const char *kf_like_contains(apr_pool_t *p, const char *text)
{
    apr_size_t len = strlen(text);
    char *out = apr_palloc(p, 2 * len + 3);
    char *o = out;
    *o++ = '%';
    for (const char *c = text; *c; c++) {
        if (*c == '\\' || *c == '%' || *c == '_') {
            *o++ = '\\';
        }
        *o++ = *c;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}

/* The value of a parameter, or NULL when it is absent or empty. */
static const char *given(apr_table_t *params, const char *name)
{
    const char *v = apr_table_get(params, name);
    return v && *v ? v : NULL;
}

static int valid_status_list(const char *list)
{
    const char *item = list;
    for (;;) {
        const char *comma = strchr(item, ',');
        apr_size_t len = comma ? (apr_size_t)(comma - item) : strlen(item);
        if (!kf_booking_status_valid(item, len)) {
            return 0;
        }
        if (!comma) {
            return 1;
        }
        item = comma + 1;
    }
}

/* A decimal integer in [min, max] with nothing else around it. */
static int parse_int(const char *s, int min, int max, int *out)
{
    apr_size_t len = strlen(s);
    if (len == 0 || len > 9 || !all_digits(s, (int)len)) {
        return 0;
    }
    int v = atoi(s);
    if (v < min || v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

static int refuse(const char **bad_param, const char **reason, const char *param,
                  const char *why)
{
    *bad_param = param;
    *reason = why;
    return -1;
}

int kf_booking_filter_parse(apr_pool_t *p, apr_table_t *params, kf_booking_filter *f,
                            const char **bad_param, const char **reason)
{
    const char *v;
    memset(f, 0, sizeof(*f));
    f->page = 1;
    f->per_page = KF_BOOKINGS_PER_PAGE_DEFAULT;
    *bad_param = NULL;
    *reason = NULL;

    if ((v = given(params, "status"))) {
        if (!valid_status_list(v)) {
            return refuse(bad_param, reason, "status", "param_status");
        }
        f->statuses = v;
    }
    if ((v = given(params, "service"))) {
        if (!kf_is_uuid(v)) {
            return refuse(bad_param, reason, "service", "param_id");
        }
        f->service_id = v;
    }
    if ((v = given(params, "professional"))) {
        if (!kf_is_uuid(v)) {
            return refuse(bad_param, reason, "professional", "param_id");
        }
        f->professional_id = v;
    }
    if ((v = given(params, "from"))) {
        if (!kf_date_parse(v, NULL)) {
            return refuse(bad_param, reason, "from", "param_date");
        }
        f->from = v;
    }
    if ((v = given(params, "to"))) {
        if (!kf_date_parse(v, NULL)) {
            return refuse(bad_param, reason, "to", "param_date");
        }
        f->to = v;
    }
    if (f->from && f->to && strcmp(f->to, f->from) < 0) {
        return refuse(bad_param, reason, "to", "param_date_range");
    }
    if ((v = given(params, "q"))) {
        if (kf_utf8_length(v) > KF_BOOKINGS_Q_MAX) {
            return refuse(bad_param, reason, "q", "param_q");
        }
        f->q_pattern = kf_like_contains(p, v);
    }
    if ((v = given(params, "callback"))) {
        if (strcmp(v, "pending") != 0 && strcmp(v, "delivered") != 0 && strcmp(v, "failed") != 0) {
            return refuse(bad_param, reason, "callback", "param_callback");
        }
        f->callback = v;
    }
    if ((v = given(params, "refund"))) {
        if (strcmp(v, "needed") != 0) {
            return refuse(bad_param, reason, "refund", "param_refund");
        }
        f->refund = v;
    }
    if ((v = given(params, "customer"))) {
        if (strcmp(v, "given") != 0) {
            return refuse(bad_param, reason, "customer", "param_customer");
        }
        f->customer = v;
    }
    if ((v = given(params, "page")) && !parse_int(v, 1, KF_BOOKINGS_PAGE_MAX, &f->page)) {
        return refuse(bad_param, reason, "page", "param_page");
    }
    if ((v = given(params, "per_page")) &&
        !parse_int(v, 1, KF_BOOKINGS_PER_PAGE_MAX, &f->per_page)) {
        return refuse(bad_param, reason, "per_page", "param_per_page");
    }
    return 0;
}

int kf_booking_filter_read(apr_pool_t *p, const char *query, int ignore_paging,
                           kf_booking_filter *f, const char **bad_param, const char **reason)
{
    apr_table_t *params;
    switch (kf_query_parse(p, query, &params, bad_param)) {
    case KF_QUERY_OK:
        break;
    case KF_QUERY_REPEATED:
        *reason = "param_repeated";
        return -1;
    default:
        *reason = "param_encoding";
        return -1;
    }
    if (ignore_paging) {
        apr_table_unset(params, "page");
        apr_table_unset(params, "per_page");
    }
    return kf_booking_filter_parse(p, params, f, bad_param, reason);
}

void kf_booking_filter_args(const char *tenant_id, const kf_booking_filter *f, const char **args)
{
    const char *given[1 + KF_BOOKING_FILTER_ARGS] = {
        tenant_id,
        f->statuses, f->statuses,
        f->service_id, f->service_id,
        f->professional_id, f->professional_id,
        f->from, f->from,
        f->to, f->to,
        f->q_pattern, f->q_pattern, f->q_pattern,
        f->callback, f->callback,
        f->refund,
        f->customer,
    };
    for (int i = 0; i < 1 + KF_BOOKING_FILTER_ARGS; i++) {
        args[i] = given[i];
    }
}
