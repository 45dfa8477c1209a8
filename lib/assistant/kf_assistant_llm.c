/* The optional language-model reader of the assistant: see kf_assistant_llm.h. */
#include "kf_assistant_llm.h"
#include "kf_assistant_mask.h"
#include "kf_assistant_text.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The answer's shape (OpenAI "structured outputs"): every field present, null allowed. */
static json_t *intent_schema(void)
{
    json_t *nullable_string = json_pack("{s:[s, s]}", "type", "string", "null");
    json_t *props = json_pack("{s:O, s:O, s:{s:[s,s], s:s}, s:{s:[s,s], s:s}, s:{s:[s,s], s:[s,s,s,n]},"
                              " s:{s:[s,s], s:s}, s:{s:[s,s], s:s}}",
        "service", nullable_string, "professional", nullable_string,
        "from", "type", "string", "null", "format", "date",
        "to", "type", "string", "null", "format", "date",
        "part_of_day", "type", "string", "null", "enum", "morning", "afternoon", "evening",
        "earliest", "type", "string", "null", "pattern", "^[0-2][0-9]:[0-5][0-9]$",
        "latest", "type", "string", "null", "pattern", "^[0-2][0-9]:[0-5][0-9]$");
    json_decref(nullable_string);
    return json_pack("{s:s, s:o, s:[s,s,s,s,s,s,s], s:b}", "type", "object", "properties", props,
                     "required", "service", "professional", "from", "to", "part_of_day",
                     "earliest", "latest", "additionalProperties", 0);
}

static const char *date_text(apr_pool_t *p, apr_int64_t day)
{
    int y, m, d;
    kf_civil_from_days(day, &y, &m, &d);
    return apr_psprintf(p, "%04d-%02d-%02d", y, m, d);
}

const char *kf_assistant_llm_body(apr_pool_t *p, const char *model, const char *text,
                                  apr_int64_t today, const kf_assistant_catalog *catalog)
{
    static const char *const weekdays[] = {NULL, "Monday", "Tuesday", "Wednesday", "Thursday",
                                           "Friday", "Saturday", "Sunday"};
    const char *services = "", *pros = "";
    for (int i = 0; i < catalog->nservices; i++) {
        services = apr_pstrcat(p, services, i ? "; " : "", catalog->services[i].name, NULL);
    }
    for (int i = 0; i < catalog->nprofessionals; i++) {
        pros = apr_pstrcat(p, pros, i ? "; " : "", catalog->professionals[i].name, NULL);
    }
    const char *system = apr_psprintf(p,
        "You read a customer's request for an appointment (Spanish or English) into JSON. "
        "Today is %s, %s. Services: %s. Professionals: %s. "
        "service and professional: a name exactly as listed, \"any\" for anyone, or null. "
        "from and to: the dates asked for (YYYY-MM-DD, inclusive), or null. part_of_day: "
        "morning (06:00-11:59), afternoon (12:00-18:59), evening (17:00-21:59) or null. "
        "earliest and latest: HH:MM bounds of the start time, or null. Say null for anything "
        "the request does not say.",
        weekdays[kf_assistant_weekday(today)], date_text(p, today), services, pros);
    json_t *body = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:f, s:{s:s, s:{s:s, s:b, s:o}}}",
        "model", model,
        "messages", "role", "system", "content", system, "role", "user", "content", kf_assistant_mask(p, text),
        "temperature", 0.0,
        "response_format", "type", "json_schema", "json_schema", "name", "booking_intent",
        "strict", 1, "schema", intent_schema());
    char *dump = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    const char *out = apr_pstrdup(p, dump ? dump : "{}");
    free(dump);
    return out;
}

/* The id of the item whose name is `name` (accents and case aside), or NULL. */
static const char *id_named(apr_pool_t *p, const kf_assistant_item *items, int n, const char *name)
{
    kf_word a[16], b[16];
    int na = kf_words_split(p, name, a, 16);
    for (int i = 0; i < n; i++) {
        int nb = kf_words_split(p, items[i].name, b, 16), same = na == nb && na > 0;
        for (int j = 0; same && j < na; j++) {
            same = !strcmp(a[j].w, b[j].w);
        }
        if (same) {
            return items[i].id;
        }
    }
    return NULL;
}

static int hhmm(const json_t *j)
{
    const char *s = json_string_value(j);
    int h, m;
    if (!s || strlen(s) != 5 || s[2] != ':' || !kf_parse_digits(s, 2, &h) ||
        !kf_parse_digits(s + 3, 2, &m) || h > 23 || m > 59) {
        return -1;
    }
    return h * 60 + m;
}

static apr_int64_t day_of(const json_t *j, apr_int64_t today)
{
    const char *s = json_string_value(j);
    apr_int64_t day;
    if (!s || strlen(s) != 10 || !kf_date_parse(s, &day) || day < today || day > today + 61) {
        return -1;
    }
    return day;
}

