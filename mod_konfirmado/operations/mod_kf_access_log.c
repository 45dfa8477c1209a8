/* What the access log may say of a request's path: kf_url_path_for_log's, in the request
 * note "konfirmado-path", for a LogFormat's %<{konfirmado-path}n (docs/operating.md, "Access
 * logs"): a calendar invitation's token never reaches the disk, and with no %r, %q or %U
 * neither does a query string's token. Noted in every virtual host, the engine on or not: the
 * site's plain-HTTP redirect (conf/example-vhost.conf) receives the same links and logs them
 * with the same format. */
#include "mod_kf_operations_feature.h"
#include "kf_url.h"

int kfm_access_log_note(request_rec *r)
{
    apr_table_setn(r->notes, "konfirmado-path", kf_url_path_for_log(r->pool, r->parsed_uri.path));
    return DECLINED;
}
