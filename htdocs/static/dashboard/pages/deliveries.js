// Mails, texts and notifications that could not be delivered (API.md "After booking":
// GET /api/admin/deliveries?status=failed), each with a button to send it again. The same
// table shows the deliveries of one booking on its detail page.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, table, badge, navLink, announce, alertText, problemText, busy } from '../ui.js';
import { when } from './common.js';

addMessages({
  es: {
    deliveriesTitle: 'Envíos que fallaron',
    deliveriesLead: 'Correos, mensajes y notificaciones a tu sitio que no llegaron. La reserva y su pago siguen en pie; puedes volver a enviarlos.',
    noDeliveries: 'Ningún envío ha fallado.', deliveries: 'Envíos', colChannel: 'Canal', colKind: 'Qué',
    colTo: 'Para', colDelivery: 'Estado', colTries: 'Intentos', colLast: 'Último intento', colWhy: 'Error',
    colBookingRef: 'Reserva', sendAgain: 'Volver a enviar', sentAgain: 'Lo volvemos a enviar.',
    ch_email: 'Correo', ch_sms: 'SMS', ch_whatsapp: 'WhatsApp', ch_callback: 'Notificación a tu sitio',
    dl_failed: 'Falló', dl_sent: 'Enviado', dl_pending: 'En cola', dl_suppressed: 'No enviado (STOP)', seeBooking: 'Ver la reserva',
  },
  en: {
    deliveriesTitle: 'Deliveries that failed',
    deliveriesLead: 'Mails, texts and notifications to your site that did not arrive. The booking and its payment stand; you can send them again.',
    noDeliveries: 'No delivery has failed.', deliveries: 'Deliveries', colChannel: 'Channel', colKind: 'What',
    colTo: 'To', colDelivery: 'Status', colTries: 'Attempts', colLast: 'Last attempt', colWhy: 'Error',
    colBookingRef: 'Booking', sendAgain: 'Send again', sentAgain: 'It is being sent again.',
    ch_email: 'Mail', ch_sms: 'SMS', ch_whatsapp: 'WhatsApp', ch_callback: 'Notification to your site',
    dl_failed: 'Failed', dl_sent: 'Sent', dl_pending: 'Queued', dl_suppressed: 'Not sent (STOP)', seeBooking: 'See the booking',
  },
});

function resendButton(ctx, d, after) {
  const { t } = ctx;
  const button = h('button', { type: 'button', class: 'secondary',
    'aria-label': `${t('sendAgain')}: ${t('ch_' + d.channel)} ${d.to || ''}` }, t('sendAgain'));
  button.addEventListener('click', () => busy(button, async () => {
    try {
      await api.post('/api/admin/deliveries/' + encodeURIComponent(d.id) + '/resend');
      announce(t('sentAgain'));
      after();
    } catch (err) {
      alertText(problemText(t, err));
    }
  }));
  return button;
}

// The table of `items`; `withBooking`: a column linking each to its booking.
export function deliveriesTable(ctx, items, { withBooking = false, after = () => {} } = {}) {
  const { t } = ctx;
  const columns = [
    { label: t('colChannel'), cell: (d) => t('ch_' + d.channel) },
    { label: t('colKind'), cell: (d) => d.kind || '' },
    { label: t('colTo'), cell: (d) => d.to || '—' },
    { label: t('colDelivery'), cell: (d) => badge(t('dl_' + d.status), { sent: 'good', failed: 'bad' }[d.status] || 'wait') },
    { label: t('colTries'), class: 'num', cell: (d) => String(d.attempts) },
    { label: t('colLast'), cell: (d) => (d.last_attempt_at ? when(ctx, d.last_attempt_at) : '—') },
    { label: t('colWhy'), cell: (d) => d.error || '' },
  ];
  if (withBooking) {
    columns.push({ label: t('colBookingRef'), cell: (d) => (d.booking_id
      ? navLink('/dashboard/bookings/' + d.booking_id, t('seeBooking')) : '—') });
  }
  columns.push({ label: '', cell: (d) => (d.status === 'failed' ? resendButton(ctx, d, after) : '') });
  return table(t('deliveries'), columns, items, { empty: t('noDeliveries') });
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
