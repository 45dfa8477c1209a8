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

static const char *const video_providers[] = {"url", "google_meet", "teams"};

int kf_video_provider_parse(const char *text, kf_video_provider *out)
{
    for (unsigned i = 0; text && i < sizeof video_providers / sizeof video_providers[0]; i++) {
        if (strcmp(text, video_providers[i]) == 0) {
            *out = (kf_video_provider)i;
            return 1;
        }
    }
    return 0;
}

const char *kf_video_provider_name(kf_video_provider provider)
{
    return (unsigned)provider < sizeof video_providers / sizeof video_providers[0]
               ? video_providers[provider] : NULL;
}

const char *kf_video_provider_stored(kf_video_provider provider)
{
    return provider == KF_VIDEO_URL ? NULL : kf_video_provider_name(provider);
}

const char *kf_location_conference(const kf_location *loc)
{
    return loc && loc->type == KF_LOCATION_VIDEO ? kf_video_provider_stored(loc->provider) : NULL;
}

int kf_location_link_pending(const kf_location *loc)
{
    return loc && loc->type == KF_LOCATION_VIDEO && !loc->value;
}

/* The key a place's field is sent under: the admin API's, else the contract's Spanish one. */
static const char *key_of(const json_t *loc, const char *key, const char *clave)
{
    return !json_object_get(loc, key) && json_object_get(loc, clave) ? clave : key;
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
    r = kf_field_string(f, loc, key_of(loc, "type", "tipo"), "location.type", KF_FIELD_REQUIRED,
                        1, 20, &type_name);
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
    kf_video_provider provider = KF_VIDEO_URL;
    if (kinds[i].type == KF_LOCATION_VIDEO) {
        const char *provider_name = NULL;
        r = kf_field_string(f, loc, key_of(loc, "provider", "proveedor"), "location.provider",
                            KF_FIELD_OPTIONAL, 1, 20, &provider_name);
        if (r == KF_FIELD_BAD) {
            return r;
        }
        if (r == KF_FIELD_VALUE && !kf_video_provider_parse(provider_name, &provider)) {
            kf_fields_fail(f, "location.provider", "location_provider_invalid");
            return KF_FIELD_BAD;
        }
        /* customers open it: https:// whatever the server's policy; a room the calendar
         * creates needs none (one given is the fallback while a booking has no link) */
        r = kf_field_url(f, loc, kinds[i].key, path,
                         provider == KF_VIDEO_URL ? KF_FIELD_REQUIRED : KF_FIELD_OPTIONAL, 1,
                         KF_LOCATION_TEXT_MAX, KF_URL_HTTPS_ONLY, &value);
        if (r == KF_FIELD_SKIPPED) {
            r = KF_FIELD_VALUE;
        }
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
    out->provider = provider;
    return KF_FIELD_VALUE;
}

kf_field_result kf_location_professional_field(kf_fields *f, const json_t *obj,
                                               kf_location *out)
{
    kf_location loc = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    kf_field_result r = kf_location_field(f, obj, &loc);
    if (r == KF_FIELD_VALUE && loc.type != KF_LOCATION_NONE && loc.type != KF_LOCATION_VIDEO) {
        kf_fields_fail(f, "location.type", "location_professional_video");
        return KF_FIELD_BAD;
    }
    if (r == KF_FIELD_VALUE) {
        *out = loc;
    }
    return r;
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

static int given(const char *text)
{
    return text && *text;
}

kf_location kf_location_of(const kf_location_source *s)
{
    kf_location loc = {KF_LOCATION_NONE, NULL, KF_VIDEO_URL};
    kf_location_type type = kf_location_type_parse(s->type);
    kf_video_provider provider = KF_VIDEO_URL;
    if (type == KF_LOCATION_VIDEO && given(s->provider)) {
        kf_video_provider_parse(s->provider, &provider);
    }
    if (kind_index(type) < 0 || (!given(s->value) && provider == KF_VIDEO_URL)) {
        return loc;
    }
    loc.type = type;
    loc.value = given(s->value) ? s->value : NULL;
    loc.provider = provider;
    if (type != KF_LOCATION_VIDEO) {
        return loc;
    }
    /* the professional's own video place replaces the service's */
    kf_video_provider pro = KF_VIDEO_URL;
    if (given(s->pro_provider) && kf_video_provider_parse(s->pro_provider, &pro) &&
        pro != KF_VIDEO_URL) {
        loc.provider = pro;
        loc.value = given(s->pro_video_url) ? s->pro_video_url : NULL;
    }
    else if (given(s->pro_video_url)) {
        loc.provider = KF_VIDEO_URL;
        loc.value = s->pro_video_url;
    }
    if (loc.provider != KF_VIDEO_URL && given(s->meeting_url)) {
        loc.value = s->meeting_url;
    }
    return loc;
}

kf_location kf_location_resolve(kf_location_type type, const char *value,
                                const char *professional_video_url)
{
    kf_location_source s = {kf_location_type_name(type), value, NULL, professional_video_url,
                            NULL, NULL};
    return kf_location_of(&s);
}

json_t *kf_location_json(const kf_location *loc)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || (!loc->value && !kf_location_link_pending(loc))) {
        return json_null();
    }
    json_t *o = json_pack("{s:s}", "type", kinds[i].name);
    const char *provider = kf_location_conference(loc);
    if (provider) {
        json_object_set_new(o, "provider", json_string(provider));
    }
    if (loc->value) {
        json_object_set_new(o, kinds[i].key, json_string(loc->value));
    }
    return o;
}

json_t *kf_location_lugar_json(const kf_location *loc)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || (!loc->value && !kf_location_link_pending(loc))) {
        return NULL;
    }
    json_t *o = json_pack("{s:s}", "tipo", kinds[i].tipo);
    if (loc->value) {
        json_object_set_new(o, kinds[i].clave, json_string(loc->value));
    }
    return o;
}

const char *kf_location_line(apr_pool_t *p, const kf_location *loc, kf_locale locale)
{
    int i = loc ? kind_index(loc->type) : -1;
    if (i < 0 || (!loc->value && !kf_location_link_pending(loc))) {
        return NULL;
    }
    if (!loc->value) {
        return kf_message("location_video_pending", locale);
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
    if (loc->value) {
        ev->location = loc->value;
    }
    if (loc->type == KF_LOCATION_VIDEO && loc->value) {
        ev->url = loc->value;   /* the link the appointment is joined by */
    }
    ev->description = ev->description && *ev->description
                          ? apr_pstrcat(p, ev->description, "\n", line, NULL)
                          : line;
}
