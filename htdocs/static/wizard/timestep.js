// The date and time step, shared by the booking wizard (step 2) and the manage page's
// "change date or time" (a service booked as a series, `series()`, first asks how many
// sessions: the times offered are those whose every session is free, and the hold takes them all)
// "change date or time": the customer's zone (and a picker of zones by city, zonepicker.js), 14 days, the offered times of
// the day chosen through the link's availability, a hold taken by a click (its countdown
// kept with the server's clock) and given back when another time is chosen. The host owns
// the state object `s` ({serviceId, professionalId, zone, day, slots, hold, busy}: the
// wizard keeps the hold across its steps) and is told when the hold changes or runs out.
import { h, clear, nextId } from './dom.js';
import { emit } from './frame.js';
import * as api from './api.js';
import {
  formatTime,
  formatCountdown,
  formatDateTimeLong,
  formatWhen,
  dayKey,
  addDays,
  dayParts,
  zoneLabel,
} from './format.js';
import { ZonePicker } from './zonepicker.js';

export const DAYS_SHOWN = 14;

export class TimeStep {
  // host: {ctx, shell, link, s, professionalName(id), active() (the step is on screen),
  //        onChange() (the hold was taken or given back), onRanOut() (after the hold ran out)}
  constructor({ ctx, shell, link, s, professionalName, active, onChange, onRanOut, series }) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.link = link;
    this.s = s;
    this.professionalName = professionalName || (() => null);
    this.active = active || (() => true);
    this.onChange = onChange || (() => {});
    this.onRanOut = onRanOut || (() => {});
    this.series = series || (() => null);
    this.timer = null;
  }

  // The step's parts, new each time it is shown: the host places them under its heading.
  mount({ groupLabel }) {
    // the step's messages stand right above the times they are about, where the customer's
    // eyes are when a time is taken meanwhile
    this.noticeEl = h('div', { class: 'notice', id: 'times-notice', role: 'alert', tabindex: '-1', hidden: true });
    this.zoneEl = h('div', { class: 'zone' });
    this.daysEl = h('div', { class: 'days', role: 'group', 'aria-label': groupLabel });
    this.timesEl = h('div', { class: 'times-wrap' });
    this.holdEl = h('div', { class: 'hold', role: 'status', hidden: true });
    this.seriesEl = h('div', { class: 'series-choice' });
    return [this.zoneEl, this.seriesEl, this.daysEl, this.noticeEl, this.timesEl, this.holdEl];
  }

  // Shows the step and reads the slots; the promise settles once they are shown.
  start() {
    this.renderZone();
    this.renderSeries();
    this.renderHold();
    return this.loadSlots({ keepNotice: true });
  }

  // How many sessions, for a service booked as a series: one, or min..max of its series.
  renderSeries() {
    const { t } = this;
    const series = this.series();
    clear(this.seriesEl);
    this.seriesEl.hidden = !series;
    if (!series) {
      this.s.count = 1;
      return;
    }
    if (!this.s.count || this.s.count > series.max || (this.s.count > 1 && this.s.count < series.min)) {
      this.s.count = 1;
    }
    const id = nextId('series');
    const options = [h('option', { value: '1', selected: this.s.count === 1 }, t('seriesOnce'))];
    for (let n = series.min; n <= series.max; n++) {
      options.push(h('option', { value: String(n), selected: this.s.count === n }, t('series_' + series.every, { n })));
    }
    const select = h('select', { id, name: 'series-count' }, ...options);
    select.addEventListener('change', async () => {
      this.s.count = Number(select.value);
      if (this.s.hold) await this.release();
      this.renderHold();
      this.onChange();
      await this.loadSlots();
    });
    this.seriesEl.append(h('label', { for: id }, t('seriesLabel')), ' ', select);
  }

  // What a series adds to the availability and the hold (nothing for one session).
  repeat() {
    const series = this.series();
    return series && this.s.count > 1 ? { repeat: series.every, count: this.s.count } : {};
  }

  notice(text, opts) {
    this.shell.notice(this.noticeEl, text, opts);
  }

  // The hold is no longer needed here (it became a booking, or moved one): stop counting.
  stop() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = null;
  }

  ranOut() {
    this.stop();
    this.s.hold = null;
    this.shell.announce(this.t('holdExpired'));
    if (this.active()) {
      this.renderHold();
      this.notice(this.t('holdExpired'));
      this.loadSlots({ keepNotice: true });
    }
    this.onRanOut();
  }

  // "Times in Bogotá (GMT-5)" and the button that opens the zone picker under it; a zone
  // taken reloads the times in it, and the focus goes back to the button.
  renderZone() {
    const { t, ctx } = this;
    clear(this.zoneEl);
    const label = h(
      'span',
      { class: 'zone-name', id: nextId('zone-name') },
      t('timesIn', { zone: zoneLabel(this.s.zone, ctx.tag) }),
    );
    const toggle = h(
      'button',
      { type: 'button', class: 'btn btn-link zone-toggle', 'aria-expanded': 'false' },
      t('changeZone'),
    );
    const box = h('div', { class: 'zone-box', hidden: true });
    const close = () => {
      box.hidden = true;
      clear(box);
      toggle.setAttribute('aria-expanded', 'false');
      toggle.focus();
    };
    toggle.addEventListener('click', () => {
      if (!box.hidden) return close();
      const picker = new ZonePicker({
        ctx,
        current: this.s.zone,
        own: ctx.zone,
        business: this.shell.tenant && this.shell.tenant.timezone,
        onPick: (zone) => {
          close();
          if (zone === this.s.zone) return;
          this.s.zone = zone;
          label.textContent = t('timesIn', { zone: zoneLabel(zone, ctx.tag) });
          this.shell.announce(label.textContent);
          this.s.day = null;
          this.loadSlots();
        },
        onClose: close,
      });
      box.append(picker.mount());
      box.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      picker.focus();
    });
    this.zoneEl.append(h('p', {}, label, ' ', toggle), box);
  }

  async loadSlots({ keepNotice = false } = {}) {
    const { t } = this;
    if (!keepNotice) this.shell.notice(this.noticeEl, null);
    clear(this.timesEl).append(
      h(
        'p',
        { class: 'loading', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        ' ',
        t('loading'),
      ),
    );
    const from = dayKey(Date.now(), this.s.zone);
    let data;
    try {
      ({ data } = await api.getAvailability(this.link, {
        service: this.s.serviceId,
        professional: this.s.professionalId,
        from,
        days: DAYS_SHOWN,
        tz: this.s.zone,
        ...this.repeat(),
      }));
    } catch (err) {
      if (err.status === 410) return this.shell.linkProblem('link_expired');
      if (err.code === 'link_not_found') return this.shell.linkProblem('link_not_found');
      clear(this.timesEl);
      this.shell.notice(this.noticeEl, this.shell.errorText(err), {
        action: { label: t('retry'), onclick: () => this.loadSlots() },
      });
      return;
    }
    if (!this.active()) return;
    this.s.from = from;
    this.s.slots = (data.slots || []).filter((sl) => Date.parse(sl.start) > Date.now());
    // the customer's own hold is offered to nobody, the customer included: it stays in the
    // grid, selected, when they come back to change it
    const hold = this.s.hold;
    if (hold && !this.s.slots.some((sl) => sl.start === hold.start)) {
      this.s.slots.push({ start: hold.start, end: hold.end, professional: hold.professional });
      this.s.slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    }
    this.byDay = new Map();
    for (const sl of this.s.slots) {
      const k = dayKey(sl.start, this.s.zone);
      if (!this.byDay.has(k)) this.byDay.set(k, []);
      this.byDay.get(k).push(sl);
    }
    if (!this.s.day || !this.byDay.has(this.s.day)) {
      const held = this.s.hold && dayKey(this.s.hold.start, this.s.zone);
      this.s.day = held && this.byDay.has(held) ? held : this.byDay.keys().next().value || null;
    }
    this.renderDays();
    this.renderTimes();
  }

  renderDays() {
    const { t, ctx } = this;
    clear(this.daysEl);
    for (let i = 0; i < DAYS_SHOWN; i++) {
      const key = addDays(this.s.from, i);
      const parts = dayParts(key, ctx.tag);
      const has = this.byDay.has(key);
      const selected = key === this.s.day;
      const btn = h(
        'button',
        {
          type: 'button',
          class: 'day' + (selected ? ' day-selected' : '') + (has ? '' : ' day-empty'),
          disabled: !has,
          'aria-pressed': has ? String(selected) : null,
          dataset: { day: key },
          // the name is what the button shows (a voice user says what they see); the whole
          // date is its description
          title: parts.long,
        },
        h('span', { class: 'day-wd' }, parts.weekday),
        h('span', { class: 'day-num' }, parts.day),
        h('span', { class: 'day-mo' }, has ? parts.month : t('noSlotsDay')),
      );
      btn.addEventListener('click', () => {
        this.s.day = key;
        for (const b of this.daysEl.querySelectorAll('.day')) {
          const on = b.dataset.day === key;
          b.classList.toggle('day-selected', on);
          if (!b.disabled) b.setAttribute('aria-pressed', String(on));
        }
        this.renderTimes();
      });
      this.daysEl.append(btn);
    }
    const sel = this.daysEl.querySelector('.day-selected');
    if (sel && sel.scrollIntoView) sel.scrollIntoView({ block: 'nearest', inline: 'center' });
  }

  renderTimes() {
    const { t, ctx } = this;
    clear(this.timesEl);
    if (!this.s.slots.length) {
      this.timesEl.append(h('p', { class: 'empty' }, t('noSlotsAtAll')));
      return;
    }
    const slots = this.byDay.get(this.s.day) || [];
    const grid = h('div', { class: 'times', role: 'group', 'aria-labelledby': 'h-times' });
    for (const sl of slots) {
      const held = this.s.hold && this.s.hold.start === sl.start;
      const label = formatTime(sl.start, this.s.zone, ctx.tag);
      const btn = h(
        'button',
        {
          type: 'button',
          class: 'time' + (held ? ' time-selected' : ''),
          'aria-pressed': String(!!held),
          dataset: { start: sl.start },
          disabled: this.s.busy,
        },
        label,
        // a group class's places left at that time
        sl.seats_left ? ' ' : null,
        sl.seats_left
          ? h(
              'span',
              { class: 'time-seats' },
              t(sl.seats_left === 1 ? 'seatsLeftOne' : 'seatsLeft', { n: sl.seats_left }),
            )
          : null,
      );
      btn.addEventListener('click', () => this.pick(sl));
      grid.append(btn);
    }
    const day = dayParts(this.s.day, ctx.tag);
    this.timesEl.append(h('h2', { id: 'h-times' }, t('times'), h('span', { class: 'h-sub' }, ' · ' + day.long)), grid);
  }

  async pick(slot) {
    const { t, ctx } = this;
    if (this.s.busy || (this.s.hold && this.s.hold.start === slot.start)) return;
    this.s.busy = true;
    this.setTimesDisabled(true);
    this.shell.notice(this.noticeEl, null);
    this.shell.announce(t('holding'));
    if (this.s.hold) await this.release();
    try {
      const { data, serverDate } = await api.createHold({
        link: this.link,
        service: this.s.serviceId,
        professional: this.s.professionalId,
        start: slot.start,
        ...this.repeat(),
      });
      const hold = data.hold;
      // Count down with the server's idea of the time left, not the customer's clock.
      const left = Date.parse(hold.expires_at) - serverDate;
      hold.deadline = Date.now() + (Number.isFinite(left) ? left : 600000);
      this.s.hold = hold;
      this.s.busy = false;
      emit('slot_held');
      this.startCountdown();
      this.renderTimes();
      this.renderHold();
      this.onChange();
      const when = formatDateTimeLong(hold.start, this.s.zone, ctx.tag);
      this.shell.announce(t('heldAnnounce', { when, minutes: Math.max(1, Math.round(left / 60000)) }));
      const selected = this.timesEl.querySelector('.time-selected');
      if (selected) selected.focus();
    } catch (err) {
      this.s.busy = false;
      if (err.code === 'slot_unavailable') {
        this.shell.notice(this.noticeEl, t('slotTaken'));
        await this.loadSlots({ keepNotice: true });
        // in view and focused (a phone's grid scrolls the top of the step away)
        this.noticeEl.scrollIntoView({ block: 'center' });
        this.noticeEl.focus({ preventScroll: true });
      } else {
        this.setTimesDisabled(false);
        this.shell.notice(this.noticeEl, this.shell.errorText(err));
      }
      this.renderHold();
      this.onChange();
    }
  }

  setTimesDisabled(on) {
    for (const b of this.timesEl.querySelectorAll('.time')) b.disabled = on;
  }

  renderHold() {
    if (!this.holdEl) return;
    const hold = this.s.hold;
    clear(this.holdEl);
    this.holdEl.hidden = !hold;
    if (!hold) return;
    const { t, ctx } = this;
    const proName = this.professionalName(hold.professional);
    this.holdEl.append(
      h(
        'p',
        { class: 'hold-when' },
        formatWhen(hold.start, this.s.zone, ctx.tag),
        proName ? ' · ' + t('with', { name: proName }) : '',
      ),
      h(
        'p',
        { class: 'hold-left' },
        h('span', { class: 'clock', 'aria-hidden': 'true' }),
        t('heldFor', { time: '' }),
        h(
          'strong',
          { class: 'hold-time', role: 'timer', 'aria-live': 'off' },
          formatCountdown(hold.deadline - Date.now()),
        ),
      ),
    );
    // a series: every session held
    if (hold.occurrences && hold.occurrences.length > 1) {
      this.holdEl.append(
        h('p', { class: 'hold-series' }, t('seriesHeld')),
        h(
          'ol',
          { class: 'hold-sessions' },
          hold.occurrences.map((o) => h('li', {}, formatWhen(o.start, this.s.zone, ctx.tag))),
        ),
      );
    }
  }

  startCountdown() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = window.setInterval(() => this.tick(), 1000);
  }

  tick() {
    const hold = this.s.hold;
    if (!hold) {
      window.clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const left = hold.deadline - Date.now();
    for (const el of document.querySelectorAll('.hold-time')) el.textContent = formatCountdown(left);
    if (left <= 0) this.ranOut();
  }

  async release() {
    const hold = this.s.hold;
    this.s.hold = null;
    if (this.timer) window.clearInterval(this.timer);
    this.timer = null;
    if (!hold) return;
    try {
      await api.releaseHold(hold);
    } catch (e) {
      // Already gone (expired, released): nothing to do; it frees itself anyway.
    }
  }
}
