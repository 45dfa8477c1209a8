/* Logo sniffing and checks (see kf_image.h). Pure functions. */
#include "kf_image.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

static int is_xml_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int starts_with(const char *s, apr_size_t len, const char *prefix)
{
    apr_size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static int starts_with_ci(const char *s, apr_size_t len, const char *prefix)
{
    apr_size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* Offset after an optional UTF-8 byte order mark. */
static apr_size_t skip_bom(const unsigned char *b, apr_size_t len)
{
    return len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
}

kf_image_type kf_image_sniff(const void *buf, apr_size_t len)
{
    const unsigned char *b = buf;
    if (!b) {
        return KF_IMAGE_UNKNOWN;
    }
    if (len >= sizeof(png_signature) && memcmp(b, png_signature, sizeof(png_signature)) == 0) {
        return KF_IMAGE_PNG;
    }
    apr_size_t i = skip_bom(b, len);
    while (i < len && is_xml_space(b[i])) {
        i++;
    }
    const char *s = (const char *)b + i;
    apr_size_t n = len - i;
    if (starts_with(s, n, "<?xml") || starts_with(s, n, "<!--") || starts_with(s, n, "<svg")) {
        return KF_IMAGE_SVG;
    }
    return KF_IMAGE_UNKNOWN;
}

const char *kf_image_content_type(kf_image_type type)
{
    return type == KF_IMAGE_PNG ? "image/png" : type == KF_IMAGE_SVG ? "image/svg+xml" : NULL;
}

kf_image_type kf_image_type_of_media(const char *ct)
{
    if (!ct) {
        return KF_IMAGE_UNKNOWN;
    }
    while (*ct == ' ' || *ct == '\t') {
        ct++;
    }
    apr_size_t n = strcspn(ct, "; \t");
    if (n == strlen("image/png") && strncasecmp(ct, "image/png", n) == 0) {
        return KF_IMAGE_PNG;
    }
    if (n == strlen("image/svg+xml") && strncasecmp(ct, "image/svg+xml", n) == 0) {
        return KF_IMAGE_SVG;
    }
    return KF_IMAGE_UNKNOWN;
}

/* ---------------------------------------------------------------- PNG */

static apr_uint32_t be32(const unsigned char *p)
{
    return ((apr_uint32_t)p[0] << 24) | ((apr_uint32_t)p[1] << 16) | ((apr_uint32_t)p[2] << 8) |
           (apr_uint32_t)p[3];
}

/* CRC-32 of PNG (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: logos are small
 * and a table would be one more static. */
static apr_uint32_t crc32_png(const unsigned char *p, apr_size_t n)
{
    apr_uint32_t c = 0xFFFFFFFFu;
    for (apr_size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
    }
    return c ^ 0xFFFFFFFFu;
}

static int valid_bit_depth(unsigned color_type, unsigned depth)
{
    switch (color_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return 0;
    }
}

static int chunk_type_valid(const unsigned char *t)
{
    for (int i = 0; i < 4; i++) {
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))) {
            return 0;
        }
    }
    return 1;
}

static const char *check_ihdr(const unsigned char *d)
{
    apr_uint32_t width = be32(d), height = be32(d + 4);
    unsigned depth = d[8], color = d[9], compression = d[10], filter = d[11], interlace = d[12];
    if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu ||
        !valid_bit_depth(color, depth) || compression != 0 || filter != 0 || interlace > 1) {
        return "logo_png_invalid";
    }
    if (width > KF_IMAGE_MAX_SIDE || height > KF_IMAGE_MAX_SIDE) {
        return "logo_too_large_dimensions";
    }
    return NULL;
}

