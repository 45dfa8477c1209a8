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

/* Who gives a video place its link (API.md "meeting rooms"): a fixed URL, or a room the
 * professional's connected calendar creates for each booking when it writes its event. */
typedef enum {
    KF_VIDEO_URL = 0,
    KF_VIDEO_GOOGLE_MEET,
    KF_VIDEO_TEAMS
} kf_video_provider;

/* value: the address, the https URL or the phone instructions, by type (each at most
 * KF_LOCATION_TEXT_MAX code points). A video place whose room the calendar creates may have
 * no value (no fixed fallback URL, the booking's own link not made yet): its link "will
 * follow". */
typedef struct kf_location {
    kf_location_type type;
    const char *value;
    kf_video_provider provider;    /* video only */
} kf_location;

/* "url" | "google_meet" | "teams" -> 1 with *out; anything else 0. */
int kf_video_provider_parse(const char *text, kf_video_provider *out);
/* The name above; NULL for KF_VIDEO_URL when stored (a fixed URL needs no provider column). */
const char *kf_video_provider_name(kf_video_provider provider);
const char *kf_video_provider_stored(kf_video_provider provider);

/* The meeting room a booking at loc has its calendar create ("google_meet" | "teams", the
 * name a calendar provider's description gives as its `conference`), or NULL for none. */
const char *kf_location_conference(const kf_location *loc);

/* 1 when loc is a video place whose link is not known yet (mails say it will follow). */
int kf_location_link_pending(const kf_location *loc);

/* "in_person" | "video" | "phone" -> the type, anything else (or NULL) KF_LOCATION_NONE. */
kf_location_type kf_location_type_parse(const char *text);
const char *kf_location_type_name(kf_location_type type);

/* Reads obj["location"]: absent -> KF_FIELD_SKIPPED (out untouched), null -> KF_FIELD_VALUE
 * with out->type KF_LOCATION_NONE, a valid object -> KF_FIELD_VALUE. The type is "type" (or
 * the contract's "tipo"); a video place may name its "provider" (or "proveedor"):
 * "url" (the default: url required), "google_meet" or "teams" (url optional: a fixed
 * fallback used while the booking has no link of its own). Errors are recorded under
 * "location", "location.type", "location.provider", "location.address", "location.url" or
 * "location.instructions". URLs are https:// only whatever the server's policy: customers
 * open them. */
kf_field_result kf_location_field(kf_fields *f, const json_t *obj, kf_location *out);

/* A professional's "location": only a video place (as kf_location_field reads it), which
 * replaces a video service's for this professional; null clears it. Errors as above, and
 * "location.type" when it is not video. */
kf_field_result kf_location_professional_field(kf_fields *f, const json_t *obj,
                                               kf_location *out);

/* A professional's "video_url": nullable, https:// only (same rule as location.url). */
kf_field_result kf_location_video_url_field(kf_fields *f, const json_t *obj, const char **out);

/* What a place is read from, as stored (each may be NULL). */
typedef struct kf_location_source {
    const char *type, *value, *provider;     /* the service's location_* */
    const char *pro_video_url, *pro_provider; /* the professional's video place */
    const char *meeting_url;                  /* the booking's own join URL, once made */
} kf_location_source;

/* The location a booking shows: the service's; for a video service the professional's
 * video place when set (their provider, or their video_url as a fixed URL), and for a room
 * the calendar creates, the booking's own join URL once it exists (else the fixed fallback
 * URL, else none yet). */
kf_location kf_location_of(const kf_location_source *s);

/* kf_location_of for a place without providers or a booking's link. */
kf_location kf_location_resolve(kf_location_type type, const char *value,
                                const char *professional_video_url);

/* {"type", "address"|"url"|"instructions"} for the admin API (a video place whose room the
 * calendar creates adds "provider", and has "url" only when known), or JSON null (new refs). */
json_t *kf_location_json(const kf_location *loc);

/* cita.lugar: {"tipo": "presencial"|"video"|"telefono", "direccion"|"url"|"indicaciones"}
 * (a video place whose link is not known yet: {"tipo": "video"}), or NULL when there is no
 * location. */
json_t *kf_location_lugar_json(const kf_location *loc);

/* One line for mails, texts and the ICS description in the customer's locale
 * ("Videollamada: https://…", "Address: Calle 1", "Video call: the link will follow"), or NULL
 * when there is no location. */
const char *kf_location_line(apr_pool_t *p, const kf_location *loc, kf_locale locale);

/* Puts the location into an invite: LOCATION is the address, URL or instructions, and the
 * location line is appended to the description (the only place every calendar app shows
 * a video link as a link). A video link is the invite's URL too (else it stays the manage
 * page). No location: ev is unchanged. */
void kf_location_to_ics(apr_pool_t *p, const kf_location *loc, kf_locale locale,
                        kf_ics_event *ev);

#endif
