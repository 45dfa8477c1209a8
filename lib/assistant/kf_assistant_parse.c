/* The booking assistant's sentence parser (kf_assistant_intent.h): the zone first, then the
 * professionals' names, then the other words respelled to the parser's vocabulary
 * (kf_rule_spell), then the rules (kf_assistant_rules.h) tried at each word in a fixed
 * order, each taking the words it understood; services' names are matched against what is
 * left, and what no rule took is reported as not understood. */
#include "kf_assistant_rules.h"
#include "kf_assistant_fuzzy.h"
#include "kf_assistant_zones.h"
#include "kf_time.h"

#include <apr_strings.h>
#include <string.h>

static int anyone(kf_parse *ps, int i)
{
    int k;
    if ((k = kf_rule_match(ps, i, "any|anytime|cualquier|whatever|a ?any|cualquier time|day|hour|hora|dia|momento|moment|slot|one",
                   NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "anytime", NULL))) {
        if (!kf_rule_match(ps, i + k - 1, "one", NULL) || !kf_rule_match(ps, i, "any", NULL)) {
            kf_rule_take(ps, i, k);   /* "any time", "a cualquier hora": no constraint */
            return 1;
        }
    }
    if ((k = kf_rule_match(ps, i, "?with|con anyone|anybody|whoever|cualquiera|quienquiera", NULL)) ||
        (k = kf_rule_match(ps, i, "?with|con quien sea", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "?with|con cualquier|any professional|profesional|person|persona|stylist|therapist|one|doctor", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "no preference", NULL)) == 2 ||
        (k = kf_rule_match(ps, i, "?me da igual ?con ?quien", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "no importa con quien", NULL)) == 4 ||
        (k = kf_rule_match(ps, i, "sin preferencia", NULL)) == 2 ||
        (k = kf_rule_match(ps, i, "?con quien este|haya|pueda ?disponible|libre", NULL)) >= 3 ||
        (k = kf_rule_match(ps, i, "whoever is free|available", NULL))) {
        /* a professional named by name wins over "anyone" */
        if (!(ps->in->named & KF_INTENT_PROFESSIONAL)) {
            ps->in->professional = "any";
            ps->in->named |= KF_INTENT_PROFESSIONAL;
        }
        kf_rule_take(ps, i, k + kf_rule_match(ps, i + k, "is free|available", NULL) +
                 kf_rule_match(ps, i + k, "que este libre|disponible", NULL));
        return 1;
    }
    return 0;
}

/* Greetings are no part of the day: "buenas tardes", and "good morning" opening a sentence. */
static int greeting(kf_parse *ps, int i)
{
    int k = kf_rule_match(ps, i, "buenas|buenos tardes|dias|noches", NULL);
    if (k < 2 && i == 0) {
        k = kf_rule_match(ps, i, "good morning|afternoon|evening", NULL);
    }
    if (k < 2) {
        return 0;
    }
    kf_rule_take(ps, i, k);
    return 1;
}

