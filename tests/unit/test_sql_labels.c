/* Every prepared statement label the glue names (a "kf_..." string literal in
 * mod_konfirmado/ .c files) is declared in a statement table ({"kf_...", "SQL"}), once, and
 * every declared one is named somewhere: a typo in a label is found at build time, not
 * by the request that runs it. (At startup kfm_db_check_statements checks the tables
 * themselves and kfm_catalog_check_statements the catalog's labels.) */
#include "kf_check.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

/* "kf_..." literals that are not statement labels. */
static const char *const not_labels[] = {"kf_schema_migrations", NULL};

static char *slurp(apr_pool_t *p, const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = apr_palloc(p, (apr_size_t)n + 1);
    ck_assert_int_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* Adds the file's labels: declared ones (a literal right after '{') to `declared` (a
 * second declaration is counted in *twice), every other to `named`. */
static void scan(apr_pool_t *p, const char *text, apr_hash_t *declared, apr_hash_t *named,
                 int *twice)
{
    for (const char *c = strstr(text, "\"kf_"); c; c = strstr(c + 1, "\"kf_")) {
        const char *end = c + 1;
        while (isalnum((unsigned char)*end) || *end == '_') {
            end++;
        }
        if (*end != '"') {
            continue;
        }
        const char *label = apr_pstrmemdup(p, c + 1, (apr_size_t)(end - c - 1));
        const char *before = c;
        while (before > text && isspace((unsigned char)before[-1])) {
            before--;
        }
        if (before > text && before[-1] == '{') {
            if (apr_hash_get(declared, label, APR_HASH_KEY_STRING)) {
                fprintf(stderr, "statement label %s is declared twice\n", label);
                (*twice)++;
            }
            apr_hash_set(declared, label, APR_HASH_KEY_STRING, label);
        }
        else {
            apr_hash_set(named, label, APR_HASH_KEY_STRING, label);
        }
        c = end;
    }
}

/* Every .c file under `path`, its folders by feature included. */
static void scan_folder(const char *path, apr_hash_t *declared, apr_hash_t *named, int *twice,
                        int *files)
{
    DIR *dir = opendir(path);
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t n = strlen(de->d_name);
        const char *full = apr_pstrcat(pool, path, "/", de->d_name, NULL);
        struct stat st;
        if (de->d_name[0] == '.' || stat(full, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            scan_folder(full, declared, named, twice, files);
        }
        else if (n > 2 && strcmp(de->d_name + n - 2, ".c") == 0) {
            scan(pool, slurp(pool, full), declared, named, twice);
            (*files)++;
        }
    }
    closedir(dir);
}

START_TEST(every_label_is_declared_once_and_used)
{
    apr_hash_t *declared = apr_hash_make(pool), *named = apr_hash_make(pool);
    int twice = 0, files = 0, problems = 0;
    scan_folder(KF_SRCDIR "/mod_konfirmado", declared, named, &twice, &files);
    ck_assert_int_gt(files, 10);
    ck_assert_int_gt((int)apr_hash_count(declared), 100);
    for (const char *const *skip = not_labels; *skip; skip++) {
        apr_hash_set(named, *skip, APR_HASH_KEY_STRING, NULL);
    }
    for (apr_hash_index_t *hi = apr_hash_first(pool, named); hi; hi = apr_hash_next(hi)) {
        const char *label = apr_hash_this_key(hi);
        if (!apr_hash_get(declared, label, APR_HASH_KEY_STRING)) {
            fprintf(stderr, "statement label %s is named but not declared\n", label);
            problems++;
        }
    }
    for (apr_hash_index_t *hi = apr_hash_first(pool, declared); hi; hi = apr_hash_next(hi)) {
        const char *label = apr_hash_this_key(hi);
        if (!apr_hash_get(named, label, APR_HASH_KEY_STRING)) {
            fprintf(stderr, "statement label %s is declared but never used\n", label);
            problems++;
        }
    }
    ck_assert_int_eq(twice, 0);
    ck_assert_int_eq(problems, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sql_labels");
    TCase *tc = tcase_create("labels");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, every_label_is_declared_once_and_used);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
