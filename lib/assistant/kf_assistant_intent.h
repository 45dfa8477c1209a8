#ifndef KF_ASSISTANT_INTENT_H
#define KF_ASSISTANT_INTENT_H
/* What a customer asks the booking assistant for (API.md "Booking assistant"), read from
 * one sentence in Spanish or English by a deterministic parser: no network, no clock (now
 * is an argument), no allocation per word beyond the request's pool.
 *
 * Dates are local dates of the customer's zone (days since the epoch), times minutes of
 * that zone's day. Relative dates count from today in the customer's zone: the zone the
 * sentence names ("I'm in Madrid", "hora de Bogotá", "EST"), else the one given. */
#include <apr_pools.h>
#include <apr_tables.h>
#include "kf_i18n.h"
#include "kf_zone.h"
#include "kf_series.h"

typedef enum {
    KF_PART_NONE = 0,
    KF_PART_MORNING,     /* starts 06:00 to 11:59 */
    KF_PART_AFTERNOON,   /* 12:00 to 18:59 */
    KF_PART_EVENING      /* 17:00 to 21:59 */
} kf_part_of_day;

/* What a follow-up asks of the previous answer. */
typedef enum {
    KF_FOLLOW_NONE = 0,
    KF_FOLLOW_LATER,     /* "later", "más tarde" */
    KF_FOLLOW_EARLIER,   /* "earlier", "más temprano" */
    KF_FOLLOW_OTHER_DAY, /* "another day", "otro día" */
    KF_FOLLOW_PICK       /* "the second one", "la primera" */
} kf_follow_up;

/* Which parts the sentence named (a follow-up keeps the others from before). */
enum {
    KF_INTENT_SERVICE = 1, KF_INTENT_PROFESSIONAL = 2, KF_INTENT_DATES = 4, KF_INTENT_TIMES = 8,
    KF_INTENT_ZONE = 16, KF_INTENT_DURATION = 32, KF_INTENT_SERIES = 64
};

#define KF_INTENT_MAX_EXCLUDED 4
#define KF_INTENT_DAYS_DEFAULT 14

typedef struct kf_intent {
    const char *service;        /* an id of the catalog, or NULL */
    const char *professional;   /* an id of the catalog, "any", or NULL */
    apr_int64_t from, to;       /* local dates, inclusive */
    kf_part_of_day part;
    int earliest, latest;       /* minutes of the local day bounding a start (inclusive), -1: none */
    int excluded_from[KF_INTENT_MAX_EXCLUDED], excluded_to[KF_INTENT_MAX_EXCLUDED];
    int nexcluded;              /* times of day left out: [from, to) minutes */
    unsigned excluded_weekdays; /* bit 1 << ISO weekday (Monday 1) */
    int duration;               /* minutes asked for, 0: none */
    int asap;                   /* as soon as possible: the first free times */
    kf_series_every repeat;     /* a series asked: how often (KF_SERIES_NONE: not said) */
    int count;                  /* ... and how many sessions (0: not said) */
    const char *timezone;       /* the customer's zone */
    apr_array_header_t *not_understood;   /* const char *: runs of words no rule took */
    kf_follow_up follow;
    int pick;                   /* KF_FOLLOW_PICK: 1-based, -1 the last */
    unsigned named;             /* KF_INTENT_* */
    kf_locale locale;           /* the sentence's language */
} kf_intent;

/* A service or professional of the link, as names are matched against it. */
typedef struct kf_assistant_item {
    const char *id, *name;
    int minutes;                /* a service's duration */
    const char *const *offers;  /* a professional's service ids, NULL-terminated (NULL: all) */
    const char *zone;           /* a professional's zone */
    int capacity;               /* a service's places per start: above 1 a group class */
} kf_assistant_item;

typedef struct kf_assistant_catalog {
    const kf_assistant_item *services;
    int nservices;
    const kf_assistant_item *professionals;
    int nprofessionals;
} kf_assistant_catalog;

/* How the parser finds a zone by name (NULL: the system has none). */
typedef const kf_zone *(*kf_assistant_zone_fn)(void *baton, const char *name);

/* Reads `text` (UTF-8, any length; callers bound it) at instant `now` into *in, from p:
 * `zone_name` is the customer's zone when the text names none (it must load), `locale`
 * the language when the text does not tell. Names are matched to `catalog` (accents, typos,
 * diminutives and words of the same stem tolerated: kf_assistant_fuzzy.h); the service left
 * unnamed is chosen from the catalog (kf_assistant_default_service). */
void kf_assistant_parse(apr_pool_t *p, const char *text, apr_int64_t now, const char *zone_name,
                        kf_locale locale, kf_assistant_zone_fn zone_fn, void *baton,
                        const kf_assistant_catalog *catalog, kf_intent *in);

/* A follow-up `next` read over the previous intent `before`: what `next` named replaces
 * what `before` had; the rest is kept. */
void kf_assistant_merge(const kf_intent *before, kf_intent *next);

/* The service an intent that names none is for: one whose duration is the one asked, else
 * the first the professional offers, else the catalog's first; NULL for an empty catalog.
 * (A sentence that asks for a class but names none takes the first group class first.) */
const char *kf_assistant_default_service(const kf_assistant_catalog *catalog,
                                         const char *professional, int duration);

/* A professional named with a service they do not offer: the service named wins (anyone
 * who offers it), or, when the service was not named, the professional's first. */
void kf_assistant_reconcile(const kf_assistant_catalog *catalog, kf_intent *in);

/* "HH:MM" of minutes of the day, from p. */
const char *kf_assistant_hhmm(apr_pool_t *p, int minutes);

/* ISO weekday (Monday 1 .. Sunday 7) of a date (days since the epoch). */
int kf_assistant_weekday(apr_int64_t day);

#endif
