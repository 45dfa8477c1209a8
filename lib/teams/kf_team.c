/* Collective teams: see kf_team.h. */
#include "kf_team.h"
#include "kf_text.h"

#include <string.h>
#include <apr_strings.h>
#include <apr_hash.h>
#include <apr_lib.h>

static const char *lower(apr_pool_t *p, const char *id)
{
    char *s = apr_pstrdup(p, id);
    for (char *c = s; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return s;
}

void kf_team_read(kf_fields *f, const json_t *body, kf_team *t)
{
    memset(t, 0, sizeof(*t));
    json_t *team = json_object_get(body, "team");
    if (!team) {
        return;
    }
    t->sent = 1;
    if (json_is_null(team)) {
        return;
    }
    if (!json_is_object(team)) {
        kf_fields_fail(f, "team", "field_not_object");
        return;
    }
    const char *mode = NULL;
    if (kf_field_string(f, team, "mode", "team.mode", KF_FIELD_REQUIRED, 1, 40, &mode) ==
            KF_FIELD_VALUE &&
        strcmp(mode, "collective") != 0) {
        kf_fields_fail(f, "team.mode", "team_mode_invalid");
    }
    json_t *ids = json_object_get(team, "professional_ids");
    if (!ids) {
        kf_fields_fail(f, "team.professional_ids", "field_required");
        return;
    }
    if (!json_is_array(ids)) {
        kf_fields_fail(f, "team.professional_ids", "field_not_array");
        return;
    }
    size_t n = json_array_size(ids);
    if (n < KF_TEAM_MIN || n > KF_TEAM_MAX) {
        kf_fields_fail_range(f, "team.professional_ids", "team_size_invalid", KF_TEAM_MIN,
                             KF_TEAM_MAX);
        return;
    }
    apr_hash_t *seen = apr_hash_make(f->pool);
    size_t i;
    json_t *item;
    int ok = 1;
    json_array_foreach(ids, i, item) {
        const char *path = kf_fields_path_index(f, "team.professional_ids", (int)i);
        const char *id = json_string_value(item);
        if (!json_is_string(item)) {
            kf_fields_fail(f, path, "field_not_string");
            ok = 0;
        }
        else if (!kf_is_uuid(id)) {
            kf_fields_fail(f, path, "professional_id_invalid");
            ok = 0;
        }
        else if (apr_hash_get(seen, lower(f->pool, id), APR_HASH_KEY_STRING)) {
            kf_fields_fail(f, path, "team_member_repeated");
            ok = 0;
        }
        else {
            apr_hash_set(seen, lower(f->pool, id), APR_HASH_KEY_STRING, "");
        }
    }
    if (ok && !kf_fields_has(f, "team.mode")) {
        t->collective = 1;
        t->professional_ids = ids;
    }
}

int kf_team_size(const char *ids)
{
    if (!ids || !*ids) {
        return 0;
    }
    int n = 1;
    for (const char *c = ids; *c; c++) {
        n += *c == ',';
    }
    return n;
}

json_t *kf_team_json(apr_pool_t *p, const char *ids)
{
    if (!kf_team_size(ids)) {
        return json_null();
    }
    json_t *list = json_array();
    char *last = NULL;
    for (char *id = apr_strtok(apr_pstrdup(p, ids), ",", &last); id;
         id = apr_strtok(NULL, ",", &last)) {
        json_array_append_new(list, json_string(id));
    }
    return json_pack("{s:s, s:o}", "mode", "collective", "professional_ids", list);
}

const char *kf_team_capacity_problem(int team_size, long capacity)
{
    return team_size > 0 && capacity > 1 ? "team_with_capacity" : NULL;
}
