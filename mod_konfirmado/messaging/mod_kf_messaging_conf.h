#ifndef MOD_KF_MESSAGING_CONF_H
#define MOD_KF_MESSAGING_CONF_H
/* The messaging feature's directives (mail and reminders), one X(T, field, "Directive", KIND,
 * default, "help") each; the generators of mod_kf_config.h make of them struct
 * kfm_messaging_conf, its getters kfm_messaging_conf_<field>(c) and kfm_messaging_conf_of(s),
 * the configuration in server s. */
#include "mod_kf_config.h"

#define KFM_MESSAGING_DIRECTIVES(X, T)                                                       \
    X(T, mail_url, "KonfirmadoMailURL", MAILURL, NULL,                                       \
      "SMTP server for outgoing mail: smtp://host:port or smtps://host:port")                \
    X(T, mail_from, "KonfirmadoMailFrom", TEXT, NULL, "From header of outgoing mail")        \
    X(T, mail_transport, "KonfirmadoMailTransport", MAILTRANSPORT, "smtp",                  \
      "how mail leaves: smtp (KonfirmadoMailURL), resend (Resend's API, key in "             \
      "KonfirmadoResendKeyFile) or maildir <folder> (written as files, never sent)")         \
    X(T, resend_key, "KonfirmadoResendKeyFile", SECRETFILE, NULL,                            \
      "file holding the Resend API key on its first line (not readable by every user)")      \
    X(T, mail_retry_base, "KonfirmadoMailRetryBase", SECONDS, 5,                             \
      "seconds before a mail is retried; later retries wait 3, 12, 60, 180, 720 times it")   \
    X(T, reminder_interval, "KonfirmadoReminderInterval", SECONDS, 60,                       \
      "seconds between two runs of the job sending booking reminders")

KFM_CONF_DECLARE(kfm_messaging_conf, KFM_MESSAGING_DIRECTIVES)

#endif
