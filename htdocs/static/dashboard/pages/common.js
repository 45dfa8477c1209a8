// Small things several pages show the same way: booking statuses, dates in the tenant's
// zone, money.
import { formatMoney, currencyExponent, addDays, dayKey } from '../../wizard/format.js';
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

// Major units typed by a person → minor units of the currency, exactly (no floating point
// drift): "120.000" or "120000" COP → 12000000, "12,50" USD → 1250, "15.000" CLP → 15000,
// "1,250" KWD → 1250 (three decimals: a mark followed by up to three digits at the end is
// the decimal mark). null when it is not an amount of that currency.
export function toMinor(text, currency) {
  const exponent = currencyExponent(currency);
  let whole = String(text).trim();
  let frac = '';
  const tail = exponent > 0 && whole.match(/[.,](\d+)$/);
  // with two decimals, three digits after the last mark are a group of thousands
  if (tail && tail[1].length <= exponent && !(exponent === 2 && tail[1].length === 3)) {
    frac = tail[1];
    whole = whole.slice(0, -tail[0].length);
  }
  whole = whole.replace(/[\s.,](?=\d{3}(?:[\s.,]|$))/g, '');
  if (!/^\d+$/.test(whole)) return null;
  return Number(whole) * 10 ** exponent + Number((frac + '000').slice(0, exponent) || 0);
}

// Minor units → the text a person types (120000, 120.50 when there are cents, 15000 CLP).
export function fromMinor(amount, currency) {
  const unit = 10 ** currencyExponent(currency);
  return amount % unit ? (amount / unit).toFixed(currencyExponent(currency)) : String(amount / unit);
}
