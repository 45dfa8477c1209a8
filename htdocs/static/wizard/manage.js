// The booking's own page, linked from every mail: /book/manage/{id}?token=T. Shows the
// booking in the customer's zone, offers it to their calendar (calendar.ics), and cancels
// it while the business's policy allows (the server decides: a late cancel answers 409
// cancel_closed and the page says so).
import { h } from './dom.js';
import * as api from './api.js';
import { formatMoney, formatDateTimeLong, zoneLabel } from './format.js';

export class Manage {
  constructor(ctx, shell, id, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.id = id;
    this.token = params.get('token');
  }

  async start() {
    this.shell.setProgress(0);
    this.shell.setActions([]);
    if (!this.id || !this.token) return this.notFound();
    try {
      const { data: { booking } } = await api.getBooking(this.id, this.token);
      this.booking = booking;
    } catch (err) {
      if (err.status === 404) return this.notFound();
      return this.shell.fatal(err, () => this.start());
    }
    this.show();
  }

  notFound() {
    this.shell.render(h('section', { class: 'panel panel-center' },
      h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
      h('h1', {}, this.t('bookingNotFound'))), { title: this.t('bookingNotFound') });
  }

  summary() {
    const { t, ctx } = this;
    const b = this.booking;
    const zone = ctx.zone;
    const rows = [
      [t('service'), b.service && b.service.name],
      [t('professional'), b.professional && b.professional.name],
      [t('yourTime', { zone: zoneLabel(zone, ctx.tag) }), formatDateTimeLong(b.start, zone, ctx.tag)],
    ];
    if (b.timezone && b.timezone !== zone) {
      rows.push([t('proTime', { zone: zoneLabel(b.timezone, ctx.tag) }), formatDateTimeLong(b.start, b.timezone, ctx.tag)]);
    }
    if (b.payment && b.payment.amount && b.payment.status === 'approved') {
      rows.push([t('amountPaid'), formatMoney({ amount: b.payment.amount, currency: b.payment.currency }, ctx.tag)]);
    }
    return h('dl', { class: 'summary' }, rows.filter((r) => r[1]).map(([k, v]) =>
      h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))));
  }

  show(note) {
    const { t } = this;
    const b = this.booking;
    const live = b.status === 'paid' || b.status === 'confirmed';
    const cancelled = b.status === 'cancelled';
    const title = cancelled ? t('manageCancelledTitle') : live ? t('manageTitle') : t('manageInactiveTitle');
    const ics = `/api/public/bookings/${encodeURIComponent(b.id)}/calendar.ics?token=${encodeURIComponent(this.token)}`;
    const panel = h('section', { class: 'panel panel-center' + (live ? ' panel-ok' : '') },
      h('div', { class: 'big-icon' + (live ? ' big-icon-ok' : ''), 'aria-hidden': 'true' }, live ? '✓' : cancelled ? '×' : '!'),
      h('h1', {}, title),
      note ? h('p', { class: 'notice-info', role: 'status' }, note) : null,
      this.summary(),
      live ? h('p', {}, h('a', { class: 'btn btn-secondary', href: ics, id: 'add-calendar', download: 'reserva.ics' }, t('addToCalendar'))) : null,
      live ? this.cancelBox() : null);
    this.shell.render(panel, { title });
  }

  cancelBox() {
    const { t } = this;
    const box = h('div', { class: 'cancel-box', id: 'cancel-box', hidden: true });
    const open = h('button', { type: 'button', class: 'btn btn-link', id: 'cancel-open',
      'aria-expanded': 'false', 'aria-controls': 'cancel-box' }, t('cancelBooking'));
    const reason = h('textarea', { id: 'cancel-reason', rows: 2, maxlength: 500 });
    const problem = h('p', { class: 'notice-error', role: 'alert', hidden: true });
    const confirm = h('button', { type: 'button', class: 'btn btn-primary', id: 'cancel-confirm' }, t('cancelConfirm'));
    const keep = h('button', { type: 'button', class: 'btn btn-secondary' }, t('cancelKeep'));
    const toggle = (show) => {
      box.hidden = !show;
      open.setAttribute('aria-expanded', String(show));
      (show ? reason : open).focus();
    };
    open.addEventListener('click', () => toggle(box.hidden));
    keep.addEventListener('click', () => toggle(false));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      problem.hidden = true;
      try {
        const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
        const { data } = await api.cancelBooking(this.booking.id, this.token, body);
        this.booking = { ...this.booking, status: 'cancelled' };
        const note = data.refund
          ? t('cancelledRefund', { amount: formatMoney(data.refund, this.ctx.tag) }) : t('cancelledNoRefund');
        this.show(note);
        this.shell.announce(t('manageCancelledTitle'));
      } catch (err) {
        confirm.disabled = false;
        problem.textContent = err.code === 'cancel_closed' ? t('cancelClosed') : this.shell.errorText(err);
        problem.hidden = false;
      }
    });
    box.append(h('label', { for: 'cancel-reason' }, t('cancelReason')), reason, problem,
      h('div', { class: 'cancel-actions' }, confirm, keep));
    return h('div', { class: 'manage-cancel' }, open, box);
  }
}
