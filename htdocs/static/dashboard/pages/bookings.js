// Bookings: the table with filters kept in the address (back, forward and reload keep
// them), what customers booked unless the person asks for the unfinished attempts too,
// paging, the CSV of the same filters, disputed bookings marked, and a booking's
// detail: a dispute flagged first, history, payment (with its refund flags), the merchant callback and its attempts, "send again", cancel
// with a refund, and reschedule (a day, the times the booking's link offers for its
// service and professional that day, confirm), and after its end attended / no-show,
// asked once, then for a day changed to the other one or undone.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import {
  h,
  pageHeader,
  table,
  badge,
  navLink,
  announce,
  alertText,
  problemText,
  busy,
  field,
  form,
  showErrors,
  confirmDialog,
} from '../ui.js';
import { deliveriesTable, whyText, rawAnswer } from './deliveries.js';
import { calendarChangePanel } from './booking_calendar_change.js';
import {
  STATUSES,
  BOOKED,
  statusLabel,
  bookingStatusLabel,
  bookingStatusBadge,
  isFree,
  when,
  money,
  pager,
  toMinor,
  today,
  number,
  breakable,
  techName,
} from './common.js';

addMessages({
  es: {
    bookingDeliveries: 'Correos, mensajes y notificaciones',
    bookingsTitle: 'Reservas',
    filters: 'Filtros',
    fStatus: 'Estado',
    fSearch: 'Buscar cliente',
    fSearchHint: 'Nombre o correo',
    downloadCsv: 'Descargar CSV',
    colCharge: 'Cobro',
    noBookings: 'No hay reservas con estos filtros.',
    totalBookings: '{n} reservas',
    onlyFailedCallbacks: 'Solo notificaciones fallidas',
    onlyRefunds: 'Solo pagos por devolver',
    anyStatus: 'Cualquiera',
    includeAttempts: 'Incluir intentos sin completar',
    includeAttemptsHint: 'Horarios apartados que nadie terminó de reservar y pagos que no se hicieron.',
    noCustomerDetails: 'Sin datos del cliente',
    customerData: 'Exportar o borrar sus datos',
    bookingTitle: 'Reserva de {name}',
    bookingTitleNobody: 'Intento de reserva sin completar',
    customer: 'Cliente',
    contact: 'Contacto',
    notes: 'Notas',
    metadata: 'Tus datos de referencia',
    contactEdit: 'Corregir el contacto',
    contactSave: 'Guardar el contacto',
    contactName: 'Nombre',
    contactEmail: 'Correo',
    contactPhone: 'Teléfono',
    contactPhoneHint: 'Con el indicativo, p. ej. +573001234567.',
    contactSaved: 'Contacto guardado. Los mensajes que aún no salieron van al nuevo contacto.',
    service: 'Servicio',
    professional: 'Profesional',
    team: 'Equipo',
    appointment: 'Cita',
    charge: 'Cobro',
    createdAt: 'Creada',
    termsAccepted: 'Aceptó los términos',
    history: 'Historial',
    calendarEvent: 'Calendario del profesional',
    classTitle: 'Clase grupal',
    seriesTitle: 'Serie',
    seriesPlace: 'Sesión {index} de {count}',
    seriesSessions: 'Sesiones de la serie',
    colSession: 'Sesión',
    classPlaces: 'Cupo {seat} · {taken} de {capacity} cupos tomados · quedan {left}',
    classAttendees: 'Asistentes',
    classNobody: 'Aún nadie reservó esta clase.',
    colSeat: 'Cupo',
    calEvent_written: 'En su calendario',
    calEvent_pending: 'Pendiente de escribir (se reintenta solo)',
    calEvent_failed: 'No se pudo escribir',
    calEvent_removed: 'Quitado de su calendario',
    payment: 'Pago',
    noPayment: 'Sin pago: el cliente aún no empezó a pagar.',
    noPaymentFree: 'Nada que cobrar: esta reserva es gratis.',
    provider: 'Proveedor',
    reference: 'Referencia',
    transaction: 'Transacción',
    payStatus: 'Estado del pago',
    refundNeeded: 'Hay que devolver este pago al cliente.',
    refundNeededWhy: 'Hay que devolver este pago al cliente: {reason}.',
    flag_slot_lost: 'llegó cuando el horario ya no estaba libre',
    flag_second_approval: 'el cliente pagó dos veces',
    flag_approved_while_cancelled: 'llegó cuando la reserva ya estaba cancelada',
    flag_approved_while_held: 'llegó sin una reserva hecha',
    flag_cancelled: 'la reserva se canceló',
    mismatch: 'El monto o la moneda pagados no coinciden con lo cobrado.',
    disputeTitle: 'Pago en disputa',
    disputeLead: 'El cliente desconoció este cobro ante su banco. La reserva sigue igual; el banco decide.',
    disputeAnswer: 'Respóndela en {provider}: envía allí las pruebas de que el servicio se reservó y prestó.',
    disputeEnded_won: 'El banco falló a tu favor: el dinero se queda contigo.',
    disputeEnded_lost: 'El banco falló a favor del cliente: el dinero vuelve a él.',
    disputeEnded_closed: 'La disputa se cerró sin que el dinero se mueva.',
    disputeState: 'Estado',
    disputeAmount: 'Monto en disputa',
    disputeReason: 'Motivo',
    disputeOpened: 'Abierta el',
    disputeUpdated: 'Último cambio',
    disputeId: 'Disputa en {provider}',
    dispute_open: 'Abierta: hay que responder',
    dispute_won: 'Ganada',
    dispute_lost: 'Perdida',
    dispute_closed: 'Cerrada',
    disputedBadge_open: 'En disputa',
    disputedBadge_won: 'Disputa ganada',
    disputedBadge_lost: 'Disputa perdida',
    disputedBadge_closed: 'Disputa cerrada',
    reason_fraudulent: 'Fraude: no reconoce el cargo',
    reason_fraud: 'Fraude: no reconoce el cargo',
    reason_product_not_received: 'Dice que no recibió el servicio',
    reason_duplicate: 'Cobro duplicado',
    reason_unrecognized: 'No reconoce el cargo',
    reason_credit_not_processed: 'Esperaba una devolución',
    reason_general: 'General',
    reason_subscription_canceled: 'Dice que había cancelado',
    callback: 'Notificación a tu sitio',
    noCallbackUrl: 'Sin notificación: no has configurado la dirección de tu sitio.',
    noCallbackYet: 'Sin notificación: se envía cuando la reserva queda pagada.',
    attempts: 'Intentos',
    colAttempt: '#',
    colAt: 'Cuándo',
    colHttp: 'Respuesta',
    colLatency: 'Tiempo',
    colError: 'Qué pasó',
    resend: 'Enviar de nuevo',
    resent: 'Notificación en cola: se enviará en segundos.',
    cb_pending: 'Pendiente',
    cb_delivered: 'Entregada',
    cb_failed: 'Falló',
    cb_sending: 'Enviando',
    pay_pending: 'Pendiente',
    pay_approved: 'Aprobado',
    pay_declined: 'Rechazado',
    pay_error: 'Error',
    pay_voided: 'Anulado',
    pay_unknown: 'Desconocido',
    test: 'pruebas',
    production: 'producción',
    mode: 'Modo',
    backToList: 'Volver a reservas',
    moreFilters: 'Más filtros',
    why_details_entered: 'dejó sus datos',
    why_payment_approved: 'pago aprobado',
    why_callback_acknowledged: 'tu sitio confirmó',
    why_payment_declined: 'pago rechazado',
    why_hold_expired: 'se acabó el tiempo',
    why_payment_window_passed: 'no pagó a tiempo',
    why_cancelled_by_customer: 'cancelada por el cliente',
    why_cancelled_by_merchant: 'cancelada por ti',
    why_cancelled_in_calendar: 'cancelada en el calendario del profesional',
    why_rescheduled: 'cambio de hora',
    why_payment_retried: 'el cliente volvió a pagar',
    why_late_approval: 'pago tardío aprobado',
    why_slot_lost: 'el horario ya no estaba libre',
    why_completed: 'marcada por ti',
    why_completed_automatically: 'nadie la marcó a tiempo: cuenta como atendida',
    why_no_show: 'marcada por ti',
    why_mark_undone: 'marca deshecha',
    why_hold_released: 'se soltó el horario sin reservar',
    why_used_to_reschedule: 'sirvió para mover otra reserva',
    why_checkout_failed: 'no se pudo abrir el pago',
    why_payment_error: 'error en el pago',
    why_payment_voided: 'pago anulado',
    attendanceTitle: '¿El cliente asistió?',
    markCompleted: 'Asistió',
    markNoShow: 'No asistió',
    attendanceHint:
      'Si te equivocas, puedes cambiarla o deshacerla durante 24 horas. El cliente no recibe ningún mensaje; tu sitio recibe el aviso.',
    attendanceDeadline: 'Si no la marcas antes del {when}, cuenta como atendida.',
    attendanceDeadlinePassed: 'El plazo para marcarla ya terminó: en unos minutos cuenta como atendida.',
    attendanceUndone: 'Deshiciste su marca: ya no cuenta como atendida por sí sola. Márcala cuando sepas si vino.',
    confirmCompleted: '¿{name} asistió a la cita?',
    confirmNoShow: '¿{name} no asistió a la cita?',
    confirmAttendanceText:
      'Durante 24 horas puedes cambiarla o deshacerla. Tu sitio recibe el aviso; el cliente no recibe ningún mensaje.',
    confirmCompletedYes: 'Sí, asistió',
    confirmNoShowYes: 'Sí, no asistió',
    confirmBack: 'No, volver',
    markedCompleted: 'Listo: {name} asistió.',
    markedNoShow: 'Listo: {name} no asistió.',
    markedAs: 'Marcada: {mark}.',
    markChangeable: '¿Te equivocaste? Puedes cambiarla o deshacerla hasta el {when}.',
    markFinal: 'Pasaron 24 horas desde que se marcó: ya no se puede cambiar.',
    changeToCompleted: 'Cambiar a “Asistió”',
    changeToNoShow: 'Cambiar a “No asistió”',
    undoMark: 'Deshacer',
    markUndone: 'Marca deshecha: la reserva de {name} vuelve a estar sin marcar.',
    cancelBooking: 'Cancelar la reserva',
    cancelTitle: 'Cancelar esta reserva',
    cancelReason: 'Motivo (lo verá el cliente)',
    refundChoice: 'Devolución',
    refundFull: 'Todo lo pagado ({amount})',
    refundNone: 'Nada',
    refundSome: 'Otro monto',
    refundAmount: 'Monto a devolver ({currency})',
    confirmCancel: 'Cancelar la reserva',
    keepBooking: 'No, mantenerla',
    cancelledDone: 'Reserva cancelada. Avisamos al cliente y a tu sitio.',
    refundManual: 'Devuelve {amount} al cliente desde tu cuenta del proveedor.',
    refundPending: 'Estamos devolviendo {amount} a través del proveedor de pagos.',
    refundTitle: 'Devolución',
    refundState: 'Estado',
    refundSum: 'Monto',
    refund_pending: 'En curso',
    refund_succeeded: 'Devuelto',
    refund_manual: 'A mano',
    refundedAt: 'Devuelto el',
    refundNote: 'Nota',
    refundError: 'Por qué a mano',
    refundAsk: 'Devolver {amount} con {provider}',
    refundAsked: 'Devolución pedida: el proveedor la hará en segundos.',
    refundByHand: 'Ya lo devolví por mi cuenta',
    refundByHandNote: 'Cómo lo devolviste (p. ej. transferencia y número)',
    refundByHandSave: 'Marcar como devuelto',
    refundByHandDone: 'Devolución registrada.',
    why_refunded: 'dinero devuelto',
    why_refund_manual: 'devolución a mano',
    why_refunded_by_hand: 'devuelto a mano',
    rescheduleTitle: 'Cambiar fecha u hora',
    rescheduleOpen: 'Reprogramar',
    rescheduleDay: 'Día',
    rescheduleTime: 'Hora disponible con {name}',
    rescheduleConfirm: 'Mover la reserva',
    rescheduleKeep: 'No, dejarla así',
    rescheduleLoading: 'Buscando horarios…',
    rescheduleNone: 'No hay horarios libres ese día. Prueba otro día.',
    rescheduleCount: '{n} horarios libres ese día.',
    reschedulePick: 'Elige una hora.',
    rescheduleDone: 'Reserva movida al {when}: avisamos al cliente y a tu sitio.',
    rescheduleTaken: 'Esa hora ya no está libre. Elige otra: ya actualizamos los horarios.',
    rescheduleClosed: 'Esta reserva ya no se puede mover: se canceló o ya se marcó si el cliente asistió.',
    rescheduleNoLink:
      'El enlace con el que se hizo esta reserva ya no está activo, así que no podemos mostrar horarios. Actívalo para moverla.',
  },
  en: {
    bookingDeliveries: 'Mails, texts and notifications',
    bookingsTitle: 'Bookings',
    filters: 'Filters',
    fStatus: 'Status',
    fSearch: 'Search customer',
    fSearchHint: 'Name or email',
    downloadCsv: 'Download CSV',
    colCharge: 'Charge',
    noBookings: 'No bookings match these filters.',
    totalBookings: '{n} bookings',
    onlyFailedCallbacks: 'Failed notifications only',
    onlyRefunds: 'Payments to refund only',
    anyStatus: 'Any',
    includeAttempts: 'Include unfinished attempts',
    includeAttemptsHint: 'Times held that nobody finished booking, and payments never made.',
    noCustomerDetails: 'No customer details',
    customerData: 'Export or erase their data',
    bookingTitle: 'Booking of {name}',
    bookingTitleNobody: 'Unfinished booking attempt',
    customer: 'Customer',
    contact: 'Contact',
    notes: 'Notes',
    metadata: 'Your reference data',
    contactEdit: 'Correct the contact',
    contactSave: 'Save the contact',
    contactName: 'Name',
    contactEmail: 'Email',
    contactPhone: 'Phone',
    contactPhoneHint: 'With the country code, e.g. +573001234567.',
    contactSaved: 'Contact saved. Messages not sent yet go to the new contact.',
    service: 'Service',
    professional: 'Professional',
    team: 'Team',
    appointment: 'Appointment',
    charge: 'Charge',
    createdAt: 'Created',
    termsAccepted: 'Accepted the terms',
    history: 'History',
    calendarEvent: "Professional's calendar",
    classTitle: 'Group class',
    seriesTitle: 'Series',
    seriesPlace: 'Session {index} of {count}',
    seriesSessions: "The series' sessions",
    colSession: 'Session',
    classPlaces: 'Place {seat} · {taken} of {capacity} places taken · {left} left',
    classAttendees: 'Attendees',
    classNobody: 'Nobody has booked this class yet.',
    colSeat: 'Place',
    calEvent_written: 'In their calendar',
    calEvent_pending: 'Waiting to be written (retried by itself)',
    calEvent_failed: 'Could not be written',
    calEvent_removed: 'Removed from their calendar',
    payment: 'Payment',
    noPayment: 'No payment: the customer has not started paying.',
    noPaymentFree: 'Nothing to charge: this booking is free.',
    provider: 'Provider',
    reference: 'Reference',
    transaction: 'Transaction',
    payStatus: 'Payment status',
    refundNeeded: 'This payment must be refunded to the customer.',
    refundNeededWhy: 'This payment must be refunded to the customer: {reason}.',
    flag_slot_lost: 'it arrived when the time was no longer free',
    flag_second_approval: 'the customer paid twice',
    flag_approved_while_cancelled: 'it arrived when the booking was already cancelled',
    flag_approved_while_held: 'it arrived without a booking made',
    flag_cancelled: 'the booking was cancelled',
    mismatch: 'The amount or currency paid does not match what was charged.',
    disputeTitle: 'Payment disputed',
    disputeLead: 'The customer disputed this charge with their bank. The booking stays as it is; the bank decides.',
    disputeAnswer: 'Answer it at {provider}: send them the evidence that the service was booked and given.',
    disputeEnded_won: 'The bank ruled for you: the money stays with you.',
    disputeEnded_lost: 'The bank ruled for the customer: the money goes back to them.',
    disputeEnded_closed: 'The dispute was closed without the money moving.',
    disputeState: 'Status',
    disputeAmount: 'Amount disputed',
    disputeReason: 'Reason',
    disputeOpened: 'Opened on',
    disputeUpdated: 'Last change',
    disputeId: 'Dispute at {provider}',
    dispute_open: 'Open: needs your answer',
    dispute_won: 'Won',
    dispute_lost: 'Lost',
    dispute_closed: 'Closed',
    disputedBadge_open: 'Disputed',
    disputedBadge_won: 'Dispute won',
    disputedBadge_lost: 'Dispute lost',
    disputedBadge_closed: 'Dispute closed',
    reason_fraudulent: 'Fraud: does not recognise the charge',
    reason_fraud: 'Fraud: does not recognise the charge',
    reason_product_not_received: 'Says the service was not received',
    reason_duplicate: 'Charged twice',
    reason_unrecognized: 'Does not recognise the charge',
    reason_credit_not_processed: 'Expected a refund',
    reason_general: 'General',
    reason_subscription_canceled: 'Says they had cancelled',
    callback: 'Notification to your site',
    noCallbackUrl: "No notification: your site's address is not set up.",
    noCallbackYet: 'No notification: it is sent once the booking is paid.',
    attempts: 'Attempts',
    colAttempt: '#',
    colAt: 'When',
    colHttp: 'Answer',
    colLatency: 'Time',
    colError: 'What happened',
    resend: 'Send again',
    resent: 'Notification queued: it goes out in seconds.',
    cb_pending: 'Pending',
    cb_delivered: 'Delivered',
    cb_failed: 'Failed',
    cb_sending: 'Sending',
    pay_pending: 'Pending',
    pay_approved: 'Approved',
    pay_declined: 'Declined',
    pay_error: 'Error',
    pay_voided: 'Voided',
    pay_unknown: 'Unknown',
    test: 'test',
    production: 'production',
    mode: 'Mode',
    backToList: 'Back to bookings',
    moreFilters: 'More filters',
    why_details_entered: 'entered their details',
    why_payment_approved: 'payment approved',
    why_callback_acknowledged: 'your site confirmed',
    why_payment_declined: 'payment declined',
    why_hold_expired: 'time ran out',
    why_payment_window_passed: 'not paid in time',
    why_cancelled_by_customer: 'cancelled by the customer',
    why_cancelled_by_merchant: 'cancelled by you',
    why_cancelled_in_calendar: "cancelled in the professional's calendar",
    why_rescheduled: 'time changed',
    why_payment_retried: 'the customer paid again',
    why_late_approval: 'late payment approved',
    why_slot_lost: 'the time was no longer free',
    why_completed: 'marked by you',
    why_completed_automatically: 'not marked in time: counts as attended',
    why_no_show: 'marked by you',
    why_mark_undone: 'mark undone',
    why_hold_released: 'the time was let go without booking',
    why_used_to_reschedule: 'used to move another booking',
    why_checkout_failed: 'the payment page could not open',
    why_payment_error: 'payment error',
    why_payment_voided: 'payment voided',
    attendanceTitle: 'Did the customer come?',
    markCompleted: 'Attended',
    markNoShow: 'Did not attend',
    attendanceHint:
      'If you pick the wrong one, you can change or undo it for 24 hours. The customer gets no message; your site gets notified.',
    attendanceDeadline: 'If you do not mark it before {when}, it counts as attended.',
    attendanceDeadlinePassed: 'The time to mark it is over: in a few minutes it counts as attended.',
    attendanceUndone:
      'You undid its mark: it no longer counts as attended by itself. Mark it once you know whether they came.',
    confirmCompleted: 'Did {name} attend the appointment?',
    confirmNoShow: 'Did {name} miss the appointment?',
    confirmAttendanceText:
      'For 24 hours you can change or undo it. Your site gets notified; the customer gets no message.',
    confirmCompletedYes: 'Yes, attended',
    confirmNoShowYes: 'Yes, did not attend',
    confirmBack: 'No, go back',
    markedCompleted: 'Done: {name} attended.',
    markedNoShow: 'Done: {name} did not attend.',
    markedAs: 'Marked: {mark}.',
    markChangeable: 'Wrong one? You can change or undo it until {when}.',
    markFinal: '24 hours have passed since it was marked: it can no longer be changed.',
    changeToCompleted: 'Change to “Attended”',
    changeToNoShow: 'Change to “Did not attend”',
    undoMark: 'Undo',
    markUndone: 'Mark undone: the booking of {name} is unmarked again.',
    cancelBooking: 'Cancel the booking',
    cancelTitle: 'Cancel this booking',
    cancelReason: 'Reason (the customer sees it)',
    refundChoice: 'Refund',
    refundFull: 'All that was paid ({amount})',
    refundNone: 'Nothing',
    refundSome: 'Another amount',
    refundAmount: 'Amount to refund ({currency})',
    confirmCancel: 'Cancel the booking',
    keepBooking: 'No, keep it',
    cancelledDone: 'Booking cancelled. We told the customer and your site.',
    refundManual: 'Refund {amount} to the customer from your provider account.',
    refundPending: 'We are refunding {amount} through the payment provider.',
    refundTitle: 'Refund',
    refundState: 'Status',
    refundSum: 'Amount',
    refund_pending: 'In progress',
    refund_succeeded: 'Refunded',
    refund_manual: 'By hand',
    refundedAt: 'Refunded on',
    refundNote: 'Note',
    refundError: 'Why by hand',
    refundAsk: 'Refund {amount} through {provider}',
    refundAsked: 'Refund requested: the provider does it in seconds.',
    refundByHand: 'I refunded it myself',
    refundByHandNote: 'How you refunded it (e.g. transfer and its number)',
    refundByHandSave: 'Mark as refunded',
    refundByHandDone: 'Refund recorded.',
    why_refunded: 'money refunded',
    why_refund_manual: 'refund by hand',
    why_refunded_by_hand: 'refunded by hand',
    rescheduleTitle: 'Change date or time',
    rescheduleOpen: 'Reschedule',
    rescheduleDay: 'Day',
    rescheduleTime: 'Free time with {name}',
    rescheduleConfirm: 'Move the booking',
    rescheduleKeep: 'No, leave it',
    rescheduleLoading: 'Looking for times…',
    rescheduleNone: 'No free times that day. Try another day.',
    rescheduleCount: '{n} free times that day.',
    reschedulePick: 'Choose a time.',
    rescheduleDone: 'Booking moved to {when}. We told the customer and your site.',
    rescheduleTaken: 'That time is no longer free. Choose another one: the times are up to date.',
    rescheduleClosed: 'This booking can no longer be moved: it was cancelled or its attendance was marked.',
    rescheduleNoLink:
      'The link this booking was made through is no longer active, so we cannot show times. Activate it to move the booking.',
  },
});