static int ordinal(const char *w)
{
    static const char *const words[] = {
        NULL, "first|1st|primero|primera|primer|1", "second|2nd|segundo|segunda|2",
        "third|3rd|tercero|tercera|tercer|3", "fourth|4th|cuarto|cuarta|4",
        "fifth|5th|quinto|quinta|5"};
    for (int o = 1; o <= 5; o++) {
        const char *a = words[o];
        size_t wl = strlen(w);
        while (a) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al == wl && strncmp(a, w, al) == 0) {
                return o;
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    if (!strcmp(w, "last") || !strcmp(w, "ultimo") || !strcmp(w, "ultima")) {
        return -1;
    }
    return 0;
}

static int follow_ups(kf_parse *ps, int i)
{
    int k;
    kf_intent *in = ps->in;
    if ((k = kf_rule_match(ps, i, "as soon as possible", NULL)) == 4 || (k = kf_rule_match(ps, i, "asap|soonest", NULL)) ||
        (k = kf_rule_match(ps, i, "lo antes posible", NULL)) == 3 || (k = kf_rule_match(ps, i, "cuanto antes", NULL)) == 2 ||
        (k = kf_rule_match(ps, i, "lo mas pronto ?posible", NULL)) >= 3 ||
        (k = kf_rule_match(ps, i, "the|el|la earliest|first|primer|primera|proximo|proxima available|free|disponible|libre|hueco|turno|cita|slot|opening|time", NULL)) == 3 ||
        (k = kf_rule_match(ps, i, "earliest|first|next available|free|opening|slot", NULL)) == 2 ||
        (k = kf_rule_match(ps, i, "primer|primera hueco|turno|hora|cita ?disponible|libre", NULL)) >= 2 ||
        (k = kf_rule_match(ps, i, "lo|la|el primero|primera|proximo|proxima disponible|libre|que haya", NULL)) >= 3 ||
        (k = kf_rule_match(ps, i, "right away|now", NULL)) == 2 || (k = kf_rule_match(ps, i, "ya mismo", NULL)) == 2) {
        in->asap = 1;
        kf_rule_take(ps, i, k);
        return 1;
    }
    /* "later", "a bit later", "más tarde", "un poco más tarde"; "tarde" alone is the afternoon */
    if ((k = kf_rule_match(ps, i, "?something|algo|un ?a|poco ?bit|little ?mas later|tarde", NULL)) &&
        (kf_rule_match(ps, i + k - 1, "later", NULL) || (k >= 2 && kf_rule_match(ps, i + k - 2, "mas tarde", NULL) == 2))) {
        in->follow = KF_FOLLOW_LATER;
        kf_rule_take(ps, i, k);
        return 1;
    }
    /* "earlier", "sooner", "más temprano", "más pronto", "antes" (not "antes de las 5") */
    if ((k = kf_rule_match(ps, i, "?something|algo|un ?a|poco ?bit|little ?mas earlier|sooner|temprano|pronto|antes", NULL)) &&
        (kf_rule_match(ps, i + k - 1, "earlier|sooner", NULL) ||
         (k >= 2 && kf_rule_match(ps, i + k - 2, "mas temprano|pronto|antes", NULL) == 2) ||
         (kf_rule_match(ps, i + k - 1, "antes", NULL) && !kf_rule_match(ps, i + k, "de|del", NULL)))) {
        in->follow = KF_FOLLOW_EARLIER;
        kf_rule_take(ps, i, k);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "?a|an|some another|other|different|otro|otra|distinto|diferente day|dia|date|fecha", NULL)) >= 2) {
        in->follow = KF_FOLLOW_OTHER_DAY;
        kf_rule_take(ps, i, k);
        return 1;
    }
    if ((k = kf_rule_match(ps, i, "?i|me ?want|take|quiero|prefiero|elijo|tomo|pick|choose ?the|el|la|option|opcion|number|numero", NULL)),
        i + k < ps->n && !ps->w[i + k].used) {
        int o = ordinal(ps->w[i + k].w);
        int digits = kf_words_digits(ps->w[i + k].w);
        int before_ok = k > 0 || ps->n <= 2;
        if (o && (!digits || (k > 0 && kf_rule_match(ps, i + k - 1, "option|opcion|number|numero|the|la|el", NULL)))
            && before_ok && !kf_rule_match(ps, i + k + 1, "of|de|week|semana|day|dia|st|nd|rd|th", NULL) &&
            !(i + k + 1 < ps->n && kf_rule_month_of(ps->w[i + k + 1].w))) {
            k++;
            k += kf_rule_match(ps, i + k, "one|uno|una|option|opcion|slot|time|hora|horario", NULL);
            k += kf_rule_match(ps, i + k, "please|por favor", NULL);
            in->follow = KF_FOLLOW_PICK;
            in->pick = o;
            kf_rule_take(ps, i, k);
            return 1;
        }
    }
    return 0;
}

/* ---- names ---- */

/* How well the unused words match `name`: 2 per word spelled exactly, 1 per word close
 * to it, its diminutive or a word of its stem (kf_fuzzy_names); the words matched are
 * marked in `hit`. */
static int name_score(kf_parse *ps, const char *name, int *hit)
{
    kf_word nw[16];
    int nn = kf_words_split(ps->p, name, nw, 16), score = 0;
    for (int j = 0; j < nn; j++) {
        const char *part = nw[j].w;
        if (strlen(part) < 3 || kf_rule_filler(part) || kf_words_digits(part)) {
            continue;
        }
        for (int i = 0; i < ps->n; i++) {
            const char *w = ps->w[i].w;
            if (ps->w[i].used || strlen(w) < 3 || kf_words_digits(w)) {
                continue;
            }
            if (!strcmp(w, part) || (strlen(w) == strlen(part) + 1 && w[strlen(w) - 1] == 's' &&
                                     !strncmp(w, part, strlen(part)))) {
                score += 2;
                hit[i] = 1;
                break;
            }
            /* a word the parser knows as spelled ("martes") is no typo of a name ("Martín") */
            if (!kf_rule_filler(w) && kf_fuzzy_names(w, part) && !kf_rule_known(w)) {
                score += 1;
                hit[i] = 1;
                break;
            }
        }
    }
    return score;
}

