/* Every statement's columns are one X-list of (the reader's position, the column's SQL)
 * (mod_kf_sql.h, KFM_SQL_COLUMNS): the build checks that each column stands at its position
 * and the list has them all (KFM_SQL_ROW_CHECK); this suite checks the text the database is
 * sent: the SELECT list, split at its top-level commas, is exactly the list's columns in the
 * order of the reader's positions (a column whose SQL had a comma of its own would be two and
 * move every one after it). Every list of the glue is checked here: those the core reads by
 * their text, those a .c file reads alone from their source. */
#include "kf_check.h"
#include "mod_kf_sql.h"
#include "mod_kf_callback_queue.h"
#include "mod_kf_callbacks.h"
#include "mod_kf_booking_mail.h"
#include "mod_kf_booking_status.h"
#include "mod_kf_booking_columns.h"
#include "mod_kf_booking_admin_columns.h"
#include "mod_kf_changes_columns.h"
#include "mod_kf_catalog_columns.h"
#include "mod_kf_tenant_columns.h"
#include "mod_kf_calendars_columns.h"
#include "mod_kf_messaging_columns.h"
#include "mod_kf_customers_columns.h"
#include "mod_kf_operations_columns.h"
#include "mod_kf_alerts_columns.h"
#include "mod_kf_accounts_columns.h"
#include "mod_kf_assistant_columns.h"
#include "mod_kf_availability_sql.h"
#include "kf_availability_facts.h"
#include "mod_kf_holds_sql.h"
#include "mod_kf_status_columns.h"

#include <apr_hash.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

typedef struct {
    const char *name;       /* the list's macro */
    const char *select;     /* the SELECT list it writes */
    const char *const *at;  /* each position's SQL, by the reader's positions */
    int count;              /* how many columns the reader reads */
} row_shape;