const FILTERS = ['status', 'service', 'professional', 'from', 'to', 'q', 'callback', 'refund', 'attempts', 'page'];
const PER_PAGE = 25;

function currentFilters(query) {
  const f = {};
  for (const k of FILTERS) if (query.get(k)) f[k] = query.get(k);
  return f;
}

// What the API is asked for the filters in the address: what customers booked (their
// details given, a status of BOOKED unless one is chosen), or with attempts=include every
// reservation, holds nobody completed included. The work lists of the home page (callbacks
// that gave up, payments to refund: failed bookings among them) are asked as they are. The
// API's own default stays the contract's.
function apiFilters(filters) {
  const { attempts, ...asked } = filters;
  if (attempts === 'include') {
    if (!asked.status) asked.status = STATUSES.join(',');
  } else if (!asked.callback && !asked.refund) {
    if (!asked.status) asked.status = BOOKED.join(',');
    asked.customer = 'given';
  }
  return asked;
}

export async function list(ctx) {
  const { t, main } = ctx;
  const filters = currentFilters(ctx.query);
  const page = Math.max(1, parseInt(filters.page || '1', 10) || 1);
  const asked = apiFilters(filters);
  const [data, services, professionals] = await Promise.all([
    api.get('/api/admin/bookings', { ...asked, page, per_page: PER_PAGE }),
    api.get('/api/admin/services'),
    api.get('/api/admin/professionals'),
  ]);
  if (ctx.stale()) return;
  const { page: _ignored, ...csvFilters } = asked;
  const csv = h(
    'a',
    {
      class: 'button secondary',
      id: 'csv-link',
      download: 'reservas.csv',
      href: '/api/admin/bookings.csv' + api.queryString(csvFilters),
    },
    t('downloadCsv'),
  );
  pageHeader(main, t, t('bookingsTitle'), csv);

  const go = (next) => ctx.navigate('/dashboard/bookings' + api.queryString(next));
  const select = (name, label, options, value) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-' + name }, label),
      h(
        'select',
        { id: 'filter-' + name, name },
        options.map(([v, l]) => h('option', { value: v, selected: v === (value || '') }, l)),
      ),
    );
  const input = (name, label, type, value, hint) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-' + name }, label),
      hint ? h('p', { class: 'hint', id: 'filter-' + name + '-hint' }, hint) : null,
      h('input', {
        id: 'filter-' + name,
        name,
        type,
        value: value || '',
        'aria-describedby': hint ? 'filter-' + name + '-hint' : null,
      }),
    );
  const narrowed = ['status', 'service', 'professional', 'from', 'to', 'callback', 'refund'].some((k) => filters[k]);
  const moreFilters = h(
    'details',
    { class: 'more-filters', open: narrowed || window.matchMedia('(min-width: 700px)').matches },
    h('summary', {}, t('moreFilters')),
    h(
      'div',
      { class: 'filters-grid' },
      select(
        'status',
        t('fStatus'),
        [['', t('anyStatus')], ...STATUSES.filter((s) => s !== 'held').map((s) => [s, statusLabel(t, s)])],
        filters.status,
      ),
      select('service', t('fService'), [['', t('all')], ...services.items.map((s) => [s.id, s.name])], filters.service),
      select(
        'professional',
        t('fProfessional'),
        [['', t('all')], ...professionals.items.map((p) => [p.id, p.name])],
        filters.professional,
      ),
      input('from', t('fFrom'), 'date', filters.from),
      input('to', t('fTo'), 'date', filters.to),
      h(
        'div',
        { class: 'field checkbox' },
        h(
          'label',
          {},
          h('input', { type: 'checkbox', name: 'callback', value: 'failed', checked: filters.callback === 'failed' }),
          ' ',
          t('onlyFailedCallbacks'),
        ),
      ),
      h(
        'div',
        { class: 'field checkbox' },
        h(
          'label',
          {},
          h('input', { type: 'checkbox', name: 'refund', value: 'needed', checked: filters.refund === 'needed' }),
          ' ',
          t('onlyRefunds'),
        ),
      ),
    ),
  );
  const form = h(
    'form',
    { class: 'filters panel', role: 'search', 'aria-label': t('filters') },
    input('q', t('fSearch'), 'search', filters.q, t('fSearchHint')),
    h(
      'div',
      { class: 'field checkbox attempts' },
      h(
        'label',
        { for: 'filter-attempts' },
        h('input', {
          type: 'checkbox',
          id: 'filter-attempts',
          name: 'attempts',
          value: 'include',
          checked: filters.attempts === 'include',
          'aria-describedby': 'filter-attempts-hint',
        }),
        ' ',
        t('includeAttempts'),
      ),
      h('p', { class: 'hint', id: 'filter-attempts-hint' }, t('includeAttemptsHint')),
    ),
    moreFilters,
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('apply')),
      h('button', { type: 'button', class: 'secondary', onclick: () => go({}) }, t('clear')),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === 'checkbox') {
        if (el.checked) next[el.name] = el.value;
      } else if (el.value) next[el.name] = el.value;
    }
    go(next);
  });
  main.append(form);

  main.append(h('p', { class: 'hint', role: 'status' }, t('totalBookings', { n: number(ctx, data.total) })));
  main.append(
    table(
      t('bookingsTitle'),
      [
        { label: t('colWhen'), cell: (b) => navLink('/dashboard/bookings/' + b.id, when(ctx, b.start)) },
        {
          label: t('colCustomer'),
          cell: (b) =>
            !b.customer.name
              ? h('span', { class: 'hint' }, t('noCustomerDetails'))
              : [
                  b.customer.name,
                  b.customer.email ? h('br') : null,
                  b.customer.email ? h('span', { class: 'hint' }, b.customer.email) : null,
                ],
        },
        { label: t('colService'), cell: (b) => b.service.name },
        { label: t('colProfessional'), cell: (b) => b.professional.name },
        {
          label: t('colStatus'),
          cell: (b) =>
            !b.dispute_status
              ? bookingStatusBadge(t, b)
              : h(
                  'span',
                  { class: 'badges' },
                  bookingStatusBadge(t, b),
                  ' ',
                  disputeBadge(t, b.dispute_status, 'disputedBadge_'),
                ),
        },
        { label: t('colCharge'), class: 'num', cell: (b) => (b.charge ? money(ctx, b.charge) : '—') },
      ],
      data.items,
      { empty: t('noBookings') },
    ),
  );

  const more = pager(ctx, '/dashboard/bookings', filters, page, data.total, data.per_page);
  if (more) main.append(more);
}

