// A booking whose event the professional deleted or moved in their own calendar (API.md
// "outside changes"): what happened there, and the merchant's three answers. The booking
// itself never changed: the merchant moves it to the event's time (the customer is told, as
// with any reschedule), puts the event back, or cancels it in the panel below.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, announce, alertText, problemText, busy } from '../ui.js';
import { when } from './common.js';

addMessages({
  es: {
    calChangedTitle: 'Cambiada en el calendario del profesional',
    calChanged_moved: 'El profesional movió el evento de esta cita a {when} en su calendario.',
    calChanged_deleted: 'El profesional borró el evento de esta cita en su calendario.',
    calChangedSeen: 'Lo vimos: {when}. La reserva no cambió: decide tú.',
    calChangedAccept: 'Mover la reserva a {when}',
    calChangedRestore: 'Volver a poner el evento',
    calChangedCancelHint: 'O cancela la reserva más abajo (con el reembolso que corresponda).',
    calChangedAccepted: 'Reserva movida; avisamos al cliente.',
    calChangedRestored: 'El evento vuelve a su calendario a la hora de la reserva.',
  },
  en: {
    calChangedTitle: "Changed in the professional's calendar",
    calChanged_moved: "The professional moved this appointment's event to {when} in their calendar.",
    calChanged_deleted: "The professional deleted this appointment's event in their calendar.",
    calChangedSeen: 'Seen: {when}. The booking did not change: it is your call.',
    calChangedAccept: 'Move the booking to {when}',
    calChangedRestore: 'Put the event back',
    calChangedCancelHint: 'Or cancel the booking below (with the refund that applies).',
    calChangedAccepted: 'Booking moved; the customer was told.',
    calChangedRestored: "The event goes back to their calendar at the booking's time.",
  },
});

function actionButton(ctx, b, action, label, done, primary) {
  const button = h(
    'button',
    { type: 'button', class: primary ? 'primary' : 'secondary', id: 'calendar-change-' + action },
    label,
  );
  button.addEventListener('click', () =>
    busy(button, async () => {
      try {
        await api.post('/api/admin/bookings/' + encodeURIComponent(b.id) + '/calendar-change/' + action);
        announce(ctx.t(done));
        ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
      } catch (err) {
        alertText(problemText(ctx.t, err));
      }
    }),
  );
  return button;
}

export function calendarChangePanel(ctx, b) {
  const { t } = ctx;
  const change = b.calendar_changed;
  if (!change) return null;
  const moved = change.kind === 'moved';
  const newTime = moved ? when(ctx, change.start) : '';
  return h(
    'section',
    { class: 'panel notice warn', id: 'calendar-change', 'aria-labelledby': 'calendar-change-title' },
    h('h2', { id: 'calendar-change-title' }, t('calChangedTitle')),
    h('p', {}, t('calChanged_' + change.kind, { when: newTime })),
    h('p', { class: 'hint' }, t('calChangedSeen', { when: when(ctx, change.seen_at) })),
    h(
      'div',
      { class: 'form-actions' },
      moved
        ? actionButton(ctx, b, 'accept', t('calChangedAccept', { when: newTime }), 'calChangedAccepted', true)
        : null,
      actionButton(ctx, b, 'restore', t('calChangedRestore'), 'calChangedRestored', !moved),
    ),
    h('p', { class: 'hint' }, t('calChangedCancelHint')),
  );
}