#define SQL_AT(position, sql) [position] = sql,
#define SHAPE(list, count) \
    {#list, KFM_SQL_COLUMNS(list), (const char *const[count]){list(SQL_AT, SQL_AT)}, count}

static const row_shape shapes[] = {
    SHAPE(KFM_CB_BOOKING_COLUMNS, KF_CB_BK_COLUMNS),
    SHAPE(KFM_CB_PURCHASE_COLUMNS, KF_CB_PU_COLUMNS),
    SHAPE(KFM_BM_DETAILS_COLUMNS, KF_BM_COLUMNS),
    SHAPE(KFM_BOOKING_STATUS_COLUMNS, KF_BSTATUS_COL_COUNT),
    SHAPE(KFM_BOOKING_OCCURRENCE_COLUMNS, KF_OCC_COLUMNS),
    SHAPE(KFM_BOOKING_FACT_COLUMNS, KF_BOOKING_FACT_COL_COUNT),
    SHAPE(KFM_BOOKING_MADE_COLUMNS, KF_BOOKING_MADE_COL_COUNT),
    SHAPE(KFM_ADMIN_BOOKING_COLUMNS, KF_BOOKING_COL_COUNT),
    SHAPE(KFM_BOOKING_CHANGE_COLUMNS, KF_BOOKING_CHANGE_COL_COUNT),
    SHAPE(KFM_ADMIN_CLASS_COLUMNS, KF_CLASS_COL_COUNT),
    SHAPE(KFM_ADMIN_ATTENDEE_COLUMNS, KF_ATTENDEE_COL_COUNT),
    SHAPE(KFM_BOOKING_CUSTOMER_COLUMNS, KF_CUSTOMER_COL_COUNT),
    SHAPE(KFM_CANCEL_COLUMNS, KF_CANCEL_COL_COUNT),
    SHAPE(KFM_RESCHED_COLUMNS, KF_RESCHED_COL_COUNT),
    SHAPE(KFM_RESCHED_HOLD_COLUMNS, KF_RESCHED_HOLD_COL_COUNT),
    SHAPE(KFM_RESCHED_SLOT_COLUMNS, KF_RESCHED_MOVED_COL_COUNT),
    SHAPE(KFM_RESCHED_TO_COLUMNS, KF_RESCHED_MOVED_COL_COUNT),
    SHAPE(KFM_PAY_AGAIN_COLUMNS, KF_PAY_AGAIN_COL_COUNT),
    SHAPE(KFM_ATTENDANCE_COLUMNS, KF_MARK_COL_COUNT),
    SHAPE(KFM_AUTO_COMPLETE_COLUMNS, KF_MARK_COL_COUNT),
    SHAPE(KFM_SERVICE_COLUMNS, KF_SVC_COL_COUNT),
    SHAPE(KFM_PROFESSIONAL_COLUMNS, KF_PRO_COL_COUNT),
    SHAPE(KFM_LINK_COLUMNS, KF_LINK_COL_COUNT),
    SHAPE(KFM_PACKAGE_COLUMNS, KF_PKG_COL_COUNT),
    SHAPE(KFM_LINK_PACKAGE_COLUMNS, KF_LINK_PKG_COUNT),
    SHAPE(KFM_TENANT_EDITABLE_COLUMNS, KF_TENANT_FIELD_COUNT),
    SHAPE(KFM_TENANT_COLUMNS, KF_TENANT_COL_COUNT),
    SHAPE(KFM_TENANT_SERVICE_IN_USE_COLUMNS, KF_IN_USE_COUNT),
    SHAPE(KFM_TENANT_PACKAGE_IN_USE_COLUMNS, KF_IN_USE_COUNT),
    SHAPE(KFM_CAL_CONN_COLUMNS, KF_CAL_CONN_COLUMNS),
    SHAPE(KFM_CAL_LOCK_COLUMNS, KF_CAL_LOCK_COLUMNS),
    SHAPE(KFM_CAL_EVENT_COLUMNS, KF_CAL_EV_COLUMNS),
    SHAPE(KFM_CAL_EVENT_VIEW_COLUMNS, KF_CAL_EV_VIEW_COLUMNS),
    SHAPE(KFM_CAL_INVITATION_COLUMNS, KF_CAL_INV_COLUMNS),
    SHAPE(KFM_CAL_CHANNEL_COLUMNS, KF_CAL_CHANNEL_COLUMNS),
    SHAPE(KFM_CAL_OUTSIDE_COLUMNS, KF_CAL_OUTSIDE_COLUMNS),
    SHAPE(KFM_CAL_ORPHAN_COLUMNS, KF_CAL_ORPHAN_COLUMNS),
    SHAPE(KFM_CAL_ERROR_COLUMNS, KFM_CAL_ERR_COLUMNS),
    SHAPE(KFM_OUTBOX_COLUMNS, KF_OUTBOX_COLUMNS),
    SHAPE(KFM_DELIVERY_COLUMNS, KF_DELIVERY_COLUMNS),
    SHAPE(KFM_TWILIO_VIEW_COLUMNS, KF_TWILIO_VIEW_COLUMNS),
    SHAPE(KFM_TWILIO_ACCOUNT_COLUMNS, KF_TWILIO_ACCT_COLUMNS),
    SHAPE(KFM_CB_VIEW_COLUMNS, KF_CB_VIEW_COLUMNS),
    SHAPE(KFM_CB_LOG_COLUMNS, KF_CB_LOG_COLUMNS),
    SHAPE(KFM_CB_CLAIM_COLUMNS, KF_CB_CLAIM_COLUMNS),
    SHAPE(KFM_PREFERENCES_COLUMNS, KF_PREFS_COLUMNS),
    SHAPE(KFM_PREFERENCES_KEPT_COLUMNS, KF_PREFS_COLUMNS),
    SHAPE(KFM_CUSTOMER_LIST_COLUMNS, KF_CUSTOMER_LIST_COLUMNS),
    SHAPE(KFM_AUDIT_COLUMNS, KF_AUDIT_COLUMNS),
    SHAPE(KFM_METRICS_COLUMNS, KF_METRICS_COLUMNS),
    SHAPE(KFM_ALERT_COLUMNS, KF_ALERT_COLUMNS),
    SHAPE(KFM_ALERT_ROW_COLUMNS, KF_ALERT_ROW_COLUMNS),
    SHAPE(KFM_ACCOUNT_TENANT_COLUMNS, KF_ACCOUNT_TENANT_COLUMNS),
    SHAPE(KFM_ASSISTANT_CATALOG_COLUMNS, KF_ASSISTANT_CAT_COLUMNS),
    SHAPE(KFM_FACTS_LINK_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_SERVICE_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_PROFESSIONAL_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_HOURS_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_EXCEPTION_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_RESERVATION_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_TEAM_RESERVATION_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_BUSY_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_BOOKABLE_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_HOLDS_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_VERSIONS_COLUMNS, KF_FACTS_COLUMNS),
    SHAPE(KFM_FACTS_VERSIONS_ONE_COLUMNS, KF_FACTS_VERSIONS_COLUMNS),
    SHAPE(KFM_FACTS_VERSIONS_ANY_COLUMNS, KF_FACTS_VERSIONS_COLUMNS),
    SHAPE(KFM_FACTS_HOLD_CHECK_COLUMNS, KF_FACTS_HOLD_CHECK_COLUMNS),
    SHAPE(KFM_RESET_ISSUED_COLUMNS, KFM_RESET_ISSUED_COUNT),
    SHAPE(KFM_RESET_FOUND_COLUMNS, KFM_RESET_FOUND_COUNT),
    SHAPE(KFM_PASSWORD_SET_COLUMNS, KFM_PASSWORD_SET_COUNT),
    SHAPE(KFM_HOLD_COLUMNS, KFM_HOLD_COLUMN_COUNT),
    SHAPE(KFM_STATUS_QUEUE_COLUMNS, KF_STATUS_QUEUE_COLUMNS),
    SHAPE(KFM_STATUS_FAILED_COLUMNS, KF_STATUS_FAILED_COLUMNS),
    SHAPE(KFM_STATUS_RETRYING_COLUMNS, KF_STATUS_RETRYING_COLUMNS),
    SHAPE(KFM_STATUS_PROVIDER_ERRORS_COLUMNS, KF_STATUS_PROVIDER_ERRORS_COLUMNS),
};

static const char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++, n--;
    }
    while (n && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    return apr_pstrmemdup(pool, s, n);
}