// The merchant's own ids on the booking (API.md "Metadata"), each key as their systems name
// it, across the panel's width: a key and its value may both be long.
function metadataList(t, metadata) {
  return h(
    'div',
    { class: 'metadata' },
    h('h3', {}, techName(t('metadata'), 'metadata')),
    h(
      'dl',
      {},
      Object.entries(metadata).map(([k, v]) => [h('dt', {}, h('code', {}, k)), h('dd', {}, breakable(v))]),
    ),
  );
}

// Where the booking's event in the professional's calendar stands (API.md booking detail).
function calendarEventText(t, ev) {
  const label = t('calEvent_' + ev.status);
  return ev.error ? [label, h('br'), h('span', { class: 'hint' }, ev.error)] : label;
}

const DISPUTE_TONES = { open: 'bad', lost: 'bad', won: 'good', closed: 'muted' };

// A dispute's state as a badge; the text says it (never the colour alone).
function disputeBadge(t, state, prefix = 'dispute_') {
  return h(
    'span',
    { class: 'badge dispute ' + (DISPUTE_TONES[state] || 'wait') },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    t(prefix + state),
  );
}

// The provider's reason in words when it is a common one; else as the provider wrote it.
function disputeReason(t, reason) {
  if (!reason) return '—';
  const key = 'reason_' + reason.toLowerCase();
  return t(key) !== key ? t(key) : reason;
}

