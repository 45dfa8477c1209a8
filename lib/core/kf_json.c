/* JSON helpers over jansson, lifetimes tied to APR pools (cf. httpd modules/md/md_json.c). */
#include "kf_json.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

void kf_json_global_init(void)
{
    /* 0: jansson picks a seed from /dev/urandom (or time and pid). Only the first call counts. */
    json_object_seed(0);
}

static apr_status_t json_pool_cleanup(void *data)
{
    json_decref((json_t *)data);
    return APR_SUCCESS;
}

json_t *kf_json_own(apr_pool_t *p, json_t *j)
{
    if (j) {
        apr_pool_cleanup_register(p, j, json_pool_cleanup, apr_pool_cleanup_null);
    }
    return j;
}

const char *kf_json_error_kind_name(kf_json_error_kind kind)
{
    switch (kind) {
    case KF_JSON_OK: return "ok";
    case KF_JSON_EMPTY: return "empty";
    case KF_JSON_MALFORMED: return "malformed";
    case KF_JSON_BAD_UTF8: return "bad_utf8";
    case KF_JSON_TOO_DEEP: return "too_deep";
    case KF_JSON_NOT_OBJECT: return "not_object";
    }
    return "unknown";
}

static void set_error(kf_json_error *err, kf_json_error_kind kind, int line, int column,
                      const char *text)
{
    if (!err) {
        return;
    }
    err->kind = kind;
    err->line = line;
    err->column = column;
    apr_cpystrn(err->text, text ? text : "", sizeof(err->text));
    /* jansson appends " near '<input excerpt>'": the excerpt may be a password or a token. */
    char *near = strstr(err->text, " near ");
    if (near) {
        *near = '\0';
    }
    for (char *c = err->text; *c; c++) {
        if ((unsigned char)*c < 0x20) {
            *c = ' ';
        }
    }
}

