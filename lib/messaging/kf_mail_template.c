/* Mail templates: the copy of every mail in es and en, and their rendering (kf_mail.h).
 * A template is plain text with {{variable}} placeholders; the HTML part escapes what it
 * substitutes, the text part does not need to. */
#include "kf_mail.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <sys/uio.h>
#include <string.h>

typedef struct mail_template {
    const char *name;
    kf_locale locale;
    const char *subject;
    const char *text;
    const char *html;
} mail_template;

/* Inline styles only: mail clients drop <style> blocks and external sheets. */
#define HTML_PAGE_OPEN(lang, title, card_style)                                              \
    "<!DOCTYPE html>\n<html lang=\"" lang "\">\n<head>\n<meta charset=\"utf-8\">\n"          \
    "<meta name=\"viewport\" content=\"width=device-width\">\n<title>" title "</title>\n"    \
    "</head>\n<body style=\"margin:0;padding:24px;background:#f4f5f7;"                       \
    "font-family:Helvetica,Arial,sans-serif;color:#1f2937;line-height:1.5\">\n"              \
    "<div style=\"max-width:520px;margin:0 auto;background:#ffffff;border-radius:8px;"       \
    "padding:32px" card_style "\">\n"
#define HTML_TITLE(title) "<h1 style=\"font-size:20px;margin:0 0 16px\">" title "</h1>\n"
#define HTML_OPEN(lang, title) HTML_PAGE_OPEN(lang, title, "") HTML_TITLE(title)
#define HTML_HREF_BUTTON(var, colors, label)                                                 \
    "<p style=\"margin:24px 0\"><a href=\"{{" var "}}\" style=\"display:inline-block;"       \
    colors ";text-decoration:none;padding:12px 20px;"                                        \
    "border-radius:6px;font-weight:bold\">" label "</a></p>\n"
#define HTML_LINK_BUTTON(colors, label) HTML_HREF_BUTTON("link", colors, label)
#define HTML_BUTTON(label) HTML_LINK_BUTTON("background:#3B82F6;color:#ffffff", label)
#define HTML_RAW_HREF(var, intro)                                                            \
    "<p style=\"font-size:13px;color:#6b7280\">" intro "<br>\n"                              \
    "<a href=\"{{" var "}}\" style=\"color:#3B82F6;word-break:break-all\">{{" var "}}</a></p>\n"
#define HTML_RAW_LINK(intro) HTML_RAW_HREF("link", intro)
#define HTML_CLOSE(signature)                                                                \
    "<p style=\"font-size:13px;color:#6b7280;margin-top:24px\">" signature "</p>\n"          \
    "</div>\n</body>\n</html>\n"

/* Booking mails: the business's name and color on top, the facts as a table. */
#define BOOKING_HTML_OPEN(lang, title)                                                       \
    HTML_PAGE_OPEN(lang, title, ";border-top:6px solid {{brand_color}}")                     \
    "<p style=\"margin:0 0 8px;font-weight:bold;color:#4b5563\">{{business_name}}</p>\n"     \
    HTML_TITLE(title)
#define BOOKING_TABLE(rows)                                                                  \
    "<table role=\"presentation\" style=\"border-collapse:collapse;margin:16px 0\">\n" rows  \
    "</table>\n"
#define BOOKING_ROW(label, var)                                                              \
    "<tr><td style=\"padding:4px 12px 4px 0;color:#4b5563;vertical-align:top\">" label       \
    "</td><td style=\"padding:4px 0\"><strong>{{" var "}}</strong></td></tr>\n"
/* a line under a time: the same time in the other party's zone */
#define BOOKING_OTHER_ROW(var)                                                               \
    "<tr><td></td><td style=\"padding:0 0 4px;color:#4b5563;font-size:13px\">{{" var "}}"    \
    "</td></tr>\n"
/* service, professional, a time (and the other party's) and the place */
#define BOOKING_WHEN_ROWS(service, with, when)                                               \
    BOOKING_ROW(service, "service") BOOKING_ROW(with, "professional")                        \
    BOOKING_ROW(when, "when") BOOKING_OTHER_ROW("when_other")                                \
    "<tr><td></td><td style=\"padding:0 0 4px\">{{place}}</td></tr>\n"
#define BOOKING_FACTS(service, with, when, paid)                                             \
    BOOKING_TABLE(BOOKING_WHEN_ROWS(service, with, when) BOOKING_ROW(paid, "paid"))
/* the same without the payment: cancelled bookings and reminders */
#define BOOKING_CANCELLED_FACTS(service, with, when)                                         \
    BOOKING_TABLE(BOOKING_WHEN_ROWS(service, with, when))
/* A move: the time before and the new one side by side, each with the other party's. */
#define BOOKING_MOVED_FACTS(service, with, before, when)                                     \
    BOOKING_TABLE(BOOKING_ROW(service, "service") BOOKING_ROW(with, "professional")          \
                  BOOKING_ROW(before, "before") BOOKING_OTHER_ROW("before_other")            \
                  BOOKING_ROW(when, "when") BOOKING_OTHER_ROW("when_other"))
/* a row whose value opens with `scheme` (mailto:, tel:) */
#define BOOKING_LINK_ROW(label, scheme, var)                                                 \
    "<tr><td style=\"padding:4px 12px 4px 0;color:#4b5563;vertical-align:top\">" label       \
    "</td><td style=\"padding:4px 0\"><a href=\"" scheme "{{" var "}}\" style=\"color:#1f2937;" \
    "font-weight:bold\">{{" var "}}</a></td></tr>\n"
/* Who booked, for the professional and the front desk: the phone and the notes only when
 * the customer gave them. */
#define BOOKING_CUSTOMER(name, email, phone, notes)                                          \
    BOOKING_TABLE(BOOKING_ROW(name, "customer_name")                                         \
                  BOOKING_LINK_ROW(email, "mailto:", "customer_email")                       \
                  "{{#customer_phone}}" BOOKING_LINK_ROW(phone, "tel:", "customer_phone")    \
                  "{{/customer_phone}}"                                                      \
                  "{{#notes}}" BOOKING_ROW(notes, "notes") "{{/notes}}")
/* The booking's page in the merchant dashboard, on the business's own host. */
#define DASHBOARD_BUTTON(label, intro)                                                       \
    HTML_HREF_BUTTON("dashboard_link", "background:{{brand_color}};color:{{brand_text}}",   \
                     label)                                                                  \
    HTML_RAW_HREF("dashboard_link", intro)