/* The columns of a SELECT list: split at the commas outside parentheses, brackets and
 * quotes. */
static apr_array_header_t *columns_of(const char *select)
{
    apr_array_header_t *cols = apr_array_make(pool, 16, sizeof(const char *));
    int depth = 0;
    char quote = 0;
    const char *from = select;
    for (const char *c = select;; c++) {
        if (quote) {
            quote = *c == quote ? 0 : quote;
        }
        else if (*c == '\'' || *c == '"') {
            quote = *c;
        }
        else if (*c == '(' || *c == '[') {
            depth++;
        }
        else if (*c == ')' || *c == ']') {
            depth--;
        }
        else if (*c == '\0' || (*c == ',' && depth == 0)) {
            APR_ARRAY_PUSH(cols, const char *) = trimmed(from, (size_t)(c - from));
            from = c + 1;
        }
        if (*c == '\0') {
            return cols;
        }
    }
}

/* NULL when the shape's SELECT list names its columns in its positions' order; else what is
 * wrong. */
static const char *mismatch(const row_shape *s)
{
    apr_array_header_t *cols = columns_of(s->select);
    if (cols->nelts != s->count) {
        return apr_psprintf(pool, "%s selects %d columns, its reader reads %d", s->name,
                            cols->nelts, s->count);
    }
    for (int i = 0; i < s->count; i++) {
        const char *col = APR_ARRAY_IDX(cols, i, const char *);
        if (!s->at[i] || strcmp(col, trimmed(s->at[i], strlen(s->at[i]))) != 0) {
            return apr_psprintf(pool, "%s: column %d is \"%s\", its position says \"%s\"",
                                s->name, i, col, s->at[i] ? s->at[i] : "(none)");
        }
    }
    return NULL;
}

START_TEST(each_select_list_is_its_positions_in_order)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const char *wrong = mismatch(&shapes[i]);
        ck_assert_msg(wrong == NULL, "%s", wrong);
    }
}
END_TEST

