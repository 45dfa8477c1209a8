// The confirmation page: /book/{link}/confirmation?booking=ID&token=T[&id=TRANSACTION].
// Polls the booking's status (passing the provider's transaction id when the checkout
// appended one, so a late webhook does not keep the customer waiting), then shows
// approved / declined / processing, and on approval returns to the merchant.
import { h } from './dom.js';
import * as api from './api.js';
import { formatMoney, formatDateTimeLong, zoneLabel } from './format.js';
import { loadBooking } from './store.js';

const POLL_MS = 2000;
const SLOW_AFTER_MS = 90000;
const REDIRECT_SECONDS = 3;

export class Confirmation {
  constructor(ctx, shell, link, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.link = link;
    const saved = loadBooking();
    this.saved = saved && saved.link === link ? saved : null;
    this.id = params.get('booking') || params.get('booking_id') || (this.saved && this.saved.id);
    this.token = params.get('token') || (this.saved && this.saved.token);
    // Wompi appends ?id=<transaction>; the other providers come back with ?return=1
    this.transaction = params.get('id') || (params.get('return') ? 'return' : null);
    this.zone = (this.saved && this.saved.zone) || ctx.zone;
    this.started = Date.now();
    this.polls = 0;
    this.state = null;
  }

  async start() {
    if (this.saved && this.saved.tenant) this.shell.setTenant(this.saved.tenant);
    else this.loadBranding();
    if (!this.id || !this.token) return this.notFound();
    this.shell.setProgress(4);
    this.shell.setActions([]);
    this.poll();
  }

  async loadBranding() {
    try {
      const { data } = await api.getLink(this.link);
      if (data && data.tenant) this.shell.setTenant(data.tenant);
    } catch (e) { /* an expired link still lets the customer see their booking */ }
  }

  notFound() {
    this.shell.setProgress(0);
    this.shell.render(h('section', { class: 'panel panel-center' },
      h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
      h('h1', {}, this.t('bookingNotFound'))), { title: this.t('bookingNotFound') });
  }

  async poll() {
    // The transaction id makes the server ask the provider: first poll, then now and then.
    const withTransaction = this.transaction && this.polls % 5 === 0;
    this.polls += 1;
    let booking;
    try {
      ({ data: { booking } } = await api.getBooking(this.id, this.token, withTransaction ? this.transaction : null));
    } catch (err) {
      if (err.status === 404) return this.notFound();
      if (this.state !== 'processing') this.showProcessing();
      return this.later();
    }
    this.booking = booking;
    switch (booking.status) {
      case 'paid':
      case 'confirmed':
        return this.showApproved();
      case 'failed':
      case 'expired':
      case 'cancelled':
        return this.showDeclined(booking.status);
      default:
        if (this.state !== 'processing') this.showProcessing();
        return this.later();
    }
  }

  later() {
    if (Date.now() - this.started > SLOW_AFTER_MS && !this.slowShown) {
      this.slowShown = true;
      const p = document.getElementById('processing-text');
      if (p) p.textContent = this.t('processingSlow');
      this.shell.announce(this.t('processingSlow'));
    }
    window.setTimeout(() => this.poll(), this.slowShown ? POLL_MS * 3 : POLL_MS);
  }

  showProcessing() {
    const { t } = this;
    this.state = 'processing';
    this.shell.render(h('section', { class: 'panel panel-center', 'aria-busy': 'true' },
      h('div', { class: 'spinner spinner-big', 'aria-hidden': 'true' }),
      h('h1', {}, t('processingTitle')),
      h('p', { id: 'processing-text', role: 'status' }, t('processingText'))),
    { title: t('processingTitle') });
  }

  summary() {
    const { t, ctx } = this;
    const b = this.booking;
    const proZone = b.timezone || this.zone;
    const rows = [
      [t('service'), b.service && b.service.name],
      [t('professional'), b.professional && b.professional.name],
      [t('yourTime', { zone: zoneLabel(this.zone, ctx.tag) }), formatDateTimeLong(b.start, this.zone, ctx.tag)],
    ];
    if (proZone !== this.zone) {
      rows.push([t('proTime', { zone: zoneLabel(proZone, ctx.tag) }), formatDateTimeLong(b.start, proZone, ctx.tag)]);
    }
    if (b.payment && b.payment.amount) {
      rows.push([t('amountPaid'), formatMoney({ amount: b.payment.amount, currency: b.payment.currency }, ctx.tag)]);
    }
    if (b.payment && b.payment.reference) rows.push([t('reference'), b.payment.reference]);
    return h('dl', { class: 'summary' }, rows.filter((r) => r[1]).map(([k, v]) =>
      h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))));
  }

  showApproved() {
    const { t } = this;
    this.state = 'approved';
    this.shell.setProgress(5);
    const returnUrl = safeUrl(this.booking.return_url);
    const tenantName = (this.shell.tenant && this.shell.tenant.name) || '';
    const countdown = h('span', { id: 'redirect-seconds' }, String(REDIRECT_SECONDS));
    this.shell.render(h('section', { class: 'panel panel-center panel-ok' },
      h('div', { class: 'big-icon big-icon-ok', 'aria-hidden': 'true' }, '✓'),
      h('h1', {}, t('approvedTitle')),
      h('p', {}, t('approvedText')),
      this.summary(),
      returnUrl ? h('p', { class: 'redirect', role: 'status' },
        ...t('redirecting', { tenant: tenantName || '…', n: '\u0000' }).split('\u0000').flatMap((part, i) => (i ? [countdown, part] : [part]))) : null,
      returnUrl ? h('a', { class: 'btn btn-primary', href: returnUrl, id: 'go-now' }, t('goNow')) : null),
    { title: t('approvedTitle') });
    this.shell.announce(t('approvedTitle'));
    if (returnUrl) {
      let left = REDIRECT_SECONDS;
      const timer = window.setInterval(() => {
        left -= 1;
        countdown.textContent = String(Math.max(left, 0));
        if (left <= 0) {
          window.clearInterval(timer);
          location.assign(returnUrl);
        }
      }, 1000);
    }
  }

  showDeclined(status) {
    const { t } = this;
    this.state = 'declined';
    const titles = { failed: ['declinedTitle', 'declinedText'], expired: ['expiredTitle', 'expiredText'], cancelled: ['cancelledTitle', null] };
    const [title, text] = titles[status] || titles.failed;
    const b = this.booking;
    const q = new URLSearchParams({ step: 'time', tz: this.zone });
    const service = (b.service && b.service.id) || (this.saved && this.saved.service);
    const professional = (this.saved && this.saved.professional) || (b.professional && b.professional.id);
    if (service) q.set('service', service);
    if (professional) q.set('professional', professional);
    const again = `/book/${encodeURIComponent(this.link)}?${q}`;
    this.shell.setProgress(4);
    this.shell.render(h('section', { class: 'panel panel-center panel-bad' },
      h('div', { class: 'big-icon big-icon-bad', 'aria-hidden': 'true' }, '✕'),
      h('h1', {}, t(title)),
      text ? h('p', {}, t(text)) : null,
      this.summary(),
      status !== 'cancelled' ? h('a', { class: 'btn btn-primary', href: again, id: 'try-again' }, t('tryAgain')) : null),
    { title: t(title) });
    this.shell.announce(t(title));
  }
}

// Only http(s) URLs are followed (a return_url is the merchant's, but never javascript:).
function safeUrl(url) {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch (e) {
    return null;
  }
}
