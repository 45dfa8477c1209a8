/* Prints the text of the availability statement, of the hold's judgement (one
 * professional, or `any`), of its check of kept facts or of its insert, of the purge's look for
 * hold leftovers, of the retention's looks for bookings past their retention and for
 * abandoned bookings, or of the mail and callback jobs' choices of what is due, as the module
 * prepares it (apr_dbd's %s placeholders), for bench/statement_cost, bench/run and the tests
 * that read their plans. */
#include <stdio.h>
#include <string.h>

#include "mod_kf_availability_sql.h"
#include "mod_kf_callback_claim_sql.h"
#include "mod_kf_holds_sql.h"
#include "mod_kf_mail_claim_sql.h"
#include "mod_kf_privacy_retention_sql.h"
#include "mod_kf_purge_sql.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name, *sql;
    } statements[] = {
        {"availability", AVAILABILITY_ONE_SQL},
        {"availability_any", AVAILABILITY_ANY_SQL},
        {"judge", HOLD_JUDGE_ONE_SQL},
        {"judge_any", HOLD_JUDGE_ANY_SQL},
        {"check", HOLD_CHECK_ONE_SQL},
        {"insert", HOLD_INSERT_SQL},
        {"purge_hold_leftovers", KFM_PURGE_HOLD_LEFTOVERS_SQL},
        {"retention_erase", KFM_PRIVACY_RETENTION_ERASE_SQL},
        {"abandoned_erase", KFM_PRIVACY_ABANDONED_ERASE_SQL},
        {"mail_due", KFM_MAIL_DUE_SQL " SELECT id FROM due"},
        {"callbacks_picked", KFM_CB_PICKED_SQL " SELECT id FROM picked"},
    };
    for (size_t i = 0; argc == 2 && i < sizeof(statements) / sizeof(*statements); i++) {
        if (strcmp(argv[1], statements[i].name) == 0) {
            puts(statements[i].sql);
            return 0;
        }
    }
    fprintf(stderr, "usage: print_sql availability|availability_any|judge|judge_any|check|insert|"
                    "purge_hold_leftovers|retention_erase|abandoned_erase\n");
    return 2;
}