/* A column with a comma of its own, and one missing, are found. */
enum { ONE, TWO, THREE, THREE_COLUMNS };
#define COMMA_INSIDE(FIRST, NEXT) FIRST(ONE, "a") NEXT(TWO, "b, c") NEXT(THREE, "d")
#define ONE_SHORT(FIRST, NEXT) FIRST(ONE, "f(a, 'x,y')") NEXT(TWO, "\"b,\"")
#define IN_ORDER(FIRST, NEXT) FIRST(ONE, "f(a, 'x,y')") NEXT(TWO, "g[1, 2]") NEXT(THREE, "\"b,\"")

START_TEST(a_wrong_list_is_found)
{
    const row_shape comma = SHAPE(COMMA_INSIDE, THREE_COLUMNS);
    const row_shape short_one = SHAPE(ONE_SHORT, THREE_COLUMNS);
    const row_shape right = SHAPE(IN_ORDER, THREE_COLUMNS);
    ck_assert_str_eq(mismatch(&comma), "COMMA_INSIDE selects 4 columns, its reader reads 3");
    ck_assert_str_eq(mismatch(&short_one), "ONE_SHORT selects 2 columns, its reader reads 3");
    ck_assert_ptr_null(mismatch(&right));
}
END_TEST

/* ---- every list the glue declares ("#define ..._COLUMNS(FIRST, NEXT)"): one read by the
 * core (in a header) is in the shapes above; a list of a .c file, read there alone, declares
 * its positions itself (KFM_SQL_POSITION), and its text is checked here from the source: no
 * column's SQL has a comma of its own ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = apr_palloc(pool, (apr_size_t)n + 1);
    ck_assert_int_eq(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The end of the parenthesis opened at `open` (string literals and comments skipped). */
static const char *closing(const char *open)
{
    int depth = 0;
    for (const char *c = open; *c; c++) {
        if (*c == '"') {
            for (c++; *c && *c != '"'; c++) {
                c += *c == '\\' && c[1];
            }
        }
        else if (c[0] == '/' && c[1] == '*') {
            const char *end = strstr(c + 2, "*/");
            c = end ? end + 1 : c + strlen(c) - 1;
        }
        else if (*c == '(') {
            depth++;
        }
        else if (*c == ')' && --depth == 0) {
            return c;
        }
    }
    return NULL;
}

/* The SQL a column's source writes (from..to: its string literals and macros), each macro
 * as "X" (the glue's SQL fragments keep their commas inside parentheses). */
static const char *sql_of_source(const char *from, const char *to)
{
    apr_array_header_t *out = apr_array_make(pool, 64, 1);
    for (const char *c = from; c < to; c++) {
        if (*c == '"') {
            for (c++; c < to && *c != '"'; c++) {
                if (*c == '\\' && c + 1 < to) {
                    c++;
                }
                APR_ARRAY_PUSH(out, char) = *c;
            }
        }
        else if (c[0] == '/' && c[1] == '*') {
            c = strstr(c + 2, "*/") + 1;
        }
        else if (isalpha((unsigned char)*c) || *c == '_') {
            while (c + 1 < to && (isalnum((unsigned char)c[1]) || c[1] == '_')) {
                c++;
            }
            const char *after = c + 1;
            while (after < to && isspace((unsigned char)*after)) {
                after++;
            }
            if (after < to && *after == '(') {
                c = closing(after);
            }
            APR_ARRAY_PUSH(out, char) = 'X';
        }
    }
    APR_ARRAY_PUSH(out, char) = '\0';
    return out->elts;
}

/* NULL when no column of the list (its #define's body) has a comma of its own; else the
 * first that has. */
static const char *own_comma(const char *list, const char *body)
{
    const char *end = body;
    while ((end = strchr(end, '\n')) && end[-1] == '\\') {
        end++;
    }
    end = end ? end : body + strlen(body);
    for (const char *c = body; c < end; c++) {
        int first = strncmp(c, "FIRST(", 6) == 0, next = strncmp(c, "NEXT(", 5) == 0;
        if ((!first && !next) || (c > body && (isalnum((unsigned char)c[-1]) || c[-1] == '_'))) {
            continue;
        }
        const char *open = c + (first ? 5 : 4), *close = closing(open), *comma = strchr(open, ',');
        if (!close || !comma || comma > close) {
            continue;   /* not an entry: the list's own parameters, or another list named */
        }
        if (columns_of(sql_of_source(comma + 1, close))->nelts != 1) {
            return apr_psprintf(pool, "%s: %.*s has a comma of its own", list,
                                (int)(comma - open - 1), open + 1);
        }
        c = close;
    }
    return NULL;
}

