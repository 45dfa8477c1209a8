/* The booking assistant's answer and its follow-up context: see kf_assistant_answer.h. */
#include "kf_assistant_answer.h"
#include "kf_crypto.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static const char *const part_names[] = {NULL, "morning", "afternoon", "evening"};

static const char *date_text(apr_pool_t *p, apr_int64_t day)
{
    int y, m, d;
    kf_civil_from_days(day, &y, &m, &d);
    return apr_psprintf(p, "%04d-%02d-%02d", y, m, d);
}

static const char *name_of(const kf_assistant_item *items, int n, const char *id)
{
    for (int i = 0; id && i < n; i++) {
        if (!strcmp(items[i].id, id)) {
            return items[i].name;
        }
    }
    return NULL;
}

static const char *const wd_en[] = {NULL, "Monday", "Tuesday", "Wednesday", "Thursday",
                                    "Friday", "Saturday", "Sunday"};
static const char *const wd_es[] = {NULL, "lunes", "martes", "miércoles", "jueves",
                                    "viernes", "sábado", "domingo"};
static const char *const wds_es[] = {NULL, "lunes", "martes", "miércoles", "jueves",
                                     "viernes", "sábados", "domingos"};
static const char *const mo_en[] = {NULL, "January", "February", "March", "April", "May",
                                    "June", "July", "August", "September", "October",
                                    "November", "December"};
static const char *const mo_es[] = {NULL, "enero", "febrero", "marzo", "abril", "mayo",
                                    "junio", "julio", "agosto", "septiembre", "octubre",
                                    "noviembre", "diciembre"};

/* "Tuesday 1 December" / "martes 1 de diciembre" */
static const char *day_words(apr_pool_t *p, apr_int64_t day, kf_locale l)
{
    int y, m, d, wd = kf_assistant_weekday(day);
    kf_civil_from_days(day, &y, &m, &d);
    return l == KF_LOCALE_EN ? apr_psprintf(p, "%s %d %s", wd_en[wd], d, mo_en[m])
                             : apr_psprintf(p, "%s %d de %s", wd_es[wd], d, mo_es[m]);
}

/* A start's local day and minutes in the customer's zone. */
static apr_int64_t local_day(const kf_assistant_view *v, apr_int64_t start, int *minutes)
{
    apr_int64_t local = start + kf_zone_offset(v->customer, start);
    apr_int64_t day = kf_utc_day_of(local);
    *minutes = (int)((local - day * 86400) / 60);
    return day;
}

/* How often, as the reply says it. */
static const char *every_words(kf_series_every every, int en)
{
    switch (every) {
    case KF_SERIES_TWO_WEEKS: return en ? "every other week" : "cada dos semanas";
    case KF_SERIES_MONTH: return en ? "one a month" : "una al mes";
    default: return en ? "every week" : "cada semana";
    }
}

/* "6 Mondays from 7 December at 10:00", "4 martes, cada dos semanas, desde el 8 de
 * diciembre a las 10:00": the series that starts at the first slot. */
static const char *series_words(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                                const kf_assistant_view *v)
{
    int en = in->locale == KF_LOCALE_EN, minutes, y, m, d;
    apr_int64_t day = local_day(v, ch->slots[0].start, &minutes);
    int wd = kf_assistant_weekday(day);
    kf_civil_from_days(day, &y, &m, &d);
    const char *at = kf_assistant_hhmm(p, minutes);
    if (en) {
        const char *often = v->every == KF_SERIES_WEEK ? ""
                            : apr_pstrcat(p, ", ", every_words(v->every, 1), ",", NULL);
        return apr_psprintf(p, "%d %ss%s from %d %s at %s", v->count, wd_en[wd], often, d,
                            mo_en[m], at);
    }
    const char *often = v->every == KF_SERIES_WEEK ? " seguidos"
                        : apr_pstrcat(p, ", ", every_words(v->every, 0), ",", NULL);
    return apr_psprintf(p, "%d %s%s desde el %d de %s a las %s", v->count, wds_es[wd], often, d,
                        mo_es[m], at);
}

