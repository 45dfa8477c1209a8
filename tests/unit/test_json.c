/* Unit tests for lib/kf_json: parsing outcomes, typed getters, exact serialization, pool lifetime. */
#include "kf_check.h"
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "kf_json.h"


/* Parses a string literal (sizeof - 1 keeps embedded NULs) and returns the error kind. */
#define PARSE_KIND(lit) parse_kind(lit, sizeof(lit) - 1, 0)
#define PARSE_OBJ_KIND(lit) parse_kind(lit, sizeof(lit) - 1, 1)

static kf_json_error_kind parse_kind(const char *buf, apr_size_t len, int want_object)
{
    kf_json_error err;
    memset(&err, 0x5a, sizeof(err));
    json_t *j = want_object ? kf_json_parse_object(pool, buf, len, &err)
                            : kf_json_parse(pool, buf, len, &err);
    if (err.kind == KF_JSON_OK) {
        ck_assert_ptr_nonnull(j);
    }
    else {
        ck_assert_ptr_null(j);
        ck_assert(strlen(err.text) > 0);
        ck_assert(strlen(err.text) < sizeof(err.text));
    }
    return err.kind;
}

/* ---- parsing ---- */

START_TEST(parse_ok)
{
    kf_json_error err;
    static const char body[] = "{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 2.5}}";
    json_t *j = kf_json_parse_object(pool, body, strlen(body), &err);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(err.kind, KF_JSON_OK);
    ck_assert(json_is_object(j));
    ck_assert_int_eq(json_integer_value(json_object_get(j, "a")), 1);

    /* Not NUL-terminated: only len bytes are read. */
    char buf[8] = { '[', '1', ']', 'G', 'A', 'R', 'B', 'G' };
    j = kf_json_parse(pool, buf, 3, &err);
    ck_assert_ptr_nonnull(j);
    ck_assert(json_is_array(j));

    /* Scalars at top level are fine for kf_json_parse; err may be NULL. */
    ck_assert_ptr_nonnull(kf_json_parse(pool, "42", 2, NULL));
    ck_assert_int_eq(PARSE_KIND("\"str\""), KF_JSON_OK);
    ck_assert_int_eq(PARSE_KIND(" \n{}\r\n"), KF_JSON_OK);
    /* Valid multibyte UTF-8 and escapes, including a proper surrogate pair. */
    ck_assert_int_eq(PARSE_KIND("{\"n\":\"ma\xc3\xb1" "ana \xe2\x82\xac \xf0\x9f\x98\x80\"}"), KF_JSON_OK);
    ck_assert_int_eq(PARSE_KIND("{\"e\":\"\\ud83d\\ude00\"}"), KF_JSON_OK);
}
END_TEST

START_TEST(parse_empty)
{
    kf_json_error err;
    ck_assert_ptr_null(kf_json_parse(pool, NULL, 0, &err));
    ck_assert_int_eq(err.kind, KF_JSON_EMPTY);
    ck_assert_ptr_null(kf_json_parse(pool, "", 0, &err));
    ck_assert_int_eq(err.kind, KF_JSON_EMPTY);
    ck_assert_int_eq(PARSE_KIND("   \r\n\t"), KF_JSON_EMPTY);
    ck_assert_int_eq(PARSE_OBJ_KIND(""), KF_JSON_EMPTY);
    ck_assert_str_eq(kf_json_error_kind_name(KF_JSON_EMPTY), "empty");
}
END_TEST

START_TEST(parse_malformed)
{
    ck_assert_int_eq(PARSE_KIND("{"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":1,}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{'a':1}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{} x"), KF_JSON_MALFORMED);        /* trailing garbage */
    ck_assert_int_eq(PARSE_KIND("{}{}"), KF_JSON_MALFORMED);
    /* duplicate keys: a signed body must not mean two things */
    ck_assert_int_eq(PARSE_KIND("{\"a\":1,\"a\":2}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"o\":{\"k\":1,\"k\":1}}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("nul"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"tab\there\"}"), KF_JSON_MALFORMED); /* raw control */
    ck_assert_int_eq(PARSE_KIND("{\"a\":99999999999999999999999}"), KF_JSON_MALFORMED);
    /* Embedded NUL: as an escape (JSON_ALLOW_NUL is off) and as a raw byte. */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"x\\u0000y\"}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\\u0000\":1}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"x\0y\"}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{}\0"), KF_JSON_MALFORMED);
    /* Lone surrogate escapes are well-formed UTF-8 on the wire but cannot be decoded to
     * UTF-8: jansson refuses them as a syntax error ("invalid Unicode"), so they come back
     * as MALFORMED, not BAD_UTF8. */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\\ud800\"}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\\udc00x\"}"), KF_JSON_MALFORMED);
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\\ud800\\u0041\"}"), KF_JSON_MALFORMED);
}
END_TEST

