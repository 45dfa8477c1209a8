// The home page's banners of open alerts (GET /api/admin/alerts): what keeps going wrong on
// the business's side, what to do about it, where, and a button that dismisses the banner
// until the problem clears and comes back.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, navLink, announce, alertText, problemText, busy } from '../ui.js';
import { when } from './common.js';
import { whyText } from './deliveries.js';

addMessages({
  es: {
    alertsTitle: 'Alertas',
    alert_callbacks_failing: 'Las notificaciones a tu sitio están fallando',
    alert_callbacks_failing_do:
      'Revisa que tu URL de notificaciones responda con éxito (2xx) y verifique la firma con tu secreto actual; luego envía una prueba.',
    alert_callbacks_failing_go: 'Abrir notificaciones al sitio',
    alert_calendar_not_syncing: 'Un calendario no se está sincronizando',
    alert_calendar_not_syncing_do:
      'Vuelve a conectar el calendario indicado; mientras tanto sus horarios pueden no estar al día.',
    alert_calendar_not_syncing_go: 'Abrir profesionales',
    alert_webhook_signatures_failing: 'Los avisos de tu proveedor de pagos no pasan la verificación de firma',
    alert_webhook_signatures_failing_do:
      'Copia de nuevo el secreto de eventos de tu proveedor; hasta entonces los pagos se confirman más tarde.',
    alert_webhook_signatures_failing_go: 'Abrir pagos',
    alert_messages_bouncing: 'Correos o mensajes a tus clientes no se pudieron entregar',
    alert_messages_bouncing_do: 'Mira a quién no llegaron, corrige el contacto del cliente y envíalos de nuevo.',
    alert_messages_bouncing_go: 'Abrir envíos que fallaron',
    alert_payments_failing: 'Tu proveedor de pagos no está iniciando los pagos',
    alert_payments_failing_do:
      'Tus clientes no pueden pagar: revisa tus claves, prueba la conexión y mira el estado de tu proveedor. Sus horarios quedan reservados mientras reintentan.',
    alert_payments_failing_go: 'Abrir pagos',
    alert_calendar_changed: 'Un profesional cambió citas en su calendario',
    alert_calendar_changed_do:
      'Abre cada reserva marcada: muévela a la nueva hora, cancélala o vuelve a poner el evento. La reserva no cambia sola.',
    alert_calendar_changed_go: 'Abrir reservas',
    alertSince: 'Desde {when}',
    alertLast: 'El último:',
    alertDismiss: 'Ocultar',
    alertDismissLabel: 'Ocultar la alerta «{title}»',
    alertDismissed: 'Alerta ocultada. Volverá a aparecer si el problema se repite después de resolverse.',
  },
  en: {
    alertsTitle: 'Alerts',
    alert_callbacks_failing: 'Notifications to your site keep failing',
    alert_callbacks_failing_do:
      'Check that your notification URL answers with success (2xx) and verifies the signature with your current secret; then send a test.',
    alert_callbacks_failing_go: 'Open site notifications',
    alert_calendar_not_syncing: 'A calendar is not syncing',
    alert_calendar_not_syncing_do: 'Connect the calendar named again; meanwhile its slots may be out of date.',
    alert_calendar_not_syncing_go: 'Open professionals',
    alert_webhook_signatures_failing: "Your payment provider's payment notices fail the signature check",
    alert_webhook_signatures_failing_do:
      "Copy your provider's events secret again; until then payments are confirmed later.",
    alert_webhook_signatures_failing_go: 'Open payments',
    alert_messages_bouncing: 'Mails or texts to your customers could not be delivered',
    alert_messages_bouncing_do: "See which ones failed, correct the customer's contact and send them again.",
    alert_messages_bouncing_go: 'Open failed deliveries',
    alert_payments_failing: 'Your payment provider is not starting payments',
    alert_payments_failing_do:
      "Your customers cannot pay: check your keys, test the connection and look at your provider's status. Their times stay held while they try again.",
    alert_payments_failing_go: 'Open payments',
    alert_calendar_changed: 'A professional changed appointments in their calendar',
    alert_calendar_changed_do:
      'Open each booking flagged: move it to the new time, cancel it or put the event back. The booking does not change by itself.',
    alert_calendar_changed_go: 'Open bookings',
    alertSince: 'Since {when}',
    alertLast: 'The last:',
    alertDismiss: 'Dismiss',
    alertDismissLabel: 'Dismiss the alert “{title}”',
    alertDismissed: 'Alert dismissed. It comes back if the problem returns after it is resolved.',
  },
});

// Where the merchant fixes each kind.
const WHERE = {
  callbacks_failing: 'callbacks',
  calendar_not_syncing: 'professionals',
  webhook_signatures_failing: 'payments',
  messages_bouncing: 'deliveries',
  payments_failing: 'payments',
  calendar_changed: 'bookings',
};

function banner(ctx, alert, section) {
  const { t } = ctx;
  const title = t('alert_' + alert.kind);
  const titleId = 'alert-title-' + alert.id;
  const dismiss = h(
    'button',
    { type: 'button', class: 'secondary dismiss', 'aria-label': t('alertDismissLabel', { title }) },
    t('alertDismiss'),
  );
  const el = h(
    'div',
    { class: 'alert-banner', role: 'status', 'aria-labelledby': titleId, 'data-kind': alert.kind },
    h(
      'div',
      { class: 'alert-text' },
      h('h3', { id: titleId }, title),
      h('p', {}, t('alert_' + alert.kind + '_do')),
      alert.detail ? h('p', { class: 'hint alert-detail' }, alert.detail) : null,
      alert.last_reason
        ? h(
            'p',
            { class: 'hint alert-last' },
            t('alertLast'),
            ' ',
            whyText(ctx, alert.last_reason.reason, alert.last_reason.answer_code, alert.last_reason.to),
          )
        : null,
      h(
        'p',
        { class: 'hint' },
        t('alertSince', { when: when(ctx, alert.raised_at) }),
        ' · ',
        navLink('/dashboard/' + WHERE[alert.kind], t('alert_' + alert.kind + '_go')),
      ),
    ),
    dismiss,
  );
  dismiss.addEventListener('click', () =>
    busy(dismiss, async () => {
      try {
        await api.post('/api/admin/alerts/' + encodeURIComponent(alert.id) + '/dismiss');
      } catch (err) {
        alertText(problemText(t, err));
        return;
      }
      // focus goes to the next banner's button, else to the section's heading
      const next = el.nextElementSibling || el.previousElementSibling;
      el.remove();
      announce(t('alertDismissed'));
      if (next && next.classList.contains('alert-banner')) {
        next.querySelector('button').focus();
      } else {
        const heading = section.querySelector('h2');
        section.hidden = !section.querySelector('.alert-banner');
        (section.hidden ? document.querySelector('main h1') : heading)?.focus();
      }
    }),
  );
  return el;
}

// The banners' section, or null when nothing is open. A failure to read them leaves the
// rest of the home page as it is.
export async function alertBanners(ctx) {
  let items;
  try {
    items = (await api.get('/api/admin/alerts')).items;
  } catch (err) {
    return null;
  }
  if (!items.length) return null;
  const section = h(
    'section',
    { class: 'alerts', 'aria-labelledby': 'alerts-title' },
    h('h2', { id: 'alerts-title', class: 'visually-hidden', tabindex: '-1' }, ctx.t('alertsTitle')),
  );
  for (const a of items) section.append(banner(ctx, a, section));
  return section;
}
