/* What is read of the registry's providers beyond finding one (kf_calendar_providers.h):
 * kept apart from the registry's own file, which the unit tests build again with a provider
 * of theirs. */
#include "kf_calendar_providers.h"

#include <apr_strings.h>
#include <string.h>

int kf_calendar_form_refused(const kf_calendar_provider *prov, kf_cal_outcome o, kf_fields *f)
{
    return prov->form_refused && prov->form_refused(o, f);
}

const char *const *kf_calendar_url_names(apr_pool_t *p)
{
    apr_array_header_t *names = apr_array_make(p, 8, sizeof(const char *));
    for (int i = 0; kf_calendar_providers[i]; i++) {
        for (const kf_calendar_url *u = kf_calendar_providers[i]->urls; u && u->name; u++) {
            APR_ARRAY_PUSH(names, const char *) = u->name;
        }
    }
    APR_ARRAY_PUSH(names, const char *) = NULL;
    return (const char *const *)names->elts;
}

const char *kf_calendar_room_wanted(const kf_calendar_provider *prov, const char *conference,
                                    const char *meeting_url)
{
    if (!prov || !prov->conference || !conference || (meeting_url && *meeting_url)) {
        return NULL;
    }
    return strcmp(prov->conference, conference) == 0 ? conference : NULL;
}

const char *kf_calendar_room_refusal(apr_pool_t *p, const kf_calendar_provider *prov,
                                     const char *conference)
{
    if (!prov || !conference || (prov->conference && strcmp(prov->conference, conference) == 0)) {
        return NULL;
    }
    for (int i = 0; kf_calendar_providers[i]; i++) {
        const kf_calendar_provider *maker = kf_calendar_providers[i];
        if (maker->conference && strcmp(maker->conference, conference) == 0) {
            return apr_psprintf(p, "the video place is a room only a %s calendar makes, and the "
                                "professional's calendar is %s", maker->short_label,
                                prov->short_label);
        }
    }
    return NULL;
}