// A provider's name as people read it: the label GET /api/admin/tenant gives each one.
function providerLabel(tenant, id) {
  const account = tenant && tenant.payments && tenant.payments[id];
  return (account && account.label) || id;
}

// A payment the customer disputed with their bank: flagged first thing on the page, with
// where it stands and where the merchant answers it (the provider, never here).
function disputePanel(ctx, p, tenant) {
  const { t } = ctx;
  const d = p.dispute;
  const provider = providerLabel(tenant, p.provider);
  const state = d.status || 'open';
  return h(
    'section',
    { class: 'panel dispute ' + state, 'aria-labelledby': 'dispute-title', id: 'dispute' },
    h('h2', { id: 'dispute-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('disputeTitle')),
    h('p', {}, t('disputeLead')),
    state === 'open'
      ? h('p', { class: 'notice warn', role: 'note' }, h('strong', {}, t('disputeAnswer', { provider })))
      : h('p', { class: 'notice', role: 'note' }, t('disputeEnded_' + state)),
    facts([
      [t('disputeState'), disputeBadge(t, state)],
      [t('disputeAmount'), money(ctx, { amount: d.amount, currency: d.currency })],
      [t('disputeReason'), disputeReason(t, d.reason)],
      [t('disputeOpened'), when(ctx, d.opened_at)],
      d.updated_at && d.updated_at !== d.opened_at ? [t('disputeUpdated'), when(ctx, d.updated_at)] : null,
      [t('disputeId', { provider }), h('code', {}, d.id)],
    ]),
  );
}

function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );
}

