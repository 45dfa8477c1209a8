/* Unit tests for lib/tenant/kf_image.c: sniffing, PNG structure, SVG safety, what an
 * uploaded logo is answered and recorded. */
#include "kf_check.h"
#include "kf_image.h"

#include <string.h>

/* Real PNG files made with Python's zlib (so the CRC-32 is independent of ours):
 * a 1x1 RGBA image, a 9000x1 one (too wide), and one with bit depth 4 for RGB (invalid). */
static const unsigned char png_1x1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
    0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char png_wide[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x00, 0x01,
    0x08, 0x06, 0x00, 0x00, 0x00, 0xb3, 0x23, 0x05, 0x45, 0x00, 0x00, 0x00,
    0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char png_bad_depth[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
    0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
    0x04, 0x02, 0x00, 0x00, 0x00, 0x55, 0x87, 0xbe, 0xdf, 0x00, 0x00, 0x00,
    0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
    0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static unsigned char *copy_of(const unsigned char *src, apr_size_t len)
{
    unsigned char *b = apr_palloc(pool, len + 16);
    memcpy(b, src, len);
    return b;
}

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
#define SVG_CHECK(text) kf_svg_check(pool, (text), strlen(text))
#define SVG_OK(text) ck_assert_msg(SVG_CHECK(text) == NULL, "%s refused: %s", (text), SVG_CHECK(text))
#define SVG_BAD(text, why) do { \
        const char *r_ = SVG_CHECK(text); \
        ck_assert_msg(r_ != NULL, "%s accepted", (text)); \
        ck_assert_str_eq(r_, (why)); \
    } while (0)

/* ---- sniffing ---- */

START_TEST(sniff_by_content)
{
    ck_assert_int_eq(kf_image_sniff(png_1x1, sizeof(png_1x1)), KF_IMAGE_PNG);
    ck_assert_int_eq(kf_image_sniff(SVG_OPEN "</svg>", strlen(SVG_OPEN "</svg>")), KF_IMAGE_SVG);
    const char *decl = "\xEF\xBB\xBF  <?xml version=\"1.0\"?><svg/>";
    ck_assert_int_eq(kf_image_sniff(decl, strlen(decl)), KF_IMAGE_SVG);
    ck_assert_int_eq(kf_image_sniff("GIF89a....", 10), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_sniff("\xFF\xD8\xFF\xE0", 4), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_sniff("<html><body>", 12), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_sniff("", 0), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_sniff(NULL, 0), KF_IMAGE_UNKNOWN);
    /* 7 bytes of the signature are not a PNG */
    ck_assert_int_eq(kf_image_sniff(png_1x1, 7), KF_IMAGE_UNKNOWN);
}
END_TEST

START_TEST(media_types)
{
    ck_assert_int_eq(kf_image_type_of_media("image/png"), KF_IMAGE_PNG);
    ck_assert_int_eq(kf_image_type_of_media("IMAGE/PNG; foo=bar"), KF_IMAGE_PNG);
    ck_assert_int_eq(kf_image_type_of_media("image/svg+xml;charset=utf-8"), KF_IMAGE_SVG);
    ck_assert_int_eq(kf_image_type_of_media("image/pngx"), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_type_of_media("image/svg"), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_type_of_media("application/octet-stream"), KF_IMAGE_UNKNOWN);
    ck_assert_int_eq(kf_image_type_of_media(NULL), KF_IMAGE_UNKNOWN);
    ck_assert_str_eq(kf_image_content_type(KF_IMAGE_PNG), "image/png");
    ck_assert_str_eq(kf_image_content_type(KF_IMAGE_SVG), "image/svg+xml");
    ck_assert_ptr_null(kf_image_content_type(KF_IMAGE_UNKNOWN));
}
END_TEST

/* ---- PNG ---- */

START_TEST(png_valid)
{
    ck_assert_ptr_null(kf_png_check(png_1x1, sizeof(png_1x1)));
    kf_image_type t = KF_IMAGE_UNKNOWN;
    ck_assert_ptr_null(kf_image_check(pool, png_1x1, sizeof(png_1x1), &t));
    ck_assert_int_eq(t, KF_IMAGE_PNG);
}
END_TEST

START_TEST(png_refusals)
{
    apr_size_t n = sizeof(png_1x1);
    ck_assert_str_eq(kf_png_check(png_wide, sizeof(png_wide)), "logo_too_large_dimensions");
    ck_assert_str_eq(kf_png_check(png_bad_depth, sizeof(png_bad_depth)), "logo_png_invalid");
    /* truncated anywhere */
    for (apr_size_t cut = 0; cut < n; cut++) {
        ck_assert_msg(kf_png_check(png_1x1, cut) != NULL, "accepted %lu bytes", (unsigned long)cut);
    }
    /* one flipped bit in any chunk breaks its CRC (or its structure) */
    for (apr_size_t i = 8; i < n; i++) {
        unsigned char *b = copy_of(png_1x1, n);
        b[i] ^= 0x01;
        ck_assert_msg(kf_png_check(b, n) != NULL, "flip at %lu accepted", (unsigned long)i);
    }
    /* bytes after IEND */
    unsigned char *tail = copy_of(png_1x1, n);
    memcpy(tail + n, "<svg>", 5);
    ck_assert_str_eq(kf_png_check(tail, n + 5), "logo_png_invalid");
    /* the signature alone */
    ck_assert_str_eq(kf_png_check("\x89PNG\r\n\x1a\n", 8), "logo_png_invalid");
    kf_image_type t = KF_IMAGE_PNG;
    ck_assert_str_eq(kf_image_check(pool, png_bad_depth, sizeof(png_bad_depth), &t),
                     "logo_png_invalid");
    ck_assert_int_eq(t, KF_IMAGE_UNKNOWN);
}
END_TEST

START_TEST(png_declared_as_svg_is_not_an_svg)
{
    ck_assert_str_eq(kf_svg_check(pool, png_1x1, sizeof(png_1x1)), "svg_not_wellformed");
    kf_image_type t;
    ck_assert_str_eq(kf_image_check(pool, "GIF89a\x01\x00", 8, &t), "logo_not_image");
}
END_TEST

/* ---- SVG ---- */

START_TEST(svg_valid)
{
    SVG_OK(SVG_OPEN "<rect width=\"10\" height=\"10\" fill=\"#3B82F6\"/></svg>");
    SVG_OK("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- logo -->\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
           "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient>"
           "<style><![CDATA[ .a { fill: url(#g); } ]]></style></defs>"
           "<use xlink:href=\"#g\"/><rect class='a' style=\"fill: url('#g')\" width='1' height='1'/>"
           "<text x=\"1\">Cl&#237;nica &amp; Co &lt;3</text>"
           "<image href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>\n<!-- end -->\n");
    SVG_OK("<svg xmlns='http://www.w3.org/2000/svg'/>");
    kf_image_type t = KF_IMAGE_UNKNOWN;
    const char *s = SVG_OPEN "</svg>";
    ck_assert_ptr_null(kf_image_check(pool, s, strlen(s), &t));
    ck_assert_int_eq(t, KF_IMAGE_SVG);
}
END_TEST

START_TEST(svg_scripts_refused)
{
    SVG_BAD(SVG_OPEN "<script>alert(1)</script></svg>", "svg_script");
    SVG_BAD(SVG_OPEN "<SCRIPT>alert(1)</SCRIPT></svg>", "svg_script");
    SVG_BAD(SVG_OPEN "<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\"/></svg>", "svg_script");
    SVG_BAD(SVG_OPEN "<!-- <script> --></svg>", "svg_script");
    SVG_BAD(SVG_OPEN "<rect onclick=\"alert(1)\"/></svg>", "svg_event_attribute");
    SVG_BAD("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>", "svg_event_attribute");
    SVG_BAD(SVG_OPEN "<rect ONMOUSEOVER='x()'/></svg>", "svg_event_attribute");
    SVG_BAD(SVG_OPEN "<a href=\"javascript:alert(1)\"><rect/></a></svg>", "svg_javascript_url");
    SVG_BAD(SVG_OPEN "<a xlink:href=\"java&#x09;script:alert(1)\"/></svg>", "svg_javascript_url");
    SVG_BAD(SVG_OPEN "<a href=\"&#106;avascript:alert(1)\"/></svg>", "svg_javascript_url");
    SVG_BAD(SVG_OPEN "<set attributeName=\"href\" to=\"JavaScript:alert(1)\"/></svg>",
            "svg_javascript_url");
    SVG_BAD(SVG_OPEN "<a href=\"data:text/html,&lt;b&gt;\"/></svg>", "svg_javascript_url");
}
END_TEST

START_TEST(svg_embedding_and_external_refused)
{
    SVG_BAD(SVG_OPEN "<foreignObject><div/></foreignObject></svg>", "svg_forbidden_element");
    SVG_BAD(SVG_OPEN "<iframe/></svg>", "svg_forbidden_element");
    SVG_BAD(SVG_OPEN "<x:handler xmlns:x=\"urn:x\"/></svg>", "svg_forbidden_element");
    SVG_BAD(SVG_OPEN "<image xlink:href=\"https://evil.example/x.png\"/></svg>",
            "svg_external_reference");
    SVG_BAD(SVG_OPEN "<use href=\"http://evil.example/s.svg#a\"/></svg>", "svg_external_reference");
    SVG_BAD(SVG_OPEN "<image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>",
            "svg_external_reference");
    SVG_BAD(SVG_OPEN "<rect fill=\"url(https://evil.example/p#g)\"/></svg>",
            "svg_external_reference");
    SVG_BAD(SVG_OPEN "<rect style=\"fill: url( 'http://x/y' )\"/></svg>", "svg_external_reference");
    SVG_BAD(SVG_OPEN "<style>@import 'https://evil.example/a.css';</style></svg>",
            "svg_external_reference");
    SVG_BAD(SVG_OPEN "<style><![CDATA[ rect { background: url(//evil.example/t) } ]]></style></svg>",
            "svg_external_reference");
    SVG_BAD(SVG_OPEN "<rect style=\"fill: u\\72l(http://x)\"/></svg>", "svg_external_reference");
    SVG_BAD("<?xml version=\"1.0\"?><?xml-stylesheet href=\"http://evil.example/a.css\"?>" SVG_OPEN
            "</svg>", "svg_processing_instruction");
    SVG_BAD("<!DOCTYPE svg [<!ENTITY x \"y\">]>" SVG_OPEN "</svg>", "svg_doctype");
}
END_TEST

START_TEST(svg_structure_refused)
{
    SVG_BAD("<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", "svg_root");
    SVG_BAD("<svg><rect/></svg>", "svg_root");                      /* no SVG namespace */
    SVG_BAD("<svg xmlns=\"http://evil.example/\"/>", "svg_root");
    SVG_BAD(SVG_OPEN "<g></svg>", "svg_not_wellformed");            /* unclosed */
    SVG_BAD(SVG_OPEN "<g></h></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "</svg><svg/>", "svg_not_wellformed");         /* two roots */
    SVG_BAD(SVG_OPEN "<rect width=10/></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "<rect width=\"1\"height=\"2\"/></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "<text>a & b</text></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "<text>&nbsp;</text></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "<text>&#0;</text></svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "<!-- never closed </svg>", "svg_not_wellformed");
    SVG_BAD(SVG_OPEN, "svg_not_wellformed");
    SVG_BAD(SVG_OPEN "</svg> trailing", "svg_not_wellformed");
    ck_assert_str_eq(kf_svg_check(pool, SVG_OPEN "\xC3\x28</svg>", strlen(SVG_OPEN) + 8),
                     "svg_not_wellformed");                         /* invalid UTF-8 */
    ck_assert_str_eq(kf_svg_check(pool, SVG_OPEN "\0</svg>", strlen(SVG_OPEN) + 7),
                     "svg_not_wellformed");
    ck_assert_str_eq(kf_svg_check(pool, "", 0), "svg_not_wellformed");
    /* nesting deeper than the parser's limit */
    char *deep = apr_palloc(pool, strlen(SVG_OPEN) + 300 * 7 + 1);
    strcpy(deep, SVG_OPEN);
    for (int i = 0; i < 300; i++) {
        strcat(deep, "<g>");
    }
    SVG_BAD(deep, "svg_not_wellformed");
}
END_TEST

/* ---- an uploaded logo ---- */

START_TEST(a_logo_must_be_the_image_it_was_sent_as)
{
    kf_image_type t = KF_IMAGE_SVG;
    ck_assert_ptr_null(kf_image_logo_problem(pool, KF_IMAGE_PNG, png_1x1, sizeof(png_1x1), &t));
    ck_assert_int_eq(t, KF_IMAGE_PNG);
    ck_assert_str_eq(kf_image_logo_problem(pool, KF_IMAGE_SVG, png_1x1, sizeof(png_1x1), &t),
                     "logo_type_mismatch");
    ck_assert_str_eq(kf_image_logo_problem(pool, KF_IMAGE_PNG, "", 0, &t), "logo_empty");
    ck_assert_int_eq(t, KF_IMAGE_UNKNOWN);
    ck_assert_str_eq(kf_image_logo_problem(pool, KF_IMAGE_PNG, png_wide, sizeof(png_wide), &t),
                     "logo_too_large_dimensions");
}
END_TEST

START_TEST(a_logo_has_its_address_and_headers)
{
    ck_assert_str_eq(kf_image_logo_path(pool, "t-1", "0123456789abcdef0123"),
                     "/api/public/tenants/t-1/logo?v=0123456789ab");
    const char *const *h = kf_image_logo_headers("image/png");
    int csp = 0, n = 0;
    for (; *h; h += 2, n++) {
        csp += strcmp(h[0], "Content-Security-Policy") == 0;
    }
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(csp, 0);
    for (h = kf_image_logo_headers("image/svg+xml"); *h; h += 2) {
        if (strcmp(h[0], "Content-Security-Policy") == 0) {
            ck_assert_ptr_nonnull(strstr(h[1], "sandbox"));
            csp++;
        }
    }
    ck_assert_int_eq(csp, 1);
}
END_TEST

START_TEST(the_audit_records_the_stored_logo)
{
    json_t *changes = kf_image_logo_changes("https://x.example/api/public/tenants/t/logo?v=abc",
                                            KF_IMAGE_SVG, 1234, "abcdef");
    char *text = json_dumps(changes, JSON_COMPACT);
    ck_assert_str_eq(text, "{\"logo_url\":\"https://x.example/api/public/tenants/t/logo?v=abc\","
                           "\"content_type\":\"image/svg+xml\",\"size\":1234,\"sha256\":\"abcdef\"}");
    free(text);
    json_decref(changes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("image");
    tcase_add_checked_fixture(tc, kf_test_setup, kf_test_teardown);
    tcase_add_test(tc, sniff_by_content);
    tcase_add_test(tc, media_types);
    tcase_add_test(tc, png_valid);
    tcase_add_test(tc, png_refusals);
    tcase_add_test(tc, png_declared_as_svg_is_not_an_svg);
    tcase_add_test(tc, svg_valid);
    tcase_add_test(tc, svg_scripts_refused);
    tcase_add_test(tc, svg_embedding_and_external_refused);
    tcase_add_test(tc, svg_structure_refused);
    tcase_add_test(tc, a_logo_must_be_the_image_it_was_sent_as);
    tcase_add_test(tc, the_audit_records_the_stored_logo);
    tcase_add_test(tc, a_logo_has_its_address_and_headers);
    suite_add_tcase(s, tc);
    return kf_run_suite(s);
}