#define BOOKING_BUTTON(label)                                                                \
    HTML_LINK_BUTTON("background:{{brand_color}};color:{{brand_text}}", label)
/* A reminder's way out: the page that turns reminders off (RFC 8058's header names it too). */
#define UNSUBSCRIBE_LINK(label)                                                              \
    "<p style=\"font-size:12px;color:#6b7280;margin-top:24px\"><a href=\"{{unsubscribe_url}}\" " \
    "style=\"color:#6b7280\">" label "</a></p>\n"
#define BOOKING_NOTE(text) "<p style=\"font-size:13px;color:#4b5563\">" text "</p>\n"

/* The text part's facts, as the HTML part's tables show them: service, professional, a time
 * followed by {{when_other}}, and {{place}}; a move's, the time before it too. */
#define TEXT_FACTS(service, with, when)                                                      \
    service ": {{service}}\n" with ": {{professional}}\n" when ": {{when}}\n"                \
    "{{when_other}}{{place}}"
#define TEXT_MOVED_FACTS(service, with, before, when)                                        \
    service ": {{service}}\n" with ": {{professional}}\n" before ": {{before}}\n"            \
    "{{before_other}}" when ": {{when}}\n{{when_other}}{{place}}"
/* The text part's customer, as BOOKING_CUSTOMER shows it. */
#define TEXT_CUSTOMER(name, email, phone, notes)                                             \
    name ": {{customer_name}}\n" email ": {{customer_email}}\n"                               \
    "{{#customer_phone}}" phone ": {{customer_phone}}\n{{/customer_phone}}"                  \
    "{{#notes}}" notes ": {{notes}}\n{{/notes}}"
#define TEXT_DASHBOARD(intro) intro "\n{{dashboard_link}}\n"