// Why the booking is where it is, in words (a reason the page has no words for is left out
// rather than shown as a code).
function reasonText(t, reason) {
  const key = 'why_' + reason;
  return reason && t(key) !== key ? t(key) : null;
}

// Why the callback panel is empty: a booking that was paid, or free, or cancelled after
// either (cancel takes only those) owed the site a callback, so no address is set up;
// anything else has not been paid yet. Never "not paid" of a free booking.
function noCallbackText(t, b) {
  const owed =
    isFree(b) ||
    ['paid', 'confirmed', 'completed', 'no_show'].includes(b.status) ||
    (b.status === 'cancelled' && !!b.customer.name);
  return t(owed ? 'noCallbackUrl' : 'noCallbackYet');
}

// A flagged payment's reason in words, when the page has them.
function refundNeededText(t, flag) {
  const key = 'flag_' + flag;
  return flag && t(key) !== key ? t('refundNeededWhy', { reason: t(key) }) : t('refundNeeded');
}

export async function detail(ctx) {
  const { t, main, params } = ctx;
  const [{ booking: b }, tenant] = await Promise.all([
    api.get('/api/admin/bookings/' + encodeURIComponent(params.id)),
    api.get('/api/admin/tenant'),
  ]);
  if (ctx.stale()) return;
  pageHeader(
    main,
    t,
    b.customer.name ? t('bookingTitle', { name: b.customer.name }) : t('bookingTitleNobody'),
    navLink('/dashboard/bookings', t('backToList'), { class: 'button secondary' }),
    b.customer.email
      ? navLink('/dashboard/privacy?email=' + encodeURIComponent(b.customer.email), t('customerData'), {
          class: 'button secondary',
        })
      : null,
  );
  const why = reasonText(t, b.status_reason);
  main.append(
    h(
      'p',
      { class: 'booking-status' },
      bookingStatusBadge(t, b),
      why ? h('span', { class: 'hint' }, ' · ', why) : null,
    ),
  );

  (b.payments || []).filter((x) => x.dispute).forEach((x) => main.append(disputePanel(ctx, x, tenant.tenant)));
  const changed = calendarChangePanel(ctx, b);
  if (changed) main.append(changed);

  main.append(
    h(
      'section',
      { class: 'panel' },
      facts([
        [t('customer'), b.customer.name || '—'],
        [t('contact'), [b.customer.email || '', b.customer.phone ? ' · ' + b.customer.phone : '']],
        [t('service'), b.service.name],
        // a team's booking holds all its members at once
        b.professionals
          ? [t('team'), b.professionals.map((p) => p.name).join(', ')]
          : [t('professional'), b.professional.name],
        [t('appointment'), when(ctx, b.start)],
        [t('charge'), b.charge ? money(ctx, b.charge) : '—'],
        b.notes ? [t('notes'), b.notes] : null,
        [t('createdAt'), when(ctx, b.created_at)],
        b.accepted_terms_at ? [t('termsAccepted'), when(ctx, b.accepted_terms_at)] : null,
        b.calendar_event ? [t('calendarEvent'), calendarEventText(t, b.calendar_event)] : null,
      ]),
      b.metadata ? metadataList(t, b.metadata) : null,
      contactForm(ctx, b),
    ),
  );

  if (b.class) main.append(classPanel(ctx, b));
  if (b.series) main.append(seriesPanel(ctx, b));

  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, t('history')),
      h(
        'ol',
        { class: 'timeline' },
        (b.history || []).map((x) =>
          h(
            'li',
            {},
            h('strong', {}, bookingStatusLabel(t, b, x.to, x.reason)),
            reasonText(t, x.reason) ? ' · ' + reasonText(t, x.reason) : '',
            h('br'),
            h('span', { class: 'hint' }, when(ctx, x.at)),
          ),
        ),
      ),
    ),
  );

  const p = b.payment;
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'payment-title' },
      h('h2', { id: 'payment-title' }, t('payment')),
      !p
        ? h('p', { class: 'hint' }, t(isFree(b) ? 'noPaymentFree' : 'noPayment'))
        : [
            p.refund_needed ? h('p', { class: 'notice warn', role: 'note' }, refundNeededText(t, p.flag_reason)) : null,
            p.mismatch ? h('p', { class: 'notice warn', role: 'note' }, t('mismatch')) : null,
            facts([
              [t('provider'), `${p.provider} (${t(p.mode === 'production' ? 'production' : 'test')})`],
              [
                t('payStatus'),
                badge(
                  t('pay_' + (p.status || 'unknown')),
                  { approved: 'good', declined: 'bad', error: 'bad', voided: 'muted' }[p.status] || 'wait',
                ),
              ],
              [t('reference'), h('code', {}, p.reference)],
              p.transaction_id ? [t('transaction'), h('code', {}, p.transaction_id)] : null,
              [t('charge'), money(ctx, { amount: p.amount, currency: p.currency })],
            ]),
            refundPanel(ctx, b, p),
          ],
    ),
  );

  const cb = b.callback;
  const resend = h('button', { type: 'button', class: 'secondary', id: 'resend' }, t('resend'));
  resend.addEventListener('click', () =>
    busy(resend, async () => {
      try {
        await api.post('/api/admin/bookings/' + encodeURIComponent(b.id) + '/callback');
        announce(t('resent'));
      } catch (err) {
        alertText(problemText(t, err));
      }
    }),
  );
  if (b.status === 'paid' || b.status === 'confirmed') {
    if (new Date(b.end) <= new Date()) main.append(attendancePanel(ctx, b, tenant.tenant));
    main.append(reschedulePanel(ctx, b), cancelPanel(ctx, b));
  } else if (b.status === 'completed' || b.status === 'no_show') main.append(markedPanel(ctx, b));
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'callback-title' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'callback-title' }, t('callback')),
        cb ? badge(t('cb_' + cb.status), { delivered: 'good', failed: 'bad' }[cb.status] || 'wait') : null,
      ),
      !cb
        ? h('p', { class: 'hint' }, noCallbackText(t, b))
        : [
            table(
              t('attempts'),
              [
                { label: t('colAttempt'), cell: (a) => number(ctx, a.attempt) },
                { label: t('colAt'), cell: (a) => when(ctx, a.at) },
                { label: t('colHttp'), cell: (a) => (a.status_code ? String(a.status_code) : '—') },
                { label: t('colLatency'), class: 'num', cell: (a) => t('ms', { n: number(ctx, a.latency_ms) }) },
                {
                  label: t('colError'),
                  cell: (a) => (a.reason ? [whyText(ctx, a.reason, a.answer_code), rawAnswer(ctx, a.error)] : ''),
                },
              ],
              b.callback_attempts || [],
              { empty: noCallbackText(t, b) },
            ),
            h('div', { class: 'form-actions' }, resend),
          ],
    ),
  );
  // every mail, text and notification of the booking; a failed one can be sent again
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'deliveries-title' },
      h('h2', { id: 'deliveries-title' }, t('bookingDeliveries')),
      deliveriesTable(ctx, b.deliveries || [], {
        after: () => ctx.navigate('/dashboard/bookings/' + b.id, { replace: true }),
      }),
    ),
  );
}