START_TEST(parse_error_text_has_no_input)
{
    kf_json_error err;
    static const char body[] = "{\"password\": hunter2secret}";
    ck_assert_ptr_null(kf_json_parse(pool, body, strlen(body), &err));
    ck_assert_int_eq(err.kind, KF_JSON_MALFORMED);
    ck_assert_ptr_null(strstr(err.text, "hunter2"));
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_gt(err.column, 0);
}
END_TEST

START_TEST(parse_bad_utf8)
{
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xff\"}"), KF_JSON_BAD_UTF8);
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xc0\xaf\"}"), KF_JSON_BAD_UTF8);      /* overlong '/' */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xe0\x80\xaf\"}"), KF_JSON_BAD_UTF8);  /* overlong */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xed\xa0\x80\"}"), KF_JSON_BAD_UTF8);  /* UTF-8 surrogate */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xf4\x90\x80\x80\"}"), KF_JSON_BAD_UTF8); /* > U+10FFFF */
    ck_assert_int_eq(PARSE_KIND("{\"a\":\"\xc3\"}"), KF_JSON_BAD_UTF8);          /* truncated */
    ck_assert_int_eq(PARSE_KIND("{\"\xff\":1}"), KF_JSON_BAD_UTF8);              /* in a key */
    ck_assert_int_eq(PARSE_KIND("\xff"), KF_JSON_BAD_UTF8);                      /* outside strings */
    ck_assert_int_eq(PARSE_KIND("{\"a\":1}\xff"), KF_JSON_BAD_UTF8);
}
END_TEST

START_TEST(parse_too_deep)
{
    char buf[2 * 5000 + 1];
    int n;

    /* Exactly the limit: accepted. */
    n = KF_JSON_MAX_DEPTH;
    for (int i = 0; i < n; i++) buf[i] = '[';
    for (int i = 0; i < n; i++) buf[n + i] = ']';
    ck_assert_int_eq(parse_kind(buf, (apr_size_t)(2 * n), 0), KF_JSON_OK);

    /* One more: refused. */
    n = KF_JSON_MAX_DEPTH + 1;
    for (int i = 0; i < n; i++) buf[i] = '[';
    for (int i = 0; i < n; i++) buf[n + i] = ']';
    ck_assert_int_eq(parse_kind(buf, (apr_size_t)(2 * n), 0), KF_JSON_TOO_DEEP);

    /* Mixed objects and arrays. */
    char *s = apr_pstrdup(pool, "");
    for (int i = 0; i <= KF_JSON_MAX_DEPTH / 2; i++) s = apr_pstrcat(pool, s, "{\"a\":[", NULL);
    for (int i = 0; i <= KF_JSON_MAX_DEPTH / 2; i++) s = apr_pstrcat(pool, s, "]}", NULL);
    ck_assert_int_eq(parse_kind(s, strlen(s), 1), KF_JSON_TOO_DEEP);

    /* Far beyond jansson's own limit (2048): still TOO_DEEP, no crash. */
    n = 5000;
    for (int i = 0; i < n; i++) buf[i] = '[';
    for (int i = 0; i < n; i++) buf[n + i] = ']';
    ck_assert_int_eq(parse_kind(buf, (apr_size_t)(2 * n), 0), KF_JSON_TOO_DEEP);
}
END_TEST

START_TEST(parse_not_object)
{
    ck_assert_int_eq(PARSE_OBJ_KIND("[]"), KF_JSON_NOT_OBJECT);
    ck_assert_int_eq(PARSE_OBJ_KIND("[{\"a\":1}]"), KF_JSON_NOT_OBJECT);
    ck_assert_int_eq(PARSE_OBJ_KIND("\"x\""), KF_JSON_NOT_OBJECT);
    ck_assert_int_eq(PARSE_OBJ_KIND("1"), KF_JSON_NOT_OBJECT);
    ck_assert_int_eq(PARSE_OBJ_KIND("null"), KF_JSON_NOT_OBJECT);
    ck_assert_int_eq(PARSE_OBJ_KIND("{}"), KF_JSON_OK);
    /* Errors in the syntax take precedence over the type. */
    ck_assert_int_eq(PARSE_OBJ_KIND("[1,"), KF_JSON_MALFORMED);
}
END_TEST