int kf_assistant_llm_read(apr_pool_t *p, const char *body, apr_size_t len, apr_int64_t today,
                          const kf_assistant_catalog *catalog, kf_assistant_llm *out)
{
    memset(out, 0, sizeof(*out));
    out->from = out->to = -1;
    out->earliest = out->latest = -1;
    json_t *answer = json_loadb(body, len, 0, NULL);
    const json_t *content = json_object_get(json_object_get(json_array_get(
        json_object_get(answer, "choices"), 0), "message"), "content");
    json_t *intent = json_is_string(content)
                     ? json_loads(json_string_value(content), JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_decref(answer);
    if (!json_is_object(intent)) {
        json_decref(intent);
        return 0;
    }
    const char *svc = json_string_value(json_object_get(intent, "service"));
    const char *pro = json_string_value(json_object_get(intent, "professional"));
    out->service = svc ? id_named(p, catalog->services, catalog->nservices, svc) : NULL;
    out->professional = pro && !strcmp(pro, "any") ? "any"
                        : pro ? id_named(p, catalog->professionals, catalog->nprofessionals, pro) : NULL;
    out->from = day_of(json_object_get(intent, "from"), today);
    out->to = day_of(json_object_get(intent, "to"), today);
    if (out->from >= 0 && (out->to < out->from || out->to - out->from > 61)) {
        out->to = out->from;
    }
    if (out->from < 0) {
        out->to = -1;
    }
    const char *part = json_string_value(json_object_get(intent, "part_of_day"));
    out->part = !part ? KF_PART_NONE : !strcmp(part, "morning") ? KF_PART_MORNING
                : !strcmp(part, "afternoon") ? KF_PART_AFTERNOON
                : !strcmp(part, "evening") ? KF_PART_EVENING : KF_PART_NONE;
    out->earliest = hhmm(json_object_get(intent, "earliest"));
    out->latest = hhmm(json_object_get(intent, "latest"));
    if (out->earliest >= 0 && out->latest >= 0 && out->latest < out->earliest) {
        out->earliest = out->latest = -1;
    }
    json_decref(intent);
    return 1;
}

void kf_assistant_llm_apply(const kf_assistant_llm *llm, const kf_assistant_catalog *catalog,
                            kf_intent *in)
{
    unsigned before = in->named;
    if (llm->service && !(in->named & KF_INTENT_SERVICE)) {
        in->service = llm->service;
        in->named |= KF_INTENT_SERVICE;
    }
    if (llm->professional && !(in->named & KF_INTENT_PROFESSIONAL)) {
        in->professional = llm->professional;
        in->named |= KF_INTENT_PROFESSIONAL;
        if (!(in->named & KF_INTENT_SERVICE)) {
            in->service = kf_assistant_default_service(catalog, llm->professional, in->duration);
        }
    }
    if (llm->from >= 0 && !(in->named & KF_INTENT_DATES)) {
        in->from = llm->from;
        in->to = llm->to;
        in->named |= KF_INTENT_DATES;
    }
    if (!(in->named & KF_INTENT_TIMES) &&
        (llm->part != KF_PART_NONE || llm->earliest >= 0 || llm->latest >= 0)) {
        in->part = llm->part;
        in->earliest = llm->earliest;
        in->latest = llm->latest;
        in->named |= KF_INTENT_TIMES;
    }
    if (in->named != before) {
        apr_array_clear(in->not_understood);   /* the words it read gave something */
    }
}

const char *kf_assistant_llm_key(apr_pool_t *p, const char *path)
{
    char *text = NULL;
    apr_file_t *f = NULL;
    apr_finfo_t fi;
    if (!path || apr_file_open(&f, path, APR_FOPEN_READ, 0, p) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_file_info_get(&fi, APR_FINFO_SIZE, f) == APR_SUCCESS && fi.size > 0 && fi.size < 4096) {
        apr_size_t n = (apr_size_t)fi.size;
        text = apr_pcalloc(p, n + 1);
        if (apr_file_read_full(f, text, n, NULL) != APR_SUCCESS) {
            text = NULL;
        }
    }
    apr_file_close(f);
    if (text) {
        text[strcspn(text, "\r\n")] = 0;
    }
    return text && *text ? text : NULL;
}

kf_http_request *kf_assistant_llm_request(apr_pool_t *p, const char *url, const char *model,
                                          const char *key, const char *text, apr_int64_t today,
                                          const kf_assistant_catalog *catalog,
                                          apr_int64_t timeout_s)
{
    kf_http_request *req = kf_http_request_make(p, "POST", url);
    req->body = kf_assistant_llm_body(p, model, text, today, catalog);
    req->body_len = strlen(req->body);
    req->timeout_ms = 1000L * timeout_s;
    req->max_response_bytes = 64 * 1024;
    apr_table_set(req->headers, "Content-Type", "application/json");
    if (key) {
        apr_table_set(req->headers, "Authorization", apr_pstrcat(p, "Bearer ", key, NULL));
    }
    return req;
}
