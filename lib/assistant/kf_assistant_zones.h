#ifndef KF_ASSISTANT_ZONES_H
#define KF_ASSISTANT_ZONES_H
/* The places and abbreviations a sentence names a zone by. */
#include "kf_assistant_text.h"

/* A sentence has at most this many words read (500 characters make fewer). */
#define KF_ASSISTANT_MAX_WORDS 256

/* The zone the unused words at words[i..] name (a city, country or abbreviation), with
 * *count the words it took and *alone 1 for an abbreviation (a zone by itself; a place
 * names the customer's zone only in "in Madrid", "hora de Bogotá", "Madrid time"); NULL
 * when none. */
const char *kf_assistant_zone_at(const kf_word *words, int n, int i, int *count, int *alone);

#endif
