// The business's customers (API.md "Admin API", Customers: GET /api/admin/customers?q&page):
// one row per address that booked, how many bookings and the last one, and the reminders the
// customer turned off (by the mail's unsubscribe link, a STOP text or their portal), so the
// business knows who hears nothing before an appointment.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, table, badge } from '../ui.js';
import { when, pager, number } from './common.js';

addMessages({
  es: {
    customersTitle: 'Clientes',
    customersLead:
      'Quienes han reservado, y si apagaron los recordatorios. Las confirmaciones y los avisos de cambios siempre les llegan.',
    customersSearch: 'Buscar por nombre, correo o teléfono',
    search: 'Buscar',
    colPhone: 'Teléfono',
    colBookings: 'Reservas',
    colLastBooking: 'Última reserva',
    colReminders: 'Recordatorios',
    noCustomers: 'Aún no hay clientes con estos datos.',
    remindersOn: 'Todos activos',
    mailOff: 'Correo apagado',
    textOff: 'SMS/WhatsApp apagado',
  },
  en: {
    customersTitle: 'Customers',
    customersLead:
      'Who booked, and whether they turned reminders off. Confirmations and notices of changes always reach them.',
    customersSearch: 'Search by name, email or phone',
    search: 'Search',
    colPhone: 'Phone',
    colBookings: 'Bookings',
    colLastBooking: 'Last booking',
    colReminders: 'Reminders',
    noCustomers: 'No customers match yet.',
    remindersOn: 'All on',
    mailOff: 'Email off',
    textOff: 'SMS/WhatsApp off',
  },
});

function reminders(t, off) {
  const badges = [];
  if (off.email) badges.push(badge(t('mailOff'), 'bad'));
  if (off.text) badges.push(badge(t('textOff'), 'bad'));
  return badges.length ? h('span', { class: 'badges' }, ...badges) : badge(t('remindersOn'), 'good');
}

export async function customers(ctx) {
  const { t, main, query } = ctx;
  const filters = {};
  for (const k of ['q', 'page']) if (query.get(k)) filters[k] = query.get(k);
  const page = Math.max(1, parseInt(filters.page || '1', 10) || 1);
  const data = await api.get('/api/admin/customers', { ...filters, page });
  if (ctx.stale()) return;
  pageHeader(main, t, t('customersTitle'));
  main.append(h('p', { class: 'lead' }, t('customersLead')));
  const input = h('input', { id: 'customers-q', name: 'q', type: 'search', value: filters.q || '', maxlength: 100 });
  const form = h(
    'form',
    { class: 'filters panel', role: 'search', 'aria-label': t('customersTitle') },
    h('div', { class: 'field' }, h('label', { for: 'customers-q' }, t('customersSearch')), input),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, t('search'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    ctx.navigate('/dashboard/customers' + api.queryString(q ? { q } : {}));
  });
  main.append(form);
  main.append(
    table(
      t('customersTitle'),
      [
        { label: t('colName'), cell: (c) => c.name || '—' },
        { label: t('colEmail'), cell: (c) => c.email },
        { label: t('colPhone'), cell: (c) => c.phone || '—' },
        { label: t('colBookings'), class: 'num', cell: (c) => number(ctx, c.bookings) },
        { label: t('colLastBooking'), cell: (c) => (c.last_booking_at ? when(ctx, c.last_booking_at) : '—') },
        { label: t('colReminders'), cell: (c) => reminders(t, c.reminders_opt_out) },
      ],
      data.items,
      { empty: t('noCustomers') },
    ),
  );
  const more = pager(ctx, '/dashboard/customers', filters, page, data.total, data.per_page);
  if (more) main.append(more);
}