static int only_whitespace(const char *buf, apr_size_t len)
{
    for (apr_size_t i = 0; i < len; i++) {
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

/* 1 when j nests deeper than limit levels of containers (j itself counts as one). Recursion
 * is bounded by limit + 1, whatever the input. */
static int too_deep(const json_t *j, int limit)
{
    if (!json_is_object(j) && !json_is_array(j)) {
        return 0;
    }
    if (limit <= 0) {
        return 1;
    }
    if (json_is_object(j)) {
        const char *key;
        json_t *v;
        /* json_object_foreach wants a non-const object; it does not modify it. */
        json_object_foreach((json_t *)j, key, v) {
            if (too_deep(v, limit - 1)) {
                return 1;
            }
        }
    }
    else {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            if (too_deep(v, limit - 1)) {
                return 1;
            }
        }
    }
    return 0;
}

static json_t *parse(apr_pool_t *p, const char *buf, apr_size_t len, int want_object,
                     kf_json_error *err)
{
    json_error_t jerr;

    set_error(err, KF_JSON_OK, -1, -1, "");
    if (!buf || len == 0 || only_whitespace(buf, len)) {
        set_error(err, KF_JSON_EMPTY, -1, -1, "empty body");
        return NULL;
    }
    /* JSON_ALLOW_NUL is not set: "\u0000" in a string is refused. EOF check stays on, so
     * trailing garbage is refused too. Duplicate keys are refused: a signed webhook body
     * must not be read differently by us and by whoever computed its signature. */
    json_t *j = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        kf_json_error_kind kind;
        switch (json_error_code(&jerr)) {
        case json_error_invalid_utf8: kind = KF_JSON_BAD_UTF8; break;
        case json_error_stack_overflow: kind = KF_JSON_TOO_DEEP; break;
        default: kind = KF_JSON_MALFORMED; break;
        }
        set_error(err, kind, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (too_deep(j, KF_JSON_MAX_DEPTH)) {
        json_decref(j);
        set_error(err, KF_JSON_TOO_DEEP, -1, -1, "nesting too deep");
        return NULL;
    }
    if (want_object && !json_is_object(j)) {
        json_decref(j);
        set_error(err, KF_JSON_NOT_OBJECT, -1, -1, "top-level value is not an object");
        return NULL;
    }
    return kf_json_own(p, j);
}

json_t *kf_json_parse(apr_pool_t *p, const char *buf, apr_size_t len, kf_json_error *err)
{
    return parse(p, buf, len, 0, err);
}

json_t *kf_json_parse_object(apr_pool_t *p, const char *buf, apr_size_t len, kf_json_error *err)
{
    return parse(p, buf, len, 1, err);
}

const char *kf_json_dump(apr_pool_t *p, const json_t *j)
{
    if (!j) {
        return NULL;
    }
    /* No JSON_ENSURE_ASCII, no JSON_ESCAPE_SLASH: UTF-8 and '/' go out as they are.
     * JSON_PRESERVE_ORDER is the default behaviour since jansson 2.8; kept for clarity. */
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!s) {
        return NULL;
    }
    const char *copy = apr_pstrdup(p, s);
    free(s);
    return copy;
}

/* ---- typed field access ---- */

static kf_json_field lookup(const json_t *obj, const char *key, json_t **v)
{
    if (!obj || !key || !json_is_object(obj)) {
        return KF_JSON_FIELD_ABSENT;
    }
    *v = json_object_get(obj, key);
    if (!*v) {
        return KF_JSON_FIELD_ABSENT;
    }
    if (json_is_null(*v)) {
        return KF_JSON_FIELD_NULL;
    }
    return KF_JSON_FIELD_OK;
}

kf_json_field kf_json_get_string(const json_t *obj, const char *key, const char **out)
{
    json_t *v = NULL;
    kf_json_field rv = lookup(obj, key, &v);
    if (rv != KF_JSON_FIELD_OK) {
        return rv;
    }
    if (!json_is_string(v)) {
        return KF_JSON_FIELD_WRONG_TYPE;
    }
    *out = json_string_value(v);
    return KF_JSON_FIELD_OK;
}

kf_json_field kf_json_get_int(const json_t *obj, const char *key, json_int_t *out)
{
    json_t *v = NULL;
    kf_json_field rv = lookup(obj, key, &v);
    if (rv != KF_JSON_FIELD_OK) {
        return rv;
    }
    if (!json_is_integer(v)) {
        return KF_JSON_FIELD_WRONG_TYPE;
    }
    *out = json_integer_value(v);
    return KF_JSON_FIELD_OK;
}

kf_json_field kf_json_get_bool(const json_t *obj, const char *key, int *out)
{
    json_t *v = NULL;
    kf_json_field rv = lookup(obj, key, &v);
    if (rv != KF_JSON_FIELD_OK) {
        return rv;
    }
    if (!json_is_boolean(v)) {
        return KF_JSON_FIELD_WRONG_TYPE;
    }
    *out = json_is_true(v) ? 1 : 0;
    return KF_JSON_FIELD_OK;
}

kf_json_field kf_json_get_object(const json_t *obj, const char *key, json_t **out)
{
    json_t *v = NULL;
    kf_json_field rv = lookup(obj, key, &v);
    if (rv != KF_JSON_FIELD_OK) {
        return rv;
    }
    if (!json_is_object(v)) {
        return KF_JSON_FIELD_WRONG_TYPE;
    }
    *out = v;
    return KF_JSON_FIELD_OK;
}

kf_json_field kf_json_get_array(const json_t *obj, const char *key, json_t **out)
{
    json_t *v = NULL;
    kf_json_field rv = lookup(obj, key, &v);
    if (rv != KF_JSON_FIELD_OK) {
        return rv;
    }
    if (!json_is_array(v)) {
        return KF_JSON_FIELD_WRONG_TYPE;
    }
    *out = v;
    return KF_JSON_FIELD_OK;
}

json_t *kf_json_path(const json_t *root, const char *dotted_path)
{
    char seg[256];
    json_t *cur = (json_t *)root;
    const char *s = dotted_path;

    if (!root || !dotted_path || !*dotted_path) {
        return NULL;
    }
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (n == 0 || n >= sizeof(seg)) {
            return NULL;
        }
        memcpy(seg, s, n);
        seg[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, seg);
        }
        else if (json_is_array(cur) && strspn(seg, "0123456789") == n && n <= 9) {
            cur = json_array_get(cur, (size_t)strtoul(seg, NULL, 10));
        }
        else {
            return NULL;
        }
        if (!cur) {
            return NULL;
        }
        if (!dot) {
            return cur;
        }
        s = dot + 1;
    }
}

/* ---- builders ---- */

json_t *kf_json_obj(apr_pool_t *p)
{
    return kf_json_own(p, json_object());
}

json_t *kf_json_arr(apr_pool_t *p)
{
    return kf_json_own(p, json_array());
}

int kf_json_set_new(json_t *obj, const char *key, json_t *value)
{
    if (!value) {
        return -1;
    }
    if (!json_is_object(obj) || !key) {
        json_decref(value);
        return -1;
    }
    /* json_object_set_new decrefs value itself when it fails. */
    return json_object_set_new(obj, key, value) == 0 ? 0 : -1;
}

int kf_json_set_str(json_t *obj, const char *key, const char *value)
{
    /* json_string returns NULL for invalid UTF-8: the set then fails instead of dropping it. */
    return kf_json_set_new(obj, key, value ? json_string(value) : json_null());
}

int kf_json_set_int(json_t *obj, const char *key, json_int_t value)
{
    return kf_json_set_new(obj, key, json_integer(value));
}

int kf_json_set_bool(json_t *obj, const char *key, int value)
{
    return kf_json_set_new(obj, key, json_boolean(value));
}

int kf_json_set_null(json_t *obj, const char *key)
{
    return kf_json_set_new(obj, key, json_null());
}
