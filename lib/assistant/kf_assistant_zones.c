/* Zones a customer names in a sentence: a city, a country with one zone, or an
 * abbreviation (kf_assistant_zones.h). */
#include "kf_assistant_zones.h"

#include <string.h>

static const struct { const char *words; const char *zone; } places[] = {
    /* places: named after "in", "en", "de", "desde", "from", or before "time", "hora" */
    {"madrid", "Europe/Madrid"}, {"barcelona", "Europe/Madrid"}, {"valencia", "Europe/Madrid"},
    {"sevilla", "Europe/Madrid"}, {"seville", "Europe/Madrid"}, {"espana", "Europe/Madrid"},
    {"spain", "Europe/Madrid"}, {"canarias", "Atlantic/Canary"}, {"tenerife", "Atlantic/Canary"},
    {"bogota", "America/Bogota"}, {"colombia", "America/Bogota"}, {"medellin", "America/Bogota"},
    {"cali", "America/Bogota"}, {"barranquilla", "America/Bogota"}, {"cartagena", "America/Bogota"},
    {"lima", "America/Lima"}, {"peru", "America/Lima"},
    {"ciudad de mexico", "America/Mexico_City"}, {"mexico city", "America/Mexico_City"},
    {"cdmx", "America/Mexico_City"}, {"mexico", "America/Mexico_City"},
    {"guadalajara", "America/Mexico_City"}, {"monterrey", "America/Monterrey"},
    {"buenos aires", "America/Argentina/Buenos_Aires"}, {"argentina", "America/Argentina/Buenos_Aires"},
    {"santiago", "America/Santiago"}, {"chile", "America/Santiago"},
    {"caracas", "America/Caracas"}, {"venezuela", "America/Caracas"},
    {"quito", "America/Guayaquil"}, {"guayaquil", "America/Guayaquil"}, {"ecuador", "America/Guayaquil"},
    {"panama", "America/Panama"}, {"montevideo", "America/Montevideo"}, {"uruguay", "America/Montevideo"},
    {"la paz", "America/La_Paz"}, {"bolivia", "America/La_Paz"}, {"asuncion", "America/Asuncion"},
    {"paraguay", "America/Asuncion"}, {"santo domingo", "America/Santo_Domingo"},
    {"puerto rico", "America/Puerto_Rico"}, {"san juan", "America/Puerto_Rico"},
    {"costa rica", "America/Costa_Rica"}, {"san jose", "America/Costa_Rica"},
    {"guatemala", "America/Guatemala"}, {"el salvador", "America/El_Salvador"},
    {"nueva york", "America/New_York"}, {"new york", "America/New_York"}, {"nyc", "America/New_York"},
    {"miami", "America/New_York"}, {"boston", "America/New_York"}, {"toronto", "America/Toronto"},
    {"chicago", "America/Chicago"}, {"houston", "America/Chicago"}, {"denver", "America/Denver"},
    {"los angeles", "America/Los_Angeles"}, {"san francisco", "America/Los_Angeles"},
    {"seattle", "America/Los_Angeles"}, {"london", "Europe/London"}, {"londres", "Europe/London"},
    {"paris", "Europe/Paris"}, {"berlin", "Europe/Berlin"}, {"roma", "Europe/Rome"},
    {"rome", "Europe/Rome"}, {"lisboa", "Europe/Lisbon"}, {"lisbon", "Europe/Lisbon"},
    {"amsterdam", "Europe/Amsterdam"}, {"sao paulo", "America/Sao_Paulo"},
    {"tokyo", "Asia/Tokyo"}, {"sydney", "Australia/Sydney"},
    {NULL, NULL},
    /* abbreviations: alone */
    {"est", "America/New_York"}, {"edt", "America/New_York"}, {"cst", "America/Chicago"},
    {"cdt", "America/Chicago"}, {"mst", "America/Denver"}, {"mdt", "America/Denver"},
    {"pst", "America/Los_Angeles"}, {"pdt", "America/Los_Angeles"}, {"gmt", "UTC"},
    {"utc", "UTC"}, {"bst", "Europe/London"}, {"cet", "Europe/Paris"}, {"cest", "Europe/Paris"},
    {"cot", "America/Bogota"}, {"pet", "America/Lima"},
};

/* Whether words[i..] spell `phrase` (words separated by one space): how many, else 0. */
static int spells(const kf_word *words, int n, int i, const char *phrase)
{
    int k = 0;
    const char *p = phrase;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        if (i + k >= n || words[i + k].used || strlen(words[i + k].w) != len ||
            strncmp(words[i + k].w, p, len) != 0) {
            return 0;
        }
        k++;
        p += len + (sp ? 1 : 0);
    }
    return k;
}

const char *kf_assistant_zone_at(const kf_word *words, int n, int i, int *count, int *alone)
{
    int abbreviations = 0;
    for (size_t z = 0; z < sizeof(places) / sizeof(places[0]); z++) {
        if (!places[z].words) {
            abbreviations = 1;
            continue;
        }
        int k = spells(words, n, i, places[z].words);
        if (k) {
            *count = k;
            *alone = abbreviations;
            return places[z].zone;
        }
    }
    return NULL;
}
