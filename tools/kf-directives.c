/* Prints the command table httpd gets from the module, one line per directive, tab-separated:
 * name, how httpd reads its arguments, where it may be used, its kind and default as the
 * directive list writes them ("-" for the directives that are no scalar), the feature whose
 * list declares it, and its help. The table is the static one of mod_konfirmado.c (included
 * here), made from the module's list and every feature's; tests/e2e/test_directive_docs.py
 * compares it with docs/configuration.md and conf/konfirmado.conf.
 *
 * Only the directive lists' definitions are linked (Makefile.am): the setters stay
 * unresolved and read as null, never called. */
#include "mod_konfirmado.c"

#include <stdio.h>

static const char *args_how(enum cmd_how how)
{
    switch (how) {
    case FLAG: return "FLAG";
    case TAKE1: return "TAKE1";
    case TAKE2: return "TAKE2";
    case TAKE12: return "TAKE12";
    case ITERATE: return "ITERATE";
    default: return "OTHER";
    }
}

/* The contexts of docs/configuration.md: a directive of the server, never of a directory. */
static const char *context(int where)
{
    return where == RSRC_CONF ? "server config, virtual host" : "other";
}

int main(void)
{
    for (const command_rec *cmd = directives; cmd->name; cmd++) {
        const kfm_directive *d = cmd->cmd_data;
        if (d && !d->set) {
            fprintf(stderr, "kf-directives: the list of %s is not linked: add its "
                    "mod_kf_<feature>_conf.c to tools_kf_directives_SOURCES in Makefile.am\n",
                    cmd->name);
            return 1;
        }
        printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cmd->name, args_how(cmd->args_how),
               context(cmd->req_override), d ? d->kind : "-", d ? d->default_text : "-",
               d ? d->set->owner : "module", cmd->errmsg);
    }
    return 0;
}