const char *kf_png_check(const void *buf, apr_size_t len)
{
    const unsigned char *b = buf;
    if (!b || len < sizeof(png_signature) ||
        memcmp(b, png_signature, sizeof(png_signature)) != 0) {
        return "logo_png_invalid";
    }
    apr_size_t pos = sizeof(png_signature);
    int chunks = 0, idat = 0;
    while (pos < len) {
        if (len - pos < 12) {
            return "logo_png_invalid";
        }
        apr_uint32_t n = be32(b + pos);
        const unsigned char *type = b + pos + 4;
        if (n > 0x7FFFFFFFu || len - pos - 12 < n || !chunk_type_valid(type)) {
            return "logo_png_invalid";
        }
        if (crc32_png(type, 4 + (apr_size_t)n) != be32(type + 4 + n)) {
            return "logo_png_invalid";
        }
        int is_ihdr = memcmp(type, "IHDR", 4) == 0;
        if ((chunks == 0) != is_ihdr) {
            return "logo_png_invalid";     /* IHDR first, and only once */
        }
        if (is_ihdr) {
            const char *why = n == 13 ? check_ihdr(type + 4) : "logo_png_invalid";
            if (why) {
                return why;
            }
        }
        idat += memcmp(type, "IDAT", 4) == 0;
        chunks++;
        pos += 12 + (apr_size_t)n;
        if (memcmp(type, "IEND", 4) == 0) {
            return n == 0 && pos == len && idat > 0 ? NULL : "logo_png_invalid";
        }
    }
    return "logo_png_invalid";             /* no IEND */
}

/* ---------------------------------------------------------------- SVG */

#define SVG_MAX_DEPTH 256
#define SVG_NS "http://www.w3.org/2000/svg"

typedef struct svg_parser {
    apr_pool_t *p;
    const char *s;
    apr_size_t len;
    apr_size_t pos;
    const char *why;                       /* first refusal */
    const char *stack[SVG_MAX_DEPTH];      /* names of the open elements */
    int depth;
} svg_parser;

static int fail(svg_parser *sp, const char *why)
{
    if (!sp->why) {
        sp->why = why;
    }
    return 0;
}

static const char *rest(const svg_parser *sp)
{
    return sp->s + sp->pos;
}

static apr_size_t left(const svg_parser *sp)
{
    return sp->len - sp->pos;
}

static void skip_space(svg_parser *sp)
{
    while (sp->pos < sp->len && is_xml_space((unsigned char)sp->s[sp->pos])) {
        sp->pos++;
    }
}

/* Moves past `end` (e.g. "-->"); 0 when it never comes. */
static int skip_past(svg_parser *sp, const char *end)
{
    apr_size_t n = strlen(end);
    for (apr_size_t i = sp->pos; i + n <= sp->len; i++) {
        if (memcmp(sp->s + i, end, n) == 0) {
            sp->pos = i + n;
            return 1;
        }
    }
    return fail(sp, "svg_not_wellformed");
}

static int is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

