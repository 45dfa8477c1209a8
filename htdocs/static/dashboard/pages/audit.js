// The audit log: who changed what, when and from where (API.md: GET /api/admin/audit),
// filtered by action and dates kept in the address, with paging.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, table, navLink } from '../ui.js';
import { when, pager } from './common.js';

// The actions the filter offers, in order; between the two lists, each payment provider's
// keys changed (tenant.payments.<provider>.update), one per provider GET /api/admin/tenant gives.
const ACCOUNT_ACTIONS = [
  'user.register',
  'user.verify_email',
  'user.login',
  'user.logout',
  'user.password_reset_request',
  'user.password_reset',
  'tenant.update',
  'tenant.logo.update',
  'tenant.callback_secret.rotate',
];
const OTHER_ACTIONS = [
  'service.create',
  'service.update',
  'service.archive',
  'professional.create',
  'professional.update',
  'professional.archive',
  'link.create',
  'link.update',
  'link.deactivate',
  'booking.callback_resend',
  'customer.export',
  'customer.erase',
];

addMessages({
  es: {
    auditTitle: 'Registro de cambios',
    fAction: 'Acción',
    colWho: 'Quién',
    colAction: 'Acción',
    colWhat: 'Sobre',
    colIp: 'Desde la IP',
    noAudit: 'No hay cambios con estos filtros.',
    system: 'El sistema',
    'user.register': 'Creó la cuenta',
    'user.verify_email': 'Confirmó el correo',
    'user.login': 'Entró',
    'user.logout': 'Salió',
    'user.password_reset_request': 'Pidió cambiar la contraseña',
    'user.password_reset': 'Cambió la contraseña',
    'tenant.update': 'Cambió los datos del negocio',
    'tenant.logo.update': 'Cambió el logo',
    'tenant.callback_secret.rotate': 'Cambió el secreto de notificaciones',
    paymentKeysChanged: 'Cambió las llaves de {name}',
    'service.create': 'Creó un servicio',
    'service.update': 'Editó un servicio',
    'service.archive': 'Archivó un servicio',
    'professional.create': 'Creó un profesional',
    'professional.update': 'Editó un profesional',
    'professional.archive': 'Archivó un profesional',
    'link.create': 'Creó un enlace',
    'link.update': 'Editó un enlace',
    'link.deactivate': 'Desactivó un enlace',
    'booking.callback_resend': 'Reenvió una notificación',
    'customer.export': 'Exportó los datos de un cliente',
    'customer.erase': 'Borró los datos de un cliente',
  },
  en: {
    auditTitle: 'Audit log',
    fAction: 'Action',
    colWho: 'Who',
    colAction: 'Action',
    colWhat: 'About',
    colIp: 'From IP',
    noAudit: 'No changes match these filters.',
    system: 'The system',
    'user.register': 'Created the account',
    'user.verify_email': 'Confirmed the email',
    'user.login': 'Logged in',
    'user.logout': 'Logged out',
    'user.password_reset_request': 'Asked to change the password',
    'user.password_reset': 'Changed the password',
    'tenant.update': 'Changed the business details',
    'tenant.logo.update': 'Changed the logo',
    'tenant.callback_secret.rotate': 'Rotated the notification secret',
    paymentKeysChanged: 'Changed the {name} keys',
    'service.create': 'Created a service',
    'service.update': 'Edited a service',
    'service.archive': 'Archived a service',
    'professional.create': 'Created a professional',
    'professional.update': 'Edited a professional',
    'professional.archive': 'Archived a professional',
    'link.create': 'Created a link',
    'link.update': 'Edited a link',
    'link.deactivate': 'Deactivated a link',
    'booking.callback_resend': 'Sent a notification again',
    'customer.export': "Exported a customer's data",
    'customer.erase': "Erased a customer's data",
  },
});

const LINKS = { service: 'services', professional: 'professionals', link: 'links', booking: 'bookings' };

export async function audit(ctx) {
  const { t, main, query } = ctx;
  const filters = {};
  for (const k of ['action', 'from', 'to', 'page']) if (query.get(k)) filters[k] = query.get(k);
  const page = Math.max(1, parseInt(filters.page || '1', 10) || 1);
  const [data, { tenant }] = await Promise.all([
    api.get('/api/admin/audit', { ...filters, page }),
    api.get('/api/admin/tenant'),
  ]);
  if (ctx.stale()) return;
  // every action in words, each payment provider's keys among them
  const words = {};
  for (const a of ACCOUNT_ACTIONS) words[a] = t(a);
  for (const [id, v] of Object.entries(tenant.payments || {})) {
    words[`tenant.payments.${id}.update`] = t('paymentKeysChanged', { name: v.label || id });
  }
  for (const a of OTHER_ACTIONS) words[a] = t(a);
  pageHeader(main, t, t('auditTitle'));
  const go = (next) => ctx.navigate('/dashboard/audit' + api.queryString(next));
  const form = h(
    'form',
    { class: 'filters panel', role: 'search', 'aria-label': t('auditTitle') },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-action' }, t('fAction')),
      h(
        'select',
        { id: 'filter-action', name: 'action' },
        h('option', { value: '' }, t('all')),
        Object.entries(words).map(([a, said]) => h('option', { value: a, selected: a === filters.action }, said)),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-from' }, t('fFrom')),
      h('input', { id: 'filter-from', name: 'from', type: 'date', value: filters.from || '' }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-to' }, t('fTo')),
      h('input', { id: 'filter-to', name: 'to', type: 'date', value: filters.to || '' }),
    ),
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
    for (const el of form.elements) if (el.name && el.value) next[el.name] = el.value;
    go(next);
  });
  main.append(form);
  main.append(
    table(
      t('auditTitle'),
      [
        { label: t('colWhen'), cell: (a) => when(ctx, a.created_at) },
        { label: t('colWho'), cell: (a) => (a.user ? a.user.email : t('system')) },
        { label: t('colAction'), cell: (a) => words[a.action] || a.action },
        {
          label: t('colWhat'),
          cell: (a) => {
            const name = a.changes && typeof a.changes.name === 'string' ? a.changes.name : a.entity_type || '';
            return LINKS[a.entity_type] && a.entity_id
              ? navLink(`/dashboard/${LINKS[a.entity_type]}/${a.entity_id}`, name || a.entity_id)
              : name;
          },
        },
        { label: t('colIp'), cell: (a) => a.ip || '—' },
      ],
      data.items,
      { empty: t('noAudit') },
    ),
  );
  const more = pager(ctx, '/dashboard/audit', filters, page, data.total, data.per_page);
  if (more) main.append(more);
}