/* Every list of the files under `path`: its name to its file (headers: to "h:" its file),
 * and a column with a comma of its own into `wrong`. */
static void lists_in(const char *path, apr_hash_t *lists, apr_array_header_t *wrong)
{
    DIR *dir = opendir(path);
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        const char *full = apr_pstrcat(pool, path, "/", de->d_name, NULL);
        size_t n = strlen(de->d_name);
        struct stat st;
        if (de->d_name[0] == '.' || stat(full, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            lists_in(full, lists, wrong);
        }
        else if (n > 2 && de->d_name[n - 2] == '.' && strchr("ch", de->d_name[n - 1])) {
            const char *text = slurp(full);
            for (const char *d = strstr(text, "#define "); d; d = strstr(d + 1, "#define ")) {
                if (d != text && d[-1] != '\n') {
                    continue;
                }
                const char *name = d + strlen("#define "), *end = name;
                while (isalnum((unsigned char)*end) || *end == '_') {
                    end++;
                }
                if (strncmp(end, "(FIRST, NEXT)", strlen("(FIRST, NEXT)")) != 0) {
                    continue;
                }
                const char *list = apr_pstrmemdup(pool, name, (apr_size_t)(end - name));
                apr_hash_set(lists, list, APR_HASH_KEY_STRING,
                             de->d_name[n - 1] == 'h' ? apr_pstrcat(pool, "h:", full, NULL) : full);
                const char *comma = own_comma(list, end + strlen("(FIRST, NEXT)"));
                if (comma) {
                    APR_ARRAY_PUSH(wrong, const char *) = comma;
                }
            }
        }
    }
    closedir(dir);
}

START_TEST(every_list_of_the_glue_is_checked)
{
    apr_hash_t *lists = apr_hash_make(pool);
    apr_array_header_t *wrong = apr_array_make(pool, 4, sizeof(const char *));
    lists_in(KF_SRCDIR "/mod_konfirmado", lists, wrong);
    ck_assert_int_ge((int)apr_hash_count(lists), (int)(sizeof shapes / sizeof shapes[0]));
    for (int i = 0; i < wrong->nelts; i++) {
        fprintf(stderr, "%s\n", APR_ARRAY_IDX(wrong, i, const char *));
    }
    ck_assert_int_eq(wrong->nelts, 0);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        apr_hash_set(lists, shapes[i].name, APR_HASH_KEY_STRING, NULL);
    }
    int unchecked = 0;
    for (apr_hash_index_t *hi = apr_hash_first(pool, lists); hi; hi = apr_hash_next(hi)) {
        const char *file = apr_hash_this_val(hi);
        if (strncmp(file, "h:", 2) == 0) {
            fprintf(stderr, "%s (%s) is not in test_row_shapes' shapes\n",
                    (const char *)apr_hash_this_key(hi), file + 2);
            unchecked++;
        }
    }
    ck_assert_int_eq(unchecked, 0);
}
END_TEST

/* The source's check finds a column with a comma of its own, and only that. */
START_TEST(a_comma_in_a_column_source_is_found)
{
    const char *right = " \\\n    FIRST(A, \"f(a, 'x,y')\") \\\n"
                        "    NEXT(B, \"COALESCE(\" M(\"r\") \", false)\") \\\n"
                        "    /* a, b */ NEXT(C, KFM_SQL_RFC3339(\"r.starts_at\"))\n"
                        "#define X 1, 2\n";
    const char *wrong = " \\\n    FIRST(A, \"a\") \\\n    NEXT(B, \"b, \"\n         \"c\")\n";
    ck_assert_ptr_null(own_comma("RIGHT", right));
    ck_assert_str_eq(own_comma("WRONG", wrong), "WRONG: B has a comma of its own");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("row_shapes");
    TCase *tc = tcase_create("shapes");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, each_select_list_is_its_positions_in_order);
    tcase_add_test(tc, a_wrong_list_is_found);
    tcase_add_test(tc, every_list_of_the_glue_is_checked);
    tcase_add_test(tc, a_comma_in_a_column_source_is_found);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
