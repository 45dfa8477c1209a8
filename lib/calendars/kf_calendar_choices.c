/* Which of a professional's calendars count: see kf_calendar_choices.h. */
#include "kf_calendar_choices.h"
#include "kf_json.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>

apr_array_header_t *kf_calendar_choices_of(apr_pool_t *p, const char *const *const *rows, int n)
{
    apr_array_header_t *out = apr_array_make(p, n > 0 ? n : 1, sizeof(kf_cal_calendar));
    for (int i = 0; i < n; i++) {
        const char *const *v = rows[i];
        kf_cal_calendar c = {v[KF_CAL_CHOICE_COL_ID], v[KF_CAL_CHOICE_COL_NAME],
                             v[KF_CAL_CHOICE_COL_TIMEZONE],
                             kf_text_true(v[KF_CAL_CHOICE_COL_PRIMARY]),
                             kf_text_true(v[KF_CAL_CHOICE_COL_BLOCKS]),
                             kf_text_true(v[KF_CAL_CHOICE_COL_RECEIVES]),
                             !kf_text_true(v[KF_CAL_CHOICE_COL_WRITABLE])};
        *(kf_cal_calendar *)apr_array_push(out) = c;
    }
    return out;
}

static const kf_cal_calendar *find(const apr_array_header_t *list, const char *id)
{
    for (int i = 0; list && i < list->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(list, i, kf_cal_calendar);
        if (strcmp(c->id, id) == 0) {
            return c;
        }
    }
    return NULL;
}

const kf_cal_calendar *kf_calendar_choices_receiver(const apr_array_header_t *calendars)
{
    for (int i = 0; calendars && i < calendars->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(calendars, i, kf_cal_calendar);
        if (c->receives) {
            return c;
        }
    }
    return NULL;
}

const char *kf_calendar_choices_written_to(const kf_calendar_provider *prov,
                                           const apr_array_header_t *calendars)
{
    const kf_cal_calendar *receiver = kf_calendar_choices_receiver(calendars);
    if (!receiver || (receiver->primary && !prov->professional_server)) {
        return NULL;
    }
    return receiver->id;
}

/* The calendar that receives by default: the primary when it may be written, else the first
 * that may; with none writable, the primary (else the first). */
static kf_cal_calendar *default_receiver(apr_array_header_t *list)
{
    kf_cal_calendar *primary = NULL, *writable = NULL;
    for (int i = 0; i < list->nelts; i++) {
        kf_cal_calendar *c = &APR_ARRAY_IDX(list, i, kf_cal_calendar);
        if (c->primary && !primary) {
            primary = c;
        }
        if (!c->read_only && !writable) {
            writable = c;
        }
    }
    if (primary && !primary->read_only) {
        return primary;
    }
    return writable ? writable : primary ? primary : &APR_ARRAY_IDX(list, 0, kf_cal_calendar);
}

/* One calendar receives: a read-only one hands over (its events could not be written) when
 * a writable one exists; a receiver that is gone, to the default one. */
static void one_receiver(apr_array_header_t *list)
{
    if (list->nelts == 0) {
        return;
    }
    kf_cal_calendar *fallback = default_receiver(list);
    kf_cal_calendar *receiver = (kf_cal_calendar *)kf_calendar_choices_receiver(list);
    if (receiver && receiver->read_only && !fallback->read_only) {
        receiver->receives = 0;
        receiver = NULL;
    }
    if (!receiver) {
        fallback->receives = 1;
    }
}

apr_array_header_t *kf_calendar_choices_merge(apr_pool_t *p, const apr_array_header_t *listed,
                                              const apr_array_header_t *stored,
                                              const char *only_id, const char *only_name)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(kf_cal_calendar));
    int chosen_before = stored && stored->nelts > 0;
    if (!listed || listed->nelts == 0) {
        if (chosen_before) {
            return apr_array_copy(p, stored);
        }
        kf_cal_calendar only = {only_id, only_name ? only_name : only_id, NULL, 1, 1, 1, 0};
        *(kf_cal_calendar *)apr_array_push(out) = only;
        return out;
    }
    for (int i = 0; i < listed->nelts && out->nelts < KF_CALENDAR_CHOICES_MAX; i++) {
        kf_cal_calendar c = APR_ARRAY_IDX(listed, i, kf_cal_calendar);
        const kf_cal_calendar *before = find(stored, c.id);
        c.blocks = before ? before->blocks : !chosen_before && c.primary;
        c.receives = before && before->receives;
        *(kf_cal_calendar *)apr_array_push(out) = c;
    }
    int had_primary = 0;
    for (int i = 0; i < out->nelts; i++) {
        had_primary |= APR_ARRAY_IDX(out, i, kf_cal_calendar).primary;
    }
    if (!chosen_before && !had_primary && out->nelts > 0) {
        APR_ARRAY_IDX(out, 0, kf_cal_calendar).blocks = 1;   /* a list without a primary */
    }
    one_receiver(out);
    return out;
}

