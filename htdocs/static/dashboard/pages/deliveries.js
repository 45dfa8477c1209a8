// Mails, texts and notifications that could not be delivered (API.md "After booking":
// GET /api/admin/deliveries?status=failed), each saying what happened and what to do, with
// what the provider said behind "Details", and a button to send it again. The same list
// shows the deliveries of one booking on its detail page. A table from 700 px, one card per
// delivery below.
import * as api from '../api.js';
import { addMessages, hasText } from '../i18n.js';
import { h, pageHeader, badge, navLink, announce, alertText, problemText, busy } from '../ui.js';
import { when, number, breakable, techName } from './common.js';

addMessages({
  es: {
    deliveriesTitle: 'Envíos que fallaron',
    deliveriesLead:
      'Correos, mensajes y notificaciones a tu sitio que no llegaron. La reserva y su pago siguen en pie; puedes volver a enviarlos.',
    noDeliveries: 'Ningún envío ha fallado.',
    deliveries: 'Envíos',
    colSent: 'Envío',
    colTo: 'Para',
    colHappened: 'Qué pasó',
    colTries: 'Intentos',
    tries: '{n} intentos',
    oneTry: '1 intento',
    lastTry: 'El último: {when}',
    details: 'Detalles',
    providerSaid: 'Respuesta recibida',
    colBookingRef: 'Reserva',
    sendAgain: 'Volver a enviar',
    sentAgain: 'Lo volvemos a enviar.',
    ch_email: 'Correo',
    ch_sms: 'SMS',
    ch_whatsapp: 'WhatsApp',
    ch_callback: 'Notificación a tu sitio',
    dl_failed: 'Falló',
    dl_sent: 'Enviado',
    dl_pending: 'En cola',
    dl_suppressed: 'No enviado (STOP)',
    seeBooking: 'Ver la reserva',
    // what a text or a site notification was (a mail says it in its subject)
    text_reminder: 'Recordatorio',
    text_rescheduled: 'Aviso de cambio de hora',
    text_cancelled: 'Aviso de cancelación',
    'ev_booking.paid': 'Reserva pagada',
    'ev_booking.cancelled': 'Reserva cancelada',
    'ev_booking.rescheduled': 'Reserva reprogramada',
    'ev_booking.completed': 'Cita atendida',
    'ev_booking.no_show': 'El cliente no asistió',
    'ev_purchase.paid': 'Paquete pagado',
    mail_booking_confirmed: 'Confirmación de la reserva',
    mail_booking_rescheduled: 'Aviso de cambio de hora',
    mail_booking_rescheduled_customer: 'Aviso de cambio de hora',
    mail_booking_cancelled: 'Aviso de cancelación',
    mail_booking_reminder: 'Recordatorio',
    mail_booking_notice: 'Aviso de reserva',
    mail_booking_calendar_changed: 'Aviso de cambio en el calendario del profesional',
    mail_purchase_paid: 'Compra de paquete',
    // what happened ({to}: the address or number; _n: with the number the other side answered)
    why_mail_mailbox_missing: 'El buzón de {to} no existe.',
    why_mail_mailbox_missing_n: 'El buzón de {to} no existe (el servidor de correo respondió {n}).',
    why_mail_mailbox_full: 'El buzón de {to} está lleno.',
    why_mail_mailbox_full_n: 'El buzón de {to} está lleno (el servidor de correo respondió {n}).',
    why_mail_address_invalid: '{to} no es una dirección de correo válida.',
    why_mail_address_invalid_n: '{to} no es una dirección de correo válida (el servidor de correo respondió {n}).',
    why_mail_spam: 'El servidor de correo de {to} rechazó el mensaje por considerarlo spam.',
    why_mail_spam_n: 'El servidor de correo de {to} rechazó el mensaje por considerarlo spam (respondió {n}).',
    why_mail_service_refused: 'Nuestro servicio de correo no aceptó el envío.',
    why_mail_service_refused_n: 'Nuestro servicio de correo no aceptó el envío (respondió {n}).',
    why_mail_no_answer: 'El servidor de correo no respondió.',
    why_mail_busy: 'El servidor de correo estaba ocupado.',
    why_mail_busy_n: 'El servidor de correo pidió esperar (respondió {n}).',
    why_mail_not_prepared: 'No pudimos preparar este correo.',
    why_text_number_invalid: 'El número {to} no es válido o no puede recibir mensajes.',
    why_text_number_invalid_n: 'El número {to} no es válido o no puede recibir mensajes (código de Twilio {n}).',
    why_text_unsubscribed: '{to} pidió no recibir más mensajes (respondió STOP).',
    why_text_account: 'Twilio no aceptó el envío con los datos de tu cuenta.',
    why_text_account_n: 'Twilio no aceptó el envío con los datos de tu cuenta (código de Twilio {n}).',
    why_text_provider_down: 'Twilio, el servicio de mensajes, no respondió.',
    why_text_provider_down_n: 'Twilio, el servicio de mensajes, no pudo tomarlo en ese momento (código {n}).',
    why_text_too_late: 'La cita ya había empezado: el recordatorio habría llegado tarde.',
    why_text_not_prepared: 'No pudimos preparar este mensaje.',
    why_site_timeout: 'Tu servidor no respondió a tiempo.',
    why_site_tls: 'No pudimos abrir una conexión segura (HTTPS) con tu servidor.',
    why_site_dns: 'No encontramos tu servidor: su dominio no existe en internet.',
    why_site_refused: 'Tu servidor rechazó la conexión.',
    why_site_blocked: 'La dirección de tu servidor es privada: ahí no enviamos avisos.',
    why_site_redirect: 'Tu servidor respondió con una redirección.',
    why_site_redirect_n: 'Tu servidor respondió con una redirección ({n}).',
    why_site_unauthorized: 'Tu servidor rechazó el aviso por su firma o su acceso.',
    why_site_unauthorized_n: 'Tu servidor rechazó el aviso por su firma o su acceso (respondió {n}).',
    why_site_not_found: 'La dirección de avisos no existe en tu servidor.',
    why_site_not_found_n: 'La dirección de avisos no existe en tu servidor (respondió {n}).',
    why_site_rejected: 'Tu servidor rechazó el aviso.',
    why_site_rejected_n: 'Tu servidor rechazó el aviso (respondió {n}).',
    why_site_error: 'Tu servidor tuvo un error al recibir el aviso.',
    why_site_error_n: 'Tu servidor tuvo un error al recibir el aviso (respondió {n}).',
    why_unknown: 'No se pudo entregar.',
    // what to do once it failed for good
    do_mail_mailbox_missing: 'Confirma el correo con tu cliente, corrígelo en la reserva y vuelve a enviarlo.',
    do_mail_address_invalid: 'Confirma el correo con tu cliente, corrígelo en la reserva y vuelve a enviarlo.',
    do_mail_mailbox_full: 'Pídele a tu cliente que libere espacio o te dé otro correo; luego vuelve a enviarlo.',
    do_mail_spam: 'Pídele a tu cliente que revise su carpeta de spam o te dé otro correo.',
    do_mail_service_refused:
      'Es un problema de nuestro lado, no de tu cliente ni de tu cuenta: ya nos llegó el aviso. Cuando se resuelva, vuelve a enviarlo.',
    do_mail_not_prepared: 'Vuelve a enviarlo; si falla otra vez, escríbenos.',
    do_text_not_prepared: 'Vuelve a enviarlo; si falla otra vez, escríbenos.',
    do_text_number_invalid: 'Confirma el número con tu cliente, corrígelo en la reserva y vuelve a enviarlo.',
    do_text_unsubscribed: 'No le enviaremos más mensajes de texto; escríbele por correo.',
    do_text_account: 'Revisa la configuración de mensajes de texto (Twilio) en Recordatorios y vuelve a enviarlo.',
    do_text_too_late: 'Ya no hace falta enviarlo.',
    do_site_timeout: 'Tu sitio debe responder en menos de 10 segundos; revisa qué lo demora y vuelve a enviarlo.',
    do_site_tls: 'Revisa que el certificado HTTPS de tu sitio esté vigente y vuelve a enviarlo.',
    do_site_dns: 'Revisa la URL en Notificaciones al sitio y vuelve a enviarlo.',
    do_site_not_found: 'Revisa la URL en Notificaciones al sitio y vuelve a enviarlo.',
    do_site_redirect: 'Pon en Notificaciones al sitio la URL final, sin redirecciones, y vuelve a enviarlo.',
    do_site_refused: 'Revisa que tu servidor esté encendido y acepte conexiones HTTPS; luego vuelve a enviarlo.',
    do_site_blocked: 'Pon en Notificaciones al sitio la URL pública de tu sitio.',
    do_site_unauthorized: 'Revisa que tu sitio verifique la firma con tu secreto actual y vuelve a enviarlo.',
    do_site_rejected: 'Revisa qué espera tu sitio y vuelve a enviarlo.',
    do_site_error: 'Revisa los registros de errores de tu sitio y vuelve a enviarlo.',
    do_later: 'Dejamos de intentarlo; vuelve a enviarlo cuando quieras.',
    willRetry: 'Lo intentaremos de nuevo.',
  },
  en: {
    deliveriesTitle: 'Deliveries that failed',
    deliveriesLead:
      'Mails, texts and notifications to your site that did not arrive. The booking and its payment stand; you can send them again.',
    noDeliveries: 'No delivery has failed.',
    deliveries: 'Deliveries',
    colSent: 'Delivery',
    colTo: 'To',
    colHappened: 'What happened',
    colTries: 'Attempts',
    tries: '{n} attempts',
    oneTry: '1 attempt',
    lastTry: 'The last: {when}',
    details: 'Details',
    providerSaid: 'The answer we got',
    colBookingRef: 'Booking',
    sendAgain: 'Send again',
    sentAgain: 'It is being sent again.',
    ch_email: 'Mail',
    ch_sms: 'SMS',
    ch_whatsapp: 'WhatsApp',
    ch_callback: 'Notification to your site',
    dl_failed: 'Failed',
    dl_sent: 'Sent',
    dl_pending: 'Queued',
    dl_suppressed: 'Not sent (STOP)',
    seeBooking: 'See the booking',
    text_reminder: 'Reminder',
    text_rescheduled: 'New time notice',
    text_cancelled: 'Cancellation notice',
    'ev_booking.paid': 'Booking paid',
    'ev_booking.cancelled': 'Booking cancelled',
    'ev_booking.rescheduled': 'Booking rescheduled',
    'ev_booking.completed': 'Appointment attended',
    'ev_booking.no_show': 'Customer did not come',
    'ev_purchase.paid': 'Package paid',
    mail_booking_confirmed: 'Booking confirmation',
    mail_booking_rescheduled: 'New time notice',
    mail_booking_rescheduled_customer: 'New time notice',
    mail_booking_cancelled: 'Cancellation notice',
    mail_booking_reminder: 'Reminder',
    mail_booking_notice: 'Booking notice',
    mail_booking_calendar_changed: "Notice of a change in the professional's calendar",
    mail_purchase_paid: 'Package purchase',
    why_mail_mailbox_missing: 'The mailbox {to} does not exist.',
    why_mail_mailbox_missing_n: 'The mailbox {to} does not exist (the mail server answered {n}).',
    why_mail_mailbox_full: 'The mailbox {to} is full.',
    why_mail_mailbox_full_n: 'The mailbox {to} is full (the mail server answered {n}).',
    why_mail_address_invalid: '{to} is not a valid email address.',
    why_mail_address_invalid_n: '{to} is not a valid email address (the mail server answered {n}).',
    why_mail_spam: 'The mail server of {to} refused the message as spam.',
    why_mail_spam_n: 'The mail server of {to} refused the message as spam (it answered {n}).',
    why_mail_service_refused: 'Our mail service did not accept the mail.',
    why_mail_service_refused_n: 'Our mail service did not accept the mail (it answered {n}).',
    why_mail_no_answer: 'The mail server did not answer.',
    why_mail_busy: 'The mail server was busy.',
    why_mail_busy_n: 'The mail server asked us to wait (it answered {n}).',
    why_mail_not_prepared: 'We could not prepare this mail.',
    why_text_number_invalid: 'The number {to} is not valid or cannot receive texts.',
    why_text_number_invalid_n: 'The number {to} is not valid or cannot receive texts (Twilio code {n}).',
    why_text_unsubscribed: '{to} asked to get no more texts (they answered STOP).',
    why_text_account: "Twilio did not accept the text with your account's details.",
    why_text_account_n: "Twilio did not accept the text with your account's details (Twilio code {n}).",
    why_text_provider_down: 'Twilio, the text service, did not answer.',
    why_text_provider_down_n: 'Twilio, the text service, could not take it then (code {n}).',
    why_text_too_late: 'The appointment had already started: the reminder would have come late.',
    why_text_not_prepared: 'We could not prepare this text.',
    why_site_timeout: 'Your server did not answer in time.',
    why_site_tls: 'We could not open a secure (HTTPS) connection to your server.',
    why_site_dns: 'We could not find your server: its domain does not exist on the internet.',
    why_site_refused: 'Your server refused the connection.',
    why_site_blocked: "Your server's address is private: we send no notifications there.",
    why_site_redirect: 'Your server answered with a redirect.',
    why_site_redirect_n: 'Your server answered with a redirect ({n}).',
    why_site_unauthorized: 'Your server refused the notification for its signature or access.',
    why_site_unauthorized_n: 'Your server refused the notification for its signature or access (it answered {n}).',
    why_site_not_found: 'The notification address does not exist on your server.',
    why_site_not_found_n: 'The notification address does not exist on your server (it answered {n}).',
    why_site_rejected: 'Your server refused the notification.',
    why_site_rejected_n: 'Your server refused the notification (it answered {n}).',
    why_site_error: 'Your server had an error receiving the notification.',
    why_site_error_n: 'Your server had an error receiving the notification (it answered {n}).',
    why_unknown: 'It could not be delivered.',
    do_mail_mailbox_missing: 'Check the address with your customer, correct it on the booking and send it again.',
    do_mail_address_invalid: 'Check the address with your customer, correct it on the booking and send it again.',
    do_mail_mailbox_full: 'Ask your customer to free some space or give you another address; then send it again.',
    do_mail_spam: 'Ask your customer to check their spam folder or give you another address.',
    do_mail_service_refused:
      "The problem is on our side, not your customer's or your account's: we have been alerted. Once it is solved, send it again.",
    do_mail_not_prepared: 'Send it again; if it fails again, write to us.',
    do_text_not_prepared: 'Send it again; if it fails again, write to us.',
    do_text_number_invalid: 'Check the number with your customer, correct it on the booking and send it again.',
    do_text_unsubscribed: 'We will not text this number again; write to them by mail.',
    do_text_account: 'Check the text message (Twilio) settings in Reminders and send it again.',
    do_text_too_late: 'It no longer needs sending.',
    do_site_timeout: 'Your site must answer within 10 seconds; check what slows it down and send it again.',
    do_site_tls: "Check that your site's HTTPS certificate is valid and send it again.",
    do_site_dns: 'Check the URL in Site notifications and send it again.',
    do_site_not_found: 'Check the URL in Site notifications and send it again.',
    do_site_redirect: 'Put the final URL, with no redirect, in Site notifications and send it again.',
    do_site_refused: 'Check that your server is up and takes HTTPS connections; then send it again.',
    do_site_blocked: "Put your site's public URL in Site notifications.",
    do_site_unauthorized: 'Check that your site verifies the signature with your current secret and send it again.',
    do_site_rejected: 'Check what your site expects and send it again.',
    do_site_error: "Check your site's error logs and send it again.",
    do_later: 'We stopped trying; send it again whenever you like.',
    willRetry: 'We will try again.',
  },
});

