/* The origins that may frame a tenant's booking pages: see kf_embed_origins.h. */
#include "kf_embed_origins.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HOST 253

static int dns_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* A DNS name of labels [a-z0-9-]{1,63}, none starting or ending with '-'. */
static int dns_name_ok(const char *h, size_t len)
{
    size_t label = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || h[i] == '.') {
            if (label == 0 || label > 63 || h[i - label] == '-' || h[i - 1] == '-') {
                return 0;
            }
            label = 0;
        }
        else if (!dns_char(h[i])) {
            return 0;
        }
        else {
            label++;
        }
    }
    return 1;
}

/* Dotted IPv4 of four decimal parts 0..255; *first gets the first part. */
static int ipv4_ok(const char *h, size_t len, int *first)
{
    int parts = 0, value = -1;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || h[i] == '.') {
            if (value < 0 || ++parts > 4) {
                return 0;
            }
            if (parts == 1) {
                *first = value;
            }
            value = -1;
        }
        else if (h[i] >= '0' && h[i] <= '9') {
            value = (value < 0 ? 0 : value * 10) + (h[i] - '0');
            if (value > 255) {
                return 0;
            }
        }
        else {
            return 0;
        }
    }
    return parts == 4;
}

const char *kf_embed_origin_normalize(apr_pool_t *p, const char *s)
{
    if (!s) {
        return NULL;
    }
    char *o = apr_pstrdup(p, s);
    for (char *c = o; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    int https = strncmp(o, "https://", 8) == 0;
    if (!https && strncmp(o, "http://", 7) != 0) {
        return NULL;
    }
    char *host = o + (https ? 8 : 7);
    size_t len = strlen(host);
    if (len > 0 && host[len - 1] == '/') {
        host[--len] = '\0';   /* "https://a.com/" names the same origin */
    }
    /* the host ends at the port's ':' (after the brackets of an IPv6 address) */
    char *after = host[0] == '[' ? strchr(host, ']') : host;
    if (!after) {
        return NULL;
    }
    char *colon = strchr(after, ':');
    size_t host_len = colon ? (size_t)(colon - host) : len;
    const char *port = NULL;
    if (colon) {
        port = colon + 1;
        size_t digits = strspn(port, "0123456789");
        long n = digits ? strtol(port, NULL, 10) : 0;
        if (digits == 0 || digits > 5 || port[digits] || n < 1 || n > 65535) {
            return NULL;
        }
        port = apr_ltoa(p, n);
        if (n == (https ? 443 : 80)) {
            port = NULL;
        }
    }
    if (host_len == 0 || host_len > MAX_HOST) {
        return NULL;
    }
    int first = -1;
    int loopback = 0;
    if (host_len == 5 && strncmp(host, "[::1]", 5) == 0) {
        loopback = 1;
    }
    else if (ipv4_ok(host, host_len, &first)) {
        loopback = first == 127;
    }
    else if (dns_name_ok(host, host_len)) {
        loopback = host_len == 9 && strncmp(host, "localhost", 9) == 0;
    }
    else {
        return NULL;   /* a path, a query, credentials, a wildcard, any other character */
    }
    if (!https && !loopback) {
        return NULL;
    }
    return apr_psprintf(p, "%s://%.*s%s%s", https ? "https" : "http", (int)host_len, host,
                        port ? ":" : "", port ? port : "");
}

const char *kf_embed_origins_read(apr_pool_t *p, const json_t *body, json_t *errors)
{
    const json_t *list = json_object_get(body, "embed_origins");
    if (!list) {
        return NULL;
    }
    const char *why = NULL;
    json_t *out = json_array();
    if (!json_is_array(list) || json_array_size(list) > KF_EMBED_ORIGINS_MAX) {
        why = "tenant_embed_origins_list";
    }
    for (size_t i = 0; !why && i < json_array_size(list); i++) {
        const json_t *item = json_array_get(list, i);
        const char *origin = json_is_string(item)
                                 ? kf_embed_origin_normalize(p, json_string_value(item))
                                 : NULL;
        if (!json_is_string(item)) {
            why = "tenant_embed_origins_list";
        }
        else if (!origin) {
            why = "tenant_embed_origin";
        }
        for (size_t j = 0; !why && j < json_array_size(out); j++) {
            if (strcmp(json_string_value(json_array_get(out, j)), origin) == 0) {
                why = "tenant_embed_origins_duplicate";
            }
        }
        if (!why) {
            json_array_append_new(out, json_string(origin));
        }
    }
    const char *text = NULL;
    if (why) {
        json_object_set_new(errors, "embed_origins", json_string(why));
    }
    else {
        char *dumped = json_dumps(out, JSON_COMPACT);
        text = dumped ? apr_pstrdup(p, dumped) : NULL;
        free(dumped);
    }
    json_decref(out);
    return text;
}

const char *kf_embed_frame_ancestors(apr_pool_t *p, const char *origins_json)
{
    json_t *list = origins_json ? json_loads(origins_json, 0, NULL) : NULL;
    const char *sources = NULL;
    for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
        const char *stored = json_string_value(json_array_get(list, i));
        const char *origin = kf_embed_origin_normalize(p, stored);
        /* only what the PATCH stored: the header never carries anything else */
        if (origin && strcmp(origin, stored) == 0) {
            sources = sources ? apr_pstrcat(p, sources, " ", origin, NULL) : origin;
        }
    }
    json_decref(list);
    return sources ? sources : "'none'";
}
