/* The parser's vocabulary and a sentence's words respelled to it (kf_assistant_rules.h):
 * customers write "afernoon", "miercole", "tardecita"; the rules read afternoon, miercoles,
 * tarde. Names of the catalog are matched on their own (kf_fuzzy_names), fillers and
 * numbers are never respelled. */
#include "kf_assistant_rules.h"
#include "kf_assistant_fuzzy.h"

#include <apr_strings.h>
#include <string.h>

/* Words that carry no wish (articles, pronouns, politeness): never a name's, never listed
 * as not understood, never respelled. */
static const char *const filler[] = {
    "a", "an", "the", "i", "im", "me", "my", "we", "our", "you", "your", "is", "are", "be", "am",
    "for", "with", "on", "in", "at", "of", "to", "and", "or", "please", "pls", "can", "could",
    "would", "will", "find", "need", "want", "like", "book", "booking", "appointment", "appt",
    "time", "times", "slot", "slots", "some", "there", "available", "availability", "do",
    "does", "have", "has", "get", "free", "open", "hi", "hello", "hey", "thanks", "thank",
    "it", "that", "this", "what", "when", "which", "something", "anything", "session",
    "schedule", "see", "show", "look", "looking", "also", "maybe", "perhaps", "day", "days",
    "date", "ok", "okay", "yes", "good", "great", "just", "only", "one", "spot", "reserve",
    "let", "lets", "make", "how", "about", "from", "by", "if", "possible", "local",
    "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "al", "para", "por", "con",
    "en", "mi", "me", "yo", "quiero", "queria", "quisiera", "necesito", "busco", "buscar",
    "cita", "turno", "reservar", "reserva", "agendar", "agenda", "pedir", "puede", "puedes",
    "podria", "podrias", "favor", "hay", "algo", "algun", "alguna", "disponible", "disponibles",
    "libre", "libres", "que", "y", "o", "u", "hola", "buenas", "buenos", "gracias", "dia",
    "dias", "horario", "horarios", "hueco", "huecos", "espacio", "sesion", "tengas", "tienes",
    "tiene", "tienen", "a", "es", "sea", "ser", "si", "se", "lo", "le", "nos", "ver", "mostrar",
    "muestrame", "dame", "consigueme", "encuentrame", "find", "hora", "momento", "citas",
    "apartar", "programar", "separar", "vale", "bueno", "bien", "perfecto", "sobre",
    "estoy", "vivo", "live", "was", "wait", "based", "zone", "timezone", "zona", "horaria", "mine", "mio",
    "dr", "dra", "doctor", "doctora", "mr", "mrs", "ms", "miss", "sr", "sra", "srta", "senor",
    "senora", "senorita", "profe", "then", "entonces", "mejor", "better", "prefer", "prefiero",
    "preferably", "preferiblemente", "ideally", "idealmente", "somewhere", "sometime", "cuando",
    "donde", "where", "who", "quien", "tambien", "please", "porfa", "porfavor", "nuevo", "new",
    "un", "otra", "vez", "again", "as", "como", "tipo", "kind", "sort", "any", "whenever",
    "opening", "openings", "cualquier", "id", "love", "gustaria", "encantaria", "necesitaria",
    "reservame", "agendame",
    NULL,
};

int kf_rule_filler(const char *w)
{
    for (int f = 0; filler[f]; f++) {
        if (!strcmp(w, filler[f])) {
            return 1;
        }
    }
    return 0;
}

/* Words of the rules people shorten or misspell, beside the parts of the day, weekdays and
 * months. */
#define OTHER_WORDS "mediodia|medianoche|midday|midnight|tonight|tomorrow|temprano|pronto|poco"

#define NLISTS (4 + 7 + 12)

/* The vocabulary: lists of '|'-separated words. */
static void vocabulary(const char *lists[NLISTS])
{
    int n = 0;
    lists[n++] = KF_RULE_MORNING;
    lists[n++] = KF_RULE_AFTERNOON;
    lists[n++] = KF_RULE_EVENING;
    lists[n++] = OTHER_WORDS;
    for (int d = 1; d <= 7; d++) {
        lists[n++] = kf_rule_weekday_names[d];
    }
    for (int m = 1; m <= 12; m++) {
        lists[n++] = kf_rule_month_names[m];
    }
}