apr_array_header_t *kf_calendar_choices_apply(kf_fields *f, const json_t *body,
                                              const apr_array_header_t *current)
{
    json_t *items = NULL;
    if (kf_field_array(f, body, "calendars", "calendars", KF_FIELD_REQUIRED,
                       KF_CALENDAR_CHOICES_MAX, &items) != KF_FIELD_VALUE) {
        return NULL;
    }
    apr_array_header_t *out = apr_array_copy(f->pool, current);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const char *path = kf_fields_path_index(f, "calendars", (int)i);
        const char *id = NULL;
        if (!json_is_object(item)) {
            kf_fields_fail(f, path, "calendar_choice_object");
            continue;
        }
        if (kf_field_string(f, item, "id", kf_fields_path_key(f, path, "id"), KF_FIELD_REQUIRED,
                            1, 2048, &id) != KF_FIELD_VALUE) {
            continue;
        }
        kf_cal_calendar *c = (kf_cal_calendar *)find(out, id);
        if (!c) {
            kf_fields_fail(f, kf_fields_path_key(f, path, "id"), "calendar_unknown");
            continue;
        }
        kf_field_bool(f, item, "blocks", kf_fields_path_key(f, path, "blocks"),
                      KF_FIELD_OPTIONAL, &c->blocks);
        const char *receives_path = kf_fields_path_key(f, path, "receives_events");
        int received = c->receives;
        kf_field_bool(f, item, "receives_events", receives_path, KF_FIELD_OPTIONAL, &c->receives);
        if (c->receives && !received && c->read_only) {
            kf_fields_fail(f, receives_path, "calendar_read_only");
        }
    }
    int receivers = 0;
    for (int k = 0; k < out->nelts; k++) {
        receivers += APR_ARRAY_IDX(out, k, kf_cal_calendar).receives != 0;
    }
    if (kf_fields_ok(f) && receivers != 1) {
        kf_fields_fail(f, "calendars", "calendar_one_receiver");
    }
    return kf_fields_ok(f) ? out : NULL;
}

apr_array_header_t *kf_calendar_choices_blocking(apr_pool_t *p, const apr_array_header_t *calendars)
{
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(kf_cal_calendar));
    for (int i = 0; calendars && i < calendars->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(calendars, i, kf_cal_calendar);
        if (c->blocks) {
            *(kf_cal_calendar *)apr_array_push(out) = *c;
        }
    }
    return out;
}

apr_array_header_t *kf_calendar_blocking_of(apr_pool_t *p, const char *json_text)
{
    if (!json_text) {
        return NULL;
    }
    json_t *root = kf_json_own(p, json_loads(json_text, JSON_REJECT_DUPLICATES, NULL));
    if (!json_is_array(root)) {
        return NULL;
    }
    apr_array_header_t *out = apr_array_make(p, 2, sizeof(kf_cal_calendar));
    size_t i;
    json_t *item;
    json_array_foreach(root, i, item) {
        const char *id = json_string_value(json_array_get(item, 0));
        const char *zone = json_string_value(json_array_get(item, 1));
        if (!id) {
            return NULL;
        }
        kf_cal_calendar c = {apr_pstrdup(p, id), NULL, zone ? apr_pstrdup(p, zone) : NULL,
                             0, 1, 0, 0};
        *(kf_cal_calendar *)apr_array_push(out) = c;
    }
    return out;
}

json_t *kf_calendar_choices_json(const apr_array_header_t *calendars)
{
    json_t *list = json_array();
    for (int i = 0; calendars && i < calendars->nelts; i++) {
        const kf_cal_calendar *c = &APR_ARRAY_IDX(calendars, i, kf_cal_calendar);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "id", c->id,
                                              "name", c->name ? c->name : c->id, "primary",
                                              c->primary, "writable", !c->read_only, "blocks",
                                              c->blocks, "receives_events", c->receives));
    }
    return json_pack("{s:o}", "calendars", list);
}
