#ifndef KF_IMAGE_H
#define KF_IMAGE_H
/* Tenant logos: what an uploaded file really is (by its bytes, never by its name or the
 * Content-Type it came with), and whether it is safe to serve back. Pure functions.
 *
 * Checks answer NULL when the file is fine, else the id of a kf_i18n message that tells
 * the merchant what was refused ("logo_png_invalid", "svg_script", ...). */
#include <apr_pools.h>
#include <jansson.h>

typedef enum {
    KF_IMAGE_UNKNOWN = 0,
    KF_IMAGE_PNG,
    KF_IMAGE_SVG
} kf_image_type;

/* Widest and tallest logo accepted, in pixels (larger ones are refused before a browser
 * has to decode them). */
#define KF_IMAGE_MAX_SIDE 8192

/* PNG: starts with the 8-byte PNG signature. SVG: (after an optional UTF-8 BOM and
 * whitespace) starts with '<' and the text is XML-like ("<?xml", "<!--" or "<svg").
 * Anything else is KF_IMAGE_UNKNOWN. Only a first guess: kf_image_check decides. */
kf_image_type kf_image_sniff(const void *buf, apr_size_t len);

/* "image/png", "image/svg+xml", or NULL. */
const char *kf_image_content_type(kf_image_type type);

/* Type named by a Content-Type header value (parameters and case ignored): PNG for
 * image/png, SVG for image/svg+xml, else KF_IMAGE_UNKNOWN. */
kf_image_type kf_image_type_of_media(const char *content_type);

/* A PNG made of well-formed chunks: signature, IHDR first (13 bytes, width and height
 * 1..KF_IMAGE_MAX_SIDE, a valid bit depth for its colour type, compression, filter and
 * interlace methods PNG knows), every chunk inside the file with a correct CRC, at least
 * one IDAT, and IEND last with nothing after it.
 * NULL, "logo_png_invalid" or "logo_too_large_dimensions". */
const char *kf_png_check(const void *buf, apr_size_t len);

/* An SVG that is safe to serve from our origin and to show in <img>. Refused:
 * - not UTF-8, NUL bytes, or not well-formed (tags not nested, bad attribute syntax,
 *   unknown entity references): "svg_not_wellformed";
 * - a DOCTYPE (entity tricks and external DTDs): "svg_doctype";
 * - a processing instruction other than the leading <?xml ...?> declaration (such as
 *   <?xml-stylesheet href=...?>): "svg_processing_instruction";
 * - a root element other than <svg xmlns="http://www.w3.org/2000/svg">: "svg_root";
 * - "<script" anywhere, or a script element (any case, any namespace prefix): "svg_script";
 * - elements that embed other documents or code: foreignObject, iframe, embed, object,
 *   handler, listener: "svg_forbidden_element";
 * - event-handler attributes (any attribute whose local name starts with "on"):
 *   "svg_event_attribute";
 * - javascript:, vbscript: or data:text/html in any attribute value (after decoding
 *   character references and dropping whitespace): "svg_javascript_url";
 * - external references: an href (xlink:href, href, any prefix) that is not a local
 *   "#fragment", a CSS url(...) that is not "#fragment", or @import, in attributes or in
 *   <style> text, and CSS backslash escapes (they could spell url( in disguise):
 *   "svg_external_reference". Allowed references: "#fragment", and in href an embedded
 *   raster image "data:image/(png|jpeg|gif|webp);base64,...".
 * xmlns declarations are namespace names, not references, and are not checked as URLs.
 * Scratch memory (decoded attribute values) comes from p. */
const char *kf_svg_check(apr_pool_t *p, const void *buf, apr_size_t len);

/* Sniffs and checks: on success *type is PNG or SVG and NULL is returned; otherwise the
 * message id ("logo_not_image" when neither a PNG nor an SVG). Scratch memory from p. */
const char *kf_image_check(apr_pool_t *p, const void *buf, apr_size_t len,
                           kf_image_type *type);
/* An uploaded logo, sent as `declared` (kf_image_type_of_media of its Content-Type, not
 * KF_IMAGE_UNKNOWN): NULL with *type when it may be stored, else the message id of the
 * "logo" field: "logo_empty", kf_image_check's, or "logo_type_mismatch" when the content is
 * another image than the one declared. */
const char *kf_image_logo_problem(apr_pool_t *p, kf_image_type declared, const void *buf,
                                  apr_size_t len, kf_image_type *type);
/* Where a tenant's logo is served, under the public URL: its path, with the first 12 digits
 * of its sha256 so that a new logo is a new address (cached for a day). */
const char *kf_image_logo_path(apr_pool_t *p, const char *tenant_id, const char *sha256);

/* The headers a logo of that content type is served with, as name, value, ..., NULL: cached
 * for a day, never sniffed, and an SVG sandboxed (no script, no fetch: a logo is shown, not
 * run). */
const char *const *kf_image_logo_headers(const char *content_type);

/* The audit's record of a stored logo: {"logo_url", "content_type", "size", "sha256"}. */
json_t *kf_image_logo_changes(const char *url, kf_image_type type, apr_size_t size,
                              const char *sha256);

#endif
