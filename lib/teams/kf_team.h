#ifndef KF_TEAM_H
#define KF_TEAM_H
/* Collective teams (API.md "Series, seats and teams"): a service whose every booking needs
 * 2 to 5 professionals together. Its booking is one reservation holding every member at
 * once (sql/084: the exclusion constraint over each reservation's set of professionals), and
 * availability offers a start only when every member is free then (kf_team_slots.h). Here:
 * the team's bounds, the service field as a merchant sends it, and what else a team allows.
 * Pure. */
#include <apr_pools.h>
#include <jansson.h>

#include "kf_fields.h"

#define KF_TEAM_MIN 2
#define KF_TEAM_MAX 5

typedef struct kf_team {
    int sent;                    /* the body has "team" */
    int collective;              /* a team (0: null, one professional per booking) */
    json_t *professional_ids;    /* its members as sent (well-formed and distinct) */
} kf_team;

/* Reads body's "team": null, or {"mode": "collective", "professional_ids": [2..5 distinct
 * ids]}. Errors: "team" (not an object), "team.mode" (not "collective"),
 * "team.professional_ids" (not a list of 2..5), "team.professional_ids[i]" (not an id, or
 * one named before). Whether the ids are the tenant's professionals is the catalog's lookup. */
void kf_team_read(kf_fields *f, const json_t *body, kf_team *t);

/* Members of a stored team ("id,id,...", NULL or "": none). */
int kf_team_size(const char *ids);

/* The stored team as the service JSON shows it: null, or {"mode": "collective",
 * "professional_ids": [...]} in the stored order. A new reference. */
json_t *kf_team_json(apr_pool_t *p, const char *ids);

/* Why a service cannot have both (NULL: it can): a team books one customer at a time, so a
 * group class (capacity above 1) has none. The message id, for the field "team". */
const char *kf_team_capacity_problem(int team_size, long capacity);

#endif
