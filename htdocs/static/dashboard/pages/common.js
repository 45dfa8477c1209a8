// Small things several pages show the same way: booking statuses, dates in the tenant's
// zone, money.
import { formatMoney, addDays, dayKey } from '../../wizard/format.js';
import { queryString } from '../api.js';
import { h, navLink } from '../ui.js';

export { addDays };

export const STATUSES = ['pending_payment', 'paid', 'confirmed', 'failed', 'expired', 'cancelled', 'held'];

export function statusLabel(t, status) {
  return t('status_' + status);
}

export function statusTone(status) {
  return { paid: 'good', confirmed: 'good', pending_payment: 'wait', held: 'wait',
    failed: 'bad', expired: 'muted', cancelled: 'muted' }[status] || '';
}

// "lun, 1 dic 2026, 10:00" in the tenant's zone.
export function when(ctx, ts) {
  if (!ts) return '—';
  return new Intl.DateTimeFormat(ctx.tag, {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric',
    minute: '2-digit', timeZone: ctx.session.tenant.timezone,
  }).format(new Date(ts));
}

export function money(ctx, m) {
  return m ? formatMoney(m, ctx.tag) : '—';
}

// YYYY-MM-DD of today in the tenant's zone.
export function today(ctx) {
  return dayKey(Date.now(), ctx.session.tenant.timezone);
}

// Previous / next links of a paged list whose filters live in the address.
export function pager(ctx, path, filters, page, total, perPage) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  const to = (p) => path + queryString({ ...filters, page: p });
  return h('nav', { class: 'pager', 'aria-label': t('pageOf', { page, pages }) },
    page > 1 ? navLink(to(page - 1), t('prev'), { class: 'button secondary', rel: 'prev' }) : h('span'),
    h('span', {}, t('pageOf', { page, pages })),
    page < pages ? navLink(to(page + 1), t('next'), { class: 'button secondary', rel: 'next' }) : h('span'));
}

// Major units typed by a person → minor units, exactly (no floating point drift).
export function toMinor(text) {
  const clean = String(text).trim().replace(/[\s.,](?=\d{3}(?:[\s.,]|$))/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole, frac = ''] = clean.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

// Minor units → the text a person types (120000, or 120.50 when there are cents).
export const fromMinor = (amount) => (amount % 100 ? (amount / 100).toFixed(2) : String(amount / 100));
