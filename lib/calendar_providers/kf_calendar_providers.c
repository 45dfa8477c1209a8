/* The providers by name: see kf_calendar_providers.h. */
#include "kf_calendar_providers.h"

#include <string.h>

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