// Failures that sending again cannot mend: the number said STOP, the moment has passed.
const NO_RESEND = new Set(['text_unsubscribed', 'text_too_late']);

// A message with `{to}` as a node: the address breaks only where an address may.
function withAddress(text, to) {
  const [before, ...after] = text.split('{to}');
  return after.length ? [before, breakable(to || '—'), after.join('{to}')] : [text];
}

// What a failure was, in a sentence, from its reason (API.md "reason", "answer_code"): the
// deliveries list, a booking's callback attempts and the alerts' banners word it here.
export function whyText(ctx, reason, answerCode, to) {
  const { t } = ctx;
  // the number answered is a code ("550", "21211"), never grouped like a quantity
  const what =
    answerCode && hasText('why_' + reason + '_n')
      ? t('why_' + reason + '_n', { n: String(answerCode) })
      : t(hasText('why_' + reason) ? 'why_' + reason : 'why_unknown');
  return withAddress(what, to);
}

// What happened, in a sentence; and what to do (failed) or that we try again (pending).
function happened(ctx, d) {
  const { t } = ctx;
  const reason = d.reason || (d.status === 'failed' ? 'unknown' : null);
  if (!reason) return null;
  let next = null;
  if (d.status === 'pending') next = t('willRetry');
  else if (d.status === 'failed') next = t(hasText('do_' + reason) ? 'do_' + reason : 'do_later');
  return [
    h('p', { class: 'why' }, whyText(ctx, reason, d.answer_code, d.to)),
    next ? h('p', { class: 'hint next' }, next) : null,
  ];
}

