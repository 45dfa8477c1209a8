#include "kf_i18n.h"

#include <apr_strings.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *id;
    const char *es;
    const char *en;
} kf_catalog_entry;

/* One row per error code of API.md (plus a few message ids used inside answers). */
static const kf_catalog_entry catalog[] = {
    {"not_found", "El recurso solicitado no existe.", "The requested resource does not exist."},
    {"method_not_allowed", "Método no permitido para este recurso.",
     "Method not allowed for this resource."},
    {"payload_too_large", "El cuerpo de la solicitud es demasiado grande.",
     "The request body is too large."},
    {"malformed_json", "El cuerpo de la solicitud no es JSON válido.",
     "The request body is not valid JSON."},
    {"invalid_utf8", "El cuerpo de la solicitud no es UTF-8 válido.",
     "The request body is not valid UTF-8."},
    {"json_not_object", "El cuerpo de la solicitud debe ser un objeto JSON.",
     "The request body must be a JSON object."},
    {"json_too_deep", "El cuerpo de la solicitud tiene demasiados niveles de anidación.",
     "The request body is nested too deeply."},
    {"empty_body", "Falta el cuerpo de la solicitud.", "The request body is missing."},
    {"unsupported_media_type", "El cuerpo debe enviarse como application/json.",
     "The body must be sent as application/json."},
    {"unsubscribe_media_type",
     "El cuerpo debe enviarse como application/json o como el formulario"
     " List-Unsubscribe=One-Click.",
     "The body must be sent as application/json or as the form List-Unsubscribe=One-Click."},
    {"one_click_field", "El formulario debe decir List-Unsubscribe=One-Click.",
     "The form must say List-Unsubscribe=One-Click."},
    {"validation_failed", "Algunos datos no son válidos.", "Some fields are not valid."},
    {"internal_error", "Ocurrió un error interno. Intenta de nuevo.",
     "An internal error occurred. Please try again."},
    {"service_unavailable", "El servicio no está disponible en este momento.",
     "The service is unavailable right now."},
    {"database_unavailable", "La base de datos no está disponible. Intenta en unos segundos.",
     "The database is unavailable. Try again in a few seconds."},
    {"schema_outdated",
     "La base de datos no está actualizada: aplica las migraciones pendientes.",
     "The database schema is outdated: apply the pending migrations."},
    {"unauthenticated", "Debes iniciar sesión.", "You need to sign in."},
    {"token_not_found", "Este enlace no es válido o ya se usó. Pide uno nuevo.",
     "This link is not valid or was already used. Ask for a new one."},
    {"sign_in_expired", "Este enlace de acceso expiró. Pide uno nuevo.",
     "This sign-in link has expired. Ask for a new one."},
    {"csrf_failed", "La solicitud no incluye un token CSRF válido.",
     "The request lacks a valid CSRF token."},
    {"forbidden_origin", "Esta solicitud solo se acepta desde las páginas de este sitio.",
     "This request is only accepted from this site's own pages."},
    {"invalid_credentials", "Correo o contraseña incorrectos.", "Wrong email or password."},
    {"email_not_verified", "Debes verificar tu correo antes de iniciar sesión.",
     "Verify your email before signing in."},
    {"too_many_attempts", "Demasiados intentos. Intenta de nuevo más tarde.",
     "Too many attempts. Try again later."},
    {"too_many_requests", "Demasiadas solicitudes desde tu conexión. Intenta de nuevo en un momento.",
     "Too many requests from your connection. Try again in a moment."},
    {"email_taken", "Ya existe una cuenta con ese correo.",
     "An account with that email already exists."},
    {"subdomain_taken", "Ese subdominio ya está en uso.", "That subdomain is already taken."},
    {"domain_taken", "Ese dominio ya lo usa otro comercio.",
     "That domain is already used by another merchant."},
    {"unknown_host", "Este dominio no corresponde a ningún comercio.",
     "This domain does not belong to any merchant."},
    {"no_custom_domain", "No tienes un dominio propio: ponlo primero en la configuración.",
     "There is no domain of your own: set it in the settings first."},
    {"domain_not_verified", "No pudimos comprobar que el dominio es tuyo.",
     "We could not check that the domain is yours."},
    {"domain_proof_unreachable",
     "Tu dominio no respondió por HTTP (puerto 80): revisa que apunte a tu servidor web y "
     "que el archivo /.well-known/konfirmado-domain.txt esté publicado.",
     "Your domain did not answer over HTTP (port 80): check that it points to your web "
     "server and that /.well-known/konfirmado-domain.txt is published."},
    {"domain_proof_status",
     "Tu dominio no entregó /.well-known/konfirmado-domain.txt (respondió otro código o "
     "una redirección): publícalo tal cual, sin redirigir.",
     "Your domain did not serve /.well-known/konfirmado-domain.txt (it answered another "
     "status or a redirect): publish it as it is, without a redirect."},
    {"domain_proof_mismatch",
     "El archivo /.well-known/konfirmado-domain.txt de tu dominio no contiene tu código de "
     "verificación: debe contener solo ese código.",
     "The file /.well-known/konfirmado-domain.txt of your domain does not hold your "
     "verification code: it must hold that code only."},
    {"domain_proof_changed", "El dominio cambió mientras lo comprobábamos: inténtalo de nuevo.",
     "The domain changed while it was being checked: try again."},
    {"invalid_token", "El enlace no es válido o ya fue usado.",
     "The link is invalid or was already used."},
    {"link_not_found", "Este enlace de reserva no existe.", "This booking link does not exist."},
    {"link_expired", "Este enlace ha expirado.", "This link has expired."},
    {"invalid_timezone", "La zona horaria no es válida.", "The time zone is not valid."},
    {"invalid_parameter", "Un parámetro de la consulta no es válido.",
     "A query parameter is not valid."},
    {"service_not_found", "El servicio no existe.", "The service does not exist."},
    {"professional_not_found", "El profesional no existe.", "The professional does not exist."},
    {"booking_not_found", "La reserva no existe.", "The booking does not exist."},
    {"slot_unavailable", "Este horario ya no está disponible.",
     "This time is no longer available."},
    {"hold_expired", "El tiempo para completar la reserva terminó.",
     "The time to complete the booking ran out."},
    {"invalid_signature", "Firma inválida.", "Invalid signature."},
    {"tenant_boolean", "Debe ser true o false.", "Must be true or false."},
    {"invitation_not_found", "Esta invitación no existe o ya venció. Pide una nueva al negocio.",
     "This invitation does not exist or has expired. Ask the business for a new one."},
    {"invalid_state", "El enlace de autorización no es válido o ya se usó. Vuelve a la invitación.",
     "The authorization link is not valid or was already used. Go back to the invitation."},
    {"calcom_key_refused", "Cal.com no aceptó esta clave de API.", "Cal.com did not accept this API key."},
    {"caldav_login_refused", "El servidor del calendario no aceptó este usuario o contraseña de aplicación.",
     "The calendar server did not accept this user name or app password."},
    {"caldav_no_calendar", "No se encontró en esta dirección un calendario que acepte eventos.",
     "No calendar that takes events was found at this address."},
    {"calendar_not_connected", "Este profesional no tiene un calendario conectado.",
     "This professional has no connected calendar."},
    {"calendar_choice_object", "Cada calendario es un objeto con id, blocks y receives_events.",
     "Each calendar is an object with id, blocks and receives_events."},
    {"calendar_unknown", "Este calendario no es de la cuenta conectada.",
     "This calendar is not one of the connected account's."},
    {"calendar_unchanged", "Esta reserva no tiene un cambio hecho en el calendario del profesional.",
     "This booking has no change made in the professional's calendar."},
    {"calendar_change_not_moved",
     "El evento se borró en el calendario del profesional: restáuralo o cancela la reserva.",
     "The event was deleted in the professional's calendar: restore it or cancel the booking."},
    {"calendar_one_receiver", "Exactamente un calendario debe recibir los eventos.",
     "Exactly one calendar must receive the events."},
    {"calendar_read_only", "Solo lectura: este calendario no puede recibir citas.",
     "Read-only: this calendar cannot receive bookings."},
    {"provider_error", "El proveedor externo no respondió correctamente.",
     "The external provider did not answer correctly."},

    /* accounts: field messages and mail texts */
    {"account_field_required", "Este campo es obligatorio.", "This field is required."},
    {"account_field_not_string", "Este campo debe ser un texto.", "This field must be a string."},
    {"account_email_invalid", "No es un correo electrónico válido.",
     "This is not a valid email address."},
    {"account_email_too_long", "El correo no puede tener más de 254 caracteres.",
     "The email cannot be longer than 254 characters."},
    {"account_password_too_short", "La contraseña debe tener al menos 10 caracteres.",
     "The password must have at least 10 characters."},
    {"account_password_too_long", "La contraseña no puede tener más de 128 caracteres.",
     "The password cannot have more than 128 characters."},
    {"account_password_is_email", "La contraseña no puede ser igual a tu correo.",
     "The password cannot be your email address."},
    {"account_business_name_length", "El nombre del negocio debe tener entre 2 y 100 caracteres.",
     "The business name must have between 2 and 100 characters."},
    {"account_business_name_invalid",
     "El nombre del negocio no puede contener saltos de línea ni caracteres de control.",
     "The business name cannot contain line breaks or control characters."},

    /* tenant settings */
    {"tenant_field_string", "Debe ser un texto.", "Must be a string."},
    {"tenant_field_required", "Este campo es obligatorio y no puede ser null.",
     "This field is required and cannot be null."},
    {"tenant_name_length", "Debe tener entre 2 y 100 caracteres, sin saltos de línea.",
     "Must have 2 to 100 characters, without line breaks."},
    {"tenant_subdomain_format",
     "Usa de 3 a 63 letras minúsculas, números o guiones, sin guion al inicio ni al final.",
     "Use 3 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen."},
    {"tenant_subdomain_reserved", "Ese subdominio está reservado.",
     "That subdomain is reserved."},
    {"tenant_url_internal",
     "Esa dirección es de una red interna: usa la URL pública de tu servidor.",
     "That address belongs to an internal network: use your server's public URL."},
    {"tenant_custom_domain_format",
     "Escribe solo el nombre del dominio, como reservas.tuclinica.com (sin https:// ni rutas).",
     "Write only the domain name, like bookings.yourclinic.com (no https:// nor paths)."},
    {"tenant_custom_domain_subdomain",
     "Elige primero un subdominio: tu dominio propio sirve lo mismo que él.",
     "Choose a subdomain first: your own domain serves the same as it does."},
    {"tenant_custom_domain_platform",
     "Ese dominio pertenece a la plataforma: usa tu subdominio o un dominio propio.",
     "That domain belongs to the platform: use your subdomain or a domain of your own."},
    {"tenant_timezone", "Zona horaria desconocida: usa un nombre IANA como America/Bogota.",
     "Unknown time zone: use an IANA name such as America/Bogota."},
    {"tenant_locale", "Debe ser es o en.", "Must be es or en."},
    {"tenant_country", "Debe ser un código de país ISO 3166-1 alfa-2, por ejemplo CO.",
     "Must be an ISO 3166-1 alpha-2 country code, for example CO."},
    {"tenant_color", "Debe ser un color #RRGGBB.", "Must be a #RRGGBB color."},
    {"tenant_phone", "Debe ser un teléfono con el código de su país, por ejemplo +573001234567.",
     "Must be a phone number with its country code, for example +573001234567."},
    {"tenant_url_https", "Debe ser una URL https://.", "Must be an https:// URL."},
    {"tenant_url_invalid", "No es una URL http(s) válida.", "Not a valid http(s) URL."},
    {"tenant_field_unknown", "Campo desconocido.", "Unknown field."},
    {"tenant_embed_origins_list", "Debe ser una lista de hasta 10 orígenes.",
     "Must be a list of at most 10 origins."},
    {"tenant_embed_origin",
     "Cada origen es https://dominio[:puerto], sin ruta (http:// solo para localhost).",
     "Each origin is https://host[:port], with no path (http:// only for localhost)."},
    {"tenant_embed_origins_duplicate", "Un origen está repetido.", "An origin is repeated."},
    {"logo_media_type", "El logo debe enviarse como image/png o image/svg+xml.",
     "The logo must be sent as image/png or image/svg+xml."},
    {"logo_empty", "El archivo está vacío.", "The file is empty."},
    {"logo_not_image", "El archivo no es una imagen PNG ni SVG.",
     "The file is neither a PNG nor an SVG image."},
    {"logo_type_mismatch", "El contenido del archivo no corresponde al tipo declarado.",
     "The file's content does not match its declared type."},
    {"logo_png_invalid", "El PNG está dañado o no es válido.",
     "The PNG is damaged or not valid."},
    {"logo_too_large_dimensions", "La imagen es demasiado grande: máximo 8192 px por lado.",
     "The image is too large: at most 8192 px per side."},
    {"svg_not_wellformed", "El SVG no es XML bien formado (UTF-8).",
     "The SVG is not well-formed XML (UTF-8)."},
    {"svg_root",
     "El elemento raíz debe ser <svg xmlns=\"http://www.w3.org/2000/svg\">.",
     "The root element must be <svg xmlns=\"http://www.w3.org/2000/svg\">."},
    {"svg_doctype", "El SVG no puede tener DOCTYPE.", "The SVG cannot have a DOCTYPE."},
    {"svg_processing_instruction", "El SVG no puede tener instrucciones de procesamiento.",
     "The SVG cannot have processing instructions."},
    {"svg_script", "El SVG no puede contener scripts.", "The SVG cannot contain scripts."},
    {"svg_forbidden_element",
     "El SVG no puede incrustar otros documentos (foreignObject, iframe, embed, object).",
     "The SVG cannot embed other documents (foreignObject, iframe, embed, object)."},
    {"svg_event_attribute", "El SVG no puede tener atributos de eventos (on...).",
     "The SVG cannot have event attributes (on...)."},
    {"svg_javascript_url", "El SVG no puede contener URLs javascript:.",
     "The SVG cannot contain javascript: URLs."},
    {"svg_external_reference",
     "El SVG no puede cargar recursos externos: solo referencias internas (#id).",
     "The SVG cannot load external resources: only internal references (#id)."},
    /* payment settings (a provider's own words are in its description, kf_payment_<name>.c) */
    {"payment_mode", "Debe ser test o production.", "Must be test or production."},
    {"payment_key_format", "Debe tener de 8 a 300 letras, números, _ o -.",
     "Must have 8 to 300 letters, digits, _ or -."},
    {"payment_not_configured", "Primero guarda las llaves de {provider}.",
     "Save the {provider} keys first."},
    /* {providers}: the registry's names, "wompi, stripe, mercadopago o airwallex" */
    {"tenant_payment_provider", "Debe ser {providers}.", "Must be {providers}."},
    {"word_or", "o", "or"},

    /* catalog: field messages */
    {"metadata_not_object", "Debe ser un objeto de claves con textos.",
     "Must be an object of keys with strings."},
    {"metadata_too_many_keys", "Puede tener como máximo 20 claves.",
     "It may have at most 20 keys."},
    {"metadata_key_invalid",
     "Cada clave tiene de 1 a 40 caracteres: letras sin tilde, números, «_», «.» o «-».",
     "Each key has 1 to 40 characters: letters a-z, digits, \"_\", \".\" or \"-\"."},
    {"metadata_value_invalid", "Debe ser un texto de como máximo 500 caracteres.",
     "Must be a string of at most 500 characters."},
    {"field_required", "Este campo es obligatorio.", "This field is required."},
    {"field_not_string", "Debe ser un texto.", "Must be a string."},
    {"field_not_integer", "Debe ser un número entero.", "Must be an integer."},
    {"field_not_boolean", "Debe ser true o false.", "Must be true or false."},
    {"field_not_object", "Debe ser un objeto.", "Must be an object."},
    {"field_not_array", "Debe ser una lista.", "Must be a list."},
    {"field_control_chars", "Contiene caracteres no permitidos.",
     "Contains characters that are not allowed."},
    {"field_length", "Debe tener entre {min} y {max} caracteres.",
     "Must be {min} to {max} characters long."},
    {"field_too_long", "Debe tener como máximo {max} caracteres.",
     "Must be at most {max} characters long."},
    {"field_int_range", "Debe ser un número entero entre {min} y {max}.",
     "Must be an integer from {min} to {max}."},
    {"field_too_many_items", "Admite como máximo {max} elementos.",
     "Accepts at most {max} items."},
    {"invalid_url", "Debe ser una URL válida que empiece por https://.",
     "Must be a valid URL starting with https://."},
    {"invalid_email", "Debe ser un correo electrónico válido.", "Must be a valid email address."},
    {"location_type_invalid", "Debe ser in_person, video o phone.",
     "Must be in_person, video or phone."},
    {"location_provider_invalid", "Debe ser url, google_meet o teams.",
     "Must be url, google_meet or teams."},
    {"location_professional_video", "Un profesional solo puede tener un lugar de video.",
     "A professional's location can only be a video place."},
    /* the place of an appointment in mails, texts and the ICS description */
    {"location_in_person", "Dirección: {value}", "Address: {value}"},
    {"location_video", "Videollamada: {value}", "Video call: {value}"},
    /* a room the calendar creates for the booking, not made yet */
    {"location_video_pending", "Videollamada: te enviaremos el enlace en cuanto esté listo.",
     "Video call: the link will follow as soon as it is ready."},
    {"location_phone", "Por teléfono: {value}", "By phone: {value}"},
    /* the professional's notice of a booking's event changed in their own calendar */
    {"calendar_changed_deleted", "El evento de esta reserva se borró de tu calendario.",
     "The event of this booking was deleted from your calendar."},
    {"calendar_changed_moved", "El evento de esta reserva se movió en tu calendario a {when}.",
     "The event of this booking was moved in your calendar to {when}."},
    {"calendar_changed_actions_moved",
     "En el panel puedes mover la reserva a la nueva hora (el cliente recibe el aviso), "
     "cancelarla (con el reembolso que da la política) o devolver el evento a la hora de la "
     "reserva.",
     "In the dashboard you can move the booking to the new time (the customer is told), "
     "cancel it (with the refund the policy gives) or put the event back at the booking's "
     "time."},
    {"calendar_changed_actions_deleted",
     "En el panel puedes cancelar la reserva (con el reembolso que da la política) o volver a "
     "poner el evento en tu calendario.",
     "In the dashboard you can cancel the booking (with the refund the policy gives) or put "
     "the event back in your calendar."},
    {"currency_invalid", "Debe ser un código de moneda ISO 4217, p. ej. COP.",
     "Must be an ISO 4217 currency code, e.g. COP."},
    {"currency_mismatch", "Debe ser la moneda configurada para tu negocio.",
     "Must be the currency configured for your business."},
    {"currency_not_accepted", "Tu proveedor de pagos activo no cobra en esta moneda.",
     "Your active payment provider does not charge in this currency."},
    {"provider_currency_not_accepted",
     "Este proveedor no cobra en la moneda de tu negocio; cambia también la moneda.",
     "This provider does not charge in your business's currency; change the currency too."},
    {"reprice_object", "Debe ser un objeto: id del servicio o paquete -> nuevo precio.",
     "Must be an object: service or package id -> new price."},
    {"reprice_amount", "Debe ser un precio entero en unidades menores de la moneda, mayor que 0.",
     "Must be a whole price in minor units of the currency, above 0."},
    {"currency_in_use", "Hay servicios o paquetes con precio en otra moneda.",
     "Some services or packages are priced in another currency."},
    /* kf_field_price: in major units, as the merchant types them ("COP 0,01") */
    {"price_at_least", "Debe ser al menos {min}.", "Must be at least {min}."},
    {"price_at_most", "Debe ser como máximo {max}.", "Must be at most {max}."},
    {"amount_out_of_range", "Debe ser un monto entero entre {min} y {max} (en centavos).",
     "Must be a whole amount from {min} to {max} (in minor units)."},
    {"free_needs_zero", "Un servicio gratuito debe tener precio 0.",
     "A free service must have a price of 0."},
    {"paid_needs_amount", "Un servicio con cobro total o parcial necesita un precio mayor que 0.",
     "A service charged in total or in part needs a price above 0."},
    {"charge_type_invalid", "Debe ser total, partial o free.", "Must be total, partial or free."},
    {"series_every_invalid", "Debe ser week, 2weeks o month.", "Must be week, 2weeks or month."},
    {"series_pay_invalid", "Debe ser all o first.", "Must be all or first."},
    {"series_max_below_min", "No puede ser menor que min.", "Cannot be below min."},
    {"series_not_offered", "Este servicio no se reserva en serie.",
     "This service is not booked as a series."},
    {"series_repeat_invalid", "Debe ser la frecuencia de la serie del servicio.",
     "Must be the frequency of the service's series."},
    {"series_scope_invalid", "Debe ser one o rest.", "Must be one or rest."},
    {"series_with_team", "Una serie se reserva con un solo profesional: un servicio en equipo no se reserva en serie.",
     "A series is booked with one professional: a team service is not booked as a series."},
    {"series_with_capacity", "Una serie es de un solo cliente: una clase con más de un cupo no se reserva en serie.",
     "A series is one customer's: a class with more than one place is not booked as a series."},
    {"series_count_range", "Debe ser un número de sesiones que el servicio permite.",
     "Must be a number of sessions the service allows."},
    {"weekday_invalid", "Debe ser un día de 1 (lunes) a 7 (domingo).",
     "Must be a day from 1 (Monday) to 7 (Sunday)."},
    {"time_invalid", "Debe ser una hora HH:MM entre 00:00 y 23:59.",
     "Must be a time HH:MM from 00:00 to 23:59."},
    {"time_invalid_end", "Debe ser una hora HH:MM entre 00:01 y 24:00.",
     "Must be a time HH:MM from 00:01 to 24:00."},
    {"range_end_before_start", "La hora de fin debe ser posterior a la de inicio.",
     "The end time must be after the start time."},
    {"range_overlaps", "Se cruza con otro horario del mismo día.",
     "Overlaps another range of the same day."},
    {"date_invalid", "Debe ser una fecha válida AAAA-MM-DD.", "Must be a valid date YYYY-MM-DD."},
    {"exception_closed_with_hours", "Un día cerrado no puede tener horario.",
     "A closed day cannot have hours."},
    {"exception_date_closed", "Esa fecha ya está marcada como cerrada en otra excepción.",
     "That date is already marked closed in another exception."},
    {"timestamp_invalid", "Debe ser una fecha y hora UTC como 2026-12-01T14:00:00Z.",
     "Must be a UTC date and time like 2026-12-01T14:00:00Z."},
    {"timestamp_past", "Debe ser una fecha futura.", "Must be in the future."},
    {"professional_id_invalid", "No es un profesional activo de tu negocio.",
     "Is not an active professional of your business."},
    {"team_mode_invalid", "Debe ser collective.", "Must be collective."},
    {"team_size_invalid", "Debe nombrar entre {min} y {max} profesionales.",
     "Must name {min} to {max} professionals."},
    {"team_member_repeated", "Este profesional ya está en el equipo.",
     "This professional is already in the team."},
    {"team_member_without_hours", "Este profesional no tiene horario de atención: el equipo nunca estaría libre.",
     "This professional has no working hours: the team would never be free."},
    {"team_with_capacity", "Un servicio en equipo atiende a un cliente a la vez: su capacidad debe ser 1.",
     "A team service takes one customer at a time: its capacity must be 1."},
    {"service_id_invalid", "No es un servicio activo de tu negocio.",
     "Is not an active service of your business."},
    {"professional_not_offering", "Este profesional no ofrece el servicio elegido.",
     "This professional does not offer the chosen service."},
    {"assign_invalid", "Debe ser least_booked o weights.", "Must be least_booked or weights."},
    {"weights_required", "Para repartir por pesos, da un peso de 1 a 100 al menos a un profesional.",
     "To share by weights, give at least one professional a weight from 1 to 100."},
    {"service_archived", "El servicio está archivado y no se puede modificar.",
     "The service is archived and cannot be changed."},
    {"professional_archived", "El profesional está desactivado y no se puede modificar.",
     "The professional is deactivated and cannot be changed."},

    /* payments */
    {"param_callback", "Usa pending, delivered o failed.", "Use pending, delivered or failed."},
    {"callback_url_missing", "Primero configura la URL de notificaciones (callback_url).",
     "Set the notification URL (callback_url) first."},
    {"callback_secret_missing", "Primero genera el secreto de firma de las notificaciones.",
     "Generate the notifications' signing secret first."},
    {"callback_failed", "No pudimos entregar la notificación a tu servidor.",
     "We could not deliver the notification to your server."},
    {"refund_amount_invalid", "El monto a devolver debe estar entre 1 y lo pagado.",
     "The amount to refund must be between 1 and what was paid."},
    {"refund_invalid", "Usa \"full\", \"none\" o {\"amount\": n}.", "Use \"full\", \"none\" or {\"amount\": n}."},
    {"reason_too_long", "Hasta 500 caracteres.", "At most 500 characters."},
    {"refund_not_needed", "Este pago no tiene nada que devolver.", "This payment has nothing to refund."},
    {"twilio_account_sid_invalid", "El Account SID empieza por AC y tiene 34 caracteres.",
     "The Account SID starts with AC and has 34 characters."},
    {"twilio_auth_token_invalid", "El Auth Token tiene 32 caracteres hexadecimales.",
     "The Auth Token has 32 hexadecimal characters."},
    {"twilio_from_invalid", "Escribe el número de Twilio con + y el código del país, p. ej. +14155552671.",
     "Write the Twilio number with + and the country code, e.g. +14155552671."},
    {"twilio_channel_invalid", "Usa \"sms\" o \"whatsapp\".", "Use \"sms\" or \"whatsapp\"."},
    {"messaging_not_configured", "No hay un proveedor de mensajes configurado.",
     "No messaging provider is configured."},
    {"cancel_closed", "Esta reserva ya no se puede cancelar.", "This booking can no longer be cancelled."},
    {"payment_closed", "Esta reserva no tiene un pago pendiente de reintentar.",
     "This booking has no payment to try again."},
    {"tenant_cutoff_hours", "Debe ser un número entero de horas entre 0 y 720.",
     "Must be a whole number of hours between 0 and 720."},
    {"tenant_max_reschedules", "Debe ser un número entero entre 0 y 10.",
     "Must be a whole number between 0 and 10."},
    {"tenant_retention_months", "Debe ser un número entero de meses entre 1 y 120.",
     "Must be a whole number of months between 1 and 120."},
    {"tenant_erasure_days", "Debe ser un número entero de días entre 0 y 365.",
     "Must be a whole number of days between 0 and 365."},
    {"privacy_export_format", "Usa json o csv.", "Use json or csv."},
    {"erasure_request_not_found", "No existe esa solicitud de borrado.",
     "There is no such erasure request."},
    {"erasure_request_done", "Esta solicitud de borrado ya se cumplió.",
     "This erasure request has already been carried out."},
    {"tenant_refund_on_cancel", "Usa full o none.", "Use full or none."},
    {"tenant_calcom_hours", "Usa ours, calcom o both.", "Use ours, calcom or both."},
    {"tenant_reminders", "Hasta 3 avisos distintos, en minutos entre 15 y 10080.",
     "Up to 3 different leads, in minutes between 15 and 10080."},
    {"param_refund", "Usa needed.", "Use needed."},
    {"param_customer", "Usa given.", "Use given."},
    {"booking_not_paid", "La reserva no está pagada: no hay notificación que reenviar.",
     "The booking is not paid: there is no callback to send again."},
    {"delivery_not_found", "No encontramos ese envío.", "That delivery was not found."},
    {"delivery_not_resendable",
     "Ese correo nunca se pudo escribir (su dirección no recibe correo): no se puede reenviar.",
     "That mail could never be written (its address cannot receive mail): it cannot be sent again."},

    /* packages (pay first, schedule later) */
    {"package_not_found", "El paquete no existe.", "The package does not exist."},
    {"package_archived", "El paquete está archivado y no se puede modificar.",
     "The package is archived and cannot be changed."},
    {"package_id_invalid", "No es un paquete activo de tu negocio.",
     "Is not an active package of your business."},
    {"link_package_not_sold",
     "Este enlace no ofrece el servicio de {names}: quita esos paquetes o elige un servicio y un profesional que los presten.",
     "This link does not offer the service of {names}: remove those packages or choose a service and professional that provide it."},
    {"purchase_not_found", "La compra no existe.", "The purchase does not exist."},
    {"purchase_not_paid", "Este paquete todavía no está pagado.", "This package is not paid yet."},
    {"purchase_expired", "Este paquete ya venció.", "This package has expired."},
    {"package_used_up", "Ya reservaste todas las sesiones de este paquete.",
     "Every session of this package is already booked."},
    {"package_service_mismatch", "Este paquete es para otro servicio.",
     "This package is for another service."},
    {"purchase_token_invalid", "El enlace del paquete no es válido.",
     "The package's link is not valid."},

    /* admin bookings: query parameter messages */
    {"param_status",
     "Usa uno o varios estados separados por comas: pending_payment, paid, confirmed, "
     "failed, expired, cancelled, held.",
     "Use one or more comma-separated statuses: pending_payment, paid, confirmed, failed, "
     "expired, cancelled, held."},
    {"param_id", "Debe ser un identificador válido.", "Must be a valid id."},
    {"param_date", "Debe ser una fecha AAAA-MM-DD.", "Must be a date YYYY-MM-DD."},
    {"param_date_range", "No puede ser anterior a from.", "Cannot be before from."},
    {"param_period", "Usa 7d, 30d o 90d.", "Use 7d, 30d or 90d."},
    {"param_period_and_range", "Usa period o from y to, no ambos.",
     "Use period, or from and to, not both."},
    {"param_range_too_long", "El periodo es de hasta 366 días.", "The period is at most 366 days."},
    {"param_q", "La búsqueda admite hasta 100 caracteres.", "The search allows up to 100 characters."},
    {"param_page", "Debe ser un número entero mayor o igual a 1.",
     "Must be a whole number of at least 1."},
    {"param_per_page", "Debe ser un número entero entre 1 y 100.",
     "Must be a whole number from 1 to 100."},
    {"param_boolean", "Usa true o false.", "Use true or false."},
    {"param_repeated", "El parámetro aparece más de una vez.", "The parameter appears more than once."},
    {"param_encoding", "El parámetro no está bien codificado (UTF-8 con escapes %XX).",
     "The parameter is not well encoded (UTF-8 with %XX escapes)."},

    /* public booking: field messages */
    {"metadata_not_object", "Debe ser un objeto de claves con textos.",
     "Must be an object of keys with strings."},
    {"metadata_too_many_keys", "Puede tener como máximo 20 claves.",
     "It may have at most 20 keys."},
    {"metadata_key_invalid",
     "Cada clave tiene de 1 a 40 caracteres: letras sin tilde, números, «_», «.» o «-».",
     "Each key has 1 to 40 characters: letters a-z, digits, \"_\", \".\" or \"-\"."},
    {"metadata_value_invalid", "Debe ser un texto de como máximo 500 caracteres.",
     "Must be a string of at most 500 characters."},
    {"field_required", "Este campo es obligatorio.", "This field is required."},
    {"field_wrong_type", "Este campo tiene un tipo de dato incorrecto.",
     "This field has the wrong type."},
    {"link_invalid", "El enlace de reserva no es válido.", "The booking link is not valid."},
    {"id_invalid", "El identificador no es válido.", "The identifier is not valid."},
    {"start_invalid", "La hora de inicio debe ser una fecha y hora RFC 3339.",
     "The start must be an RFC 3339 date-time."},
    {"hold_token_invalid", "El token de la reserva temporal no es válido.",
     "The hold token is not valid."},
    {"customer_name_length", "El nombre debe tener entre 2 y 100 caracteres.",
     "The name must have between 2 and 100 characters."},
    {"customer_name_invalid", "El nombre contiene caracteres no permitidos.",
     "The name contains characters that are not allowed."},
    {"customer_email_invalid", "El correo electrónico no es válido.",
     "The email address is not valid."},
    {"customer_email_too_long", "El correo electrónico no puede superar 254 caracteres.",
     "The email address cannot exceed 254 characters."},
    {"customer_phone_invalid",
     "El teléfono debe estar en formato internacional: + y entre 8 y 15 dígitos.",
     "The phone must be in international format: + and 8 to 15 digits."},
    {"customer_phone_invalid_co", "El teléfono debe ser +57 seguido de 10 dígitos.",
     "The phone must be +57 followed by 10 digits."},
    {"terms_required", "Debes aceptar los términos y condiciones.",
     "You must accept the terms and conditions."},
    {"notes_too_long", "Las notas no pueden superar 1000 caracteres.",
     "The notes cannot exceed 1000 characters."},

    /* booking assistant */
    {"assistant_text_blank", "Escribe qué horario buscas.", "Write what time you are looking for."},
    {"assistant_context_invalid", "La conversación no es válida: vuelve a empezar.",
     "The conversation is not valid: start again."},
    {"assistant_event_invalid", "Debe ser opened o slot_picked.",
     "Must be opened or slot_picked."},

};