static const char *when_words(apr_pool_t *p, const kf_intent *in)
{
    int en = in->locale == KF_LOCALE_EN;
    if (!(in->named & KF_INTENT_DATES)) {
        return in->asap ? (en ? "as soon as possible" : "lo antes posible")
                        : (en ? "in the next two weeks" : "en las próximas dos semanas");
    }
    if (in->from == in->to) {
        return apr_pstrcat(p, en ? "on " : "el ", day_words(p, in->from, in->locale), NULL);
    }
    return en ? apr_pstrcat(p, "from ", day_words(p, in->from, in->locale), " to ",
                            day_words(p, in->to, in->locale), NULL)
              : apr_pstrcat(p, "del ", day_words(p, in->from, in->locale), " al ",
                            day_words(p, in->to, in->locale), NULL);
}

/* The reply for a series the rule allows. */
static const char *series_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                                const kf_assistant_view *v, const char *service, const char *when)
{
    int en = in->locale == KF_LOCALE_EN;
    if (ch->n == 0) {
        return en ? apr_psprintf(p, "There is no free start for %d sessions of %s, %s, in the coming weeks.",
                                 v->count, service, every_words(v->every, 1))
                  : apr_psprintf(p, "No hay un comienzo libre para %d sesiones de %s, %s, en las próximas semanas.",
                                 v->count, service, every_words(v->every, 0));
    }
    const char *series = series_words(p, in, ch, v);
    if (ch->why == KF_WHY_FOUND || ch->why == KF_WHY_PICKED) {
        return en ? apr_pstrcat(p, service, ": ", series, "; pick a start to continue.", NULL)
                  : apr_pstrcat(p, service, ": ", series, "; elige un comienzo para continuar.", NULL);
    }
    return en ? apr_pstrcat(p, "There is no free series of ", service, " ", when,
                            "; the nearest: ", series, ".", NULL)
              : apr_pstrcat(p, "No hay una serie libre de ", service, " ", when,
                            "; la más cercana: ", series, ".", NULL);
}

/* The service's rule, when the series asked is outside it. */
static const char *outside_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_view *v,
                                 const char *service)
{
    int en = in->locale == KF_LOCALE_EN;
    const kf_series_rule *r = v->series_rule;
    return en ? apr_psprintf(p, "%s is booked as a series of %d to %d sessions, %s: ask for a number of sessions in that range.",
                             service, r->min, r->max, every_words(r->every, 1))
              : apr_psprintf(p, "%s se reserva como una serie de %d a %d sesiones, %s: pide un número de sesiones dentro de ese rango.",
                             service, r->min, r->max, every_words(r->every, 0));
}

/* The sentence without its final period, and what follows it. */
static const char *and_then(apr_pool_t *p, const char *sentence, const char *more)
{
    size_t len = strlen(sentence);
    return apr_pstrcat(p, apr_pstrndup(p, sentence, len && sentence[len - 1] == '.' ? len - 1 : len),
                       more, NULL);
}

static const char *base_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                              const kf_assistant_view *v);

const char *kf_assistant_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                               const kf_assistant_view *v)
{
    int en = in->locale == KF_LOCALE_EN;
    const kf_assistant_catalog *c = v->catalog;
    const char *service = name_of(c->services, c->nservices, in->service);
    service = service ? service : (en ? "This service" : "Este servicio");
    if (v->series == KF_ASSISTANT_SERIES_OUTSIDE && v->series_rule) {
        return outside_reply(p, in, v, service);
    }
    if (v->series == KF_ASSISTANT_SERIES_OK && ch->why != KF_WHY_PICK_GONE &&
        ch->why != KF_WHY_PICK_UNKNOWN) {
        return series_reply(p, in, ch, v, service, when_words(p, in));
    }
    const char *reply = base_reply(p, in, ch, v);
    if (v->series == KF_ASSISTANT_SERIES_SINGLE) {
        char *rest = apr_pstrdup(p, reply);
        rest[0] = (char)(rest[0] >= 'A' && rest[0] <= 'Z' ? rest[0] - 'A' + 'a' : rest[0]);
        reply = apr_pstrcat(p, service, en ? " is booked one session at a time; "
                                           : " se reserva una sesión a la vez; ", rest, NULL);
    }
    if (v->seated && ch->n > 0) {
        int left = ch->slots[0].seats_left;
        reply = and_then(p, reply,
                         en ? apr_psprintf(p, "; the first one has %d place%s left.", left, left == 1 ? "" : "s")
                            : left == 1 ? "; en el primero queda 1 cupo."
                                        : apr_psprintf(p, "; en el primero quedan %d cupos.", left));
    }
    return reply;
}

