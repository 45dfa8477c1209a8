/* JSON helpers over jansson with lifetimes tied to APR pools.
 *
 * Ownership: a json_t returned by kf_json_parse / kf_json_obj / kf_json_arr, or passed through
 * kf_json_own, holds one reference that belongs to the pool: a cleanup json_decref's it when
 * the pool is cleared or destroyed. Do not json_decref such a value yourself, and do not hand
 * it to a *_set_new / kf_json_set_new function (those steal a reference); use json_object_set
 * (which takes its own reference) instead, or build children with json_object() and set_new.
 *
 * Threads: jansson reference counts are not synchronized for our purposes; a json_t (and
 * anything reachable from it) belongs to one thread, like the pool that owns it.
 */
#ifndef KF_JSON_H
#define KF_JSON_H

#include <apr_pools.h>
#include <jansson.h>

/* Nesting deeper than this (objects + arrays) is refused by kf_json_parse. */
#define KF_JSON_MAX_DEPTH 32

typedef enum {
    KF_JSON_OK = 0,
    KF_JSON_EMPTY,      /* no bytes, or only whitespace */
    KF_JSON_MALFORMED,  /* syntax error, trailing garbage, \u0000, lone surrogate escape, huge int */
    KF_JSON_BAD_UTF8,   /* the bytes are not valid UTF-8 (anywhere in the buffer) */
    KF_JSON_TOO_DEEP,   /* more than KF_JSON_MAX_DEPTH nested objects/arrays */
    KF_JSON_NOT_OBJECT  /* valid JSON, but the caller asked for an object */
} kf_json_error_kind;

typedef struct {
    kf_json_error_kind kind;
    int line;           /* 1-based, -1 when unknown (from jansson) */
    int column;         /* 1-based, -1 when unknown */
    char text[160];     /* one line for logs; never echoes string contents of the input */
} kf_json_error;

/* Call once per process before threads exist (httpd post_config): seeds jansson's hash. */
void kf_json_global_init(void);

/* Registers a cleanup on p that json_decref's j; returns j (NULL stays NULL, nothing registered). */
json_t *kf_json_own(apr_pool_t *p, json_t *j);

/* Parses any JSON value (object, array, scalar). Returns a pool-owned value or NULL with *err
 * filled in (err may be NULL). On success err->kind is KF_JSON_OK. */
json_t *kf_json_parse(apr_pool_t *p, const char *buf, apr_size_t len, kf_json_error *err);

/* As kf_json_parse, but a top-level value that is not an object is KF_JSON_NOT_OBJECT. */
json_t *kf_json_parse_object(apr_pool_t *p, const char *buf, apr_size_t len, kf_json_error *err);

/* A short stable name for an error kind ("malformed", "bad_utf8", ...), for logs. */
const char *kf_json_error_kind_name(kf_json_error_kind kind);

/* Compact serialization in insertion order, UTF-8 and '/' unescaped, e.g. {"a":"ñ/ü","b":1}.
 * Merchant callback signatures are computed over exactly these bytes. Scalars are allowed.
 * Returns a NUL-terminated string allocated from p, or NULL (j NULL, or out of memory). */
const char *kf_json_dump(apr_pool_t *p, const json_t *j);

/* ---- typed field access ---- */

typedef enum {
    KF_JSON_FIELD_OK = 0,
    KF_JSON_FIELD_ABSENT,     /* key not present (or obj is NULL / not an object) */
    KF_JSON_FIELD_NULL,       /* present with the value null */
    KF_JSON_FIELD_WRONG_TYPE  /* present with another type */
} kf_json_field;

/* Each getter leaves *out untouched unless it returns KF_JSON_FIELD_OK. */
kf_json_field kf_json_get_string(const json_t *obj, const char *key, const char **out);
/* Integers only: 1.0, 1e2, true are KF_JSON_FIELD_WRONG_TYPE. */
kf_json_field kf_json_get_int(const json_t *obj, const char *key, json_int_t *out);
kf_json_field kf_json_get_bool(const json_t *obj, const char *key, int *out);
kf_json_field kf_json_get_object(const json_t *obj, const char *key, json_t **out);
kf_json_field kf_json_get_array(const json_t *obj, const char *key, json_t **out);

/* Walks a dotted path of object keys ("transaction.id"); a segment made only of digits
 * indexes an array ("items.0.id"). Keys containing '.' cannot be addressed. Returns a
 * borrowed value, or NULL when any step is missing or of the wrong type. */
json_t *kf_json_path(const json_t *root, const char *dotted_path);

/* ---- builders ---- */

/* A new empty object / array owned by p (NULL only on allocation failure). */
json_t *kf_json_obj(apr_pool_t *p);
json_t *kf_json_arr(apr_pool_t *p);

/* Setters on an object; they return 0, or -1 on failure (obj not an object, NULL key, string
 * not valid UTF-8, out of memory). kf_json_set_str stores JSON null when value is NULL. */
int kf_json_set_str(json_t *obj, const char *key, const char *value);
int kf_json_set_int(json_t *obj, const char *key, json_int_t value);
int kf_json_set_bool(json_t *obj, const char *key, int value);
int kf_json_set_null(json_t *obj, const char *key);
/* Steals the reference to value (even on failure); value must not be pool-owned. */
int kf_json_set_new(json_t *obj, const char *key, json_t *value);

#endif
