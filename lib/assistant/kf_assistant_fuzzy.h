#ifndef KF_ASSISTANT_FUZZY_H
#define KF_ASSISTANT_FUZZY_H
/* How the assistant matches a customer's word to a word it knows, both folded to lowercase
 * ASCII (kf_assistant_text.h, so a missing accent is no difference): as spelled, as a
 * Spanish diminutive ("masajito" is masaje, "tardecita" tarde), or with the few typos its
 * length allows. Rules, not a list of misspellings. */
#include <stddef.h>

/* The typos two words of at least `len` letters may differ by: none under 5 letters, one
 * from 5, two from 8. A typo is a letter missing, one too many, two neighbours swapped, or
 * a letter written for one that sounds alike (b/v, c/s/z/k/q, g/j, i/y); any other letter
 * for another is two, so that "light" is no typo of night nor "lines" of lunes. */
int kf_fuzzy_typos(size_t len);

/* Whether w is a diminutive of `word`: -ito, -ita, -cito, -cita, -ecito, -ecita (or their
 * plurals) after the word or after it without its final vowel, the ending respelled as
 * Spanish writes it ("poquito" of poco, "amiguito" of amigo, "lucecita" of luz). */
int kf_fuzzy_diminutive(const char *w, const char *word);

/* How far w is from the known `word`: 0 spelled alike, 1 its diminutive, 1 + n with n
 * typos within kf_fuzzy_typos of the shorter one's length; -1 when farther. */
int kf_fuzzy_cost(const char *w, const char *word);

/* Whether w names a word of a service's or professional's name: spelled within the names'
 * tolerance (kf_words_close), its diminutive ("Anita" for Ana), or a word of the same stem
 * that goes on from it ("consultation", "consultas" for Consulta; "masajista" for Masaje:
 * the name's word without its final vowel, 5 letters or more, then up to 6 letters). */
int kf_fuzzy_names(const char *w, const char *word);

#endif
