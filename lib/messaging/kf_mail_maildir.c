/* The capture transport (kf_mail_transport.h): every mail written into a maildir
 * (https://cr.yp.to/proto/maildir.html) and sent nowhere, so that a staging server or a demo
 * with no mail relay still shows what would have gone out. A reader sees whole files only:
 * each is written under tmp/, synced, and moved into new/ (linked, then unlinked from tmp/). */
#include "kf_mail_transport.h"
#include "kf_mail_transport_impl.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

const char *kf_maildir_name(apr_pool_t *p, apr_time_t now, long pid, const char *id,
                            const char *host)
{
    char *safe_id = apr_pstrdup(p, id ? id : "");
    char *o = safe_id;
    for (const char *c = id ? id : ""; *c; c++) {
        if (isalnum((unsigned char)*c) || *c == '-') {
            *o++ = *c;
        }
    }
    *o = '\0';
    const char *h = host && *host ? host : "localhost";
    apr_size_t n = strlen(h);
    char *safe_host = apr_palloc(p, n * 4 + 1);
    o = safe_host;
    for (const char *c = h; *c; c++) {
        if (*c == '/' || *c == ':') {
            o += apr_snprintf(o, 5, "\\%03o", (unsigned char)*c);
        }
        else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return apr_psprintf(p, "%" APR_INT64_T_FMT ".M%06ldP%ldR%s.%s", (apr_int64_t)apr_time_sec(now),
                        (long)apr_time_usec(now), pid, safe_id, safe_host);
}

/* The message with LF line ends, after the envelope's two headers. */
static const char *as_maildir_file(apr_pool_t *p, const char *envelope_from, const char *rcpt,
                                   const char *message, apr_size_t *len)
{
    const char *head = apr_psprintf(p, "Return-Path: <%s>\nDelivered-To: %s\n", envelope_from,
                                    rcpt);
    apr_size_t hl = strlen(head), ml = strlen(message);
    char *out = apr_palloc(p, hl + ml + 1);
    memcpy(out, head, hl);
    char *o = out + hl;
    for (const char *c = message; *c; c++) {
        if (c[0] == '\r' && c[1] == '\n') {
            continue;
        }
        *o++ = *c;
    }
    *o = '\0';
    *len = (apr_size_t)(o - out);
    return out;
}

static apr_status_t ensure_dir(apr_pool_t *p, const char *path)
{
    apr_status_t rv = apr_dir_make(path, APR_FPROT_OS_DEFAULT, p);
    return rv == APR_SUCCESS || APR_STATUS_IS_EEXIST(rv) ? APR_SUCCESS : rv;
}

apr_status_t kf_maildir_deliver(apr_pool_t *p, const char *dir, const char *name,
                                const char *envelope_from, const char *rcpt,
                                const char *message, const char **why)
{
    char err[120];
    const char *tmp_dir = apr_pstrcat(p, dir, "/tmp", NULL);
    const char *new_dir = apr_pstrcat(p, dir, "/new", NULL);
    const char *cur_dir = apr_pstrcat(p, dir, "/cur", NULL);
    apr_status_t rv;
    if ((rv = ensure_dir(p, tmp_dir)) != APR_SUCCESS || (rv = ensure_dir(p, new_dir)) != APR_SUCCESS ||
        (rv = ensure_dir(p, cur_dir)) != APR_SUCCESS) {
        *why = apr_psprintf(p, "maildir %s: cannot make tmp/, new/ and cur/: %s", dir,
                            apr_strerror(rv, err, sizeof(err)));
        return rv;
    }
    const char *tmp = apr_pstrcat(p, tmp_dir, "/", name, NULL);
    const char *final = apr_pstrcat(p, new_dir, "/", name, NULL);
    apr_size_t len = 0;
    const char *data = as_maildir_file(p, envelope_from, rcpt, message, &len);
    apr_file_t *f = NULL;
    rv = apr_file_open(&f, tmp, APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL |
                       APR_FOPEN_BINARY, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD, p);
    if (rv == APR_SUCCESS) {
        apr_size_t written = 0;
        rv = apr_file_write_full(f, data, len, &written);
        if (rv == APR_SUCCESS) {
            rv = apr_file_sync(f);
        }
        apr_status_t closed = apr_file_close(f);
        rv = rv == APR_SUCCESS ? closed : rv;
        /* link, not rename: a name already in new/ is refused, never replaced */
        if (rv == APR_SUCCESS && link(tmp, final) != 0) {
            rv = APR_FROM_OS_ERROR(errno);
        }
        apr_file_remove(tmp, p);
    }
    if (rv != APR_SUCCESS) {
        *why = apr_psprintf(p, "maildir %s: cannot write %s: %s", dir, name,
                            apr_strerror(rv, err, sizeof(err)));
    }
    return rv;
}

static kf_mail_result maildir_send(const kf_mail_transport *t, apr_pool_t *p,
                                   const kf_mail_outgoing *m)
{
    kf_mail_result r = {KF_MAIL_FAULT_NONE, NULL, NULL, 0};
    const char *name = kf_maildir_name(p, apr_time_now(), (long)getpid(), m->id, t->host);
    /* a full disk or a wrong owner is the operator's to fix: the mail waits for it */
    if (kf_maildir_deliver(p, t->dir, name, m->envelope_from, m->msg->to, m->built, &r.why) !=
        APR_SUCCESS) {
        r.fault = KF_MAIL_FAULT_UNREACHABLE;
    }
    else {
        r.remote_id = name;
    }
    return r;
}

kf_mail_transport *kf_mail_transport_maildir(apr_pool_t *p, const char *dir, const char *host)
{
    kf_mail_transport *t = apr_pcalloc(p, sizeof(*t));
    t->name = kf_mail_via_maildir.name;
    t->send = maildir_send;
    t->dir = dir;
    t->host = host;
    return t;
}

static kf_mail_transport *maildir_open(apr_pool_t *p, const kf_mail_transport_setup *setup)
{
    return kf_mail_transport_maildir(p, setup->folder, setup->host);
}

const kf_mail_transport_kind kf_mail_via_maildir = {
    .name = "maildir",
    .takes_folder = 1,
    .sends = 0,                 /* captured: written as files, never sent */
    .open = maildir_open,
};