// What the provider said, as it said it, for whoever wants it.
export function rawAnswer(ctx, error) {
  if (!error) return null;
  return h(
    'details',
    { class: 'raw' },
    h('summary', {}, ctx.t('details')),
    h('p', { class: 'hint' }, ctx.t('providerSaid')),
    h('code', {}, error),
  );
}

// What the delivery was: a mail's subject, a text's kind, a site notification's event (its
// technical name beside it, as the site receives it).
function whatItWas(ctx, d) {
  const { t } = ctx;
  if (d.channel === 'callback') return hasText('ev_' + d.kind) ? techName(t('ev_' + d.kind), d.kind) : d.kind;
  const key = (d.channel === 'email' ? 'mail_' : 'text_') + d.kind;
  return hasText(key) ? t(key) : d.kind || '';
}

function resendButton(ctx, d, after) {
  const { t } = ctx;
  const button = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-label': `${t('sendAgain')}: ${t('ch_' + d.channel)} ${d.to || ''}` },
    t('sendAgain'),
  );
  button.addEventListener('click', () =>
    busy(button, async () => {
      try {
        await api.post('/api/admin/deliveries/' + encodeURIComponent(d.id) + '/resend');
        announce(t('sentAgain'));
        after();
      } catch (err) {
        alertText(problemText(t, err));
      }
    }),
  );
  return button;
}