static const kf_catalog_entry *find_entry(const char *id)
{
    if (!id) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++) {
        if (strcmp(catalog[i].id, id) == 0) {
            return &catalog[i];
        }
    }
    return NULL;
}

const char *kf_message(const char *id, kf_locale locale)
{
    const kf_catalog_entry *e = find_entry(id);
    if (!e) {
        return locale == KF_LOCALE_EN ? "The request could not be completed."
                                      : "No se pudo completar la solicitud.";
    }
    return locale == KF_LOCALE_EN ? e->en : e->es;
}

int kf_message_known(const char *id)
{
    return find_entry(id) != NULL;
}

const char *kf_locale_tag(kf_locale locale)
{
    return locale == KF_LOCALE_EN ? "en" : "es";
}

kf_locale kf_locale_of_tag(const char *tag)
{
    return tag && strcmp(tag, "en") == 0 ? KF_LOCALE_EN : KF_LOCALE_ES;
}

/* Parses "q=0.8" (after the ';') into thousandths; malformed -> 1000 as RFC 9110 implies. */
static int parse_quality(const char *params, size_t len)
{
    const char *q = NULL;
    for (size_t i = 0; i + 1 < len; i++) {
        if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            q = params + i + 2;
            break;
        }
    }
    if (!q) {
        return 1000;
    }
    double v = strtod(q, NULL);
    if (v < 0) {
        v = 0;
    }
    if (v > 1) {
        v = 1;
    }
    return (int)(v * 1000 + 0.5);
}

