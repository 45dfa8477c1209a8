// Small things several pages show the same way: booking statuses, dates in the tenant's
// zone, money.
import { formatMoney, addDays, dayKey } from '../../wizard/format.js';

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