static const char *base_reply(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                              const kf_assistant_view *v)
{
    int en = in->locale == KF_LOCALE_EN;
    const kf_assistant_catalog *c = v->catalog;
    const char *service = name_of(c->services, c->nservices, in->service);
    const char *pro = name_of(c->professionals, c->nprofessionals, in->professional);
    const char *with = pro ? apr_pstrcat(p, en ? " with " : " con ", pro, NULL)
                       : (in->professional && !strcmp(in->professional, "any"))
                       ? (en ? " with anyone" : " con cualquier profesional") : "";
    const char *what = apr_pstrcat(p, service ? service : (en ? "your appointment" : "tu cita"),
                                   with, NULL);
    const char *when = when_words(p, in);
    switch (ch->why) {
    case KF_WHY_FOUND:
        return en ? apr_pstrcat(p, "Free times for ", what, " ", when, ": pick one to continue.", NULL)
                  : apr_pstrcat(p, "Horarios libres para ", what, " ", when, ": elige uno para continuar.", NULL);
    case KF_WHY_TIME:
        return en ? apr_pstrcat(p, "There is no free time for ", what, " ", when,
                                " at that time of day; these are the nearest.", NULL)
                  : apr_pstrcat(p, "No hay horarios libres para ", what, " ", when,
                                " a esa hora; estos son los más cercanos.", NULL);
    case KF_WHY_DAYS:
        return en ? apr_pstrcat(p, "There is no free time for ", what, " ", when,
                                "; these are the nearest days.", NULL)
                  : apr_pstrcat(p, "No hay horarios libres para ", what, " ", when,
                                "; estos son los días más cercanos.", NULL);
    case KF_WHY_PAST:
        return en ? "Those dates have already passed; these are the first free times."
                  : "Esas fechas ya pasaron; estos son los primeros horarios libres.";
    case KF_WHY_NONE:
        return en ? apr_pstrcat(p, "There is no free time for ", what, " in the coming weeks.", NULL)
                  : apr_pstrcat(p, "No hay horarios libres para ", what, " en las próximas semanas.", NULL);
    case KF_WHY_PICKED: {
        int minutes;
        apr_int64_t day = local_day(v, ch->slots[0].start, &minutes);
        const char *at = apr_pstrcat(p, day_words(p, day, in->locale), en ? " at " : " a las ",
                                     kf_assistant_hhmm(p, minutes), NULL);
        return en ? apr_pstrcat(p, "You picked ", at, ": continue to confirm it; nothing is held until you do.", NULL)
                  : apr_pstrcat(p, "Elegiste el ", at, ": continúa para confirmarlo; nada queda reservado hasta entonces.", NULL);
    }
    case KF_WHY_PICK_GONE:
        return en ? "That time is no longer free; here are others."
                  : "Ese horario ya no está libre; aquí tienes otros.";
    case KF_WHY_PICK_UNKNOWN:
    default:
        return en ? "I could not tell which time you meant; here are the options again."
                  : "No sé cuál de los horarios quieres; aquí están las opciones otra vez.";
    }
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *kf_assistant_answer(apr_pool_t *p, const kf_intent *in, const kf_assistant_choice *ch,
                            const kf_assistant_view *v, const char *context)
{
    json_t *nu = json_array();
    for (int i = 0; i < in->not_understood->nelts; i++) {
        json_array_append_new(nu, json_string(APR_ARRAY_IDX(in->not_understood, i, const char *)));
    }
    json_t *intent = json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:o}",
        "service", str_or_null(in->service), "professional", str_or_null(in->professional),
        "from", date_text(p, in->from), "to", date_text(p, in->to),
        "part_of_day", str_or_null(part_names[in->part]),
        "earliest", str_or_null(in->earliest >= 0 ? kf_assistant_hhmm(p, in->earliest) : NULL),
        "latest", str_or_null(in->latest >= 0 ? kf_assistant_hhmm(p, in->latest) : NULL),
        "timezone", in->timezone, "not_understood", nu);
    /* the series offered, or the one asked outside the service's rule */
    kf_series_every every = v->series == KF_ASSISTANT_SERIES_OK ? v->every
                            : v->series == KF_ASSISTANT_SERIES_OUTSIDE ? in->repeat : KF_SERIES_NONE;
    int count = v->series == KF_ASSISTANT_SERIES_OK ? v->count
                : v->series == KF_ASSISTANT_SERIES_OUTSIDE ? in->count : 0;
    json_object_set_new(intent, "repeat", str_or_null(kf_series_every_name(every)));
    json_object_set_new(intent, "count", count ? json_integer(count) : json_null());
    json_t *slots = json_array();
    for (int i = 0; i < ch->n; i++) {
        const kf_slot *s = &ch->slots[i];
        char start[KF_TIME_UTC_LEN + 1], end[KF_TIME_UTC_LEN + 1], local[KF_TIME_LOCAL_LEN + 1];
        kf_time_format_utc(start, s->start);
        kf_time_format_utc(end, s->end);
        kf_time_format_local(local, s->start, kf_zone_offset(v->customer, s->start));
        json_t *slot = json_pack("{s:s, s:s, s:s}", "start", start, "end", end, "local", local);
        const char *zone_name = v->prof_zone_names[s->prof];
        const kf_zone *zone = v->prof_zones[s->prof];
        if (zone && zone_name && strcasecmp(zone_name, in->timezone) != 0) {
            char theirs[KF_TIME_LOCAL_LEN + 1];
            kf_time_format_local(theirs, s->start, kf_zone_offset(zone, s->start));
            json_object_set_new(slot, "professional_local", json_string(theirs));
        }
        json_object_set_new(slot, "professional", json_string(v->prof_ids[s->prof]));
        if (v->seated) {
            json_object_set_new(slot, "seats_left", json_integer(s->seats_left));
        }
        json_array_append_new(slots, slot);
    }
    return json_pack("{s:o, s:o, s:s, s:s}", "intent", intent, "slots", slots,
                     "reply", kf_assistant_reply(p, in, ch, v), "context", context);
}

