/* The registry as the unit suite of the calendar registry builds it: the module's, and
 * testcal's line (kf_calendar_testcal.c). This object defines every symbol of
 * kf_calendar_providers.c, so the library's copy is never linked beside it. */
#define KF_CALENDAR_PROVIDERS_MORE(X) X(testcal)
#include "kf_calendar_providers.c"
