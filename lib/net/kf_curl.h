#ifndef KF_CURL_H
#define KF_CURL_H
/* What the two users of libcurl (kf_http_curl.c, kf_mail_smtp.c) share. */
#include <curl/curl.h>

/* curl_easy_setopt, skipped once an earlier one failed: a run of options is checked once,
 * through the CURLcode `rc` in scope. */
#define KF_CURL_SETOPT(h, opt, val)                                                          \
    do {                                                                                     \
        if (rc == CURLE_OK) {                                                                \
            rc = curl_easy_setopt((h), (opt), (val));                                        \
        }                                                                                    \
    } while (0)

#endif
