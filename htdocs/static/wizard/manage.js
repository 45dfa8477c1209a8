// The booking's own page, linked from every mail: /book/manage/{id}?token=T. Wears the
// business's brand (the booking's `tenant`, as the wizard wears its link's), shows the
// booking in the customer's zone, offers it to their calendar (calendar.ics) until it ends,
// and offers the actions the business's policy still allows (the booking's `actions`, which
// the server's state machine answers; a change refused meanwhile answers 409 and the page
// says so): cancel, and change the date or time with the wizard's own date and time step (a
// hold through the booking's link, then the reschedule with the hold's token). What the policy
// closed is said with the business's phone and address to reach it instead. The address's
// #change-time (the portal's "change date or time") opens that step at once.
// A session of a series (series.js) says which one it is and lists the series' sessions with
// their state; where later sessions are still booked, cancel and reschedule ask whether the
// change takes this session only or it and the following (`scope`), and say which dates.
import { h } from './dom.js';
import { closedOnline } from './contact.js';
import * as api from './api.js';
import {
  formatMoney,
  formatDateTimeLong,
  formatWhen,
  formatTime,
  formatCountdown,
  zoneLabel,
  whoOf,
} from './format.js';
import { TimeStep } from './timestep.js';
import {
  datesList,
  isSeries,
  laterActive,
  movedRest,
  paymentCovers,
  scopeChoice,
  seriesPositionLine,
  sessionsSection,
} from './series.js';

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
      const {
        data: { booking },
      } = await api.getBooking(this.id, this.token);
      this.booking = booking;
    } catch (err) {
      if (err.status === 404) return this.notFound();
      if (err.status === 410) return this.notFound('bookingLinkExpired');
      return this.shell.fatal(err, () => this.start());
    }
    if (this.booking.tenant) this.shell.setTenant(this.booking.tenant);
    const b = this.booking;
    if (isSeries(b)) await this.loadSeriesPay();
    const movable = (b.status === 'paid' || b.status === 'confirmed') && b.actions && b.actions.reschedule;
    if (location.hash === '#change-time' && movable) return this.showReschedule();
    this.show();
  }

  // How the series is paid ("all" | "first") and its rhythm, when its link still tells them.
  async loadSeriesPay() {
    const b = this.booking;
    if (!b.link) return;
    try {
      const { data } = await api.getLink(b.link);
      const service = ((data && data.services) || []).find((x) => x.id === b.service.id);
      this.seriesPay = (service && service.series && service.series.pay) || null;
      this.seriesEvery = (service && service.series && service.series.every) || null;
    } catch (e) {
      /* an expired link: the amount stands alone */
    }
  }

  notFound(what = 'bookingNotFound') {
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
        h('h1', {}, this.t(what)),
      ),
      { title: this.t(what) },
    );
  }

  summary() {
    const { t, ctx } = this;
    const b = this.booking;
    const zone = ctx.zone;
    const rows = [
      [t('service'), b.service && b.service.name],
      [t('professional'), whoOf(b)],
      [t('yourTime', { zone: zoneLabel(zone, ctx.tag) }), formatWhen(b.start, zone, ctx.tag)],
    ];
    if (b.timezone && b.timezone !== zone) {
      rows.push([t('proTime', { zone: zoneLabel(b.timezone, ctx.tag) }), formatWhen(b.start, b.timezone, ctx.tag)]);
    }
    const place = b.location;
    if (place && place.type === 'video') {
      rows.push([t('placeVideo'), h('a', { href: place.url, rel: 'noopener', target: '_blank' }, place.url)]);
    } else if (place && place.type === 'in_person') {
      rows.push([t('placeAddress'), place.address]);
    } else if (place && place.type === 'phone') {
      rows.push([t('placePhone'), place.instructions]);
    }
    if (b.payment && b.payment.amount && b.payment.status === 'approved') {
      const money = formatMoney({ amount: b.payment.amount, currency: b.payment.currency }, ctx.tag);
      const covers = paymentCovers(t, b, this.seriesPay);
      rows.push([t('amountPaid'), covers ? `${money} ${covers}` : money]);
    }
    return h(
      'dl',
      { class: 'summary' },
      rows.filter((r) => r[1]).map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))),
    );
  }

  show(note, { moved = false } = {}) {
    const { t } = this;
    const b = this.booking;
    const live = b.status === 'paid' || b.status === 'confirmed';
    const upcoming = live && Date.parse(b.end) > Date.now();
    const cancelled = b.status === 'cancelled';
    const actions = b.actions || { cancel: live, reschedule: false };
    const title = cancelled
      ? t('manageCancelledTitle')
      : moved
        ? t('rescheduledTitle')
        : live
          ? t('manageTitle')
          : t('manageInactiveTitle');
    this.shell.setActions([]);
    const ics = `/api/public/bookings/${encodeURIComponent(b.id)}/calendar.ics?token=${encodeURIComponent(this.token)}`;
    const panel = h(
      'section',
      { class: 'panel panel-center' + (live ? ' panel-ok' : '') },
      h(
        'div',
        { class: 'big-icon' + (live ? ' big-icon-ok' : ''), 'aria-hidden': 'true' },
        live ? '✓' : cancelled ? '×' : '!',
      ),
      h('h1', {}, title),
      seriesPositionLine(t, b),
      note ? h('p', { class: 'notice-info', role: 'status' }, note) : null,
      this.summary(),
      sessionsSection(this.ctx, b, this.ctx.zone),
      upcoming
        ? h(
            'p',
            {},
            h(
              'a',
              { class: 'btn btn-secondary', href: ics, id: 'add-calendar', download: 'reserva.ics' },
              t('addToCalendar'),
            ),
          )
        : null,
      live && actions.reschedule ? this.rescheduleOpener() : null,
      live && actions.cancel ? this.cancelBox() : null,
      upcoming
        ? closedOnline(t, b, { cancel: !!actions.cancel, reschedule: !!actions.reschedule }, 'closed-online')
        : null,
    );
    this.shell.render(panel, { title });
  }

  rescheduleOpener() {
    const { t } = this;
    const left = (this.booking.actions || {}).reschedules_left;
    return h(
      'div',
      { class: 'manage-reschedule' },
      h(
        'button',
        { type: 'button', class: 'btn btn-secondary', id: 'reschedule-open', onclick: () => this.showReschedule() },
        t('changeTime'),
      ),
      left ? h('p', { class: 'hint' }, t(left === 1 ? 'reschedulesLeft' : 'reschedulesLeftMany', { n: left })) : null,
    );
  }

  // "Change date or time": the wizard's date and time step for the same service and
  // professional; a click holds the time, the bar's button moves the booking to it.
  showReschedule() {
    const { t, ctx } = this;
    const b = this.booking;
    if (!this.s) {
      this.s = {
        serviceId: b.service.id,
        professionalId: b.professional.id,
        zone: ctx.zone,
        day: null,
        slots: null,
        hold: null,
        busy: false,
      };
      this.time = new TimeStep({
        ctx,
        shell: this.shell,
        link: b.link,
        s: this.s,
        professionalName: (id) => (b.professionals || id === b.professional.id ? whoOf(b) : null),
        active: () => this.view === 'reschedule',
        onChange: () => this.rescheduleActions(),
        onRanOut: () => this.rescheduleActions(),
      });
      window.addEventListener('pagehide', () => this.releaseOnLeave());
    }
    this.view = 'reschedule';
    // a session with later booked ones: this one only, or it and the following
    this.later = laterActive(b);
    this.scope = 'one';
    this.moveWill = this.later.length
      ? h('div', { class: 'scope-will', id: 'reschedule-will', 'aria-live': 'polite' })
      : null;
    const choice = this.later.length
      ? scopeChoice(t, 'reschedule-scope', t('rescheduleScopeLegend'), this.later.length, (value) => {
          this.scope = value;
          this.sayMove();
        })
      : null;
    this.shell.render(
      [
        h('h1', {}, t('rescheduleTitle')),
        seriesPositionLine(t, b),
        h('p', { class: 'summary-line' }, b.service.name, ' · ', t('with', { name: whoOf(b) })),
        h(
          'p',
          { class: 'hint', id: 'reschedule-current' },
          t('rescheduleNow', { when: formatDateTimeLong(b.start, this.s.zone, ctx.tag) }),
        ),
        choice,
        this.moveWill,
        ...this.time.mount({ groupLabel: t('rescheduleTitle') }),
      ],
      { title: t('rescheduleTitle') },
    );
    this.sayMove();
    this.rescheduleActions();
    this.time.start();
  }

  // What the move will do, in dates: this session to the held time, or it and every later
  // booked one at the series' rhythm from there (series.js movedRest).
  sayMove() {
    const will = this.moveWill;
    if (!will || this.view !== 'reschedule') return;
    const { t, ctx } = this;
    const b = this.booking;
    const hold = this.s.hold;
    const zone = this.s.zone;
    if (this.scope !== 'rest') {
      will.replaceChildren(
        hold ? h('p', {}, t('rescheduleWillOne', { when: formatDateTimeLong(hold.start, zone, ctx.tag) })) : '',
      );
      return;
    }
    if (!hold) {
      will.replaceChildren(h('p', {}, t('rescheduleRestHint')));
      return;
    }
    const moved = movedRest(b, hold.start, this.seriesEvery).map(({ from, to }) =>
      t('rescheduleMoveLine', {
        from: formatWhen(from, zone, ctx.tag),
        to: formatDateTimeLong(to, zone, ctx.tag),
      }),
    );
    will.replaceChildren(
      h('p', {}, t('rescheduleWillRest', { n: moved.length })),
      h(
        'ul',
        { class: 'series-dates' },
        moved.map((line) => h('li', {}, line)),
      ),
    );
  }

  rescheduleActions() {
    if (this.view !== 'reschedule') return;
    this.sayMove();
    const { t, ctx } = this;
    const hold = this.s.hold;
    const note = hold
      ? h(
          'p',
          { class: 'actions-note' },
          h('span', { class: 'clock', 'aria-hidden': 'true' }),
          formatTime(hold.start, this.s.zone, ctx.tag),
          ' · ',
          t('heldFor', { time: '' }),
          h(
            'strong',
            { class: 'hold-time', role: 'timer', 'aria-live': 'off' },
            formatCountdown(hold.deadline - Date.now()),
          ),
        )
      : null;
    this.shell.setActions(
      [
        { label: t('rescheduleKeep'), id: 'reschedule-keep', onclick: () => this.leaveReschedule() },
        {
          label: t('rescheduleConfirm'),
          primary: true,
          id: 'reschedule-confirm',
          disabled: !hold || this.s.busy,
          onclick: () => this.confirmReschedule(),
        },
      ],
      note,
    );
  }

  async leaveReschedule() {
    this.view = 'booking';
    await this.time.release();
    // back on the booking: a reload shows it, not the step again
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    this.show();
  }

  async confirmReschedule() {
    const { t, ctx } = this;
    const hold = this.s.hold;
    if (!hold || this.s.busy) return;
    this.s.busy = true;
    this.rescheduleActions();
    this.time.notice(null);
    this.shell.announce(t('rescheduling'));
    try {
      await api.rescheduleBooking(this.booking.id, this.token, hold.token, this.later.length ? this.scope : null);
    } catch (err) {
      this.s.busy = false;
      if (err.code === 'slot_unavailable' && err.occurrence && err.occurrence.start) {
        // a later session's new time is taken: nothing moved; the customer picks again
        this.time.notice(
          t('rescheduleOccurrenceTaken', { when: formatDateTimeLong(err.occurrence.start, this.s.zone, ctx.tag) }),
        );
      } else if (err.code === 'hold_expired') {
        this.time.stop();
        this.s.hold = null;
        this.time.renderHold();
        this.time.notice(t('rescheduleHoldExpired'));
        await this.time.loadSlots({ keepNotice: true });
      } else if (err.code === 'reschedule_closed') {
        await this.time.release();
        this.time.renderHold();
        this.time.notice(t('rescheduleClosed'));
      } else {
        this.time.notice(this.shell.errorText(err));
      }
      this.rescheduleActions();
      return;
    }
    // the hold became the booking's new time
    this.time.stop();
    this.s.hold = null;
    this.s.busy = false;
    this.view = 'booking';
    try {
      const {
        data: { booking },
      } = await api.getBooking(this.booking.id, this.token);
      this.booking = booking;
    } catch (err) {
      this.booking = { ...this.booking, start: hold.start, end: hold.end };
    }
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    const when = formatDateTimeLong(this.booking.start, ctx.zone, ctx.tag);
    this.show(t('rescheduledNote', { when }), { moved: true });
    this.shell.announce(t('rescheduledTitle') + '. ' + t('rescheduledNote', { when }));
  }

  // Leaving the page with a hold that did not move the booking: give the slot back.
  releaseOnLeave() {
    const hold = this.s && this.s.hold;
    if (!hold) return;
    try {
      fetch(`/api/public/holds/${encodeURIComponent(hold.id)}`, {
        method: 'DELETE',
        keepalive: true,
        headers: { Authorization: 'Bearer ' + hold.token },
      }).catch(() => {});
    } catch (e) {
      /* best effort */
    }
  }

  cancelBox() {
    const { t, ctx } = this;
    const b = this.booking;
    const later = laterActive(b);
    let scope = 'one';
    const box = h('div', { class: 'cancel-box', id: 'cancel-box', hidden: true });
    const open = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-link',
        id: 'cancel-open',
        'aria-expanded': 'false',
        'aria-controls': 'cancel-box',
      },
      t('cancelBooking'),
    );
    // what the cancel will do, in dates: said again at each change of the choice
    const will = h('div', { class: 'scope-will', id: 'cancel-will', 'aria-live': 'polite' });
    const sayWill = () => {
      const when = formatDateTimeLong(b.start, ctx.zone, ctx.tag);
      if (scope === 'rest') {
        const taken = [b, ...later];
        will.replaceChildren(h('p', {}, t('cancelWillRest', { n: taken.length })), datesList(ctx, taken, ctx.zone));
      } else {
        will.replaceChildren(h('p', {}, t('cancelWillOne', { when })));
      }
    };
    const choice = later.length
      ? scopeChoice(t, 'cancel-scope', t('cancelScopeLegend'), later.length, (value) => {
          scope = value;
          sayWill();
        })
      : null;
    const reason = h('textarea', { id: 'cancel-reason', rows: 2, maxlength: 500 });
    const problem = h('p', { class: 'notice-error', role: 'alert', hidden: true });
    const confirm = h('button', { type: 'button', class: 'btn btn-primary', id: 'cancel-confirm' }, t('cancelConfirm'));
    const keep = h('button', { type: 'button', class: 'btn btn-secondary' }, t('cancelKeep'));
    const toggle = (show) => {
      box.hidden = !show;
      open.setAttribute('aria-expanded', String(show));
      const first = choice ? choice.querySelector('input:checked') : reason;
      (show ? first : open).focus();
    };
    open.addEventListener('click', () => toggle(box.hidden));
    keep.addEventListener('click', () => toggle(false));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      problem.hidden = true;
      try {
        const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
        if (choice) body.scope = scope;
        const { data } = await api.cancelBooking(b.id, this.token, body);
        const answered = (data && data.booking) || {};
        this.booking = {
          ...b,
          status: 'cancelled',
          occurrences: answered.occurrences || b.occurrences,
        };
        const refund = data.refund
          ? t('cancelledRefund', { amount: formatMoney(data.refund, ctx.tag) })
          : t('cancelledNoRefund');
        const note = scope === 'rest' ? `${t('cancelledSessions', { n: 1 + later.length })} ${refund}` : refund;
        this.show(note);
        this.shell.announce(t('manageCancelledTitle'));
      } catch (err) {
        confirm.disabled = false;
        problem.textContent = err.code === 'cancel_closed' ? t('cancelClosed') : this.shell.errorText(err);
        problem.hidden = false;
      }
    });
    if (choice) sayWill();
    box.append(
      ...[
        choice,
        choice ? will : null,
        h('label', { for: 'cancel-reason' }, t('cancelReason')),
        reason,
        problem,
        h('div', { class: 'cancel-actions' }, confirm, keep),
      ].filter(Boolean),
    );
    return h('div', { class: 'manage-cancel' }, open, box);
  }
}
