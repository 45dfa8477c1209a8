#ifndef MOD_KF_PROVIDER_HTTP_H
#define MOD_KF_PROVIDER_HTTP_H
/* The outbound HTTP client every provider API is called with (payments, calendars, Twilio):
 * the core's kf_http over libcurl, under its SSRF and timeout rules (lib/net/kf_http.c). */
#include "mod_kf.h"
#include "kf_http.h"

/* https only, except the configured provider URLs when KonfirmadoAllowInsecureURLs is On
 * (tests and the demo point them at tests/fakes). Lives as long as c->p. */
kf_http_client *kfm_provider_http(const kfm_ctx *c);

#endif
