#include "kf_location.h"

#include <string.h>

#include <apr_strings.h>

#include "kf_catalog_rules.h"
#include "kf_url.h"

static const struct {
    kf_location_type type;
    const char *name;     /* admin API */
    const char *key;      /* admin API value key */
    const char *message;  /* kf_i18n id of the line for people */
    const char *tipo;     /* callback */
    const char *clave;    /* callback value key */
} kinds[] = {
    {KF_LOCATION_IN_PERSON, "in_person", "address", "location_in_person", "presencial", "direccion"},
    {KF_LOCATION_VIDEO, "video", "url", "location_video", "video", "url"},
    {KF_LOCATION_PHONE, "phone", "instructions", "location_phone", "telefono", "indicaciones"},
};
#define KINDS (sizeof kinds / sizeof kinds[0])

static int kind_index(kf_location_type type)
{
    for (unsigned i = 0; i < KINDS; i++) {
        if (kinds[i].type == type) {
            return (int)i;
        }
    }
    return -1;
}

kf_location_type kf_location_type_parse(const char *text)
{
    for (unsigned i = 0; text && i < KINDS; i++) {
        if (strcmp(text, kinds[i].name) == 0) {
            return kinds[i].type;
        }
    }
    return KF_LOCATION_NONE;
}

const char *kf_location_type_name(kf_location_type type)
{
    int i = kind_index(type);
    return i < 0 ? NULL : kinds[i].name;
}

kf_field_result kf_location_field(kf_fields *f, const json_t *obj, kf_location *out)
{
    json_t *loc = NULL;
    kf_field_result r = kf_field_object(f, obj, "location", "location", KF_FIELD_NULLABLE, &loc);
    if (r == KF_FIELD_BAD) {
        return r;
    }
    if (r == KF_FIELD_SKIPPED) {
        if (json_object_get(obj, "location")) {   /* null: the service has no location */
            out->type = KF_LOCATION_NONE;
            out->value = NULL;
            return KF_FIELD_VALUE;
        }
        return KF_FIELD_SKIPPED;
    }
    const char *type_name = NULL;
    r = kf_field_string(f, loc, "type", "location.type", KF_FIELD_REQUIRED, 1, 20, &type_name);
    if (r != KF_FIELD_VALUE) {
        return KF_FIELD_BAD;
    }
    int i = kind_index(kf_location_type_parse(type_name));
    if (i < 0) {
        kf_fields_fail(f, "location.type", "location_type_invalid");
        return KF_FIELD_BAD;
    }
    const char *path = kf_fields_path_key(f, "location", kinds[i].key);
    const char *value = NULL;
    if (kinds[i].type == KF_LOCATION_VIDEO) {
        /* customers open it: https:// whatever the server's policy */
        r = kf_field_url(f, loc, kinds[i].key, path, KF_FIELD_REQUIRED, 1, KF_LOCATION_TEXT_MAX,
                         KF_URL_HTTPS_ONLY, &value);
    }
    else {
        r = kf_field_string(f, loc, kinds[i].key, path, KF_FIELD_REQUIRED, 1,
                            KF_LOCATION_TEXT_MAX, &value);
    }
    if (r != KF_FIELD_VALUE) {
        return KF_FIELD_BAD;
    }
    out->type = kinds[i].type;
    out->value = value;
    return KF_FIELD_VALUE;
}

kf_field_result kf_location_video_url_field(kf_fields *f, const json_t *obj, const char **out)
{
    kf_field_result r = kf_field_url(f, obj, "video_url", "video_url", KF_FIELD_NULLABLE, 1,
                                      2048, KF_URL_HTTPS_ONLY, out);
    if (r == KF_FIELD_SKIPPED && json_object_get(obj, "video_url")) {
        *out = NULL;    /* null clears the override */
        return KF_FIELD_VALUE;
    }
    return r;
}

kf_location kf_location_resolve(kf_location_type type, const char *value,
                                const char *professional_video_url)
{
    kf_location loc = {KF_LOCATION_NONE, NULL};
    if (kind_index(type) < 0 || !value) {
        return loc;
    }
    loc.type = type;
    loc.value = value;
    if (type == KF_LOCATION_VIDEO && professional_video_url && *professional_video_url) {
        loc.value = professional_video_url;
    }
    return loc;
}

json_t *kf_location_json(const kf_location *loc)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || !loc->value) {
        return json_null();
    }
    return json_pack("{s:s, s:s}", "type", kinds[i].name, kinds[i].key, loc->value);
}

json_t *kf_location_lugar_json(const kf_location *loc)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || !loc->value) {
        return NULL;
    }
    return json_pack("{s:s, s:s}", "tipo", kinds[i].tipo, kinds[i].clave, loc->value);
}

const char *kf_location_line(apr_pool_t *p, const kf_location *loc, kf_locale locale)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || !loc->value) {
        return NULL;
    }
    const char *pairs[] = {"{value}", loc->value, NULL};
    return kf_fill(p, kf_message(kinds[i].message, locale), pairs);
}

void kf_location_to_ics(apr_pool_t *p, const kf_location *loc, kf_locale locale,
                        kf_ics_event *ev)
{
    const char *line = kf_location_line(p, loc, locale);
    if (!line) {
        return;
    }
    ev->location = loc->value;
    ev->description = ev->description && *ev->description
                          ? apr_pstrcat(p, ev->description, "\n", line, NULL)
                          : line;
}
