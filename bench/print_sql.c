/* Prints the text of the availability statement or of the hold's judgement as the module
 * prepares it (apr_dbd's %s placeholders), for bench/statement_cost. */
#include <stdio.h>
#include <string.h>

#include "mod_kf_public_sql.h"

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "availability") == 0) {
        puts(AVAILABILITY_SQL);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "judge") == 0) {
        puts(HOLD_JUDGE_SQL);
        return 0;
    }
    fprintf(stderr, "usage: print_sql availability|judge\n");
    return 2;
}
