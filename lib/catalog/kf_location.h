#ifndef KF_LOCATION_H
#define KF_LOCATION_H
/* Where an appointment takes place (API.md "Admin API" services, "Merchant callback"
 * cita.lugar): a service's optional location, and a professional's video_url that replaces
 * the URL of a video service for that professional. Pure: no I/O, results in pools. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_i18n.h"
#include "kf_ics.h"

#define KF_LOCATION_TEXT_MAX 500

typedef enum {
    KF_LOCATION_NONE = 0,
    KF_LOCATION_IN_PERSON,
    KF_LOCATION_VIDEO,
    KF_LOCATION_PHONE
} kf_location_type;

/* value: the address, the https URL or the phone instructions, by type (each at most
 * KF_LOCATION_TEXT_MAX code points). */
typedef struct kf_location {
    kf_location_type type;
    const char *value;
} kf_location;

/* "in_person" | "video" | "phone" -> the type, anything else (or NULL) KF_LOCATION_NONE. */
kf_location_type kf_location_type_parse(const char *text);
const char *kf_location_type_name(kf_location_type type);

/* Reads obj["location"]: absent -> KF_FIELD_SKIPPED (out untouched), null -> KF_FIELD_VALUE
 * with out->type KF_LOCATION_NONE, a valid object -> KF_FIELD_VALUE. Errors are recorded
 * under "location", "location.type", "location.address", "location.url" or
 * "location.instructions". URLs are https:// only whatever the server's policy: customers
 * open them. */
kf_field_result kf_location_field(kf_fields *f, const json_t *obj, kf_location *out);

/* A professional's "video_url": nullable, https:// only (same rule as location.url). */
kf_field_result kf_location_video_url_field(kf_fields *f, const json_t *obj, const char **out);

/* The location a booking shows: the service's, with a video service's URL replaced by the
 * professional's video_url when set. */
kf_location kf_location_resolve(kf_location_type type, const char *value,
                                const char *professional_video_url);

/* {"type", "address"|"url"|"instructions"} for the admin API, or JSON null (new refs). */
json_t *kf_location_json(const kf_location *loc);

/* cita.lugar: {"tipo": "presencial"|"video"|"telefono", "direccion"|"url"|"indicaciones"},
 * or NULL when there is no location. */
json_t *kf_location_lugar_json(const kf_location *loc);

/* One line for mails, texts and the ICS description in the customer's locale
 * ("Videollamada: https://…", "Address: Calle 1"), or NULL when there is no location. */
const char *kf_location_line(apr_pool_t *p, const kf_location *loc, kf_locale locale);

/* Puts the location into an invite: LOCATION is the address, URL or instructions, and the
 * location line is appended to the description (the only place every calendar app shows
 * a video link as a link). URL stays the manage page. No location: ev is unchanged. */
void kf_location_to_ics(apr_pool_t *p, const kf_location *loc, kf_locale locale,
                        kf_ics_event *ev);

#endif
