// Small things several pages show the same way: booking statuses, dates in the tenant's
// zone, money and every other number.
import { formatMoney, formatNumber, currencyExponent, addDays, dayKey } from '../../wizard/format.js';
import { queryString } from '../api.js';
import { h, navLink, badge } from '../ui.js';

export { addDays };

export const STATUSES = [
  'pending_payment',
  'paid',
  'confirmed',
  'completed',
  'no_show',
  'failed',
  'expired',
  'cancelled',
  'held',
];

// What customers booked, whether or not it stands now: the bookings list shows these unless
// the person asks for the attempts too (holds nobody completed, payments never made).
export const BOOKED = ['pending_payment', 'paid', 'confirmed', 'cancelled', 'completed', 'no_show'];

export function statusLabel(t, status) {
  return t('status_' + status);
}

// Nothing to pay (a free service, a package's session): such a booking is confirmed the
// moment it is made, so its `paid` reads "Confirmada" (never "Pagada").
export function isFree(b) {
  return !!b.charge && b.charge.amount === 0;
}

// The status a person reads for booking `b`, or for one `status` it went through (with that
// step's `reason`): an attendance the auto-complete job marked says so.
export function bookingStatusLabel(t, b, status = b.status, reason = b.status_reason) {
  if (status === 'completed' && reason === 'completed_automatically') return t('status_completed_automatically');
  return statusLabel(t, status === 'paid' && isFree(b) ? 'confirmed' : status);
}

export function bookingStatusBadge(t, b) {
  return badge(bookingStatusLabel(t, b), statusTone(b.status));
}

export function statusTone(status) {
  return (
    {
      paid: 'good',
      confirmed: 'good',
      completed: 'good',
      pending_payment: 'wait',
      held: 'wait',
      failed: 'bad',
      no_show: 'bad',
      expired: 'muted',
      cancelled: 'muted',
    }[status] || ''
  );
}

// "lun, 1 dic 2026, 10:00" in the tenant's zone.
export function when(ctx, ts) {
  if (!ts) return '—';
  return new Intl.DateTimeFormat(ctx.tag, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: ctx.session.tenant.timezone,
  }).format(new Date(ts));
}

export function money(ctx, m) {
  return m ? formatMoney(m, ctx.tag) : '—';
}

// Every number a page shows that is not money goes through here, so that a Spanish page reads
// "39,5 h" beside "33,8 %" and an English one "39.5 h" beside "33.8%" (formatNumber).
export function number(ctx, value, options) {
  return formatNumber(value, ctx.tag, options);
}

// A ratio (0.338) as a percentage ("33,8 %"); `options` add to it (signDisplay).
export function percent(ctx, ratio, options = {}) {
  return number(ctx, ratio, { style: 'percent', ...options });
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
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('pageOf', { page, pages }) },
    page > 1 ? navLink(to(page - 1), t('prev'), { class: 'button secondary', rel: 'prev' }) : h('span'),
    h('span', {}, t('pageOf', { page, pages })),
    page < pages ? navLink(to(page + 1), t('next'), { class: 'button secondary', rel: 'next' }) : h('span'),
  );
}

// A long address or URL that wraps only where such a text may: after "@", "/", "-" or "_"
// and before ".", "?", "&" or "=" (never inside a word, never between the slashes of
// "https://").
export function breakable(text) {
  const s = String(text);
  const pieces = [];
  let from = 0;
  for (let i = 1; i < s.length; i++) {
    const after = '@/-_'.includes(s[i - 1]) && s[i] !== '/';
    const before = '.?&='.includes(s[i]) && s[i - 1] !== '/';
    if (after || before) {
      pieces.push(s.slice(from, i), h('wbr'));
      from = i;
    }
  }
  pieces.push(s.slice(from));
  return h('span', { class: 'breakable' }, pieces);
}

// A name in the merchant's words with the technical one beside it, smaller: "Reserva pagada
// booking.paid" (what the site receives, what the docs call it).
export function techName(name, code) {
  return h('span', { class: 'named' }, name, ' ', h('span', { class: 'tech' }, code));
}

// The locale's decimal and grouping marks ("es": "," and "."; "en": "." and ",").
export function numberMarks(tag) {
  const parts = new Intl.NumberFormat(tag, { useGrouping: true }).formatToParts(1234567.5);
  const of = (type, fallback) => (parts.find((x) => x.type === type) || {}).value || fallback;
  return { decimal: of('decimal', '.'), group: of('group', ',') };
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Major units typed by a person in the locale `tag` → minor units of the currency, exactly
// (no floating point drift), with the currency's ISO 4217 decimals (currencyExponent, the
// server's list): es "120.000" or "120000" COP → 12000000, "12,50" USD → 1250, "15.000" CLP →
// 15000, "1,250" KWD → 1250 but en "1,250" KWD → 1250000. Groups are of three digits (spaces
// also group); at most the currency's decimals. null when it is not an amount of that currency.
export function toMinor(text, currency, tag) {
  const exponent = currencyExponent(currency);
  const { decimal, group } = numberMarks(tag);
  const typed = String(text)
    .trim()
    .replace(/[\s\u00a0\u202f]/g, ' ');
  const [whole, frac = '', ...rest] = typed.split(decimal);
  if (rest.length || (typed.includes(decimal) && (!frac || exponent === 0))) return null;
  if (!/^\d*$/.test(frac) || frac.length > exponent) return null;
  const grp = '[' + escapeRe(group) + ' ]';
  if (!new RegExp('^(\\d+|\\d{1,3}(' + grp + '\\d{3})+)$').test(whole)) return null;
  const digits = whole.replace(new RegExp(grp, 'g'), '');
  return Number(digits) * 10 ** exponent + Number((frac + '000').slice(0, exponent) || 0);
}

// Minor units → the text a person types in the locale: no grouping, the locale's decimal
// mark, the decimals only when the minor part is not zero (es 120000, "120,50"; 15000 CLP;
// en "1.250" KWD).
export function fromMinor(amount, currency, tag) {
  const exponent = currencyExponent(currency);
  const unit = 10 ** exponent;
  if (amount % unit === 0) return String(amount / unit);
  const digits = String(amount).padStart(exponent + 1, '0');
  return digits.slice(0, -exponent) + numberMarks(tag).decimal + digits.slice(-exponent);
}
