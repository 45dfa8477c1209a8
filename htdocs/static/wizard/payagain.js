// "Intentar de nuevo" on the confirmation page: a booking whose payment was declined or ran
// out goes straight back to the checkout, nothing typed again. Its own time is held again
// through the link, then POST /api/public/bookings/{id}/pay moves the booking onto that hold
// with a new payment (its details and accepted terms kept by the server). When the time was
// taken meanwhile the page says so and offers the nearest free times; one click holds it and
// goes on to the checkout the same way.
import { h, clear } from './dom.js';
import * as api from './api.js';
import { formatTime, formatDateShort, dayKey, addDays } from './format.js';
import { loadBooking, saveBooking } from './store.js';

const NEAREST = 6; // times offered when the booking's own was taken
const SEARCH_DAYS = 7; // read around the booking's day

export class PayAgain {
  // host: {ctx, shell, link, booking, token, zone, professional (the customer's choice:
  //        an id or 'any'), onNotice(text) (shows a failure on the host's page),
  //        onClosed() (the booking cannot be paid again: read it again)}
  constructor(host) {
    Object.assign(this, host);
    this.t = host.ctx.t;
    this.busy = false;
  }

  // The booking's own time, held again, then paid.
  async start(button) {
    const b = this.booking;
    if (this.busy) return;
    this.setBusy(button, true);
    this.shell.announce(this.t('holding'));
    let hold;
    try {
      hold = await this.hold(b.start, b.professional.id);
    } catch (err) {
      this.setBusy(button, false);
      if (err.code === 'slot_unavailable') return this.showNearest();
      return this.fail(err, button);
    }
    await this.pay(hold, button);
  }

  hold(start, professional) {
    return api
      .createHold({
        link: this.booking.link || this.link,
        service: this.booking.service.id,
        professional,
        start,
      })
      .then(({ data }) => data.hold);
  }

  // The hold becomes the booking's time and its new checkout opens.
  async pay(hold, button) {
    let booking;
    try {
      ({
        data: { booking },
      } = await api.payAgain(this.booking.id, this.token, hold.token));
    } catch (err) {
      this.setBusy(button, false);
      api.releaseHold(hold).catch(() => {});
      if (err.code === 'payment_closed') return this.onClosed();
      return this.fail(err, button);
    }
    const saved = loadBooking();
    if (saved && saved.id === this.booking.id) saveBooking({ ...saved, checkoutAt: Date.now() });
    this.toCheckout(booking);
  }

  fail(err, button) {
    this.busy = false;
    this.onNotice(this.shell.errorText(err));
    if (button && button.isConnected) button.focus();
  }

  setBusy(button, on) {
    this.busy = on;
    if (!button) return;
    button.disabled = on;
    button.setAttribute('aria-busy', String(on));
  }

  toCheckout(booking) {
    const { t } = this;
    const url = booking.payment && booking.payment.checkout_url;
    if (!url) return this.onClosed();
    this.shell.setActions([]);
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('h1', {}, t('payment')),
        h('p', { role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', t('goToCheckout'), '…'),
        h('a', { class: 'btn btn-primary', href: url, id: 'go-checkout' }, t('goToCheckout')),
      ),
      { title: t('payment') },
    );
    window.setTimeout(() => location.assign(url), 600);
  }

  // ------------------------------------------------------------ the time was taken

  async showNearest() {
    const { t } = this;
    const b = this.booking;
    this.notice = h('div', { class: 'notice', role: 'alert', hidden: true });
    this.list = h(
      'div',
      { class: 'nearest' },
      h(
        'p',
        { class: 'loading', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        ' ',
        t('loading'),
      ),
    );
    this.shell.setActions([]);
    this.shell.render(
      h(
        'section',
        { class: 'panel', id: 'slot-gone' },
        h('h1', {}, t('slotGoneTitle')),
        h('p', {}, t('slotGoneText')),
        h('p', { class: 'summary-line' }, b.service.name, ' · ', t('with', { name: b.professional.name })),
        this.notice,
        h('h2', { id: 'h-nearest' }, t('nearestTimes')),
        this.list,
      ),
      { title: t('slotGoneTitle') },
    );
    this.shell.announce(t('slotGoneTitle'));
    await this.loadNearest();
  }

  async loadNearest() {
    const { t, ctx } = this;
    const b = this.booking;
    const wanted = Date.parse(b.start);
    const today = dayKey(Date.now(), this.zone);
    const around = addDays(dayKey(b.start, this.zone), -Math.floor(SEARCH_DAYS / 2));
    const from = around > today ? around : today;
    let slots;
    try {
      const { data } = await api.getAvailability(b.link || this.link, {
        service: b.service.id,
        professional: this.professional,
        from,
        days: SEARCH_DAYS,
        tz: this.zone,
      });
      slots = (data.slots || []).filter((sl) => Date.parse(sl.start) > Date.now());
    } catch (err) {
      clear(this.list);
      this.shell.notice(this.notice, this.shell.errorText(err), {
        action: { label: t('retry'), onclick: () => this.loadNearest() },
      });
      return;
    }
    const nearest = slots
      .sort((x, y) => Math.abs(Date.parse(x.start) - wanted) - Math.abs(Date.parse(y.start) - wanted))
      .slice(0, NEAREST)
      .sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
    clear(this.list);
    if (!nearest.length) {
      const q = new URLSearchParams({
        step: 'time',
        service: b.service.id,
        professional: this.professional,
        tz: this.zone,
      });
      this.list.append(
        h('p', { class: 'empty' }, t('noNearTimes')),
        h(
          'a',
          {
            class: 'btn btn-secondary',
            id: 'see-all-times',
            href: `/book/${encodeURIComponent(b.link || this.link)}?${q}`,
          },
          t('seeAllTimes'),
        ),
      );
      return;
    }
    const group = h('div', { class: 'times times-nearest', role: 'group', 'aria-labelledby': 'h-nearest' });
    for (const sl of nearest) {
      const day = formatDateShort(sl.start, this.zone, ctx.tag);
      const btn = h(
        'button',
        { type: 'button', class: 'time time-dated', dataset: { start: sl.start } },
        h('span', { class: 'time-day' }, day),
        h('span', { class: 'time-at' }, formatTime(sl.start, this.zone, ctx.tag)),
      );
      btn.addEventListener('click', () => this.pickNearest(sl, btn));
      group.append(btn);
    }
    this.list.append(group);
  }

  async pickNearest(slot, button) {
    if (this.busy) return;
    this.shell.notice(this.notice, null);
    for (const b of this.list.querySelectorAll('.time')) b.disabled = true;
    this.busy = true;
    button.setAttribute('aria-busy', 'true');
    this.shell.announce(this.t('holding'));
    let hold;
    try {
      hold = await this.hold(slot.start, slot.professional || this.professional);
    } catch (err) {
      this.busy = false;
      if (err.code === 'slot_unavailable') {
        this.shell.notice(this.notice, this.t('slotTaken'));
        await this.loadNearest();
        return;
      }
      for (const b of this.list.querySelectorAll('.time')) b.disabled = false;
      this.shell.notice(this.notice, this.shell.errorText(err));
      return;
    }
    this.onNotice = (text) => {
      for (const b of this.list.querySelectorAll('.time')) b.disabled = false;
      this.shell.notice(this.notice, text);
    };
    await this.pay(hold, button);
  }
}
