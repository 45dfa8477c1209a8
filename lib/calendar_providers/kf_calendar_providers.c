/* The registry of calendar providers: one line each. A provider is its own file
 * (kf_calendar_<name>.c, which defines kf_calendar_<name>) and its line here; every list of
 * providers elsewhere is read from this one (kf_calendar_providers.h).
 *
 * KF_CALENDAR_PROVIDERS_MORE adds lines to a build of its own: the unit tests compile this
 * file again with a provider that exists only there (tests/unit/kf_calendar_testcal.c). */
#include "kf_calendar_providers.h"

#include <string.h>

#define KF_CALENDAR_PROVIDERS(X) \
    X(google)                    \
    X(microsoft)                 \
    X(calcom)                    \
    X(caldav)

#ifndef KF_CALENDAR_PROVIDERS_MORE
#define KF_CALENDAR_PROVIDERS_MORE(X)
#endif

#define DECLARE(name) extern const kf_calendar_provider kf_calendar_##name;
#define LIST(name) &kf_calendar_##name,

KF_CALENDAR_PROVIDERS(DECLARE)
KF_CALENDAR_PROVIDERS_MORE(DECLARE)

const kf_calendar_provider *const kf_calendar_providers[] = {
    KF_CALENDAR_PROVIDERS(LIST) KF_CALENDAR_PROVIDERS_MORE(LIST) NULL,
};

const kf_calendar_provider *kf_calendar_provider_find(const char *name)
{
    for (int i = 0; name && kf_calendar_providers[i]; i++) {
        if (strcmp(kf_calendar_providers[i]->name, name) == 0) {
            return kf_calendar_providers[i];
        }
    }
    return NULL;
}
