#ifndef MOD_KF_H
#define MOD_KF_H
/* Common includes of the httpd glue. Only mod_konfirmado/ includes httpd headers. */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_config.h"

#include <apr_strings.h>

extern module AP_MODULE_DECLARE_DATA konfirmado_module;

/* mod_konfirmado.c declares the module with AP_DECLARE_MODULE, which already does this. */
#if defined(APLOG_USE_MODULE) && !defined(KF_MODULE_MAIN)
APLOG_USE_MODULE(konfirmado);
#endif

#endif
