// The confirmation page: /book/{link}/confirmation?booking=ID&token=T[&id=TRANSACTION].
// Polls the booking's status (passing the provider's transaction id when the checkout
// appended one, so a late webhook does not keep the customer waiting), then shows:
// - processing: how long it may take; after the wait, that a mail will come, with the
//   booking's reference;
// - approved: the summary, the place, the calendar file, the booking's own page and the
//   business's contact; the way back to the merchant is a button, and where the business
//   has a return URL an automatic return after RETURN_SECONDS, counted down on screen and
//   stoppable ("Quedarme aquí");
// - declined or expired: that nothing was charged, what was booked and the amount not
//   charged, and "Intentar de nuevo" straight back to the checkout (payagain.js).
// A series (series.js) says which session this is, lists every session, and says whether its
// one payment covered all of them or the first only (the service's `series.pay`, read from the
// link).
import { h } from './dom.js';
import { emit, embedded } from './frame.js';
import * as api from './api.js';
import { formatMoney, formatWhen, zoneLabel, whoOf } from './format.js';
import { loadBooking } from './store.js';
import { PayAgain } from './payagain.js';
import { isSeries, paymentCovers, seriesPositionLine, sessionsSection } from './series.js';

const POLL_MS = 2000;
// After this long since the customer left to pay, the page stops promising a quick answer.
const SLOW_AFTER_MS = 120000;
const RETURN_SECONDS = 10;

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
    const left = this.saved && this.saved.id === this.id && Number(this.saved.checkoutAt);
    this.waitingSince = left && left <= this.started ? left : this.started;
    this.polls = 0;
    this.state = null;
  }

  async start() {
    if (this.saved && this.saved.tenant) this.shell.setTenant(this.saved.tenant);
    else this.linkRead = this.loadLink();
    if (!this.id || !this.token) return this.notFound();
    this.shell.setProgress(4);
    this.shell.setActions([]);
    this.poll();
  }

  // The link: its brand when the wizard left none, and its services (how a series is paid).
  async loadLink() {
    try {
      const { data } = await api.getLink(this.link);
      if (data && data.tenant && !(this.saved && this.saved.tenant)) this.shell.setTenant(data.tenant);
      this.services = (data && data.services) || [];
    } catch (e) {
      /* an expired link still lets the customer see their booking */
      this.services = [];
    }
  }

  // How the booking's series is paid ("all" | "first"), when the link still tells it.
  seriesPay() {
    const b = this.booking;
    const service = (this.services || []).find((x) => b.service && x.id === b.service.id);
    return (service && service.series && service.series.pay) || null;
  }

  notFound() {
    this.shell.setProgress(0);
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
        h('h1', {}, this.t('bookingNotFound')),
      ),
      { title: this.t('bookingNotFound') },
    );
  }

  async poll() {
    // The transaction id makes the server ask the provider: first poll, then now and then.
    const withTransaction = this.transaction && this.polls % 5 === 0;
    this.polls += 1;
    let booking;
    try {
      ({
        data: { booking },
      } = await api.getBooking(this.id, this.token, withTransaction ? this.transaction : null));
    } catch (err) {
      if (err.status === 404 || err.status === 410) return this.notFound();
      if (this.state !== 'processing') this.showProcessing();
      return this.later();
    }
    this.booking = booking;
    // a series' payment reads what it covered: wait for the link's answer once
    if (isSeries(booking) && this.services === undefined) await (this.linkRead || (this.linkRead = this.loadLink()));
    switch (booking.status) {
      case 'paid':
      case 'confirmed':
      case 'completed':
      case 'no_show':
        this.tell('booking_paid');
        return this.showApproved();
      case 'failed':
      case 'expired':
      case 'cancelled':
        this.tell({ failed: 'payment_failed', expired: 'booking_expired' }[booking.status]);
        return this.showDeclined(booking.status);
      default:
        if (this.state !== 'processing') this.showProcessing();
        else this.updateProcessing();
        return this.later();
    }
  }

  // The merchant's page that frames this one hears how the booking ended (frame.js).
  tell(event) {
    if (event) emit(event, { booking_id: this.id, reference: this.reference() });
  }

  slow() {
    return Date.now() - this.waitingSince > SLOW_AFTER_MS;
  }

  later() {
    if (this.state === 'processing') this.updateProcessing();
    window.setTimeout(() => this.poll(), this.slow() ? POLL_MS * 3 : POLL_MS);
  }

  reference() {
    const b = this.booking;
    return (b && b.payment && b.payment.reference) || this.id;
  }

  showProcessing() {
    const { t } = this;
    this.state = 'processing';
    this.slowShown = false;
    this.shell.setActions([]);
    // not aria-busy: the status line inside must be announced when it changes
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center', id: 'processing' },
        h('div', { class: 'spinner spinner-big', 'aria-hidden': 'true' }),
        h('h1', {}, t('processingTitle')),
        h('p', { id: 'processing-text', role: 'status' }, t('processingText')),
        this.booking ? this.summary('due') : null,
      ),
      { title: t('processingTitle') },
    );
    this.updateProcessing();
  }

  // After the wait: the customer need not stay; the mail will come, and the reference says
  // which booking it is about.
  updateProcessing() {
    if (this.slowShown || !this.slow()) return;
    const p = document.getElementById('processing-text');
    if (!p) return;
    this.slowShown = true;
    const { t } = this;
    const ref = t('processingRef', { ref: this.reference() });
    p.textContent = `${t('processingSlow')} ${ref}`;
    p.classList.add('processing-slow');
    const panel = document.getElementById('processing');
    if (panel && this.booking && !panel.querySelector('.summary')) panel.append(this.summary('due'));
  }

  // What was booked; `money` says how the amount reads: 'paid', 'due' or 'not_charged'.
  summary(money) {
    const { t, ctx } = this;
    const b = this.booking;
    const proZone = b.timezone || this.zone;
    const rows = [
      [t('service'), b.service && b.service.name],
      [t('professional'), whoOf(b)],
      [t('yourTime', { zone: zoneLabel(this.zone, ctx.tag) }), formatWhen(b.start, this.zone, ctx.tag)],
    ];
    if (proZone !== this.zone) {
      rows.push([t('proTime', { zone: zoneLabel(proZone, ctx.tag) }), formatWhen(b.start, proZone, ctx.tag)]);
    }
    if (money === 'paid') rows.push(...this.placeRows());
    const pay = b.payment;
    if (pay && pay.amount) {
      const label = { paid: 'amountPaid', due: 'amountDue', not_charged: 'amountNotCharged' }[money];
      const shown = money !== 'paid' || pay.status === 'approved';
      if (label && shown) {
        const money = formatMoney({ amount: pay.amount, currency: pay.currency }, ctx.tag);
        const covers = paymentCovers(t, b, this.seriesPay());
        rows.push([t(label), covers ? `${money} ${covers}` : money, 'summary-amount']);
      }
    }
    if (pay && pay.reference) rows.push([t('reference'), pay.reference, 'summary-reference']);
    return h(
      'dl',
      { class: 'summary' },
      rows
        .filter((r) => r[1])
        .map(([k, v, cls]) =>
          h('div', { class: 'summary-row' + (cls ? ' ' + cls : '') }, h('dt', {}, k), h('dd', {}, v)),
        ),
    );
  }

  placeRows() {
    const { t } = this;
    const place = this.booking.location;
    if (!place) return [];
    if (place.type === 'video' && place.url) {
      return [
        [
          t('placeVideo'),
          h(
            'a',
            { href: place.url, target: '_blank', rel: 'noopener noreferrer', id: 'video-link' },
            place.url,
            h('span', { class: 'visually-hidden' }, ' ' + t('opensNewTab')),
          ),
        ],
      ];
    }
    if (place.type === 'in_person') return [[t('placeAddress'), place.address]];
    if (place.type === 'phone') return [[t('placePhone'), place.instructions]];
    return [];
  }

  tenantName() {
    const b = this.booking;
    return (b.contact && b.contact.name) || (this.shell.tenant && this.shell.tenant.name) || '';
  }

  showApproved() {
    const { t } = this;
    const b = this.booking;
    this.state = 'approved';
    this.shell.setProgress(5);
    // inside the merchant's own site there is nowhere to go back to
    const returnUrl = embedded() ? null : safeUrl(b.return_url);
    const tenant = this.tenantName();
    const enc = encodeURIComponent;
    const ics = `/api/public/bookings/${enc(b.id)}/calendar.ics?token=${enc(this.token)}`;
    const manage = `/book/manage/${enc(b.id)}?token=${enc(this.token)}`;
    const email = b.contact && b.contact.email;
    this.countdown = returnUrl ? this.returnCountdown(returnUrl, tenant) : null;
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center panel-ok', id: 'approved' },
        h('div', { class: 'big-icon big-icon-ok', 'aria-hidden': 'true' }, '✓'),
        h('h1', {}, t('approvedTitle')),
        seriesPositionLine(t, b),
        this.countdown,
        h('p', {}, t('approvedText')),
        this.summary('paid'),
        sessionsSection(this.ctx, b, this.zone),
        h(
          'div',
          { class: 'after-actions' },
          h(
            'a',
            { class: 'btn btn-secondary', href: ics, id: 'add-calendar', download: 'reserva.ics' },
            t('addToCalendar'),
          ),
          h('a', { class: 'btn btn-secondary', href: manage, id: 'manage-booking' }, t('manageBooking')),
        ),
        email
          ? h(
              'p',
              { class: 'contact', id: 'contact' },
              t('contactBusiness', { tenant: tenant || '…' }),
              ' ',
              h('a', { href: 'mailto:' + email }, email),
            )
          : null,
      ),
      { title: t('approvedTitle') },
    );
    this.shell.setActions(
      returnUrl
        ? [
            {
              label: t('backTo', { tenant: tenant || '…' }),
              primary: true,
              id: 'back-to-merchant',
              onclick: () => this.leave(returnUrl),
            },
          ]
        : [],
    );
    this.shell.announce(
      returnUrl
        ? `${t('approvedTitle')} ${t('redirectingAnnounce', { tenant: tenant || '…', n: RETURN_SECONDS })}`
        : t('approvedTitle'),
    );
  }

  // The automatic return: visible seconds, and "Quedarme aquí" to stop it. Using anything
  // else on the page (the calendar file, the booking's page, the mail link) stops it too:
  // the customer is busy here.
  returnCountdown(url, tenant) {
    const { t } = this;
    // counted against a deadline: a throttled background tab still leaves on time
    const deadline = Date.now() + RETURN_SECONDS * 1000;
    const seconds = h('strong', { id: 'return-seconds' }, String(RETURN_SECONDS));
    const text = t('redirecting', { tenant: tenant || '…', n: '\u0000' }).split('\u0000');
    const stay = h('button', { type: 'button', class: 'btn btn-link', id: 'stay-here' }, t('stayHere'));
    const box = h(
      'div',
      { class: 'return-note', id: 'return-note', dataset: { leavesAt: deadline } },
      h('p', { 'aria-live': 'off' }, text[0], seconds, text[1] || ''),
      stay,
    );
    const main = this.shell.main;
    const stop = () => {
      window.clearInterval(timer);
      main.removeEventListener('click', onUse);
      this.stopCountdown = null;
    };
    const stayHere = ({ focusBack }) => {
      stop();
      box.replaceChildren(h('p', { id: 'stayed' }, t('stayed')));
      this.shell.announce(t('stayed'));
      const back = document.getElementById('back-to-merchant');
      if (focusBack && back) back.focus();
    };
    function onUse(e) {
      if (e.target.closest('a, button') && !stay.contains(e.target)) stayHere({ focusBack: false });
    }
    const timer = window.setInterval(() => {
      const ms = deadline - Date.now();
      seconds.textContent = String(Math.max(Math.ceil(ms / 1000), 0));
      if (ms <= 0) this.leave(url);
    }, 250);
    stay.addEventListener('click', () => stayHere({ focusBack: true }));
    main.addEventListener('click', onUse);
    this.stopCountdown = stop;
    return box;
  }

  leave(url) {
    if (this.stopCountdown) this.stopCountdown();
    location.assign(url);
  }

  showDeclined(status) {
    const { t } = this;
    const b = this.booking;
    this.state = 'declined';
    this.shell.setProgress(4);
    // a late approval whose time was taken: the money came, and goes back
    const moneyTaken = status !== 'cancelled' && b.payment && b.payment.status === 'approved';
    const texts = {
      failed: ['declinedTitle', 'declinedText'],
      expired: ['expiredTitle', 'expiredText'],
      cancelled: ['cancelledTitle', null],
    };
    const [title, text] = texts[status] || texts.failed;
    const notice = h('div', { class: 'notice', role: 'alert', hidden: true });
    const retry = status !== 'cancelled' && !moneyTaken;
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center panel-bad', id: 'declined' },
        h('div', { class: 'big-icon big-icon-bad', 'aria-hidden': 'true' }, '✕'),
        h('h1', {}, t(title)),
        moneyTaken
          ? h('p', {}, t('slotLostText'))
          : status !== 'cancelled'
            ? h('p', { id: 'not-charged' }, h('strong', {}, t('notCharged')), ' ', t(text))
            : null,
        notice,
        this.summary(status === 'cancelled' ? null : moneyTaken ? 'paid' : 'not_charged'),
        sessionsSection(this.ctx, b, this.zone),
      ),
      { title: t(title) },
    );
    const buttons = retry
      ? this.shell.setActions([
          { label: t('tryAgain'), primary: true, id: 'try-again', onclick: () => again.start(buttons['try-again']) },
        ])
      : this.shell.setActions([]);
    const again = new PayAgain({
      ctx: this.ctx,
      shell: this.shell,
      link: this.link,
      booking: b,
      token: this.token,
      zone: this.zone,
      professional: this.saved && this.saved.professional === 'any' ? 'any' : b.professional.id,
      onNotice: (msg) => this.shell.notice(notice, msg),
      onClosed: () => this.poll(),
    });
    this.shell.announce(retry ? `${t(title)}. ${t('notCharged')}` : t(title));
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