/* ---- the follow-up's context ---- */

const char *kf_assistant_context_encode(apr_pool_t *p, const kf_intent *in,
                                        const kf_assistant_choice *ch, const kf_assistant_view *v)
{
    json_t *excluded = json_array(), *offers = json_array();
    for (int x = 0; x < in->nexcluded; x++) {
        json_array_append_new(excluded, json_pack("[i, i]", in->excluded_from[x], in->excluded_to[x]));
    }
    for (int i = 0; i < ch->n; i++) {
        json_array_append_new(offers, json_pack("[I, s]", (json_int_t)ch->slots[i].start,
                                                v->prof_ids[ch->slots[i].prof]));
    }
    json_t *c = json_pack("{s:i, s:o, s:o, s:s, s:s, s:i, s:i, s:i, s:i, s:o, s:i, s:i, s:s, s:i, s:o, s:i, s:i}",
        "v", 1, "s", str_or_null(in->service), "p", str_or_null(in->professional),
        "f", date_text(p, in->from), "t", date_text(p, in->to), "d", (int)in->part,
        "e", in->earliest, "l", in->latest, "x", (int)in->excluded_weekdays, "xt", excluded,
        "a", in->asap, "n", in->duration, "z", in->timezone, "m", (int)in->named, "o", offers,
        "r", (int)in->repeat, "c", in->count);
    char *dump = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    const char *out = dump ? kf_b64url_encode(p, dump, strlen(dump)) : "";
    free(dump);
    return out;
}

static int int_in(const json_t *o, const char *key, int lo, int hi, int *out)
{
    const json_t *j = json_object_get(o, key);
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        return 0;
    }
    *out = (int)json_integer_value(j);
    return 1;
}

static int id_or_null(apr_pool_t *p, const json_t *o, const char *key, int any_ok, const char **out)
{
    const json_t *j = json_object_get(o, key);
    if (json_is_null(j)) {
        *out = NULL;
        return 1;
    }
    if (!json_is_string(j)) {
        return 0;
    }
    const char *s = json_string_value(j);
    if (!kf_is_uuid(s) && !(any_ok && !strcmp(s, "any"))) {
        return 0;
    }
    *out = apr_pstrdup(p, s);
    return 1;
}