static const mail_template templates[] = {
    {"verify_email", KF_LOCALE_ES, "Confirma tu correo",
     "Hola:\n"
     "\n"
     "Gracias por registrar {{business_name}} en Konfirmado. Para activar tu cuenta, "
     "confirma tu correo abriendo este enlace:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "El enlace vence en 24 horas. Si no creaste esta cuenta, ignora este mensaje.\n"
     "\n"
     "— El equipo de Konfirmado\n",
     HTML_OPEN("es", "Confirma tu correo")
     "<p>Gracias por registrar <strong>{{business_name}}</strong> en Konfirmado. Para "
     "activar tu cuenta, confirma tu correo:</p>\n"
     HTML_BUTTON("Confirmar mi correo")
     "<p>El enlace vence en 24 horas. Si no creaste esta cuenta, ignora este mensaje.</p>\n"
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— El equipo de Konfirmado")},

    {"verify_email", KF_LOCALE_EN, "Confirm your email",
     "Hi,\n"
     "\n"
     "Thanks for signing up {{business_name}} on Konfirmado. To activate your account, "
     "confirm your email by opening this link:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "The link expires in 24 hours. If you did not create this account, you can ignore "
     "this message.\n"
     "\n"
     "— The Konfirmado team\n",
     HTML_OPEN("en", "Confirm your email")
     "<p>Thanks for signing up <strong>{{business_name}}</strong> on Konfirmado. To "
     "activate your account, confirm your email:</p>\n"
     HTML_BUTTON("Confirm my email")
     "<p>The link expires in 24 hours. If you did not create this account, you can "
     "ignore this message.</p>\n"
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— The Konfirmado team")},

    {"reset_password", KF_LOCALE_ES, "Restablece tu contraseña",
     "Hola:\n"
     "\n"
     "Recibimos una solicitud para restablecer la contraseña de tu cuenta de "
     "{{business_name}} en Konfirmado. Para elegir una nueva, abre este enlace:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "El enlace vence en 1 hora y sirve una sola vez. Si no lo pediste, ignora este "
     "mensaje: tu contraseña sigue igual.\n"
     "\n"
     "— El equipo de Konfirmado\n",
     HTML_OPEN("es", "Restablece tu contraseña")
     "<p>Recibimos una solicitud para restablecer la contraseña de tu cuenta de "
     "<strong>{{business_name}}</strong> en Konfirmado.</p>\n"
     HTML_BUTTON("Elegir una contraseña nueva")
     "<p>El enlace vence en 1 hora y sirve una sola vez. Si no lo pediste, ignora este "
     "mensaje: tu contraseña sigue igual.</p>\n"
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— El equipo de Konfirmado")},

    {"reset_password", KF_LOCALE_EN, "Reset your password",
     "Hi,\n"
     "\n"
     "We received a request to reset the password of your {{business_name}} account on "
     "Konfirmado. To choose a new one, open this link:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "The link expires in 1 hour and works only once. If you did not ask for it, ignore "
     "this message: your password stays the same.\n"
     "\n"
     "— The Konfirmado team\n",
     HTML_OPEN("en", "Reset your password")
     "<p>We received a request to reset the password of your "
     "<strong>{{business_name}}</strong> account on Konfirmado.</p>\n"
     HTML_BUTTON("Choose a new password")
     "<p>The link expires in 1 hour and works only once. If you did not ask for it, "
     "ignore this message: your password stays the same.</p>\n"
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— The Konfirmado team")},

    /* A log-in lock: {{network}} the failures came from, {{minutes}} of the pause, {{link}}
     * the page asking for a new password. */
    {"account_locked", KF_LOCALE_ES, "Pausamos los accesos fallidos a tu cuenta",
     "Hola:\n"
     "\n"
     "Hubo varios intentos fallidos de iniciar sesión en tu cuenta de {{business_name}} "
     "en Konfirmado desde la red {{network}}. Por seguridad, pausamos los inicios de "
     "sesión desde esa red durante {{minutes}} minutos; desde otra red puedes entrar con tu "
     "contraseña de siempre.\n"
     "\n"
     "Si no fuiste tú, cambia tu contraseña aquí:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "— El equipo de Konfirmado\n",
     HTML_OPEN("es", "Pausamos los accesos fallidos a tu cuenta")
     "<p>Hubo varios intentos fallidos de iniciar sesión en tu cuenta de "
     "<strong>{{business_name}}</strong> en Konfirmado desde la red {{network}}. Por "
     "seguridad, pausamos los inicios de sesión desde esa red durante {{minutes}} minutos; "
     "desde otra red puedes entrar con tu contraseña de siempre.</p>\n"
     "<p>Si no fuiste tú, cambia tu contraseña:</p>\n"
     HTML_BUTTON("Cambiar mi contraseña")
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— El equipo de Konfirmado")},

    {"account_locked", KF_LOCALE_EN, "We paused failed sign-ins to your account",
     "Hi,\n"
     "\n"
     "There were several failed attempts to sign in to your {{business_name}} account on "
     "Konfirmado from the network {{network}}. To keep it safe, we paused sign-ins from "
     "that network for {{minutes}} minutes; from another network you can sign in with your "
     "usual password.\n"
     "\n"
     "If this was not you, change your password here:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "— The Konfirmado team\n",
     HTML_OPEN("en", "We paused failed sign-ins to your account")
     "<p>There were several failed attempts to sign in to your "
     "<strong>{{business_name}}</strong> account on Konfirmado from the network "
     "{{network}}. To keep it safe, we paused sign-ins from that network for {{minutes}} "
     "minutes; from another network you can sign in with your usual password.</p>\n"
     "<p>If this was not you, change your password:</p>\n"
     HTML_BUTTON("Change my password")
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— The Konfirmado team")},

    /* The same when every network's failures together reached the account's ceiling. */
    {"account_locked_everywhere", KF_LOCALE_ES, "Pausamos los accesos a tu cuenta",
     "Hola:\n"
     "\n"
     "Hubo muchos intentos fallidos de iniciar sesión en tu cuenta de {{business_name}} "
     "en Konfirmado desde varias redes, el último desde {{network}}. Por seguridad, "
     "pausamos los inicios de sesión en tu cuenta durante {{minutes}} minutos, desde "
     "cualquier red; después podrás entrar con tu contraseña.\n"
     "\n"
     "Te recomendamos cambiar tu contraseña aquí:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "— El equipo de Konfirmado\n",
     HTML_OPEN("es", "Pausamos los accesos a tu cuenta")
     "<p>Hubo muchos intentos fallidos de iniciar sesión en tu cuenta de "
     "<strong>{{business_name}}</strong> en Konfirmado desde varias redes, el último desde "
     "{{network}}. Por seguridad, pausamos los inicios de sesión en tu cuenta durante "
     "{{minutes}} minutos, desde cualquier red; después podrás entrar con tu "
     "contraseña.</p>\n"
     "<p>Te recomendamos cambiar tu contraseña:</p>\n"
     HTML_BUTTON("Cambiar mi contraseña")
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— El equipo de Konfirmado")},

    {"account_locked_everywhere", KF_LOCALE_EN, "We paused sign-ins to your account",
     "Hi,\n"
     "\n"
     "There were many failed attempts to sign in to your {{business_name}} account on "
     "Konfirmado from several networks, the last from {{network}}. To keep it safe, we "
     "paused sign-ins to your account for {{minutes}} minutes, from every network; after "
     "that you can sign in with your password.\n"
     "\n"
     "We recommend changing your password here:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "— The Konfirmado team\n",
     HTML_OPEN("en", "We paused sign-ins to your account")
     "<p>There were many failed attempts to sign in to your "
     "<strong>{{business_name}}</strong> account on Konfirmado from several networks, the "
     "last from {{network}}. To keep it safe, we paused sign-ins to your account for "
     "{{minutes}} minutes, from every network; after that you can sign in with your "
     "password.</p>\n"
     "<p>We recommend changing your password:</p>\n"
     HTML_BUTTON("Change my password")
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— The Konfirmado team")},

    /* Bookings: the customer's confirmation, and the notice to the professional and to the
     * business. {{when_other}} is a line with the time in the other party's zone (ending with
     * a line break), or empty when both zones are the same; {{paid}} is the amount paid ("Sin costo" for a free booking). */
    {"booking_confirmed", KF_LOCALE_ES, "Reserva confirmada: {{service}}",
     "Hola, {{customer_name}}:\n"
     "\n"
     "Tu reserva en {{business_name}} está confirmada.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Cuándo")
     "Pago: {{paid}}\n"
     "{{#series_dates}}\nTus sesiones:\n{{series_dates}}{{/series_dates}}"
     "\n"
     "Para ver, cambiar o cancelar tu reserva abre este enlace:\n"
     "{{link}}\n"
     "\n"
     "Te enviamos la invitación para tu calendario (invite.ics).\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("es", "Tu reserva está confirmada")
     "<p>Hola, {{customer_name}}: tu reserva en <strong>{{business_name}}</strong> está "
     "confirmada.</p>\n"
     BOOKING_FACTS("Servicio", "Con", "Cuándo", "Pago")
     "{{#series_dates}}<p>Tus sesiones:</p>\n<pre>{{series_dates}}</pre>\n{{/series_dates}}"
     BOOKING_BUTTON("Ver, cambiar o cancelar mi reserva")
     BOOKING_NOTE("Te enviamos la invitación para tu calendario "
                  "(invite.ics).")
     HTML_CLOSE("— {{business_name}}")},

    {"booking_confirmed", KF_LOCALE_EN, "Booking confirmed: {{service}}",
     "Hi {{customer_name}},\n"
     "\n"
     "Your booking at {{business_name}} is confirmed.\n"
     "\n"
     TEXT_FACTS("Service", "With", "When")
     "Payment: {{paid}}\n"
     "{{#series_dates}}\nYour sessions:\n{{series_dates}}{{/series_dates}}"
     "\n"
     "To see, move or cancel your booking, open this link:\n"
     "{{link}}\n"
     "\n"
     "The invitation for your calendar is attached (invite.ics).\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("en", "Your booking is confirmed")
     "<p>Hi {{customer_name}}, your booking at <strong>{{business_name}}</strong> is "
     "confirmed.</p>\n"
     BOOKING_FACTS("Service", "With", "When", "Payment")
     "{{#series_dates}}<p>Your sessions:</p>\n<pre>{{series_dates}}</pre>\n{{/series_dates}}"
     BOOKING_BUTTON("See, move or cancel my booking")
     BOOKING_NOTE("The invitation for your calendar is attached "
                  "(invite.ics).")
     HTML_CLOSE("— {{business_name}}")},

    /* The notice to the professional and to the business's front desk: who booked and how to
     * reach them ({{#customer_phone}}: only a phone they gave), the booking in the dashboard
     * ({{dashboard_link}}) and, for a series, every session in the reader's zone
     * ({{series_dates}}). */
    {"booking_notice", KF_LOCALE_ES, "Nueva reserva: {{service}}, {{customer_name}}",
     "Nueva reserva en {{business_name}}.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Cuándo")
     "Pago: {{paid}}\n"
     "{{#series_dates}}\nSesiones:\n{{series_dates}}{{/series_dates}}"
     "\n"
     TEXT_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     "\n"
     TEXT_DASHBOARD("Ver la reserva en tu panel:")
     "\n"
     "La invitación para tu calendario va adjunta (invite.ics).\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("es", "Nueva reserva")
     "<p>Nueva reserva en <strong>{{business_name}}</strong>.</p>\n"
     BOOKING_FACTS("Servicio", "Con", "Cuándo", "Pago")
     "{{#series_dates}}<p>Sesiones:</p>\n<pre>{{series_dates}}</pre>\n{{/series_dates}}"
     BOOKING_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     DASHBOARD_BUTTON("Ver la reserva en el panel",
                      "Si el botón no funciona, copia este enlace en tu navegador:")
     BOOKING_NOTE("La invitación para tu calendario va adjunta "
                  "(invite.ics).")
     HTML_CLOSE("— Konfirmado")},

    {"booking_notice", KF_LOCALE_EN, "New booking: {{service}}, {{customer_name}}",
     "New booking at {{business_name}}.\n"
     "\n"
     TEXT_FACTS("Service", "With", "When")
     "Payment: {{paid}}\n"
     "{{#series_dates}}\nSessions:\n{{series_dates}}{{/series_dates}}"
     "\n"
     TEXT_CUSTOMER("Customer", "Email", "Phone", "Notes")
     "\n"
     TEXT_DASHBOARD("See the booking in your dashboard:")
     "\n"
     "The invitation for your calendar is attached (invite.ics).\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("en", "New booking")
     "<p>New booking at <strong>{{business_name}}</strong>.</p>\n"
     BOOKING_FACTS("Service", "With", "When", "Payment")
     "{{#series_dates}}<p>Sessions:</p>\n<pre>{{series_dates}}</pre>\n{{/series_dates}}"
     BOOKING_CUSTOMER("Customer", "Email", "Phone", "Notes")
     DASHBOARD_BUTTON("Open the booking in the dashboard",
                      "If the button does not work, copy this link into your browser:")
     BOOKING_NOTE("The invitation for your calendar is attached "
                  "(invite.ics).")
     HTML_CLOSE("— Konfirmado")},

    /* To the professional and the front desk: the booking's event was deleted or moved in
     * the professional's own calendar ({{change}}); the booking stays as it was until the
     * dashboard's actions ({{actions}}) are taken. No invite: one would put the event back. */
    {"booking_calendar_changed", KF_LOCALE_ES,
     "Cambio en tu calendario: {{service}}, {{customer_name}}",
     "{{change}}\n"
     "\n"
     "La reserva en {{business_name}} sigue como estaba: no se canceló ni se movió, y "
     "{{customer_name}} no recibió ningún aviso.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Reserva")
     "\n"
     TEXT_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     "\n"
     "{{actions}}\n"
     TEXT_DASHBOARD("Abrir la reserva en el panel:")
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("es", "Cambio en tu calendario")
     "<p>{{change}}</p>\n"
     "<p>La reserva en <strong>{{business_name}}</strong> sigue como estaba: no se canceló "
     "ni se movió, y {{customer_name}} no recibió ningún aviso.</p>\n"
     BOOKING_CANCELLED_FACTS("Servicio", "Con", "Reserva")
     BOOKING_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     "<p>{{actions}}</p>\n"
     DASHBOARD_BUTTON("Abrir la reserva en el panel",
                      "Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— Konfirmado")},

    {"booking_calendar_changed", KF_LOCALE_EN,
     "Change in your calendar: {{service}}, {{customer_name}}",
     "{{change}}\n"
     "\n"
     "The booking at {{business_name}} stays as it was: it was neither cancelled nor moved, "
     "and {{customer_name}} was not told anything.\n"
     "\n"
     TEXT_FACTS("Service", "With", "Booking")
     "\n"
     TEXT_CUSTOMER("Customer", "Email", "Phone", "Notes")
     "\n"
     "{{actions}}\n"
     TEXT_DASHBOARD("Open the booking in the dashboard:")
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("en", "Change in your calendar")
     "<p>{{change}}</p>\n"
     "<p>The booking at <strong>{{business_name}}</strong> stays as it was: it was neither "
     "cancelled nor moved, and {{customer_name}} was not told anything.</p>\n"
     BOOKING_CANCELLED_FACTS("Service", "With", "Booking")
     BOOKING_CUSTOMER("Customer", "Email", "Phone", "Notes")
     "<p>{{actions}}</p>\n"
     DASHBOARD_BUTTON("Open the booking in the dashboard",
                      "If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— Konfirmado")},

    /* A cancelled booking, to the customer (the invite that comes with it is a
     * METHOD:CANCEL). {{cancelled_by}}, {{reason}}, {{refund}} and {{book_again}} are lines
     * (kf_cancel_notice_lines, ending with a line break), or empty. */
    {"booking_cancelled", KF_LOCALE_ES, "Reserva cancelada: {{service}}",
     "La reserva de {{customer_name}} en {{business_name}} quedó cancelada.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Era")
     "{{cancelled_by}}"
     "{{reason}}"
     "{{refund}}"
     "{{book_again}}"
     "\n"
     "El horario quedó libre. La invitación adjunta lo quita de tu calendario.\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("es", "Reserva cancelada")
     "<p>La reserva de {{customer_name}} en <strong>{{business_name}}</strong> quedó "
     "cancelada.</p>\n"
     BOOKING_CANCELLED_FACTS("Servicio", "Con", "Era")
     "<p>{{cancelled_by}}<br>{{reason}}<br>{{refund}}<br>{{book_again}}</p>\n"
     BOOKING_NOTE("El horario quedó libre. La invitación adjunta "
                  "lo quita de tu calendario.")
     HTML_CLOSE("— {{business_name}}")},

    {"booking_cancelled", KF_LOCALE_EN, "Booking cancelled: {{service}}",
     "The booking of {{customer_name}} at {{business_name}} is cancelled.\n"
     "\n"
     TEXT_FACTS("Service", "With", "Was")
     "{{cancelled_by}}"
     "{{reason}}"
     "{{refund}}"
     "{{book_again}}"
     "\n"
     "The time is free again. The attached invitation removes it from your calendar.\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("en", "Booking cancelled")
     "<p>The booking of {{customer_name}} at <strong>{{business_name}}</strong> is "
     "cancelled.</p>\n"
     BOOKING_CANCELLED_FACTS("Service", "With", "Was")
     "<p>{{cancelled_by}}<br>{{reason}}<br>{{refund}}<br>{{book_again}}</p>\n"
     BOOKING_NOTE("The time is free again. The attached "
                  "invitation removes it from your calendar.")
     HTML_CLOSE("— {{business_name}}")},

    /* The same to the professional and to the front desk: who cancelled, why, the refund, who
     * the customer was and the booking in the dashboard. */
    {"booking_cancelled_notice", KF_LOCALE_ES, "Reserva cancelada: {{service}}, {{customer_name}}",
     "La reserva de {{customer_name}} en {{business_name}} quedó cancelada.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Era")
     "{{cancelled_by}}"
     "{{reason}}"
     "{{refund}}"
     "\n"
     TEXT_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     "\n"
     TEXT_DASHBOARD("Ver la reserva en tu panel:")
     "\n"
     "El horario quedó libre. La invitación adjunta lo quita de tu calendario.\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("es", "Reserva cancelada")
     "<p>La reserva de {{customer_name}} en <strong>{{business_name}}</strong> quedó "
     "cancelada.</p>\n"
     BOOKING_CANCELLED_FACTS("Servicio", "Con", "Era")
     "<p>{{cancelled_by}}<br>{{reason}}<br>{{refund}}</p>\n"
     BOOKING_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     DASHBOARD_BUTTON("Ver la reserva en el panel",
                      "Si el botón no funciona, copia este enlace en tu navegador:")
     BOOKING_NOTE("El horario quedó libre. La invitación adjunta "
                  "lo quita de tu calendario.")
     HTML_CLOSE("— Konfirmado")},

    {"booking_cancelled_notice", KF_LOCALE_EN, "Booking cancelled: {{service}}, {{customer_name}}",
     "The booking of {{customer_name}} at {{business_name}} is cancelled.\n"
     "\n"
     TEXT_FACTS("Service", "With", "Was")
     "{{cancelled_by}}"
     "{{reason}}"
     "{{refund}}"
     "\n"
     TEXT_CUSTOMER("Customer", "Email", "Phone", "Notes")
     "\n"
     TEXT_DASHBOARD("See the booking in your dashboard:")
     "\n"
     "The time is free again. The attached invitation removes it from your calendar.\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("en", "Booking cancelled")
     "<p>The booking of {{customer_name}} at <strong>{{business_name}}</strong> is "
     "cancelled.</p>\n"
     BOOKING_CANCELLED_FACTS("Service", "With", "Was")
     "<p>{{cancelled_by}}<br>{{reason}}<br>{{refund}}</p>\n"
     BOOKING_CUSTOMER("Customer", "Email", "Phone", "Notes")
     DASHBOARD_BUTTON("Open the booking in the dashboard",
                      "If the button does not work, copy this link into your browser:")
     BOOKING_NOTE("The time is free again. The attached "
                  "invitation removes it from your calendar.")
     HTML_CLOSE("— Konfirmado")},

    /* A booking moved to another time, to the professional and to the front desk: the time
     * before ("Antes" / "Was") beside the new one ("Ahora" / "Now"), who the customer is and
     * the booking in the dashboard (the invite has the same UID and a higher SEQUENCE:
     * calendars move the event). */
    {"booking_rescheduled", KF_LOCALE_ES, "Reserva movida: {{service}}, {{customer_name}}",
     "La reserva de {{customer_name}} en {{business_name}} cambió de hora.\n"
     "\n"
     TEXT_MOVED_FACTS("Servicio", "Con", "Antes", "Ahora")
     "\n"
     TEXT_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     "\n"
     TEXT_DASHBOARD("Ver la reserva en tu panel:")
     "\n"
     "La invitación adjunta actualiza tu calendario.\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("es", "Reserva movida")
     "<p>La reserva de {{customer_name}} en <strong>{{business_name}}</strong> cambió de "
     "hora.</p>\n"
     BOOKING_MOVED_FACTS("Servicio", "Con", "Antes", "Ahora")
     BOOKING_CUSTOMER("Cliente", "Correo", "Teléfono", "Notas")
     DASHBOARD_BUTTON("Ver la reserva en el panel",
                      "Si el botón no funciona, copia este enlace en tu navegador:")
     BOOKING_NOTE("La invitación adjunta actualiza tu "
                  "calendario.")
     HTML_CLOSE("— Konfirmado")},

    {"booking_rescheduled", KF_LOCALE_EN, "Booking moved: {{service}}, {{customer_name}}",
     "The booking of {{customer_name}} at {{business_name}} moved to another time.\n"
     "\n"
     TEXT_MOVED_FACTS("Service", "With", "Was", "Now")
     "\n"
     TEXT_CUSTOMER("Customer", "Email", "Phone", "Notes")
     "\n"
     TEXT_DASHBOARD("See the booking in your dashboard:")
     "\n"
     "The attached invitation updates your calendar.\n"
     "\n"
     "— Konfirmado\n",
     BOOKING_HTML_OPEN("en", "Booking moved")
     "<p>The booking of {{customer_name}} at <strong>{{business_name}}</strong> moved to "
     "another time.</p>\n"
     BOOKING_MOVED_FACTS("Service", "With", "Was", "Now")
     BOOKING_CUSTOMER("Customer", "Email", "Phone", "Notes")
     DASHBOARD_BUTTON("Open the booking in the dashboard",
                      "If the button does not work, copy this link into your browser:")
     BOOKING_NOTE("The attached invitation updates your "
                  "calendar.")
     HTML_CLOSE("— Konfirmado")},

    /* The customer's copy of a move: the new time and the booking's page (when a link to it
     * could be made). */
    {"booking_rescheduled_customer", KF_LOCALE_ES, "Tu reserva cambió de hora: {{service}}",
     "Hola, {{customer_name}}:\n"
     "\n"
     "Tu reserva en {{business_name}} cambió de hora.\n"
     "\n"
     TEXT_MOVED_FACTS("Servicio", "Con", "Antes", "Nueva hora")
     "\n"
     "{{#link}}"
     "Para ver, cambiar o cancelar tu reserva abre este enlace:\n"
     "{{link}}\n"
     "\n"
     "{{/link}}"
     "La invitación adjunta actualiza tu calendario.\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("es", "Tu reserva cambió de hora")
     "<p>Hola, {{customer_name}}: tu reserva en <strong>{{business_name}}</strong> cambió de "
     "hora.</p>\n"
     BOOKING_MOVED_FACTS("Servicio", "Con", "Antes", "Nueva hora")
     "{{#link}}" BOOKING_BUTTON("Ver, cambiar o cancelar mi reserva") "{{/link}}"
     BOOKING_NOTE("La invitación adjunta actualiza tu "
                  "calendario.")
     HTML_CLOSE("— {{business_name}}")},

    {"booking_rescheduled_customer", KF_LOCALE_EN, "Your booking moved: {{service}}",
     "Hi {{customer_name}},\n"
     "\n"
     "Your booking at {{business_name}} moved to another time.\n"
     "\n"
     TEXT_MOVED_FACTS("Service", "With", "Before", "New time")
     "\n"
     "{{#link}}"
     "To see, move or cancel your booking, open this link:\n"
     "{{link}}\n"
     "\n"
     "{{/link}}"
     "The attached invitation updates your calendar.\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("en", "Your booking moved")
     "<p>Hi {{customer_name}}, your booking at <strong>{{business_name}}</strong> moved to "
     "another time.</p>\n"
     BOOKING_MOVED_FACTS("Service", "With", "Before", "New time")
     "{{#link}}" BOOKING_BUTTON("See, move or cancel my booking") "{{/link}}"
     BOOKING_NOTE("The attached invitation updates your "
                  "calendar.")
     HTML_CLOSE("— {{business_name}}")},

    /* A reminder before the appointment. {{lead}}: "1 día(s)", "1 hora(s)", "30 min". */
    {"booking_reminder", KF_LOCALE_ES, "Recordatorio: {{service}} en {{lead}}",
     "Hola, {{customer_name}}:\n"
     "\n"
     "Te recordamos tu cita en {{business_name}}.\n"
     "\n"
     TEXT_FACTS("Servicio", "Con", "Cuándo")
     "\n"
     "Si no puedes ir, cámbiala o cancélala con tiempo en este enlace:\n"
     "{{link}}\n"
     "\n"
     "— {{business_name}}\n"
     "\n"
     "¿No quieres más recordatorios de {{business_name}}? {{unsubscribe_url}}\n",
     BOOKING_HTML_OPEN("es", "Recordatorio de tu cita")
     "<p>Hola, {{customer_name}}: te recordamos tu cita en <strong>{{business_name}}</strong>.</p>\n"
     BOOKING_CANCELLED_FACTS("Servicio", "Con", "Cuándo")
     BOOKING_NOTE("Si no puedes ir, cámbiala o cancélala con "
                  "tiempo.")
     BOOKING_BUTTON("Ver, cambiar o cancelar mi reserva")
     UNSUBSCRIBE_LINK("No quiero más recordatorios")
     HTML_CLOSE("— {{business_name}}")},

    {"booking_reminder", KF_LOCALE_EN, "Reminder: {{service}} in {{lead}}",
     "Hi {{customer_name}},\n"
     "\n"
     "A reminder of your appointment at {{business_name}}.\n"
     "\n"
     TEXT_FACTS("Service", "With", "When")
     "\n"
     "If you cannot make it, move or cancel it in time with this link:\n"
     "{{link}}\n"
     "\n"
     "— {{business_name}}\n"
     "\n"
     "No more reminders from {{business_name}}? {{unsubscribe_url}}\n",
     BOOKING_HTML_OPEN("en", "Appointment reminder")
     "<p>Hi {{customer_name}}, a reminder of your appointment at "
     "<strong>{{business_name}}</strong>.</p>\n"
     BOOKING_CANCELLED_FACTS("Service", "With", "When")
     BOOKING_NOTE("If you cannot make it, move or cancel it in "
                  "time.")
     BOOKING_BUTTON("See, move or cancel my booking")
     UNSUBSCRIBE_LINK("Stop these reminders")
     HTML_CLOSE("— {{business_name}}")},

    /* The customer's portal: a sign-in link to "my bookings" ({{link}}, 15 minutes, once). */
    {"portal_sign_in", KF_LOCALE_ES, "Tu enlace para ver tus reservas en {{business_name}}",
     "Hola:\n"
     "\n"
     "Para ver y gestionar tus reservas en {{business_name}}, abre este enlace:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "El enlace vence en 15 minutos y sirve una sola vez. Si no lo pediste, ignora este "
     "mensaje.\n"
     "\n"
     "— {{business_name}}\n",
     HTML_OPEN("es", "Tus reservas")
     "<p>Para ver y gestionar tus reservas en <strong>{{business_name}}</strong>, usa este "
     "botón.</p>\n"
     HTML_BUTTON("Ver mis reservas")
     "<p>El enlace vence en 15 minutos y sirve una sola vez. Si no lo pediste, ignora este "
     "mensaje.</p>\n"
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— {{business_name}}")},

    {"portal_sign_in", KF_LOCALE_EN, "Your link to your bookings at {{business_name}}",
     "Hi,\n"
     "\n"
     "To see and manage your bookings at {{business_name}}, open this link:\n"
     "\n"
     "{{link}}\n"
     "\n"
     "The link expires in 15 minutes and works only once. If you did not ask for it, "
     "ignore this message.\n"
     "\n"
     "— {{business_name}}\n",
     HTML_OPEN("en", "Your bookings")
     "<p>To see and manage your bookings at <strong>{{business_name}}</strong>, use this "
     "button.</p>\n"
     HTML_BUTTON("See my bookings")
     "<p>The link expires in 15 minutes and works only once. If you did not ask for it, "
     "ignore this message.</p>\n"
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— {{business_name}}")},

    /* Packages: the customer's package is paid. {{sessions}} is how many sessions it has,
     * {{expires}} the last day they can be used (in the business's zone), {{paid}} the
     * amount; the link opens the purchase's page, where each session is booked. */
    {"purchase_paid", KF_LOCALE_ES, "Tu paquete está listo: {{package}}",
     "Hola, {{customer_name}}:\n"
     "\n"
     "Recibimos el pago de tu paquete en {{business_name}}.\n"
     "\n"
     "Paquete: {{package}}\n"
     "Servicio: {{service}}\n"
     "Sesiones: {{sessions}}\n"
     "Válido hasta: {{expires}}\n"
     "Pago: {{paid}}\n"
     "\n"
     "Reserva cada sesión cuando quieras desde este enlace (guárdalo):\n"
     "{{link}}\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("es", "Tu paquete está listo")
     "<p>Hola, {{customer_name}}: recibimos el pago de tu paquete en "
     "<strong>{{business_name}}</strong>.</p>\n"
     BOOKING_TABLE(BOOKING_ROW("Paquete", "package") BOOKING_ROW("Servicio", "service")
                   BOOKING_ROW("Sesiones", "sessions") BOOKING_ROW("Válido hasta", "expires")
                   BOOKING_ROW("Pago", "paid"))
     BOOKING_BUTTON("Reservar mis sesiones")
     HTML_RAW_LINK("Guarda este enlace: desde él reservas cada sesión.")
     HTML_CLOSE("— {{business_name}}")},

    {"purchase_paid", KF_LOCALE_EN, "Your package is ready: {{package}}",
     "Hi {{customer_name}},\n"
     "\n"
     "We received the payment of your package at {{business_name}}.\n"
     "\n"
     "Package: {{package}}\n"
     "Service: {{service}}\n"
     "Sessions: {{sessions}}\n"
     "Valid until: {{expires}}\n"
     "Payment: {{paid}}\n"
     "\n"
     "Book each session whenever you like from this link (keep it):\n"
     "{{link}}\n"
     "\n"
     "— {{business_name}}\n",
     BOOKING_HTML_OPEN("en", "Your package is ready")
     "<p>Hi {{customer_name}}, we received the payment of your package at "
     "<strong>{{business_name}}</strong>.</p>\n"
     BOOKING_TABLE(BOOKING_ROW("Package", "package") BOOKING_ROW("Service", "service")
                   BOOKING_ROW("Sessions", "sessions") BOOKING_ROW("Valid until", "expires")
                   BOOKING_ROW("Payment", "paid"))
     BOOKING_BUTTON("Book my sessions")
     HTML_RAW_LINK("Keep this link: you book each session from it.")
     HTML_CLOSE("— {{business_name}}")},

    /* To the business: a professional's calendar refused our access (invalid_grant, a
     * revoked key). Their slots are served from the last busy times for a few hours, then
     * none: the link is the dashboard, where a new invitation is one click. */
    {"calendar_error", KF_LOCALE_ES, "El calendario de {{professional}} se desconectó",
     "Hola:\n"
     "\n"
     "{{provider}} ya no nos deja leer el calendario de {{professional}} ({{reason}}).\n"
     "Mientras tanto usamos los horarios ocupados que conocíamos; pasadas unas horas, "
     "{{professional}} dejará de ofrecer horarios para no arriesgar una doble reserva.\n"
     "\n"
     "Envíale una nueva invitación desde el panel:\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado\n",
     HTML_OPEN("es", "El calendario de {{professional}} se desconectó")
     "<p>{{provider}} ya no nos deja leer el calendario de <strong>{{professional}}</strong> "
     "({{reason}}).</p>\n"
     "<p>Mientras tanto usamos los horarios ocupados que conocíamos; pasadas unas horas, "
     "{{professional}} dejará de ofrecer horarios para no arriesgar una doble reserva.</p>\n"
     HTML_BUTTON("Enviar una nueva invitación")
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— Konfirmado")},

    {"calendar_error", KF_LOCALE_EN, "{{professional}}'s calendar was disconnected",
     "Hi,\n"
     "\n"
     "{{provider}} no longer lets us read {{professional}}'s calendar ({{reason}}).\n"
     "Meanwhile we use the busy times we knew; after a few hours {{professional}} stops "
     "offering slots, so that nothing is double-booked.\n"
     "\n"
     "Send a new invitation from the dashboard:\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado\n",
     HTML_OPEN("en", "{{professional}}'s calendar was disconnected")
     "<p>{{provider}} no longer lets us read <strong>{{professional}}</strong>'s calendar "
     "({{reason}}).</p>\n"
     "<p>Meanwhile we use the busy times we knew; after a few hours {{professional}} stops "
     "offering slots, so that nothing is double-booked.</p>\n"
     HTML_BUTTON("Send a new invitation")
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— Konfirmado")},

    /* To the professional: the calendar refused our access; the link is a new invitation
     * (72 hours, used once) that connects it again. */
    {"calendar_reconnect", KF_LOCALE_ES, "Vuelve a conectar tu calendario con {{business_name}}",
     "Hola, {{professional}}:\n"
     "\n"
     "{{provider}} ya no nos deja leer tu calendario ({{reason}}), así que {{business_name}} "
     "pronto dejará de ofrecer tus horarios para no arriesgar una doble reserva.\n"
     "\n"
     "Vuelve a conectarlo con este enlace (vale 72 horas, una sola vez):\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado, para {{business_name}}\n",
     HTML_OPEN("es", "Vuelve a conectar tu calendario con {{business_name}}")
     "<p>Hola, {{professional}}:</p>\n"
     "<p>{{provider}} ya no nos deja leer tu calendario ({{reason}}), así que "
     "<strong>{{business_name}}</strong> pronto dejará de ofrecer tus horarios para no arriesgar "
     "una doble reserva.</p>\n"
     "<p>Vuelve a conectarlo con este enlace (vale 72 horas, una sola vez).</p>\n"
     HTML_BUTTON("Conectar mi calendario")
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— Konfirmado, para {{business_name}}")},

    {"calendar_reconnect", KF_LOCALE_EN, "Connect your calendar to {{business_name}} again",
     "Hi {{professional}},\n"
     "\n"
     "{{provider}} no longer lets us read your calendar ({{reason}}), so {{business_name}} "
     "will soon stop offering your slots, so that nothing is double-booked.\n"
     "\n"
     "Connect it again with this link (valid for 72 hours, once):\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado, for {{business_name}}\n",
     HTML_OPEN("en", "Connect your calendar to {{business_name}} again")
     "<p>Hi {{professional}},</p>\n"
     "<p>{{provider}} no longer lets us read your calendar ({{reason}}), so "
     "<strong>{{business_name}}</strong> will soon stop offering your slots, so that nothing is "
     "double-booked.</p>\n"
     "<p>Connect it again with this link (valid for 72 hours, once).</p>\n"
     HTML_BUTTON("Connect my calendar")
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— Konfirmado, for {{business_name}}")},

    /* To the business: something keeps going wrong on its side (lib/alerts/kf_alerts.c
     * gives the title and what to do); the link is the dashboard's home, which shows it. */
    {"merchant_alert", KF_LOCALE_ES, "{{title}}",
     "Hola:\n"
     "\n"
     "{{title}} en {{business_name}}.\n"
     "{{detail}}\n"
     "\n"
     "{{advice}}\n"
     "\n"
     "Lo verás también en el inicio de tu panel hasta que se resuelva:\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado\n",
     HTML_OPEN("es", "{{title}}")
     "<p><strong>{{business_name}}</strong>: {{detail}}</p>\n"
     "<p>{{advice}}</p>\n"
     "<p>Lo verás también en el inicio de tu panel hasta que se resuelva.</p>\n"
     HTML_BUTTON("Abrir el panel")
     HTML_RAW_LINK("Si el botón no funciona, copia este enlace en tu navegador:")
     HTML_CLOSE("— Konfirmado")},

    {"merchant_alert", KF_LOCALE_EN, "{{title}}",
     "Hi,\n"
     "\n"
     "{{title}} at {{business_name}}.\n"
     "{{detail}}\n"
     "\n"
     "{{advice}}\n"
     "\n"
     "Your dashboard's home shows it too until it is resolved:\n"
     "{{link}}\n"
     "\n"
     "— Konfirmado\n",
     HTML_OPEN("en", "{{title}}")
     "<p><strong>{{business_name}}</strong>: {{detail}}</p>\n"
     "<p>{{advice}}</p>\n"
     "<p>Your dashboard's home shows it too until it is resolved.</p>\n"
     HTML_BUTTON("Open the dashboard")
     HTML_RAW_LINK("If the button does not work, copy this link into your browser:")
     HTML_CLOSE("— Konfirmado")},
};

#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))

static const mail_template *find_template(const char *name, kf_locale locale)
{
    const mail_template *fallback = NULL;
    for (apr_size_t i = 0; name && i < N_TEMPLATES; i++) {
        if (strcmp(templates[i].name, name) != 0) {
            continue;
        }
        if (templates[i].locale == locale) {
            return &templates[i];
        }
        if (templates[i].locale == KF_LOCALE_ES) {
            fallback = &templates[i]; /* es is the default locale */
        }
    }
    return fallback;
}

int kf_mail_template_known(const char *name)
{
    return find_template(name, KF_LOCALE_ES) != NULL;
}

const char *kf_mail_html_escape(apr_pool_t *p, const char *s)
{
    if (!s) {
        return "";
    }
    apr_size_t extra = 0;
    for (const char *c = s; *c; c++) {
        switch (*c) {
        case '&': extra += 4; break;  /* &amp; */
        case '<':
        case '>': extra += 3; break;  /* &lt; &gt; */
        case '"':
        case '\'': extra += 5; break; /* &quot; &#39; */
        default: break;
        }
    }
    if (!extra) {
        return s;
    }
    char *out = apr_palloc(p, strlen(s) + extra + 1), *o = out;
    for (const char *c = s; *c; c++) {
        const char *rep = NULL;
        switch (*c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: *o++ = *c; continue;
        }
        apr_size_t n = strlen(rep);
        memcpy(o, rep, n);
        o += n;
    }
    *o = '\0';
    return out;
}

/* The string value of variable `name`, or NULL with *why. */
static const char *variable(apr_pool_t *p, const json_t *vars, const char *name, const char **why)
{
    const json_t *v = json_object_get(vars, name);
    if (!v || json_is_null(v)) {
        *why = apr_psprintf(p, "variable '%s' is missing", name);
        return NULL;
    }
    if (!json_is_string(v)) {
        *why = apr_psprintf(p, "variable '%s' must be a string", name);
        return NULL;
    }
    return json_string_value(v);
}

static void add_part(apr_array_header_t *parts, const char *base, apr_size_t len)
{
    struct iovec *v = apr_array_push(parts);
    v->iov_base = (void *)base;
    v->iov_len = len;
}

/* Substitutes every {{name}} of tmpl; escape_html for the HTML part. A section
 * {{#name}}...{{/name}} is kept only when variable `name` is not empty (a line that a
 * booking may not have, such as the customer's phone). */
static apr_status_t substitute(apr_pool_t *p, const char *tmpl, const json_t *vars,
                               int escape_html, const char **out, const char **why)
{
    apr_array_header_t *parts = apr_array_make(p, 32, sizeof(struct iovec));
    const char *c = tmpl;

    while (*c) {
        const char *open = strstr(c, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!open || !close) {
            break;
        }
        add_part(parts, c, (apr_size_t)(open - c));
        const char *name = apr_pstrmemdup(p, open + 2, (apr_size_t)(close - open - 2));
        c = close + 2;
        if (name[0] == '/') {
            continue;   /* the end of a section that was kept */
        }
        const char *value = variable(p, vars, name[0] == '#' ? name + 1 : name, why);
        if (!value) {
            return APR_EINVAL;
        }
        if (name[0] == '#') {
            const char *end_tag = apr_pstrcat(p, "{{/", name + 1, "}}", NULL);
            const char *end = strstr(c, end_tag);
            if (!end) {
                *why = apr_psprintf(p, "section '%s' has no end", name + 1);
                return APR_EINVAL;
            }
            if (!*value) {
                c = end + strlen(end_tag);
            }
            continue;
        }
        if (escape_html) {
            value = kf_mail_html_escape(p, value);
        }
        add_part(parts, value, strlen(value));
    }
    add_part(parts, c, strlen(c));
    *out = apr_pstrcatv(p, (const struct iovec *)parts->elts, (apr_size_t)parts->nelts, NULL);
    return APR_SUCCESS;
}

apr_status_t kf_mail_render(apr_pool_t *p, const char *name, kf_locale locale,
                            const json_t *vars, kf_mail_content *out, const char **why)
{
    const char *ignored;
    if (!why) {
        why = &ignored;
    }
    *why = NULL;
    const mail_template *t = find_template(name, locale);
    if (!t) {
        *why = apr_psprintf(p, "no mail template '%s'", name ? name : "(null)");
        return APR_NOTFOUND;
    }
    if (!json_is_object(vars)) {
        *why = "mail variables must be a JSON object";
        return APR_EINVAL;
    }
    kf_mail_content c;
    /* the subject takes variables like the text part (kf_mail_build refuses a line break
     * in it, so a value cannot add a header) */
    apr_status_t rv = substitute(p, t->subject, vars, 0, &c.subject, why);
    if (rv == APR_SUCCESS) {
        rv = substitute(p, t->text, vars, 0, &c.text, why);
    }
    if (rv == APR_SUCCESS) {
        rv = substitute(p, t->html, vars, 1, &c.html, why);
    }
    if (rv == APR_SUCCESS) {
        *out = c;
    }
    return rv;
}
