/* The module refuses to serve with an outdated schema, so the version it expects must be
 * exactly the newest migration shipped in sql/. */
#include "kf_check.h"
#include "kf_version.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

START_TEST(schema_version_is_the_newest_migration)
{
    DIR *dir = opendir(KF_SRCDIR "/sql");
    ck_assert_ptr_nonnull(dir);
    int newest = 0, count = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        int n = 0;
        char rest[256];
        if (sscanf(de->d_name, "%3d_%255s", &n, rest) == 2 && strstr(rest, ".sql")) {
            count++;
            if (n > newest) {
                newest = n;
            }
        }
    }
    closedir(dir);
    ck_assert_int_eq(newest, KF_SCHEMA_VERSION);
    /* numbering has no gaps or duplicates: versions 1..N, each once */
    ck_assert_int_eq(count, newest);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("version");
    tcase_add_test(tc, schema_version_is_the_newest_migration);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