static int date_of(const json_t *o, const char *key, apr_int64_t *day)
{
    const json_t *j = json_object_get(o, key);
    return json_is_string(j) && strlen(json_string_value(j)) == 10 &&
           kf_date_parse(json_string_value(j), day);
}

static int decode_json(apr_pool_t *p, const json_t *c, kf_intent *in, kf_assistant_offer *offers,
                       int *noffers)
{
    int version, part, excluded_weekdays, named, repeat = 0;
    const json_t *z = json_object_get(c, "z"), *xt = json_object_get(c, "xt"),
                 *o = json_object_get(c, "o");
    /* the series asked ("r", "c"): absent from the contexts written before series existed */
    size_t keys = json_object_size(c);
    int series = keys == 17 && int_in(c, "r", 0, KF_SERIES_MONTH, &repeat) &&
                 int_in(c, "c", 0, 99, &in->count);
    if (!json_is_object(c) || (keys != 15 && !series) || !int_in(c, "v", 1, 1, &version) ||
        !id_or_null(p, c, "s", 0, &in->service) || !id_or_null(p, c, "p", 1, &in->professional) ||
        !date_of(c, "f", &in->from) || !date_of(c, "t", &in->to) || in->to < in->from ||
        in->to - in->from > 366 || !int_in(c, "d", 0, 3, &part) ||
        !int_in(c, "e", -1, 1439, &in->earliest) || !int_in(c, "l", -1, 1439, &in->latest) ||
        !int_in(c, "x", 0, 0xFE, &excluded_weekdays) || !int_in(c, "a", 0, 1, &in->asap) ||
        !int_in(c, "n", 0, 480, &in->duration) || !int_in(c, "m", 0, 127, &named) ||
        !json_is_string(z) || !kf_zone_name_ok(json_string_value(z)) ||
        !json_is_array(xt) || json_array_size(xt) > KF_INTENT_MAX_EXCLUDED ||
        !json_is_array(o) || json_array_size(o) > KF_ASSISTANT_MAX_SLOTS) {
        return 0;
    }
    in->part = (kf_part_of_day)part;
    in->repeat = (kf_series_every)repeat;
    in->excluded_weekdays = (unsigned)excluded_weekdays;
    in->named = (unsigned)named;
    in->timezone = apr_pstrdup(p, json_string_value(z));
    for (size_t x = 0; x < json_array_size(xt); x++) {
        const json_t *r = json_array_get(xt, x);
        const json_t *a = json_array_get(r, 0), *b = json_array_get(r, 1);
        if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_integer(a) ||
            !json_is_integer(b) || json_integer_value(a) < 0 ||
            json_integer_value(b) > 1440 || json_integer_value(a) >= json_integer_value(b)) {
            return 0;
        }
        in->excluded_from[x] = (int)json_integer_value(a);
        in->excluded_to[x] = (int)json_integer_value(b);
        in->nexcluded++;
    }
    for (size_t i = 0; i < json_array_size(o); i++) {
        const json_t *r = json_array_get(o, i);
        const json_t *s = json_array_get(r, 0), *pro = json_array_get(r, 1);
        if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_integer(s) ||
            json_integer_value(s) < 0 || json_integer_value(s) > 253402300799LL ||
            !json_is_string(pro) || !kf_is_uuid(json_string_value(pro))) {
            return 0;
        }
        offers[i].start = json_integer_value(s);
        offers[i].professional = apr_pstrdup(p, json_string_value(pro));
    }
    *noffers = (int)json_array_size(o);
    return 1;
}

int kf_assistant_context_decode(apr_pool_t *p, const char *text, kf_intent *in,
                                kf_assistant_offer *offers, int *noffers)
{
    unsigned char *raw = NULL;
    apr_size_t len = 0;
    memset(in, 0, sizeof(*in));
    in->earliest = in->latest = -1;
    in->not_understood = apr_array_make(p, 1, sizeof(const char *));
    *noffers = 0;
    if (!text || strlen(text) > KF_ASSISTANT_CONTEXT_MAX ||
        kf_b64url_decode(p, text, &raw, &len) != APR_SUCCESS || !kf_utf8_valid((const char *)raw, len)) {
        return 0;
    }
    json_t *c = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, NULL);
    int ok = c && decode_json(p, c, in, offers, noffers);
    json_decref(c);
    return ok;
}