static int is_name_char(unsigned char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* An XML name (ASCII only: logos need nothing else). NULL when there is none. */
static const char *read_name(svg_parser *sp)
{
    apr_size_t start = sp->pos;
    if (sp->pos >= sp->len || !is_name_start((unsigned char)sp->s[sp->pos])) {
        return NULL;
    }
    while (sp->pos < sp->len && is_name_char((unsigned char)sp->s[sp->pos])) {
        sp->pos++;
    }
    return apr_pstrndup(sp->p, sp->s + start, sp->pos - start);
}

/* The part of a qualified name after its prefix ("xlink:href" -> "href"). */
static const char *local_name(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

/* Decodes the character reference at s[0] == '&' (n bytes available) into *out (ASCII,
 * or '?' for any other character: only the ASCII shape matters to the checks). Returns
 * the bytes consumed, 0 when it is not a well-formed reference. */
static apr_size_t decode_reference(const char *s, apr_size_t n, char *out)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        if (starts_with(s + 1, n - 1, named[i].name)) {
            *out = named[i].c;
            return 1 + strlen(named[i].name);
        }
    }
    if (n < 4 || s[1] != '#') {
        return 0;
    }
    int hex = s[2] == 'x';
    apr_size_t i = hex ? 3 : 2;
    unsigned long v = 0;
    apr_size_t first = i;
    for (; i < n && s[i] != ';'; i++) {
        char c = s[i];
        int d = (c >= '0' && c <= '9') ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
        if (d < 0 || i - first >= 8) {
            return 0;
        }
        v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (i >= n || i == first || v == 0 || v > 0x10FFFF) {
        return 0;
    }
    *out = v < 0x80 ? (char)v : '?';
    return i + 1;
}

/* Text (attribute value or character data) with references decoded, for the checks.
 * NULL when a reference is malformed. */
static char *decode_text(svg_parser *sp, const char *s, apr_size_t n)
{
    char *out = apr_palloc(sp->p, n + 1);
    apr_size_t o = 0;
    for (apr_size_t i = 0; i < n;) {
        if (s[i] == '&') {
            apr_size_t used = decode_reference(s + i, n - i, &out[o]);
            if (!used) {
                return NULL;
            }
            o++;
            i += used;
        }
        else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return out;
}

/* Lowercase copy without whitespace and control bytes: "java\tscript:" hides nothing. */
static char *squeeze(svg_parser *sp, const char *s)
{
    char *out = apr_palloc(sp->p, strlen(s) + 1);
    apr_size_t o = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == 0x7F) {
            continue;
        }
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[o] = '\0';
    return out;
}

static int allowed_data_image(const char *squeezed)
{
    static const char *const ok[] = {"data:image/png;base64,", "data:image/jpeg;base64,",
                                     "data:image/gif;base64,", "data:image/webp;base64,", NULL};
    for (int i = 0; ok[i]; i++) {
        if (strncmp(squeezed, ok[i], strlen(ok[i])) == 0) {
            return 1;
        }
    }
    return 0;
}

/* CSS found in attribute values and <style>: url() only to "#fragment", no @import, no
 * backslash escapes. `squeezed` is lowercase without whitespace. */
static int check_css(svg_parser *sp, const char *squeezed)
{
    if (strchr(squeezed, '\\') || strstr(squeezed, "@import")) {
        return fail(sp, "svg_external_reference");
    }
    for (const char *u = strstr(squeezed, "url("); u; u = strstr(u + 4, "url(")) {
        const char *target = u + 4;
        if (*target == '"' || *target == '\'') {
            target++;
        }
        if (*target != '#') {
            return fail(sp, "svg_external_reference");
        }
    }
    return 1;
}

static int check_scripty_value(svg_parser *sp, const char *squeezed)
{
    if (strstr(squeezed, "javascript:") || strstr(squeezed, "vbscript:") ||
        strstr(squeezed, "data:text/html")) {
        return fail(sp, "svg_javascript_url");
    }
    return 1;
}

static int check_element_name(svg_parser *sp, const char *name)
{
    static const char *const forbidden[] = {"foreignobject", "iframe", "embed", "object",
                                            "handler", "listener", NULL};
    const char *local = local_name(name);
    if (strcasecmp(local, "script") == 0) {
        return fail(sp, "svg_script");
    }
    for (int i = 0; forbidden[i]; i++) {
        if (strcasecmp(local, forbidden[i]) == 0) {
            return fail(sp, "svg_forbidden_element");
        }
    }
    return 1;
}

static int check_attribute(svg_parser *sp, const char *name, const char *value)
{
    if (strcmp(name, "xmlns") == 0 || strncmp(name, "xmlns:", 6) == 0) {
        return 1;
    }
    const char *local = local_name(name);
    if (strncasecmp(local, "on", 2) == 0) {
        return fail(sp, "svg_event_attribute");
    }
    const char *squeezed = squeeze(sp, value);
    if (!check_scripty_value(sp, squeezed)) {
        return 0;
    }
    if (strcasecmp(local, "href") == 0 && squeezed[0] != '#' && !allowed_data_image(squeezed)) {
        return fail(sp, "svg_external_reference");
    }
    /* a base64 image may well contain "url(" by chance; it is not CSS */
    return allowed_data_image(squeezed) || check_css(sp, squeezed);
}

/* After '<' and the name: attributes up to '>' or '/>'. *empty says which. */
static int parse_attributes(svg_parser *sp, int is_root, int *empty)
{
    int has_svg_ns = 0;
    for (;;) {
        apr_size_t before = sp->pos;
        skip_space(sp);
        int spaced = sp->pos > before;
        if (starts_with(rest(sp), left(sp), "/>")) {
            sp->pos += 2;
            *empty = 1;
            break;
        }
        if (starts_with(rest(sp), left(sp), ">")) {
            sp->pos += 1;
            *empty = 0;
            break;
        }
        const char *name = spaced ? read_name(sp) : NULL;
        if (!name) {
            return fail(sp, "svg_not_wellformed");
        }
        skip_space(sp);
        if (!starts_with(rest(sp), left(sp), "=")) {
            return fail(sp, "svg_not_wellformed");
        }
        sp->pos++;
        skip_space(sp);
        char quote = sp->pos < sp->len ? sp->s[sp->pos] : '\0';
        if (quote != '"' && quote != '\'') {
            return fail(sp, "svg_not_wellformed");
        }
        const char *start = sp->s + ++sp->pos;
        const char *end = memchr(start, quote, sp->len - sp->pos);
        if (!end || memchr(start, '<', (apr_size_t)(end - start))) {
            return fail(sp, "svg_not_wellformed");
        }
        sp->pos += (apr_size_t)(end - start) + 1;
        const char *value = decode_text(sp, start, (apr_size_t)(end - start));
        if (!value) {
            return fail(sp, "svg_not_wellformed");
        }
        if (!check_attribute(sp, name, value)) {
            return 0;
        }
        has_svg_ns |= strcmp(name, "xmlns") == 0 && strcmp(value, SVG_NS) == 0;
    }
    if (is_root && !has_svg_ns) {
        return fail(sp, "svg_root");
    }
    return 1;
}

/* After '<': a start tag; pushes it unless it is empty. */
static int parse_start_tag(svg_parser *sp)
{
    int is_root = sp->depth == 0;
    const char *name = read_name(sp);
    if (!name) {
        return fail(sp, "svg_not_wellformed");
    }
    if (is_root && strcmp(name, "svg") != 0) {
        return fail(sp, "svg_root");
    }
    if (!check_element_name(sp, name)) {
        return 0;
    }
    int empty = 0;
    if (!parse_attributes(sp, is_root, &empty)) {
        return 0;
    }
    if (!empty) {
        if (sp->depth >= SVG_MAX_DEPTH) {
            return fail(sp, "svg_not_wellformed");
        }
        sp->stack[sp->depth++] = name;
    }
    return 1;
}

/* After "</": the end tag of the innermost open element. */
static int parse_end_tag(svg_parser *sp)
{
    const char *name = read_name(sp);
    skip_space(sp);
    if (!name || sp->depth == 0 || strcmp(name, sp->stack[sp->depth - 1]) != 0 ||
        !starts_with(rest(sp), left(sp), ">")) {
        return fail(sp, "svg_not_wellformed");
    }
    sp->pos++;
    sp->depth--;
    return 1;
}

static int in_style(const svg_parser *sp)
{
    return sp->depth > 0 && strcasecmp(local_name(sp->stack[sp->depth - 1]), "style") == 0;
}

/* Character data up to the next '<' (references must be well formed; <style> is CSS). */
static int parse_text(svg_parser *sp)
{
    const char *start = rest(sp);
    const char *lt = memchr(start, '<', left(sp));
    apr_size_t n = lt ? (apr_size_t)(lt - start) : left(sp);
    sp->pos += n;
    const char *text = decode_text(sp, start, n);
    if (!text) {
        return fail(sp, "svg_not_wellformed");
    }
    return !in_style(sp) || check_css(sp, squeeze(sp, text));
}

static int parse_cdata(svg_parser *sp)
{
    apr_size_t start = sp->pos;
    if (!skip_past(sp, "]]>")) {
        return 0;
    }
    const char *text = apr_pstrndup(sp->p, sp->s + start, sp->pos - 3 - start);
    return !in_style(sp) || check_css(sp, squeeze(sp, text));
}

/* Outside the root element (before and after): whitespace, comments, and before it the
 * XML declaration. Stops at the root's '<' (before) or the end (after). */
static int parse_misc(svg_parser *sp, int before_root)
{
    apr_size_t doc_start = sp->pos;
    for (;;) {
        skip_space(sp);
        if (sp->pos >= sp->len) {
            return before_root ? fail(sp, "svg_not_wellformed") : 1;
        }
        if (before_root && sp->pos == doc_start && starts_with(rest(sp), left(sp), "<?xml") &&
            left(sp) > 5 && (is_xml_space((unsigned char)sp->s[sp->pos + 5]) ||
                             sp->s[sp->pos + 5] == '?')) {
            if (!skip_past(sp, "?>")) {
                return 0;
            }
        }
        else if (starts_with(rest(sp), left(sp), "<!--")) {
            sp->pos += 4;
            if (!skip_past(sp, "-->")) {
                return 0;
            }
        }
        else if (starts_with(rest(sp), left(sp), "<?")) {
            return fail(sp, "svg_processing_instruction");
        }
        else if (starts_with_ci(rest(sp), left(sp), "<!DOCTYPE")) {
            return fail(sp, "svg_doctype");
        }
        else if (before_root && starts_with(rest(sp), left(sp), "<") &&
                 !starts_with(rest(sp), left(sp), "<!")) {
            return 1;
        }
        else {
            return fail(sp, before_root ? "svg_root" : "svg_not_wellformed");
        }
    }
}

/* The root element and everything inside it. */
static int parse_element_tree(svg_parser *sp)
{
    do {
        if (sp->pos >= sp->len) {
            return fail(sp, "svg_not_wellformed");
        }
        if (sp->s[sp->pos] != '<') {
            if (!parse_text(sp)) {
                return 0;
            }
        }
        else if (starts_with(rest(sp), left(sp), "<!--")) {
            sp->pos += 4;
            if (!skip_past(sp, "-->")) {
                return 0;
            }
        }
        else if (starts_with(rest(sp), left(sp), "<![CDATA[")) {
            sp->pos += 9;
            if (!parse_cdata(sp)) {
                return 0;
            }
        }
        else if (starts_with(rest(sp), left(sp), "<?")) {
            return fail(sp, "svg_processing_instruction");
        }
        else if (starts_with_ci(rest(sp), left(sp), "<!DOCTYPE")) {
            return fail(sp, "svg_doctype");
        }
        else if (starts_with(rest(sp), left(sp), "</")) {
            sp->pos += 2;
            if (!parse_end_tag(sp)) {
                return 0;
            }
        }
        else {
            sp->pos += 1;
            if (!parse_start_tag(sp)) {
                return 0;
            }
        }
    } while (sp->depth > 0);
    return 1;
}

/* "<script" in any case, anywhere (even where the parser would not look, e.g. inside a
 * comment a sloppy consumer might not skip). */
static int contains_script_tag(const char *s, apr_size_t len)
{
    for (apr_size_t i = 0; i + 7 <= len; i++) {
        if (s[i] == '<' && strncasecmp(s + i + 1, "script", 6) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *kf_svg_check(apr_pool_t *p, const void *buf, apr_size_t len)
{
    const char *s = buf;
    if (!s || len == 0 || memchr(s, '\0', len) || !kf_utf8_valid(s, len)) {
        return "svg_not_wellformed";
    }
    if (contains_script_tag(s, len)) {
        return "svg_script";
    }
    svg_parser *sp = apr_pcalloc(p, sizeof(*sp));
    sp->p = p;
    sp->s = s;
    sp->len = len;
    sp->pos = skip_bom((const unsigned char *)s, len);
    if (parse_misc(sp, 1) && parse_element_tree(sp)) {
        parse_misc(sp, 0);
    }
    return sp->why;
}

const char *kf_image_check(apr_pool_t *p, const void *buf, apr_size_t len, kf_image_type *type)
{
    kf_image_type t = kf_image_sniff(buf, len);
    const char *why = t == KF_IMAGE_PNG   ? kf_png_check(buf, len)
                      : t == KF_IMAGE_SVG ? kf_svg_check(p, buf, len)
                                          : "logo_not_image";
    *type = why ? KF_IMAGE_UNKNOWN : t;
    return why;
}

const char *kf_image_logo_problem(apr_pool_t *p, kf_image_type declared, const void *buf,
                                  apr_size_t len, kf_image_type *type)
{
    *type = KF_IMAGE_UNKNOWN;
    if (len == 0) {
        return "logo_empty";
    }
    const char *why = kf_image_check(p, buf, len, type);
    if (why) {
        return why;
    }
    return *type == declared ? NULL : "logo_type_mismatch";
}

json_t *kf_image_logo_changes(const char *url, kf_image_type type, apr_size_t size,
                              const char *sha256)
{
    json_t *changes = json_object();
    json_object_set_new(changes, "logo_url", json_string(url));
    json_object_set_new(changes, "content_type", json_string(kf_image_content_type(type)));
    json_object_set_new(changes, "size", json_integer((json_int_t)size));
    json_object_set_new(changes, "sha256", json_string(sha256));
    return changes;
}

const char *kf_image_logo_path(apr_pool_t *p, const char *tenant_id, const char *sha256)
{
    return apr_psprintf(p, "/api/public/tenants/%s/logo?v=%.12s", tenant_id, sha256);
}

const char *const *kf_image_logo_headers(const char *content_type)
{
    static const char *const raster[] = {
        "Cache-Control", "public, max-age=86400", "X-Content-Type-Options", "nosniff", NULL,
    };
    static const char *const svg[] = {
        "Cache-Control", "public, max-age=86400", "X-Content-Type-Options", "nosniff",
        "Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'", NULL,
    };
    return content_type && strcmp(content_type, "image/svg+xml") == 0 ? svg : raster;
}