// A seat of a group class: its places, and who booked the class (each a booking of its own).
function classPanel(ctx, b) {
  const { t } = ctx;
  const c = b.class;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'class-title' },
    h('h2', { id: 'class-title' }, t('classTitle')),
    h(
      'p',
      { class: 'class-places' },
      t('classPlaces', {
        seat: number(ctx, c.seat),
        taken: number(ctx, c.seats_taken),
        capacity: number(ctx, c.capacity),
        left: number(ctx, c.seats_left),
      }),
    ),
    table(
      t('classAttendees'),
      [
        { label: t('colSeat'), class: 'num', cell: (a) => number(ctx, a.seat) },
        {
          label: t('customer'),
          cell: (a) =>
            a.id === b.id ? a.customer_name || '—' : navLink('/dashboard/bookings/' + a.id, a.customer_name || '—'),
        },
        { label: t('colStatus'), cell: (a) => bookingStatusBadge(t, { ...b, status: a.status, status_reason: null }) },
      ],
      c.attendees,
      { empty: t('classNobody') },
    ),
  );
}

// An occurrence of a series: its place in it, and every session (each a booking of its own).
function seriesPanel(ctx, b) {
  const { t } = ctx;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'series-title' },
    h('h2', { id: 'series-title' }, t('seriesTitle')),
    h(
      'p',
      { class: 'series-place' },
      t('seriesPlace', { index: number(ctx, b.series.index), count: number(ctx, b.series.count) }),
    ),
    table(
      t('seriesSessions'),
      [
        { label: t('colSession'), class: 'num', cell: (o) => number(ctx, b.occurrences.indexOf(o) + 1) },
        {
          label: t('colWhen'),
          cell: (o) =>
            o.id === b.id ? when(ctx, o.start) : navLink('/dashboard/bookings/' + o.id, when(ctx, o.start)),
        },
        { label: t('colStatus'), cell: (o) => bookingStatusBadge(t, { ...b, status: o.status, status_reason: null }) },
      ],
      b.occurrences || [],
    ),
  );
}

// Corrects how the customer is reached (a mistyped address whose mails bounce): the mails
// and texts not sent yet follow the new contact; a failed one can then be sent again below.
function contactForm(ctx, b) {
  const { t } = ctx;
  const c = b.customer;
  return h(
    'details',
    { id: 'contact-edit' },
    h('summary', {}, t('contactEdit')),
    form(
      {
        submitLabel: t('contactSave'),
        onsubmit: async (el) => {
          const sent = {};
          for (const key of ['name', 'email', 'phone']) {
            const v = el.elements['customer.' + key].value.trim();
            if (v !== (c[key] || '')) sent[key] = v;
          }
          try {
            await api.patch('/api/admin/bookings/' + encodeURIComponent(b.id), { customer: sent });
            announce(t('contactSaved'));
            ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
          } catch (err) {
            if (err.fields) showErrors(el, err.fields, err.message);
            else showErrors(el, {}, problemText(t, err));
          }
        },
      },
      field({
        name: 'customer.name',
        label: t('contactName'),
        value: c.name || '',
        required: true,
        attrs: { maxlength: 100, autocomplete: 'off' },
      }),
      field({
        name: 'customer.email',
        label: t('contactEmail'),
        kind: 'email',
        value: c.email || '',
        required: true,
        attrs: { maxlength: 254, autocomplete: 'off' },
      }),
      field({
        name: 'customer.phone',
        label: t('contactPhone'),
        kind: 'tel',
        value: c.phone || '',
        hint: t('contactPhoneHint'),
        attrs: { maxlength: 16, autocomplete: 'off' },
      }),
    ),
  );
}