/* The best-matching item of `items`, its words taken; NULL when none matches. Between names
 * matched alike, a group class wins when `class_asked`. */
static const kf_assistant_item *best_item(kf_parse *ps, const kf_assistant_item *items, int n,
                                          int class_asked)
{
    int best = 0, best_score = 0;
    int *hit = apr_pcalloc(ps->p, sizeof(int) * (apr_size_t)(ps->n + 1));
    int *best_hit = apr_pcalloc(ps->p, sizeof(int) * (apr_size_t)(ps->n + 1));
    for (int s = 0; s < n; s++) {
        memset(hit, 0, sizeof(int) * (apr_size_t)ps->n);
        int score = items[s].name ? name_score(ps, items[s].name, hit) : 0;
        score = score ? 2 * score + (class_asked && items[s].capacity > 1) : 0;
        if (score > best_score) {
            best_score = score;
            best = s;
            memcpy(best_hit, hit, sizeof(int) * (apr_size_t)ps->n);
        }
    }
    if (!best_score) {
        return NULL;
    }
    for (int i = 0; i < ps->n; i++) {
        if (best_hit[i]) {
            ps->w[i].used = 1;
        }
    }
    return &items[best];
}

/* Whether a word is one of the words of a service's name ("Clases de baile" is named by
 * "clases": the word is then the name's, not the kind's). */
static int service_word(apr_pool_t *p, const kf_assistant_catalog *catalog, const char *word)
{
    for (int s = 0; s < catalog->nservices; s++) {
        kf_word nw[16];
        int nn = catalog->services[s].name ? kf_words_split(p, catalog->services[s].name, nw, 16) : 0;
        for (int j = 0; j < nn; j++) {
            if (!strcmp(nw[j].w, word)) {
                return 1;
            }
        }
    }
    return 0;
}

/* The first group class of the catalog the professional (NULL: anyone) offers. */
static const kf_assistant_item *first_class(const kf_assistant_catalog *catalog,
                                            const kf_assistant_item *pro)
{
    for (int s = 0; s < catalog->nservices; s++) {
        const kf_assistant_item *svc = &catalog->services[s];
        int offered = !pro || !pro->offers;
        for (int o = 0; !offered && pro->offers[o]; o++) {
            offered = !strcmp(pro->offers[o], svc->id);
        }
        if (offered && svc->capacity > 1) {
            return svc;
        }
    }
    return NULL;
}

/* ---- the sentence ---- */

static kf_locale language(const kf_parse *ps, kf_locale fallback)
{
    static const char *const es[] = {
        "el", "la", "los", "las", "de", "por", "con", "manana", "tarde", "hoy", "quiero",
        "una", "cita", "semana", "proxima", "proximo", "que", "para", "despues", "antes", "hora",
        "dia", "dias", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
        "noche", "quien", "sea", "necesito", "mas", "temprano", "otro", "segunda", "primera",
        "pasado", "en", "fin", "hay", "algo", "mediodia", "lo", "posible", "estoy", "busco",
        "cada", "todos", "semanas", "veces", "meses", "mes", "durante", "clase", "sesiones", NULL};
    static const char *const en[] = {
        "the", "with", "tomorrow", "today", "next", "week", "after", "before", "morning",
        "afternoon", "evening", "i", "me", "on", "at", "for", "please", "any", "time", "day",
        "days", "in", "find", "book", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "around", "later", "earlier", "anyone", "second", "first", "is",
        "soon", "weekend", "am", "pm", "my", "im", "need", "want", "can", "this", "between",
        "every", "weeks", "times", "months", "month", "class", "sessions", "other", NULL};
    int nes = 0, nen = 0;
    for (int i = 0; i < ps->n; i++) {
        for (int j = 0; es[j]; j++) {
            nes += !strcmp(ps->w[i].w, es[j]);
        }
        for (int j = 0; en[j]; j++) {
            nen += !strcmp(ps->w[i].w, en[j]);
        }
    }
    return nes > nen ? KF_LOCALE_ES : nen > nes ? KF_LOCALE_EN : fallback;
}

