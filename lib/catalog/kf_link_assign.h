#ifndef KF_LINK_ASSIGN_H
#define KF_LINK_ASSIGN_H
/* How a link shares bookings made for "any professional" (API.md "Series, seats and teams":
 * the link's `assign` and `weights`): the rule's names and what a POST or PATCH body may set.
 * Who then gets a booking is lib/holds/kf_assign.h. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"
#include "kf_catalog_lookup.h"

typedef enum {
    KF_ASSIGN_LEAST_BOOKED = 0,   /* the default */
    KF_ASSIGN_WEIGHTS
} kf_assign_rule;

#define KF_ASSIGN_WEIGHT_MIN 1
#define KF_ASSIGN_WEIGHT_MAX 100
/* a tenant's professionals that one link can weigh */
#define KF_ASSIGN_MAX_WEIGHTS 100

/* "least_booked" / "weights". */
const char *kf_assign_rule_name(kf_assign_rule rule);

/* 1 and *rule for a rule's name, else 0 (NULL: 0). */
int kf_assign_rule_parse(const char *name, kf_assign_rule *rule);

/* The link's rule and weights as written: `assign` (a stored rule's name, never NULL) and
 * `weights` (a JSON object of lower-case professional ids to weights, NULL: none). */
typedef struct kf_link_assign {
    const char *assign;
    const char *weights;
} kf_link_assign;

/* Reads the sent `assign` and `weights` of body over *a, recording field errors: assign
 * not a rule's name; weights neither null nor an object, with more than
 * KF_ASSIGN_MAX_WEIGHTS keys, a key that is not an active professional of the tenant
 * ("weights.<key>"), or one who does not offer the link's service_id (NULL: any), or a
 * value that is not an integer of KF_ASSIGN_WEIGHT_MIN..MAX; the rule "weights" with no
 * weight (after this write). An empty object clears the weights like null. -1 when the
 * lookup failed, else 0. */
int kf_link_assign_read(const kf_catalog_lookup *lk, kf_fields *f, const json_t *body,
                        const char *service_id, kf_link_assign *a);

/* The stored weights (text of a JSON object, or NULL) as the API shows them: the object, or
 * null. A new reference. */
json_t *kf_link_assign_weights_json(const char *weights);

#endif