// A flagged payment's refund: where it stands, and the two ways to settle it (through the
// provider, or recorded as done by hand with a note). The server decides what is possible;
// a refund asked twice is asked once.
function refundPanel(ctx, b, p) {
  const { t } = ctx;
  const r = p.refund;
  const open = (p.refund_needed || p.mismatch) && !(r && (r.status === 'pending' || r.refunded_at));
  if (!r && !open) return null;
  const base = '/api/admin/bookings/' + encodeURIComponent(b.id) + '/refund';
  const reload = () => ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
  const parts = [h('h3', { id: 'refund-title' }, t('refundTitle'))];
  if (r) {
    parts.push(
      facts([
        [t('refundState'), badge(t('refund_' + r.status), { succeeded: 'good', manual: 'wait' }[r.status] || 'wait')],
        [t('refundSum'), money(ctx, r)],
        r.refunded_at ? [t('refundedAt'), when(ctx, r.refunded_at)] : null,
        r.note ? [t('refundNote'), r.note] : null,
        r.error && !r.refunded_at ? [t('refundError'), r.error] : null,
      ]),
    );
  }
  if (open) {
    const actions = [];
    if (!r) {
      const ask = h(
        'button',
        { type: 'button', id: 'refund-ask' },
        t('refundAsk', { amount: money(ctx, { amount: p.amount, currency: p.currency }), provider: p.provider }),
      );
      ask.addEventListener('click', () =>
        busy(ask, async () => {
          try {
            await api.post(base, {});
            announce(t('refundAsked'));
            reload();
          } catch (err) {
            alertText(problemText(t, err));
          }
        }),
      );
      actions.push(h('div', { class: 'form-actions' }, ask));
    }
    actions.push(
      h(
        'details',
        { id: 'refund-by-hand' },
        h('summary', {}, t('refundByHand')),
        form(
          {
            submitLabel: t('refundByHandSave'),
            onsubmit: async (el) => {
              try {
                await api.post(base, { manual: true, note: el.elements.note.value.trim() });
                announce(t('refundByHandDone'));
                reload();
              } catch (err) {
                if (err.fields) showErrors(el, err.fields, err.message);
                else showErrors(el, {}, problemText(t, err));
              }
            },
          },
          field({
            name: 'note',
            label: t('refundByHandNote'),
            kind: 'textarea',
            required: true,
            wide: true,
            attrs: { maxlength: 500, rows: 2 },
          }),
        ),
      ),
    );
    parts.push(...actions);
  }
  return h('div', { class: 'refund', 'aria-labelledby': 'refund-title', role: 'group' }, parts);
}

// A mark ("complete" or "no-show") asked once in a dialog: the first one, or the other one
// while a mark can still change. The server decides whether it may (409 otherwise).
function markButton(ctx, b, action, label) {
  const { t } = ctx;
  const name = b.customer.name || t('customer');
  const attended = action === 'complete';
  const button = h(
    'button',
    { type: 'button', class: attended ? 'primary' : 'secondary', id: 'mark-' + action },
    label,
  );
  button.addEventListener('click', async () => {
    const sure = await confirmDialog({
      title: t(attended ? 'confirmCompleted' : 'confirmNoShow', { name }),
      text: t('confirmAttendanceText'),
      yes: t(attended ? 'confirmCompletedYes' : 'confirmNoShowYes'),
      no: t('confirmBack'),
      yesClass: attended ? 'primary' : 'danger',
    });
    button.focus();
    if (!sure) return;
    await busy(button, async () => {
      try {
        await api.post('/api/admin/bookings/' + encodeURIComponent(b.id) + '/' + action);
        announce(t(attended ? 'markedCompleted' : 'markedNoShow', { name }));
        ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
      } catch (err) {
        alertText(problemText(t, err));
      }
    });
  });
  return button;
}

// After its end: the merchant says whether the customer came, asked once; for 24 hours the
// mark can be changed or undone (the dialog and the panel say so). An unmarked booking counts
// as attended the business's auto_complete_hours after its end, which the panel says too,
// unless the merchant undid its mark: then it waits for them.
function attendancePanel(ctx, b, tenant) {
  const { t } = ctx;
  const hours = tenant && Number.isInteger(tenant.auto_complete_hours) ? tenant.auto_complete_hours : null;
  const deadline = hours === null ? null : new Date(new Date(b.end).getTime() + hours * 3600 * 1000);
  const undone = (b.history || []).some((x) => x.reason === 'mark_undone');
  const waits = undone
    ? t('attendanceUndone')
    : deadline &&
      (deadline > new Date()
        ? t('attendanceDeadline', { when: when(ctx, deadline.toISOString()) })
        : t('attendanceDeadlinePassed'));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'attendance-title' },
    h('h2', { id: 'attendance-title' }, t('attendanceTitle')),
    h('p', { class: 'hint' }, t('attendanceHint')),
    waits ? h('p', { class: 'hint', id: 'attendance-deadline' }, waits) : null,
    h(
      'div',
      { class: 'form-actions' },
      markButton(ctx, b, 'complete', t('markCompleted')),
      markButton(ctx, b, 'no-show', t('markNoShow')),
    ),
  );
}

// A marked booking: the mark in words and, until mark_changeable_until (the server's 24
// hours), the other mark and "undo" (back to unmarked, nothing sent to the site). After that
// the mark is final and the panel says so.
function markedPanel(ctx, b) {
  const { t } = ctx;
  const name = b.customer.name || t('customer');
  const until = b.mark_changeable_until;
  const head = [
    h('h2', { id: 'attendance-title' }, t('attendanceTitle')),
    h('p', {}, t('markedAs', { mark: bookingStatusLabel(t, b) })),
  ];
  if (!until || new Date(until) <= new Date()) {
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'attendance-title' },
      head,
      h('p', { class: 'hint' }, t('markFinal')),
    );
  }
  const other = b.status === 'completed' ? 'no-show' : 'complete';
  const undo = h('button', { type: 'button', class: 'secondary', id: 'mark-undo' }, t('undoMark'));
  undo.addEventListener('click', () =>
    busy(undo, async () => {
      try {
        await api.del('/api/admin/bookings/' + encodeURIComponent(b.id) + '/mark');
        announce(t('markUndone', { name }));
        ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
      } catch (err) {
        alertText(problemText(t, err));
      }
    }),
  );
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'attendance-title' },
    head,
    h('p', { class: 'hint', id: 'mark-window' }, t('markChangeable', { when: when(ctx, until) })),
    h(
      'div',
      { class: 'form-actions' },
      markButton(ctx, b, other, t(other === 'complete' ? 'changeToCompleted' : 'changeToNoShow')),
      undo,
    ),
  );
}

