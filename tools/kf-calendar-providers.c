/* Prints the calendar providers' registry (lib/calendar_providers/kf_calendar_providers.c),
 * one line per provider in its order, tab-separated: name, label, short label, the
 * directive of its OAuth application ("-" when connected with a form), its
 * KonfirmadoProviderURL names (comma-separated, "-" for none) and how its notices come
 * (none, channel or signed). tests/e2e/test_contract_calendar_providers.py compares it with
 * every list of calendar providers docs/openapi.yaml keeps. */
#include "kf_calendar_providers.h"

#include <stdio.h>

static const char *notices_name(kf_cal_notices n)
{
    return n == KF_CAL_NOTICES_CHANNEL ? "channel" : n == KF_CAL_NOTICES_SIGNED ? "signed" : "none";
}

int main(void)
{
    for (int i = 0; kf_calendar_providers[i]; i++) {
        const kf_calendar_provider *prov = kf_calendar_providers[i];
        printf("%s\t%s\t%s\t%s\t", prov->name, prov->label, prov->short_label,
               prov->oauth_client ? prov->oauth_client : "-");
        const char *sep = "";
        for (const kf_calendar_url *u = prov->urls; u && u->name; u++) {
            printf("%s%s", sep, u->name);
            sep = ",";
        }
        printf("%s\t%s\n", *sep ? "" : "-", notices_name(prov->notices));
    }
    return 0;
}
