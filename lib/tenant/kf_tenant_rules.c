/* Tenant settings rules (see kf_tenant_rules.h). Pure functions. */
#include "kf_email.h"
#include "kf_tenant_rules.h"
#include "kf_privacy.h"
#include "kf_json.h"
#include "kf_text.h"
#include "kf_host.h"
#include "kf_money.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

static int is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int kf_color_valid(const char *s)
{
    if (!s || s[0] != '#' || strlen(s) != 7) {
        return 0;
    }
    for (int i = 1; i < 7; i++) {
        if (!is_hex_digit(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* Host names a platform operator needs for itself, or that users would mistake for the
 * platform's own (phishing): a tenant cannot take them. */
static const char *const reserved_subdomains[] = {
    "www", "api", "admin", "app", "mail", "smtp", "imap", "pop", "pop3", "ftp", "mx",
    "ns1", "ns2", "ns3", "dns", "static", "assets", "cdn", "media", "img", "files",
    "help", "support", "status", "docs", "blog", "dashboard", "panel", "auth", "login",
    "account", "accounts", "billing", "pay", "payments", "checkout", "webhooks", "hooks",
    "callback", "oauth", "connect", "secure", "dev", "test", "staging", "demo", "root",
    "konfirmado", NULL,
};

int kf_subdomain_reserved(const char *s)
{
    for (int i = 0; s && reserved_subdomains[i]; i++) {
        if (strcmp(reserved_subdomains[i], s) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *kf_subdomain_check(const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 63 || s[0] == '-' || s[n - 1] == '-') {
        return "tenant_subdomain_format";
    }
    for (apr_size_t i = 0; i < n; i++) {
        if (!is_lower_alnum(s[i]) && s[i] != '-') {
            return "tenant_subdomain_format";
        }
    }
    return kf_subdomain_reserved(s) ? "tenant_subdomain_reserved" : NULL;
}

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, in order, two letters each. */
static const char iso3166_alpha2[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
    "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
    "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
    "DEDJDKDMDODZ"
    "ECEEEGEHERESET"
    "FIFJFKFMFOFR"
    "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
    "HKHMHNHRHTHU"
    "IDIEILIMINIOIQIRISIT"
    "JEJMJOJP"
    "KEKGKHKIKMKNKPKRKWKYKZ"
    "LALBLCLILKLRLSLTLULVLY"
    "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
    "NANCNENFNGNINLNONPNRNUNZ"
    "OM"
    "PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
    "QA"
    "RERORSRURW"
    "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
    "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
    "UAUGUMUSUYUZ"
    "VAVCVEVGVIVNVU"
    "WFWS"
    "YEYT"
    "ZAZMZW";

int kf_country_valid(const char *s)
{
    if (!s || strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') {
        return 0;
    }
    for (const char *c = iso3166_alpha2; *c; c += 2) {
        if (c[0] == s[0] && c[1] == s[1]) {
            return 1;
        }
    }
    return 0;
}

int kf_tenant_locale_valid(const char *s)
{
    return s && (strcmp(s, "es") == 0 || strcmp(s, "en") == 0);
}

int kf_timezone_name_plausible(const char *s)
{
    apr_size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64 || s[0] == '/') {
        return 0;
    }
    for (apr_size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '+' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* ---- editable fields ---- */

const char *const kf_tenant_fields[] = {
    "name", "subdomain", "timezone", "locale", "country", "primary_color",
    "secondary_color", "logo_url", "callback_url", "return_url", "terms_url", "custom_domain",
    "notification_email", "contact_phone", "reply_to_email", NULL,
};

static int is_url_field(const char *field)
{
    return strcmp(field, "logo_url") == 0 || strcmp(field, "callback_url") == 0 ||
           strcmp(field, "return_url") == 0 || strcmp(field, "terms_url") == 0;
}

int kf_tenant_field_nullable(const char *field)
{
    return field && (strcmp(field, "subdomain") == 0 || strcmp(field, "custom_domain") == 0 ||
                     strcmp(field, "notification_email") == 0 ||
                     strcmp(field, "contact_phone") == 0 ||
                     strcmp(field, "reply_to_email") == 0 || is_url_field(field));
}

static int has_control_chars(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            return 1;
        }
    }
    return 0;
}

const char *kf_trim(apr_pool_t *p, const char *s)
{
    if (!s) {
        return NULL;
    }
    apr_size_t n;
    const char *start = kf_trim_span(s, &n);
    return apr_pstrndup(p, start, n);
}

static const char *check_name(const char *value)
{
    /* lengths are counted on the trimmed text, which is what gets stored */
    apr_size_t bytes;
    const char *start = kf_trim_span(value, &bytes);
    if (has_control_chars(value)) {
        return "tenant_name_length";
    }
    apr_size_t chars = 0;
    for (apr_size_t i = 0; i < bytes; i++) {
        chars += ((unsigned char)start[i] & 0xC0) != 0x80;
    }
    return chars >= 2 && chars <= 100 ? NULL : "tenant_name_length";
}

static const char *check_url(const char *value, kf_url_policy policy)
{
    if (kf_url_check(NULL, value, policy) == NULL) {
        return NULL;
    }
    /* a good http:// URL where only https:// is accepted deserves the precise message */
    if (policy == KF_URL_HTTPS_ONLY && kf_url_check(NULL, value, KF_URL_ALLOW_HTTP) == NULL) {
        return "tenant_url_https";
    }
    return "tenant_url_invalid";
}

const char *kf_tenant_field_check(const char *field, const char *value, kf_url_policy policy)
{
    if (!field || !value) {
        return "tenant_field_required";
    }
    if (strcmp(field, "name") == 0) {
        return check_name(value);
    }
    if (strcmp(field, "subdomain") == 0) {
        return kf_subdomain_check(value);
    }
    if (strcmp(field, "timezone") == 0) {
        return kf_timezone_name_plausible(value) ? NULL : "tenant_timezone";
    }
    if (strcmp(field, "locale") == 0) {
        return kf_tenant_locale_valid(value) ? NULL : "tenant_locale";
    }
    if (strcmp(field, "country") == 0) {
        return kf_country_valid(value) ? NULL : "tenant_country";
    }
    if (strcmp(field, "primary_color") == 0 || strcmp(field, "secondary_color") == 0) {
        return kf_color_valid(value) ? NULL : "tenant_color";
    }
    if (is_url_field(field)) {
        return check_url(value, policy);
    }
    if (strcmp(field, "custom_domain") == 0) {
        /* the name alone; whether it is the platform's is the glue's check (base domain) */
        return kf_custom_domain_check(value, NULL);
    }
    if (strcmp(field, "notification_email") == 0 || strcmp(field, "reply_to_email") == 0) {
        /* where new, moved and cancelled bookings are mailed, or where customers' replies go
         * (a Reply-To header: the rule refuses CR, LF and every other control byte) */
        return kf_email_valid(value) ? NULL : "invalid_email";
    }
    if (strcmp(field, "contact_phone") == 0) {
        /* the number its customers call, in E.164 whatever the country */
        return kf_phone_e164(value) ? NULL : "tenant_phone";
    }
    return "tenant_field_unknown";
}

int kf_tenant_validate_patch(const json_t *body, kf_url_policy policy, json_t *errors)
{
    int bad = 0;
    for (int i = 0; kf_tenant_fields[i]; i++) {
        const char *field = kf_tenant_fields[i];
        const char *value = NULL;
        const char *why = NULL;
        switch (kf_json_get_string(body, field, &value)) {
        case KF_JSON_FIELD_ABSENT:
            continue;
        case KF_JSON_FIELD_NULL:
            why = kf_tenant_field_nullable(field) ? NULL : "tenant_field_required";
            break;
        case KF_JSON_FIELD_WRONG_TYPE:
            why = "tenant_field_string";
            break;
        case KF_JSON_FIELD_OK:
            why = kf_tenant_field_check(field, value, policy);
            break;
        }
        if (why) {
            json_object_set_new(errors, field, json_string(why));
            bad++;
        }
    }
    return bad;
}

/* ---- booking policy ---- */

const char *const kf_tenant_policy_fields[KF_TENANT_POLICY_FIELDS] = {
    "cancel_cutoff_hours", "reschedule_cutoff_hours", "max_reschedules", "auto_complete_hours",
    "data_retention_months", "erasure_auto_days", "refund_on_cancel", "calendar_customer_attendee", "payment_provider",
    "calcom_hours",
};

int kf_tenant_policy_read(apr_pool_t *p, const json_t *body, kf_provider_currencies *providers,
                          const char *out[KF_TENANT_POLICY_FIELDS], json_t *errors)
{
    static const int min[KF_TENANT_POLICY_INTS] = {0, 0, 0, 0, KF_PRIVACY_RETENTION_MIN, 0};
    static const int max[KF_TENANT_POLICY_INTS] = {720, 720, 10, 720, KF_PRIVACY_RETENTION_MAX,
                                                   KF_PRIVACY_ERASURE_DAYS_MAX};
    static const char *const why[KF_TENANT_POLICY_INTS] = {
        "tenant_cutoff_hours", "tenant_cutoff_hours", "tenant_max_reschedules",
        "tenant_cutoff_hours", "tenant_retention_months", "tenant_erasure_days"};
    int sent = 0;
    for (int i = 0; i < KF_TENANT_POLICY_FIELDS; i++) {
        const char *field = kf_tenant_policy_fields[i];
        out[i] = NULL;
        if (!json_object_get(body, field)) {
            continue;
        }
        sent++;
        if (i < KF_TENANT_POLICY_INTS) {
            json_int_t v = 0;
            if (kf_json_get_int(body, field, &v) != KF_JSON_FIELD_OK || v < min[i] || v > max[i]) {
                json_object_set_new(errors, field, json_string(why[i]));
                continue;
            }
            out[i] = apr_psprintf(p, "%d", (int)v);
        }
        else if (i == KF_TENANT_POLICY_ATTENDEE) {
            int v = 0;
            if (kf_json_get_bool(body, field, &v) != KF_JSON_FIELD_OK) {
                json_object_set_new(errors, field, json_string("tenant_boolean"));
                continue;
            }
            out[i] = v ? "true" : "false";
        }
        else if (i == KF_TENANT_POLICY_PROVIDER) {
            const char *v = NULL;
            if (kf_json_get_string(body, field, &v) != KF_JSON_FIELD_OK ||
                !providers(v)) {
                json_object_set_new(errors, field, json_string("tenant_payment_provider"));
                continue;
            }
            out[i] = v;
        }
        else if (i == KF_TENANT_POLICY_CALCOM_HOURS) {
            const char *v = NULL;
            if (kf_json_get_string(body, field, &v) != KF_JSON_FIELD_OK ||
                (strcmp(v, "ours") != 0 && strcmp(v, "calcom") != 0 && strcmp(v, "both") != 0)) {
                json_object_set_new(errors, field, json_string("tenant_calcom_hours"));
                continue;
            }
            out[i] = v;
        }
        else {
            const char *v = NULL;
            if (kf_json_get_string(body, field, &v) != KF_JSON_FIELD_OK ||
                (strcmp(v, "full") != 0 && strcmp(v, "none") != 0)) {
                json_object_set_new(errors, field, json_string("tenant_refund_on_cancel"));
                continue;
            }
            out[i] = v;
        }
    }
    return sent;
}

const char *kf_tenant_reminders_read(apr_pool_t *p, const json_t *body, json_t *errors)
{
    json_t *list = json_object_get(body, "reminders");
    if (!list) {
        return NULL;
    }
    const char *text = "{";
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    int ok = json_is_array(list) && n <= KF_REMINDER_LEADS_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        json_t *v = json_array_get(list, i);
        json_int_t lead = json_is_integer(v) ? json_integer_value(v) : 0;
        ok = lead >= KF_REMINDER_LEAD_MIN && lead <= KF_REMINDER_LEAD_MAX;
        for (size_t j = 0; ok && j < i; j++) {
            ok = json_integer_value(json_array_get(list, j)) != lead;   /* no lead twice */
        }
        text = apr_psprintf(p, "%s%s%d", text, i ? "," : "", (int)lead);
    }
    if (!ok) {
        json_object_set_new(errors, "reminders", json_string("tenant_reminders"));
        return NULL;
    }
    return apr_pstrcat(p, text, "}", NULL);
}

json_t *kf_tenant_reminder_limits(void)
{
    return json_pack("{s:i, s:i, s:i}", "leads_max", KF_REMINDER_LEADS_MAX,
                     "lead_min_minutes", KF_REMINDER_LEAD_MIN, "lead_max_minutes", KF_REMINDER_LEAD_MAX);
}

/* ---- secrets ---- */

const char *kf_secret_hint(apr_pool_t *p, const char *secret)
{
    if (!secret || kf_utf8_length(secret) < 8) {
        return NULL;
    }
    /* walk back over 4 code points */
    const char *end = secret + strlen(secret);
    const char *start = end;
    for (int n = 0; n < 4; n++) {
        do {
            start--;
        } while (start > secret && ((unsigned char)*start & 0xC0) == 0x80);
    }
    return apr_pstrdup(p, start);
}

int kf_events_secret_previous_valid(apr_int64_t until, apr_int64_t now)
{
    return now < until;
}

void kf_events_secret_rotation(const char *old_secret, const char *old_previous,
                               apr_int64_t old_until, const char *new_secret, apr_int64_t now,
                               const char **previous, apr_int64_t *until)
{
    *previous = NULL;
    *until = 0;
    if (old_secret && new_secret && strcmp(old_secret, new_secret) != 0) {
        *previous = old_secret;
        *until = now + KF_EVENTS_SECRET_GRACE_SEC;
    }
    else if (old_previous && kf_events_secret_previous_valid(old_until, now) &&
             !(new_secret && strcmp(old_previous, new_secret) == 0)) {
        *previous = old_previous;
        *until = old_until;
    }
}

/* ---- currency ---- */

const char *kf_tenant_currency_check(const char *currency, const char *const *accepted)
{
    if (!kf_currency_known(currency)) {
        return "currency_invalid";
    }
    for (int i = 0; accepted && accepted[i]; i++) {
        if (strcmp(accepted[i], currency) == 0) {
            return NULL;
        }
    }
    return "currency_not_accepted";
}

const char *kf_tenant_currency_of_new_country(const char *current_currency,
                                              const char *old_country, const char *new_country)
{
    if (!new_country || (old_country && strcmp(old_country, new_country) == 0)) {
        return NULL;
    }
    const char *old_default = old_country ? kf_currency_of_country(old_country) : NULL;
    const char *new_default = kf_currency_of_country(new_country);
    if (!new_default || !current_currency || !old_default ||
        strcmp(current_currency, old_default) != 0 || strcmp(new_default, current_currency) == 0) {
        return NULL;
    }
    return new_default;
}

const json_t *kf_tenant_reprice_read(const json_t *body, json_t *errors)
{
    const json_t *reprice = json_object_get(body, "reprice");
    if (!reprice) {
        return NULL;
    }
    if (!json_is_object(reprice)) {
        json_object_set_new(errors, "reprice", json_string("reprice_object"));
        return NULL;
    }
    const char *id;
    json_t *amount;
    int bad = 0;
    json_object_foreach((json_t *)reprice, id, amount) {
        if (!json_is_integer(amount) || json_integer_value(amount) < 1 ||
            json_integer_value(amount) > KF_MONEY_MAX) {
            char key[128];
            snprintf(key, sizeof(key), "reprice.%.100s", id);
            json_object_set_new(errors, key, json_string("reprice_amount"));
            bad++;
        }
    }
    return bad ? NULL : reprice;
}

#define NAMED_MAX 5

/* “a”, “b”, “c” (+ "y N más" / "and N more") */
static const char *named(apr_pool_t *p, kf_locale locale, const apr_array_header_t *names)
{
    const char *out = "";
    for (int i = 0; names && i < names->nelts && i < NAMED_MAX; i++) {
        out = apr_pstrcat(p, out, i ? ", " : "", "“", APR_ARRAY_IDX(names, i, const char *),
                          "”", NULL);
    }
    if (names && names->nelts > NAMED_MAX) {
        out = apr_psprintf(p, locale == KF_LOCALE_EN ? "%s and %d more" : "%s y %d más", out,
                           names->nelts - NAMED_MAX);
    }
    return out;
}

const char *kf_currency_in_use_message(apr_pool_t *p, kf_locale locale, const char *to,
                                       const char *from, const apr_array_header_t *services,
                                       const apr_array_header_t *packages)
{
    int en = locale == KF_LOCALE_EN;
    int has_s = services && services->nelts > 0, has_p = packages && packages->nelts > 0;
    const char *what = "";
    if (has_s) {
        what = apr_pstrcat(p, en ? (services->nelts > 1 ? "services " : "service ")
                                 : (services->nelts > 1 ? "los servicios " : "el servicio "),
                           named(p, locale, services), NULL);
    }
    if (has_p) {
        what = apr_pstrcat(p, what, has_s ? (en ? " and " : " y ") : "",
                           en ? (packages->nelts > 1 ? "packages " : "package ")
                              : (packages->nelts > 1 ? "los paquetes " : "el paquete "),
                           named(p, locale, packages), NULL);
    }
    /* the merchant must know what to change: the priced things, the two currencies */
    return en ? apr_psprintf(p, "To charge in %s, first give a price in %s (or archive) what is "
                                "priced in %s: %s.", to, to, from ? from : "another currency", what)
              : apr_psprintf(p, "Para cobrar en %s, primero dale un precio en %s (o archiva) lo "
                                "que tiene precio en %s: %s.", to, to, from ? from : "otra moneda",
                             what);
}