// The merchant's cancel: a reason the customer reads, and what goes back of the payment.
function cancelPanel(ctx, b) {
  const { t } = ctx;
  const p = b.payment && b.payment.status === 'approved' ? b.payment : null;
  const currency = p ? p.currency : (b.charge && b.charge.currency) || 'COP';
  const box = h('div', { id: 'cancel-box', hidden: true });
  const open = h(
    'button',
    { type: 'button', class: 'danger', id: 'cancel-open', 'aria-expanded': 'false', 'aria-controls': 'cancel-box' },
    t('cancelBooking'),
  );
  const refundFields = p
    ? [
        field({
          name: 'refund',
          label: t('refundChoice'),
          kind: 'select',
          value: 'full',
          options: [
            ['full', t('refundFull', { amount: money(ctx, { amount: p.amount, currency }) })],
            ['none', t('refundNone')],
            ['amount', t('refundSome')],
          ],
        }),
        field({ name: 'refund_amount', label: t('refundAmount', { currency }), attrs: { inputmode: 'decimal' } }),
      ]
    : [];
  const f = form(
    {
      submitLabel: t('confirmCancel'),
      extra: [h('button', { type: 'button', class: 'secondary', onclick: () => toggle(false) }, t('keepBooking'))],
      onsubmit: async (el) => {
        const body = { reason: el.elements.reason.value.trim() };
        if (p) {
          const choice = el.elements.refund.value;
          if (choice === 'amount') {
            const amount = toMinor(el.elements.refund_amount.value, currency, ctx.tag);
            if (!amount) return showErrors(el, { refund_amount: t('priceInvalid') });
            body.refund = { amount };
          } else body.refund = choice;
        }
        try {
          const r = await api.post('/api/admin/bookings/' + encodeURIComponent(b.id) + '/cancel', body);
          announce(
            !r.refund
              ? t('cancelledDone')
              : t(r.refund.status === 'pending' ? 'refundPending' : 'refundManual', { amount: money(ctx, r.refund) }),
          );
          ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
        } catch (err) {
          if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, err.status === 409 ? err.message : problemText(t, err));
        }
      },
    },
    field({
      name: 'reason',
      label: t('cancelReason'),
      kind: 'textarea',
      required: true,
      wide: true,
      attrs: { maxlength: 500, rows: 2 },
    }),
    refundFields,
  );
  const amountBox = f.querySelector('.field[data-field="refund_amount"]');
  const sync = () => {
    if (amountBox) amountBox.hidden = f.elements.refund.value !== 'amount';
  };
  if (p) f.elements.refund.addEventListener('change', sync);
  sync();
  box.append(f);
  function toggle(show) {
    box.hidden = !show;
    open.setAttribute('aria-expanded', String(show));
    if (show) f.elements.reason.focus();
    else open.focus();
  }
  open.addEventListener('click', () => toggle(box.hidden));
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'cancel-title' },
    h('h2', { id: 'cancel-title' }, t('cancelTitle')),
    h('div', { class: 'form-actions' }, open),
    box,
  );
}

// The merchant's reschedule: a day, then the times the booking's link offers that day for
// its service and professional (the public availability, in the business's zone); the
// server checks the time again like a hold and moves the booking (no cutoff for the merchant).
function reschedulePanel(ctx, b) {
  const { t } = ctx;
  const zone = ctx.session.tenant.timezone;
  const box = h('div', { id: 'reschedule-box', hidden: true });
  const open = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'reschedule-open',
      'aria-expanded': 'false',
      'aria-controls': 'reschedule-box',
    },
    t('rescheduleOpen'),
  );
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'reschedule-title' },
    h('h2', { id: 'reschedule-title' }, t('rescheduleTitle')),
    h('div', { class: 'form-actions' }, open),
    box,
  );
  function toggle(show) {
    box.hidden = !show;
    open.setAttribute('aria-expanded', String(show));
    if (show) (box.querySelector('input, select') || open).focus();
    else open.focus();
  }
  open.addEventListener('click', () => toggle(box.hidden));
  if (!b.link) {
    box.append(h('p', { class: 'notice warn', role: 'note' }, t('rescheduleNoLink')));
    return section;
  }
  const status = h('p', { class: 'hint', id: 'reschedule-status', role: 'status', 'aria-live': 'polite' });
  const timeOf = (ts) =>
    new Intl.DateTimeFormat(ctx.tag, { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(ts));
  const f = form(
    {
      submitLabel: t('rescheduleConfirm'),
      extra: [h('button', { type: 'button', class: 'secondary', onclick: () => toggle(false) }, t('rescheduleKeep'))],
      onsubmit: async (el) => {
        const start = el.elements.start.value;
        if (!start) return showErrors(el, { start: t('reschedulePick') });
        try {
          const r = await api.post('/api/admin/bookings/' + encodeURIComponent(b.id) + '/reschedule', {
            start,
            professional: b.professional.id,
          });
          announce(t('rescheduleDone', { when: when(ctx, r.booking.start) }));
          ctx.navigate('/dashboard/bookings/' + b.id, { replace: true });
        } catch (err) {
          if (err.code === 'slot_unavailable') {
            await load();
            showErrors(el, { start: t('rescheduleTaken') });
          } else if (err.code === 'reschedule_closed') showErrors(el, {}, t('rescheduleClosed'));
          else if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'day',
      label: t('rescheduleDay'),
      kind: 'date',
      value: today(ctx),
      required: true,
      attrs: { min: today(ctx) },
    }),
    field({
      name: 'start',
      label: t('rescheduleTime', {
        name: b.professionals ? b.professionals.map((p) => p.name).join(', ') : b.professional.name,
      }),
      kind: 'select',
      required: true,
      options: [],
    }),
    status,
  );
  const select = f.elements.start;
  let asked = 0;
  async function load() {
    const day = f.elements.day.value;
    const mine = ++asked;
    select.replaceChildren();
    select.disabled = true;
    if (!day) return;
    status.textContent = t('rescheduleLoading');
    try {
      const data = await api.get('/api/public/links/' + encodeURIComponent(b.link) + '/availability', {
        service: b.service.id,
        professional: b.professional.id,
        from: day,
        days: 1,
        tz: zone,
      });
      if (mine !== asked) return;
      const slots = (data.slots || []).filter((sl) => sl.start !== b.start);
      for (const sl of slots) select.append(h('option', { value: sl.start }, timeOf(sl.start)));
      select.disabled = !slots.length;
      status.textContent = slots.length ? t('rescheduleCount', { n: number(ctx, slots.length) }) : t('rescheduleNone');
    } catch (err) {
      if (mine !== asked) return;
      status.textContent = '';
      alertText(problemText(t, err));
    }
  }
  f.elements.day.addEventListener('change', load);
  box.append(f);
  load();
  return section;
}