kf_locale kf_locale_negotiate(const char *accept_language)
{
    kf_locale best = KF_LOCALE_ES;
    int best_q = 0;

    if (!accept_language) {
        return KF_LOCALE_ES;
    }
    const char *item = accept_language;
    while (*item) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        while (len && (*item == ' ' || *item == '\t')) {
            item++;
            len--;
        }
        const char *semi = memchr(item, ';', len);
        size_t tag_len = semi ? (size_t)(semi - item) : len;
        while (tag_len && (item[tag_len - 1] == ' ' || item[tag_len - 1] == '\t')) {
            tag_len--;
        }
        int q = semi ? parse_quality(semi + 1, len - (size_t)(semi + 1 - item)) : 1000;
        int is_es = tag_len >= 2 && strncasecmp(item, "es", 2) == 0 &&
                    (tag_len == 2 || item[2] == '-' || item[2] == '_');
        int is_en = tag_len >= 2 && strncasecmp(item, "en", 2) == 0 &&
                    (tag_len == 2 || item[2] == '-' || item[2] == '_');
        /* Strictly greater: on equal quality the earlier entry wins. */
        if ((is_es || is_en) && q > best_q) {
            best_q = q;
            best = is_en ? KF_LOCALE_EN : KF_LOCALE_ES;
        }
        if (!end) {
            break;
        }
        item = end + 1;
    }
    return best;
}

const char *kf_fill(apr_pool_t *p, const char *text, const char *const *pairs)
{
    const char *out = "";
    const char *rest = text;
    for (;;) {
        /* the earliest placeholder of the pairs in what is left */
        const char *next = NULL, *value = NULL;
        apr_size_t len = 0;
        for (const char *const *pair = pairs; pair && pair[0]; pair += 2) {
            const char *at = strstr(rest, pair[0]);
            if (at && (!next || at < next)) {
                next = at;
                value = pair[1] ? pair[1] : "";
                len = strlen(pair[0]);
            }
        }
        if (!next) {
            return apr_pstrcat(p, out, rest, NULL);
        }
        out = apr_psprintf(p, "%s%.*s%s", out, (int)(next - rest), rest, value);
        rest = next + len;
    }
}

const char *kf_fill_min_max(apr_pool_t *p, const char *text, apr_int64_t min, apr_int64_t max)
{
    const char *pairs[] = {"{min}", apr_psprintf(p, "%" APR_INT64_T_FMT, min),
                           "{max}", apr_psprintf(p, "%" APR_INT64_T_FMT, max), NULL};
    return kf_fill(p, text, pairs);
}
