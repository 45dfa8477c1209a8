/* The metrics answer: see kf_metrics_answer.h. */
#include "kf_metrics_answer.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static json_t *number_or_null(const char *v)
{
    if (!v || !*v) {
        return json_null();
    }
    /* one decimal is what a person reads; keeps the JSON short and stable */
    char one_decimal[64];
    apr_snprintf(one_decimal, sizeof(one_decimal), "%.1f", strtod(v, NULL));
    return json_real(strtod(one_decimal, NULL));
}

/* A count column; NULL (a figure the row does not carry) is 0. */
static long count(const char *v)
{
    return v ? atol(v) : 0;
}

static json_t *ratio(long part, long base)
{
    double r = kf_metrics_ratio(part, base);
    return r < 0 ? json_null() : json_real(r);
}

static json_t *per_day(const char *text, const char *currency)
{
    json_t *days = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    for (char *day = strtok_r(copy, ";", &save); day; day = strtok_r(NULL, ";", &save)) {
        char *count = strchr(day, ',');
        char *amount = count ? strchr(count + 1, ',') : NULL;
        if (!amount) {
            continue;
        }
        *count++ = '\0';
        *amount++ = '\0';
        json_t *revenue = json_pack("{s:I, s:s}", "amount", (json_int_t)strtoll(amount, NULL, 10),
                                    "currency", currency);
        json_array_append_new(days, json_pack("{s:s, s:I, s:o}", "date", day, "count",
                                              (json_int_t)strtoll(count, NULL, 10), "revenue", revenue));
    }
    free(copy);
    return days;
}

/* [{"amount", "currency"}...] of "CUR:amount;..." */
static json_t *per_currency(const char *text)
{
    json_t *out = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char *amount = strchr(item, ':');
        if (amount) {
            *amount++ = '\0';
            json_array_append_new(out, json_pack("{s:I, s:s}", "amount",
                                                 (json_int_t)strtoll(amount, NULL, 10),
                                                 "currency", item));
        }
    }
    free(copy);
    return out;
}

json_t *kf_metrics_answer_json(const char *from, const char *to, const char *const *v)
{
    long viewed = atol(v[KF_METRICS_COL_VIEWED]), held = atol(v[KF_METRICS_COL_HELD]);
    long details = atol(v[KF_METRICS_COL_DETAILS]), started = atol(v[KF_METRICS_COL_STARTED]);
    long approved = atol(v[KF_METRICS_COL_APPROVED]);
    json_t *funnel = json_pack("{s:i, s:i, s:i, s:i, s:i}", "link_viewed", (int)viewed,
                               "slot_held", (int)held, "details_entered", (int)details,
                               "payment_started", (int)started, "payment_approved", (int)approved);
    json_t *conversion = json_pack("{s:o, s:o, s:o, s:o, s:o}",
                                   "view_to_hold", ratio(held, viewed),
                                   "hold_to_details", ratio(details, held),
                                   "details_to_payment", ratio(started, details),
                                   "payment_to_approved", ratio(approved, started),
                                   "view_to_approved", ratio(approved, viewed));
    long completed = atol(v[KF_METRICS_COL_COMPLETED]), no_shows = atol(v[KF_METRICS_COL_NO_SHOWS]);
    long completed_reminded = count(v[KF_METRICS_COL_COMPLETED_REMINDED]);
    long no_shows_reminded = count(v[KF_METRICS_COL_NO_SHOWS_REMINDED]);
    json_t *reminders = json_pack(
        "{s:i, s:o, s:o}", "sent", (int)count(v[KF_METRICS_COL_REMINDERS]), "no_show_rate_reminded",
        ratio(no_shows_reminded, completed_reminded + no_shows_reminded),
        "no_show_rate_not_reminded",
        ratio(no_shows - no_shows_reminded,
              (completed - completed_reminded) + (no_shows - no_shows_reminded)));
    json_t *extra = json_pack(
        "{s:{s:i, s:i, s:i}, s:o, s:o, s:i, s:i, s:i, s:{s:i, s:i, s:i}}", "cancellations_by",
        "customer", (int)count(v[KF_METRICS_COL_BY_CUSTOMER]), "merchant",
        (int)count(v[KF_METRICS_COL_BY_MERCHANT]), "system", (int)count(v[KF_METRICS_COL_BY_SYSTEM]),
        "lead_time_hours_avg", number_or_null(v[KF_METRICS_COL_LEAD_AVG]), "reminders", reminders,
        "rate_limited", (int)count(v[KF_METRICS_COL_RATE_LIMITED]), "calendar_failures",
        (int)count(v[KF_METRICS_COL_CALENDAR_FAILURES]), "oauth_failures",
        (int)count(v[KF_METRICS_COL_OAUTH_FAILURES]), "assistant", "opened",
        (int)count(v[KF_METRICS_COL_ASSISTANT_OPENED]), "answered",
        (int)count(v[KF_METRICS_COL_ASSISTANT_ANSWERED]), "slot_picked",
        (int)count(v[KF_METRICS_COL_ASSISTANT_SLOT_PICKED]));
    json_t *answer = json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:i, s:i, s:i, s:o, s:o, s:{s:o, s:o},"
                     " s:{s:o, s:o}, s:o, s:o}",
                     "from", from, "to", to, "funnel", funnel, "conversion", conversion,
                     "bookings_per_day", per_day(v[KF_METRICS_COL_PER_DAY],
                                                 v[KF_METRICS_COL_CURRENCY]),
                     "cancellations", atoi(v[KF_METRICS_COL_CANCELLED]),
                     "reschedules", atoi(v[KF_METRICS_COL_RESCHEDULED]), "completed",
                     (int)completed, "no_shows", (int)no_shows, "no_show_rate",
                     ratio(no_shows, completed + no_shows),
                     "lead_time_hours_p50", number_or_null(v[KF_METRICS_COL_LEAD_P50]),
                     "webhook_latency_ms", "p50", number_or_null(v[KF_METRICS_COL_WEBHOOK_P50]),
                     "p95", number_or_null(v[KF_METRICS_COL_WEBHOOK_P95]),
                     "callback_latency_ms", "p50", number_or_null(v[KF_METRICS_COL_CALLBACK_P50]),
                     "p95", number_or_null(v[KF_METRICS_COL_CALLBACK_P95]),
                     "revenue", per_currency(v[KF_METRICS_COL_REVENUE]),
                     "refunds", per_currency(v[KF_METRICS_COL_REFUNDS]));
    json_object_update(answer, extra);
    json_decref(extra);
    long booked = count(v[KF_METRICS_COL_SEATS_BOOKED]), places = count(v[KF_METRICS_COL_SEATS_OFFERED]);
    json_object_set_new(answer, "seat_fill", json_pack("{s:i, s:i, s:o}", "booked", (int)booked,
                                                      "places", (int)places, "rate",
                                                      ratio(booked, places)));
    return answer;
}

