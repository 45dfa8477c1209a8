/* Field rules of merchant accounts (see kf_account.h). Pure functions. */
#include "kf_account.h"
#include <apr_general.h>
#include <apr_md5.h>
#include "kf_email.h"
#include "kf_mail.h"
#include "kf_text.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

const char *kf_account_email_problem(const char *email)
{
    if (email && strlen(email) > KF_EMAIL_MAX) {
        return "account_email_too_long";
    }
    return kf_email_valid(email) ? NULL : "account_email_invalid";
}

const char *kf_account_password_problem(const char *password, const char *email)
{
    apr_size_t n = kf_utf8_length(password);
    if (n < KF_PASSWORD_MIN) {
        return "account_password_too_short";
    }
    if (n > KF_PASSWORD_MAX) {
        return "account_password_too_long";
    }
    /* emails are ASCII (kf_email_valid), so an ASCII case-insensitive compare is exact */
    if (email && strcasecmp(password, email) == 0) {
        return "account_password_is_email";
    }
    return NULL;
}

const char *kf_account_business_name_trim(apr_pool_t *p, const char *name)
{
    if (!name) {
        return NULL;
    }
    apr_size_t len;
    const char *start = kf_trim_span(name, &len);
    return apr_pstrndup(p, start, len);
}

const char *kf_account_business_name_problem(const char *name)
{
    if (!name) {
        return "account_business_name_length";
    }
    apr_size_t len;
    const char *start = kf_trim_span(name, &len);
    apr_size_t points = 0;
    for (apr_size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)start[i];
        if (c < 0x20 || c == 0x7f) {
            return "account_business_name_invalid";
        }
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
        if (c == 0xC2 && i + 1 < len && (unsigned char)start[i + 1] <= 0x9F) {
            return "account_business_name_invalid";
        }
        if ((c & 0xC0) != 0x80) {
            points++;
        }
    }
    if (points < KF_BUSINESS_NAME_MIN || points > KF_BUSINESS_NAME_MAX) {
        return "account_business_name_length";
    }
    return NULL;
}

/* bcrypt cost 12 of a random string nobody knows: what an unknown email is checked against. */
static const char dummy_hash[] = "$2y$12$AecMKGl1HPADTRLjtowtSez8tJnRjCcq3RZlxAu00/TvgJV0lpD22";

const char *kf_password_hash(apr_pool_t *p, const char *password, apr_status_t *rv)
{
    unsigned char salt[16];
    char out[128];
    *rv = apr_generate_random_bytes(salt, sizeof(salt));
    if (*rv == APR_SUCCESS) {
        *rv = apr_bcrypt_encode(password, KF_BCRYPT_COST, salt, sizeof(salt), out, sizeof(out));
    }
    return *rv == APR_SUCCESS ? apr_pstrdup(p, out) : NULL;
}

int kf_password_matches(const char *password, const char *hash)
{
    apr_status_t rv = apr_password_validate(password, hash ? hash : dummy_hash);
    return hash != NULL && rv == APR_SUCCESS;
}

const char *kf_session_cookie(apr_pool_t *p, const char *value, long max_age, const char *scheme,
                              const char *public_url)
{
    int secure = (scheme && strcmp(scheme, "https") == 0) ||
                 (public_url && strncmp(public_url, "https://", 8) == 0);
    return apr_psprintf(p, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s",
                        KF_SESSION_COOKIE, value ? value : "", max_age, secure ? "; Secure" : "");
}
