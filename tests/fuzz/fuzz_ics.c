/* The iCalendar writer with text from outside (names, notes, service descriptions): an
 * escaped value unescapes to the input minus the bytes TEXT cannot hold, a folded line
 * never exceeds 75 octets nor splits a character, and a whole event never gains a line. */
#include "fuzz_common.h"
#include "kf_ics.h"

#include <stdlib.h>
#include <string.h>

/* The input without what escaping drops: CR+LF / CR become LF, control bytes but TAB go. */
static char *expected_text(apr_pool_t *p, const char *s)
{
    size_t n = strlen(s);
    char *out = apr_palloc(p, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            if (s[i + 1] == '\n') {
                i++;
            }
            *o++ = '\n';
        }
        else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f)) {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p = fuzz_pool();
    const char *text = fuzz_text(p, data, size);
    const char *escaped = kf_ics_escape_text(p, text);
    if (strchr(escaped, '\r') || strchr(escaped, '\n')) {
        abort();
    }
    if (strcmp(kf_ics_unescape_text(p, escaped), expected_text(p, text)) != 0) {
        abort();
    }
    const char *folded = kf_ics_fold(p, escaped);
    for (const char *line = folded; *line;) {
        /* (arbitrary bytes are not always UTF-8: only the length is checked here; the
         * unit tests check that characters are kept whole) */
        const char *crlf = strstr(line, "\r\n");
        if (!crlf || crlf - line > 75) {
            abort();
        }
        line = crlf + 2;
    }
    kf_ics_event ev = {0};
    ev.uid = "fuzz@konfirmado.test";
    ev.start = apr_time_from_sec(1796137200);
    ev.end = ev.start + apr_time_from_sec(1800);
    ev.summary = text;
    ev.description = text;
    ev.organizer_name = text;
    ev.attendee_name = text;
    ev.organizer_email = "a@b.example";
    ev.attendee_email = "c@d.example";
    const char *ics = kf_ics_build(p, &ev);
    if (!ics) {
        abort();
    }
    /* the same number of content lines whatever the text: it cannot add one */
    int unfolded = 0;
    for (const char *s = ics; (s = strstr(s, "\r\n")); s += 2) {
        if (s[2] != ' ') {
            unfolded++;
        }
    }
    if (unfolded != (*text ? 19 : 18)) {   /* 18 lines, DESCRIPTION when there is text */
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