/* The figure `name` of an answer: a top-level or funnel count, or a sum over the days. */
static double figure(const json_t *answer, const char *name)
{
    const json_t *days = json_object_get(answer, "bookings_per_day");
    double sum = 0;
    size_t i;
    const json_t *day;
    if (strcmp(name, "bookings") == 0 || strcmp(name, "revenue") == 0) {
        json_array_foreach(days, i, day) {
            sum += strcmp(name, "bookings") == 0
                       ? (double)json_integer_value(json_object_get(day, "count"))
                       : (double)json_integer_value(
                             json_object_get(json_object_get(day, "revenue"), "amount"));
        }
        return sum;
    }
    const json_t *v = json_object_get(answer, name);
    if (!v) {
        v = json_object_get(json_object_get(answer, "funnel"), name);
    }
    return (double)json_integer_value(v);
}

void kf_metrics_answer_compare(json_t *current, json_t *previous)
{
    static const char *const figures[] = {"bookings", "revenue", "link_viewed",
                                          "payment_approved", "cancellations", "reschedules",
                                          "completed", "no_shows", "rate_limited",
                                          "calendar_failures"};
    json_t *trend = json_object();
    for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
        int none = 0;
        double change = kf_metrics_trend(figure(current, figures[i]),
                                         figure(previous, figures[i]), &none);
        json_object_set_new(trend, figures[i], none ? json_null() : json_real(change));
    }
    json_object_set_new(current, "previous", previous);
    json_object_set_new(current, "trend", trend);
}

const char *kf_metrics_query_of(apr_pool_t *p, const apr_table_t *params, const char *today,
                                kf_metrics_query *q, const char **why)
{
    const char *given[5];
    const char *names[] = {"period", "from", "to", "service", "professional"};
    for (int i = 0; i < 5; i++) {
        given[i] = apr_table_get(params, names[i]);
        given[i] = given[i] && *given[i] ? given[i] : NULL;
    }
    const char *bad = NULL;
    if (kf_metrics_query_read(p, given[0], given[1], given[2], given[3], given[4], today, q,
                              &bad, why) != 0) {
        return bad;
    }
    return NULL;
}