/* Calls fn with each vocabulary word (NUL-terminated) until it returns nonzero; that value. */
static int each_word(int (*fn)(const char *word, void *baton), void *baton)
{
    const char *lists[NLISTS];
    vocabulary(lists);
    char word[32];
    for (int l = 0; l < NLISTS; l++) {
        for (const char *a = lists[l]; a;) {
            const char *bar = strchr(a, '|');
            size_t al = bar ? (size_t)(bar - a) : strlen(a);
            if (al < sizeof(word)) {
                memcpy(word, a, al);
                word[al] = 0;
                int r = fn(word, baton);
                if (r) {
                    return r;
                }
            }
            a = bar ? bar + 1 : NULL;
        }
    }
    return 0;
}

static int spelled_alike(const char *word, void *baton)
{
    const char *w = baton;
    size_t wl = strlen(w), l = strlen(word);
    return !strcmp(w, word) || (wl == l + 1 && w[l] == 's' && !strncmp(w, word, l));
}

int kf_rule_known(const char *w)
{
    return each_word(spelled_alike, (void *)w);
}

/* The vocabulary word closest to a word: the lowest cost, two readings at it none. */
typedef struct closest {
    const char *w;
    int cost, tie;
    char reading[32];
} closest;

static int compare(const char *word, void *baton)
{
    closest *c = baton;
    int cost = kf_fuzzy_cost(c->w, word);
    if (cost < 0) {
        return 0;
    }
    /* "mañanita" is the morning: a diminutive of mañana is never tomorrow */
    const char *reading = !strcmp(word, "manana") && kf_fuzzy_diminutive(c->w, word) ? "morning" : word;
    if (c->cost < 0 || cost < c->cost) {
        c->cost = cost;
        c->tie = 0;
        apr_cpystrn(c->reading, reading, sizeof(c->reading));
    }
    else if (cost == c->cost && strcmp(c->reading, reading) != 0) {
        c->tie = 1;
    }
    return 0;
}

/* The words of the services' and professionals' names (from p). */
static apr_array_header_t *names_words(apr_pool_t *p, const kf_assistant_catalog *catalog)
{
    apr_array_header_t *words = apr_array_make(p, 16, sizeof(const char *));
    for (int list = 0; list < 2; list++) {
        const kf_assistant_item *items = list ? catalog->professionals : catalog->services;
        int n = list ? catalog->nprofessionals : catalog->nservices;
        for (int s = 0; s < n; s++) {
            kf_word nw[16];
            int nn = items[s].name ? kf_words_split(p, items[s].name, nw, 16) : 0;
            for (int j = 0; j < nn; j++) {
                APR_ARRAY_PUSH(words, const char *) = nw[j].w;
            }
        }
    }
    return words;
}

static int one_of(const apr_array_header_t *words, const char *w)
{
    for (int i = 0; i < words->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(words, i, const char *), w)) {
            return 1;
        }
    }
    return 0;
}

static int letters_only(const char *w)
{
    for (; *w; w++) {
        if (*w < 'a' || *w > 'z') {
            return 0;
        }
    }
    return 1;
}

void kf_rule_spell(kf_parse *ps, const kf_assistant_catalog *catalog)
{
    apr_array_header_t *names = NULL;
    for (int i = 0; i < ps->n; i++) {
        const char *w = ps->w[i].w;
        if (ps->w[i].used || strlen(w) < 4 || !letters_only(w) || kf_words_number(w) >= 0 ||
            kf_rule_filler(w) || kf_rule_known(w)) {
            continue;
        }
        if (!names) {
            names = names_words(ps->p, catalog);
        }
        if (one_of(names, w)) {
            continue;
        }
        closest c = {.w = w, .cost = -1};
        each_word(compare, &c);
        if (c.cost > 0 && !c.tie) {
            ps->w[i].w = apr_pstrdup(ps->p, c.reading);
        }
    }
}
