#ifndef KF_ASSISTANT_MASK_H
#define KF_ASSISTANT_MASK_H
/* A customer's sentence as it may leave the server (to the optional language model): emails
 * and phone numbers masked as in logs (kf_mask_text), and the customer's own name, where
 * the sentence gives it, replaced with "***".
 *
 * A name is what follows an introduction, in Spanish or English:
 * - "me llamo", "mi nombre es", "my name is", "a nombre de", "under the name (of)", "in the
 *   name of", "me dicen", "me llaman", "I am called", "nombre:", "name:": the words after
 *   it whatever their case;
 * - "soy", "I am", "I'm", "this is", "habla", "call me": the capitalised words after it
 *   ("soy Ana" is a name, "soy nuevo" and "I'm in Madrid" are not).
 * The name ends at punctuation, at a number, at a word that starts the rest of the
 * sentence ("y", "and", "quiero", "mañana", "tomorrow", a weekday…) or at a sixth word in
 * lowercase; particles between its words ("de la", "van") belong to it. Names the sentence gives
 * otherwise ("con Ana": the merchant's professional) are left as written. */
#include <apr_pools.h>

/* The masked copy of text (NULL: ""), from p. */
const char *kf_assistant_mask(apr_pool_t *p, const char *text);

#endif