/* ---- typed getters ---- */

static json_t *sample(void)
{
    static const char body[] =
        "{\"s\":\"hola\",\"i\":42,\"neg\":-7,\"r\":1.0,\"e\":1e2,\"t\":true,\"f\":false,"
        "\"n\":null,\"o\":{\"x\":1},\"a\":[1,2]}";
    json_t *j = kf_json_parse_object(pool, body, strlen(body), NULL);
    ck_assert_ptr_nonnull(j);
    return j;
}

START_TEST(get_string)
{
    json_t *j = sample();
    const char *s = "untouched";
    ck_assert_int_eq(kf_json_get_string(j, "s", &s), KF_JSON_FIELD_OK);
    ck_assert_str_eq(s, "hola");
    s = "untouched";
    ck_assert_int_eq(kf_json_get_string(j, "missing", &s), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_string(j, "n", &s), KF_JSON_FIELD_NULL);
    ck_assert_int_eq(kf_json_get_string(j, "i", &s), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_string(j, "o", &s), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_string(j, "t", &s), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_str_eq(s, "untouched");
    ck_assert_int_eq(kf_json_get_string(NULL, "s", &s), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_string(json_object_get(j, "a"), "s", &s), KF_JSON_FIELD_ABSENT);
}
END_TEST

START_TEST(get_int)
{
    json_t *j = sample();
    json_int_t v = 99;
    ck_assert_int_eq(kf_json_get_int(j, "i", &v), KF_JSON_FIELD_OK);
    ck_assert_int_eq(v, 42);
    ck_assert_int_eq(kf_json_get_int(j, "neg", &v), KF_JSON_FIELD_OK);
    ck_assert_int_eq(v, -7);
    v = 99;
    ck_assert_int_eq(kf_json_get_int(j, "missing", &v), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_int(j, "n", &v), KF_JSON_FIELD_NULL);
    ck_assert_int_eq(kf_json_get_int(j, "r", &v), KF_JSON_FIELD_WRONG_TYPE);  /* 1.0 */
    ck_assert_int_eq(kf_json_get_int(j, "e", &v), KF_JSON_FIELD_WRONG_TYPE);  /* 1e2 */
    ck_assert_int_eq(kf_json_get_int(j, "t", &v), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_int(j, "f", &v), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_int(j, "s", &v), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(v, 99);
}
END_TEST

START_TEST(get_bool)
{
    json_t *j = sample();
    int b = 7;
    ck_assert_int_eq(kf_json_get_bool(j, "t", &b), KF_JSON_FIELD_OK);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(kf_json_get_bool(j, "f", &b), KF_JSON_FIELD_OK);
    ck_assert_int_eq(b, 0);
    b = 7;
    ck_assert_int_eq(kf_json_get_bool(j, "missing", &b), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_bool(j, "n", &b), KF_JSON_FIELD_NULL);
    ck_assert_int_eq(kf_json_get_bool(j, "i", &b), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_bool(j, "s", &b), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(b, 7);
}
END_TEST

START_TEST(get_object_array)
{
    json_t *j = sample();
    json_t *o = NULL, *a = NULL;
    ck_assert_int_eq(kf_json_get_object(j, "o", &o), KF_JSON_FIELD_OK);
    ck_assert_ptr_eq(o, json_object_get(j, "o"));
    ck_assert_int_eq(kf_json_get_array(j, "a", &a), KF_JSON_FIELD_OK);
    ck_assert_int_eq(json_array_size(a), 2);
    o = a = NULL;
    ck_assert_int_eq(kf_json_get_object(j, "missing", &o), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_object(j, "n", &o), KF_JSON_FIELD_NULL);
    ck_assert_int_eq(kf_json_get_object(j, "a", &o), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_int_eq(kf_json_get_array(j, "missing", &a), KF_JSON_FIELD_ABSENT);
    ck_assert_int_eq(kf_json_get_array(j, "n", &a), KF_JSON_FIELD_NULL);
    ck_assert_int_eq(kf_json_get_array(j, "o", &a), KF_JSON_FIELD_WRONG_TYPE);
    ck_assert_ptr_null(o);
    ck_assert_ptr_null(a);
}
END_TEST

START_TEST(path)
{
    static const char body[] =
        "{\"data\":{\"transaction\":{\"id\":\"12-34\",\"amount_in_cents\":4990000,"
        "\"items\":[{\"id\":\"x\"},{\"id\":\"y\"}]}},\"n\":null}";
    json_t *j = kf_json_parse_object(pool, body, strlen(body), NULL);
    ck_assert_ptr_nonnull(j);
    json_t *data = json_object_get(j, "data");

    ck_assert_str_eq(json_string_value(kf_json_path(data, "transaction.id")), "12-34");
    ck_assert_int_eq(json_integer_value(kf_json_path(j, "data.transaction.amount_in_cents")),
                     4990000);
    ck_assert_str_eq(json_string_value(kf_json_path(j, "data.transaction.items.1.id")), "y");
    ck_assert_ptr_eq(kf_json_path(j, "data"), data);
    ck_assert(json_is_null(kf_json_path(j, "n")));

    ck_assert_ptr_null(kf_json_path(j, "data.transaction.missing"));
    ck_assert_ptr_null(kf_json_path(j, "data.transaction.id.deeper"));
    ck_assert_ptr_null(kf_json_path(j, "data.transaction.items.2.id"));
    ck_assert_ptr_null(kf_json_path(j, "data.transaction.items.x"));
    ck_assert_ptr_null(kf_json_path(j, "data..transaction"));
    ck_assert_ptr_null(kf_json_path(j, "data."));
    ck_assert_ptr_null(kf_json_path(j, ".data"));
    ck_assert_ptr_null(kf_json_path(j, ""));
    ck_assert_ptr_null(kf_json_path(j, NULL));
    ck_assert_ptr_null(kf_json_path(NULL, "data"));
}
END_TEST

/* ---- serialization ---- */

START_TEST(dump_exact)
{
    static const char in[] = "{\"a\":\"\xc3\xb1/\xc3\xbc\",\"b\":1}";
    json_t *j = kf_json_parse_object(pool, in, strlen(in), NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(kf_json_dump(pool, j), in);

    /* Whitespace goes away, order stays as written (not sorted). */
    static const char spaced[] = "{ \"z\" : 1 ,\n \"a\" : [ 1 , 2 ] , \"m\" : { } }";
    j = kf_json_parse_object(pool, spaced, strlen(spaced), NULL);
    ck_assert_str_eq(kf_json_dump(pool, j), "{\"z\":1,\"a\":[1,2],\"m\":{}}");

    /* Escaped input comes out unescaped where JSON allows it; '\/' becomes '/'. */
    static const char esc[] = "{\"u\":\"https:\\/\\/x.co\\/\\u00f1\",\"q\":\"\\\"\\\\\\n\"}";
    j = kf_json_parse_object(pool, esc, strlen(esc), NULL);
    ck_assert_str_eq(kf_json_dump(pool, j),
                     "{\"u\":\"https://x.co/\xc3\xb1\",\"q\":\"\\\"\\\\\\n\"}");

    /* Built in code: insertion order, nulls, booleans, nested objects. */
    json_t *o = kf_json_obj(pool);
    ck_assert_int_eq(kf_json_set_str(o, "tenant_id", "t-1"), 0);
    ck_assert_int_eq(kf_json_set_int(o, "monto", 12000000), 0);
    ck_assert_int_eq(kf_json_set_str(o, "referencia", NULL), 0);
    ck_assert_int_eq(kf_json_set_bool(o, "acepto_terminos", 1), 0);
    ck_assert_int_eq(kf_json_set_null(o, "z"), 0);
    json_t *inner = json_object();
    ck_assert_int_eq(kf_json_set_str(inner, "nombre", "Jos\xc3\xa9"), 0);
    ck_assert_int_eq(kf_json_set_new(o, "usuario", inner), 0);
    ck_assert_int_eq(kf_json_set_str(o, "firma_hmac", ""), 0);
    ck_assert_str_eq(kf_json_dump(pool, o),
                     "{\"tenant_id\":\"t-1\",\"monto\":12000000,\"referencia\":null,"
                     "\"acepto_terminos\":true,\"z\":null,\"usuario\":{\"nombre\":\"Jos\xc3\xa9\"},"
                     "\"firma_hmac\":\"\"}");
    /* Overwriting a key keeps its position (signature input must not move around). */
    ck_assert_int_eq(kf_json_set_str(o, "tenant_id", "t-2"), 0);
    ck_assert(strncmp(kf_json_dump(pool, o), "{\"tenant_id\":\"t-2\",", 19) == 0);

    /* Scalars and arrays dump too. */
    json_t *arr = kf_json_arr(pool);
    json_array_append_new(arr, json_integer(1));
    json_array_append_new(arr, json_string("/"));
    ck_assert_str_eq(kf_json_dump(pool, arr), "[1,\"/\"]");
    ck_assert_str_eq(kf_json_dump(pool, kf_json_own(pool, json_string("a/b"))), "\"a/b\"");
    ck_assert_ptr_null(kf_json_dump(pool, NULL));
}
END_TEST

START_TEST(setters_refuse)
{
    json_t *o = kf_json_obj(pool);
    ck_assert_int_eq(kf_json_set_str(o, "bad", "\xff"), -1);           /* invalid UTF-8 */
    ck_assert_int_eq(kf_json_set_str(o, NULL, "x"), -1);
    ck_assert_int_eq(kf_json_set_int(NULL, "x", 1), -1);
    json_t *arr = kf_json_arr(pool);
    ck_assert_int_eq(kf_json_set_bool(arr, "x", 1), -1);                /* not an object */
    ck_assert_int_eq(kf_json_set_new(o, "x", NULL), -1);
    ck_assert_int_eq(json_object_size(o), 0);
    ck_assert_int_eq(json_array_size(arr), 0);
}
END_TEST

/* ---- lifetime ---- */

START_TEST(pool_owned_freed)
{
    /* Everything here is released by destroying sub; valgrind (make check-valgrind) proves no
     * leak. The refcount checks prove that the pool holds exactly one reference. */
    apr_pool_t *sub;
    ck_assert_int_eq(apr_pool_create(&sub, pool), APR_SUCCESS);
    static const char body[] = "{\"a\":[1,2,{\"b\":\"c\"}]}";
    json_t *parsed = kf_json_parse(sub, body, strlen(body), NULL);
    ck_assert_ptr_nonnull(parsed);
    ck_assert_int_eq(parsed->refcount, 1);
    json_t *built = kf_json_obj(sub);
    kf_json_set_str(built, "k", "v");
    /* Sharing a pool-owned value: json_object_set takes its own reference. */
    json_object_set(built, "parsed", parsed);
    ck_assert_int_eq(parsed->refcount, 2);
    ck_assert_ptr_null(kf_json_own(sub, NULL));

    /* Something that outlives sub: a value owned by the outer pool keeps its own reference. */
    json_t *survivor = kf_json_own(pool, json_incref(parsed));
    ck_assert_int_eq(parsed->refcount, 3);
    apr_pool_destroy(sub);
    ck_assert_int_eq(survivor->refcount, 1);
    ck_assert_str_eq(kf_json_dump(pool, survivor), body);

    /* apr_pool_clear runs the cleanups too. */
    ck_assert_int_eq(apr_pool_create(&sub, pool), APR_SUCCESS);
    json_t *x = kf_json_own(sub, json_incref(survivor));
    ck_assert_int_eq(x->refcount, 2);
    apr_pool_clear(sub);
    ck_assert_int_eq(survivor->refcount, 1);
    apr_pool_destroy(sub);
}
END_TEST

int main(void)
{
    kf_json_global_init();
    kf_json_global_init(); /* idempotent */

    Suite *s = suite_create("json");
    TCase *tp = tcase_create("parse");
    tcase_add_checked_fixture(tp, kf_test_setup, kf_test_teardown);
    tcase_add_test(tp, parse_ok);
    tcase_add_test(tp, parse_empty);
    tcase_add_test(tp, parse_malformed);
    tcase_add_test(tp, parse_error_text_has_no_input);
    tcase_add_test(tp, parse_bad_utf8);
    tcase_add_test(tp, parse_too_deep);
    tcase_add_test(tp, parse_not_object);
    suite_add_tcase(s, tp);

    TCase *tg = tcase_create("access");
    tcase_add_checked_fixture(tg, kf_test_setup, kf_test_teardown);
    tcase_add_test(tg, get_string);
    tcase_add_test(tg, get_int);
    tcase_add_test(tg, get_bool);
    tcase_add_test(tg, get_object_array);
    tcase_add_test(tg, path);
    suite_add_tcase(s, tg);

    TCase *td = tcase_create("build");
    tcase_add_checked_fixture(td, kf_test_setup, kf_test_teardown);
    tcase_add_test(td, dump_exact);
    tcase_add_test(td, setters_refuse);
    tcase_add_test(td, pool_owned_freed);
    suite_add_tcase(s, td);

    return kf_run_suite(s);
}