function tries(ctx, d) {
  const { t } = ctx;
  return [
    h('span', { class: 'tries' }, d.attempts === 1 ? t('oneTry') : t('tries', { n: number(ctx, d.attempts) })),
    d.last_attempt_at
      ? h('span', { class: 'hint last-try' }, t('lastTry', { when: when(ctx, d.last_attempt_at) }))
      : null,
  ];
}

// The list of `items`; `withBooking`: each links to its booking.
export function deliveriesTable(ctx, items, { withBooking = false, after = () => {} } = {}) {
  const { t } = ctx;
  if (!items.length) return h('p', { class: 'empty' }, t('noDeliveries'));
  const tone = { sent: 'good', failed: 'bad' };
  const row = (d) =>
    h(
      'tr',
      { dataset: { id: d.id, channel: d.channel } },
      h(
        'td',
        { class: 'd-what' },
        h('span', { class: 'channel' }, t('ch_' + d.channel)),
        h('span', { class: 'kind' }, whatItWas(ctx, d)),
        badge(t('dl_' + d.status), tone[d.status] || 'wait'),
      ),
      h('td', { class: 'd-to', 'data-label': t('colTo') }, d.to ? breakable(d.to) : '—'),
      h('td', { class: 'd-why' }, happened(ctx, d), rawAnswer(ctx, d.error)),
      h('td', { class: 'd-tries', 'data-label': t('colTries') }, tries(ctx, d)),
      h(
        'td',
        { class: 'd-actions' },
        d.status === 'failed' && !NO_RESEND.has(d.reason) ? resendButton(ctx, d, after) : null,
        withBooking && d.booking_id ? navLink('/dashboard/bookings/' + d.booking_id, t('seeBooking')) : null,
      ),
    );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data deliveries' },
      h('caption', { class: 'visually-hidden' }, t('deliveries')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('colSent'), t('colTo'), t('colHappened'), t('colTries'), ''].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, items.map(row)),
    ),
  );
}

export async function deliveries(ctx) {
  const { t, main } = ctx;
  const { items } = await api.get('/api/admin/deliveries?status=failed');
  if (ctx.stale()) return;
  pageHeader(main, t, t('deliveriesTitle'));
  main.append(h('p', { class: 'lead' }, t('deliveriesLead')));
  const reload = () => ctx.navigate('/dashboard/deliveries', { replace: true });
  main.append(h('section', { class: 'panel' }, deliveriesTable(ctx, items, { withBooking: true, after: reload })));
}
