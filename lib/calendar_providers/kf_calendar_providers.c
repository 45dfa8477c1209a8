/* The providers by name: see kf_calendar_providers.h. */
#include "kf_calendar_providers.h"

#include <string.h>

int kf_calendar_form_refused(const kf_calendar_provider *prov, kf_cal_outcome o, kf_fields *f)
{
    if (prov == &kf_calendar_calcom && kf_calendar_key_refused(o)) {
        kf_fields_fail(f, "api_key", "calcom_key_refused");
        return 1;
    }
    if (prov != &kf_calendar_caldav || o == KF_CAL_OK || o == KF_CAL_RETRY) {
        return 0;
    }
    if (o == KF_CAL_REVOKED) {
        kf_fields_fail(f, "password", "caldav_login_refused");
    }
    else {
        kf_fields_fail(f, "url", "caldav_no_calendar");
    }
    return 1;
}

const kf_calendar_provider *kf_calendar_provider_find(const char *name)
{
    static const kf_calendar_provider *const all[] = {&kf_calendar_google, &kf_calendar_microsoft,
                                                      &kf_calendar_calcom, &kf_calendar_caldav};
    for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
        if (strcmp(all[i]->name, name) == 0) {
            return all[i];
        }
    }
    return NULL;
}