static void zones(kf_parse *ps)
{
    for (int i = 0; i < ps->n; i++) {
        int k = 0, alone = 0;
        const char *z = ps->w[i].used ? NULL : kf_assistant_zone_at(ps->w, ps->n, i, &k, &alone);
        if (!z) {
            continue;
        }
        /* "con Santiago" is a person: a place is the customer's zone after "in", "en",
         * "de", "desde", "from", or before "time", "hora" */
        int before = i > 0 && kf_rule_match(ps, i - 1, "in|en|de|desde|from", NULL);
        int after = kf_rule_match(ps, i + k, "time|hora", NULL);
        if (!alone && !before && !after) {
            continue;
        }
        ps->in->timezone = z;
        ps->in->named |= KF_INTENT_ZONE;
        kf_rule_take(ps, i, k);
        if (before) {
            kf_rule_take(ps, i - 1, 1);
        }
        kf_rule_take(ps, i + k, after);
    }
    for (int i = 0; i < ps->n; i++) {
        int k = kf_rule_match(ps, i, "my|mi|your|tu|su|local time|hora|zona ?horaria", NULL);
        if (k >= 2) {
            kf_rule_take(ps, i, k);
        }
        kf_rule_take(ps, i, kf_rule_match(ps, i, "time|hora zone|zona", NULL) == 2 ? 2 : 0);
    }
}

static void not_understood(kf_parse *ps, const char *text)
{
    for (int i = 0; i < ps->n; i++) {
        if (ps->w[i].used || kf_rule_filler(ps->w[i].w)) {
            continue;
        }
        int j = i;
        while (j + 1 < ps->n && !ps->w[j + 1].used && !kf_rule_filler(ps->w[j + 1].w)) {
            j++;
        }
        *(const char **)apr_array_push(ps->in->not_understood) =
            apr_pstrndup(ps->p, text + ps->w[i].start, (apr_size_t)(ps->w[j].end - ps->w[i].start));
        i = j;
    }
}

const char *kf_assistant_default_service(const kf_assistant_catalog *catalog,
                                         const char *professional, int duration)
{
    if (catalog->nservices == 0) {
        return NULL;
    }
    const kf_assistant_item *pro = NULL;
    for (int p = 0; professional && p < catalog->nprofessionals; p++) {
        if (!strcmp(catalog->professionals[p].id, professional)) {
            pro = &catalog->professionals[p];
        }
    }
    const char *first_offered = NULL;
    for (int s = 0; s < catalog->nservices; s++) {
        const char *id = catalog->services[s].id;
        int offered = !pro || !pro->offers;
        for (int o = 0; !offered && pro->offers[o]; o++) {
            offered = !strcmp(pro->offers[o], id);
        }
        if (!offered) {
            continue;
        }
        if (duration && catalog->services[s].minutes == duration) {
            return id;
        }
        if (!first_offered) {
            first_offered = id;
        }
    }
    return first_offered ? first_offered : catalog->services[0].id;
}

void kf_assistant_parse(apr_pool_t *p, const char *text, apr_int64_t now, const char *zone_name,
                        kf_locale locale, kf_assistant_zone_fn zone_fn, void *baton,
                        const kf_assistant_catalog *catalog, kf_intent *in)
{
    memset(in, 0, sizeof(*in));
    in->earliest = in->latest = -1;
    in->timezone = zone_name;
    in->not_understood = apr_array_make(p, 2, sizeof(const char *));
    kf_parse ps = {.p = p, .in = in};
    ps.w = apr_palloc(p, sizeof(kf_word) * KF_ASSISTANT_MAX_WORDS);
    ps.n = kf_words_split(p, text, ps.w, KF_ASSISTANT_MAX_WORDS);
    ps.locale = in->locale = language(&ps, locale);

    /* the zone first: relative dates count from today in it */
    zones(&ps);
    const kf_zone *zone = zone_fn(baton, in->timezone);
    if (!zone) {
        in->timezone = zone_name;
        in->named &= ~(unsigned)KF_INTENT_ZONE;
        zone = zone_fn(baton, zone_name);
    }
    apr_int64_t offset = zone ? kf_zone_offset(zone, now) : 0;
    ps.today = kf_utc_day_of(now + offset);
    ps.wd = kf_assistant_weekday(ps.today);

    /* professionals' and services' names before the grammar: "Ana" is nobody's date */
    const kf_assistant_item *pro = best_item(&ps, catalog->professionals, catalog->nprofessionals, 0);
    if (pro) {
        in->professional = pro->id;
        in->named |= KF_INTENT_PROFESSIONAL;
    }
    kf_rule_spell(&ps, catalog);
    for (int i = 0; i < ps.n; i++) {
        if (ps.w[i].used) {
            continue;
        }
        if (greeting(&ps, i) || kf_rule_series(&ps, i) || follow_ups(&ps, i) || kf_rule_dates(&ps, i) || kf_rule_weekdays(&ps, i) || kf_rule_durations(&ps, i) ||
            kf_rule_times(&ps, i) || anyone(&ps, i)) {
            continue;
        }
    }
    /* "clase de yoga", "yoga class": the word says what kind of service, not which */
    int class_asked = 0;
    static const char *const class_words[] = {"clase", "clases", "class", "classes", "grupal",
                                              "group", NULL};
    for (int i = 0; i < ps.n; i++) {
        for (int c = 0; class_words[c]; c++) {
            /* "una clase" may have been read as one session already */
            if (!strcmp(ps.w[i].w, class_words[c]) && !service_word(p, catalog, ps.w[i].w)) {
                kf_rule_take(&ps, i, 1);
                class_asked = 1;
            }
        }
    }
    const kf_assistant_item *svc = best_item(&ps, catalog->services, catalog->nservices, class_asked);
    if (svc) {
        in->service = svc->id;
        in->named |= KF_INTENT_SERVICE;
    }
    else if (class_asked && (svc = first_class(catalog, pro))) {
        in->service = svc->id;
        in->named |= KF_INTENT_SERVICE;
    }
    else {
        in->service = kf_assistant_default_service(catalog, pro ? pro->id : NULL, in->duration);
    }
    kf_rule_settle_series(&ps);
    kf_rule_settle_dates(&ps);
    if (in->earliest >= 0 && in->latest >= 0 && in->latest < in->earliest) {
        int t = in->latest;   /* "before 9 after 5": keep both, the wider reading */
        in->latest = in->earliest;
        in->earliest = t;
    }
    not_understood(&ps, text);
}

void kf_assistant_merge(const kf_intent *before, kf_intent *next)
{
    kf_intent merged = *before;
    merged.not_understood = next->not_understood;
    merged.follow = next->follow;
    merged.pick = next->pick;
    merged.locale = next->locale;
    merged.named = before->named | next->named;
    if (next->named & KF_INTENT_SERVICE) {
        merged.service = next->service;
    }
    if (next->named & KF_INTENT_PROFESSIONAL) {
        merged.professional = next->professional;
    }
    if (next->named & KF_INTENT_ZONE) {
        merged.timezone = next->timezone;
    }
    if (next->named & KF_INTENT_DURATION) {
        merged.duration = next->duration;
        if (!(next->named & KF_INTENT_SERVICE)) {
            merged.service = next->service;
        }
    }
    if (next->named & KF_INTENT_DATES) {
        merged.from = next->from;
        merged.to = next->to;
        merged.excluded_weekdays = next->excluded_weekdays;
        merged.asap = next->asap;
    }
    if (next->named & KF_INTENT_TIMES) {
        merged.part = next->part;
        merged.earliest = next->earliest;
        merged.latest = next->latest;
        merged.nexcluded = next->nexcluded;
        memcpy(merged.excluded_from, next->excluded_from, sizeof(merged.excluded_from));
        memcpy(merged.excluded_to, next->excluded_to, sizeof(merged.excluded_to));
    }
    if (next->asap) {
        merged.asap = 1;
    }
    /* "4 veces" after "cada lunes": the count changes, the frequency stays */
    if (next->named & KF_INTENT_SERIES) {
        merged.repeat = next->repeat ? next->repeat : before->repeat;
        merged.count = next->count ? next->count : before->count;
    }
    /* "earlier" and "later" go past the times offered before (kf_assistant_choose): the part
     * of the day and the bound they cross would keep the same times ("tomorrow afternoon",
     * then "earlier": the morning's, not the afternoon's again) */
    if (!(next->named & KF_INTENT_TIMES) &&
        (next->follow == KF_FOLLOW_EARLIER || next->follow == KF_FOLLOW_LATER)) {
        merged.part = KF_PART_NONE;
        if (next->follow == KF_FOLLOW_EARLIER) {
            merged.earliest = -1;
        }
        else {
            merged.latest = -1;
        }
    }
    *next = merged;
}

const char *kf_assistant_hhmm(apr_pool_t *p, int minutes)
{
    return apr_psprintf(p, "%02d:%02d", minutes / 60, minutes % 60);
}

void kf_assistant_reconcile(const kf_assistant_catalog *catalog, kf_intent *in)
{
    if (!in->service || !in->professional || !strcmp(in->professional, "any")) {
        return;
    }
    for (int p = 0; p < catalog->nprofessionals; p++) {
        const kf_assistant_item *pro = &catalog->professionals[p];
        if (strcmp(pro->id, in->professional) != 0 || !pro->offers) {
            continue;
        }
        for (int o = 0; pro->offers[o]; o++) {
            if (!strcmp(pro->offers[o], in->service)) {
                return;
            }
        }
        if (in->named & KF_INTENT_SERVICE) {
            in->professional = "any";
        }
        else {
            in->service = kf_assistant_default_service(catalog, pro->id, in->duration);
        }
        return;
    }
}
