// The booking steps: 1 service and professional, 2 date and time (holding the slot),
// 3 details, 4 payment (hand-over to the provider's checkout).
import { chargeOf, chargeSummary, isFreeCharge } from './charge.js';
import { emit, embedded, keepEmbedded } from './frame.js';
import { h, clear, nextId } from './dom.js';
import * as api from './api.js';
import {
  formatMoney,
  formatTime,
  formatDuration,
  formatCountdown,
  formatDateTimeLong,
  isValidZone,
  dayKey,
} from './format.js';
import { TimeStep } from './timestep.js';
import { validateCustomer, splitPhone, PREFIXES } from './validate.js';
import { saveBooking, loadCustomer, saveCustomer } from './store.js';
import { packageOffer } from './packages.js';
import { metadataOf } from './metadata.js';
import { showPaymentOutage } from './outage.js';

const FIELD_IDS = {
  'customer.name': 'f-name',
  'customer.email': 'f-email',
  'customer.phone': 'f-phone',
  accepted_terms: 'f-terms',
  notes: 'f-notes',
};

// Where the appointment takes place, as the customer sees it before booking (a video call's
// link arrives with the confirmation).
function placeLine(t, place) {
  if (!place) return null;
  const text =
    place.type === 'in_person'
      ? `${t('placeAddress')}: ${place.address}`
      : place.type === 'phone'
        ? `${t('placePhone')}: ${place.instructions}`
        : place.type === 'video'
          ? t('placeVideoLater')
          : null;
  return text ? h('p', { class: 'hold-place', id: 'hold-place' }, text) : null;
}

export class Wizard {
  constructor(ctx, shell, link, params) {
    this.ctx = ctx;
    this.shell = shell;
    this.link = link;
    this.params = params;
    this.t = ctx.t;
    // packages: a session of a purchase (the purchase page's "Book a session"): its token
    // goes with the booking instead of a payment, and only the package's service is offered
    this.purchase = params.get('purchase_token')
      ? { id: params.get('purchase'), token: params.get('purchase_token') }
      : null;
    this.s = {
      step: 1,
      serviceId: null,
      professionalId: null,
      zone: ctx.zone,
      slots: null,
      day: null,
      hold: null,
      holdExpired: false,
      busy: false,
      customer: loadCustomer() || { name: '', email: '', prefix: '', number: '', notes: '', terms: false },
    };
    this.time = new TimeStep({
      ctx,
      shell,
      link,
      s: this.s,
      professionalName: (id) => this.teamNames(this.service()) || (this.professional(id) || {}).name || null,
      series: () => (this.service() || {}).series || null,
      active: () => this.s.step === 2,
      onChange: () => this.updateTimeActions(),
      onRanOut: () => {
        if (this.s.step === 2) this.updateTimeActions();
        else if (this.s.step === 3) this.showHoldExpired();
      },
    });
  }

  async start() {
    this.showSkeleton();
    // a customer signed in to this business's portal: asked beside the link, never waited for
    const known = this.purchase
      ? null
      : api.portalDetails().then(
          ({ data }) => data,
          () => null,
        );
    let data;
    try {
      ({ data } = await api.getLink(this.link));
    } catch (err) {
      if (err.code === 'link_expired' || err.code === 'link_not_found' || err.status === 404 || err.status === 410) {
        this.shell.linkProblem(err.status === 410 ? 'link_expired' : err.code);
      } else {
        this.shell.fatal(err, () => this.start());
      }
      return;
    }
    this.data = data;
    if (this.purchase) {
      this.data.services = (data.services || []).filter((x) => x.id === this.params.get('service'));
      await this.customerFromPurchase();
    }
    this.tenant = data.tenant || {};
    this.shell.setTenant(this.tenant);
    this.country = this.tenant.country || (this.currency() === 'COP' ? 'CO' : null);
    if (!this.s.customer.prefix) this.s.customer.prefix = this.country === 'CO' || !this.country ? '+57' : '+1';
    if (!this.purchase) this.prefillFromLink();
    if (known) known.then((details) => this.prefillFromPortal(details));
    this.preselect();
    window.addEventListener('popstate', (e) => this.onPopState(e));
    window.addEventListener('pagehide', () => this.releaseOnLeave());
    const wantTime = this.params.get('step') === 'time' && this.s.serviceId && this.s.professionalId;
    history.replaceState({ step: 1 }, '');
    if (this.params.get('start') && this.s.serviceId && this.s.professionalId)
      await this.holdPicked(this.params.get('start'));
    else if (wantTime) this.goTo(2);
    else this.showService();
  }

  // While the link loads: the first step's shape (grey cards where services and
  // professionals will be) instead of a bare spinner; said once as "Cargando…" to screen
  // readers, the shapes themselves hidden from them.
  showSkeleton() {
    const { t } = this;
    const card = (cls) =>
      h(
        'div',
        { class: 'card skeleton-card ' + cls },
        h('span', { class: 'skeleton skeleton-title' }),
        h('span', { class: 'skeleton skeleton-line' }),
        h('span', { class: 'skeleton skeleton-line skeleton-short' }),
      );
    this.shell.render(
      [
        h('h1', { id: 'h-service' }, t('chooseService')),
        h('p', { class: 'visually-hidden', role: 'status' }, t('loading')),
        h('div', { class: 'cards skeleton-cards', 'aria-hidden': 'true' }, card(''), card(''), card('')),
        h(
          'div',
          { class: 'cards cards-compact skeleton-cards', 'aria-hidden': 'true' },
          card('skeleton-pro'),
          card('skeleton-pro'),
        ),
      ],
      { title: t('chooseService'), focus: false },
    );
  }

  // A link may carry the customer's details (?name=&email=&phone=, from the merchant's own
  // site): they fill the details form, which the customer still reviews and sends. They
  // leave the address bar at once, so that they are neither bookmarked nor shared.
  prefillFromLink() {
    const c = this.s.customer;
    const given = (k) => (this.params.get(k) || '').trim();
    this.linkEmail = given('email');
    if (given('name') && !c.name) c.name = given('name').slice(0, 200);
    if (given('email') && !c.email) c.email = given('email').slice(0, 254);
    const phone = splitPhone(given('phone'));
    if (phone.number && !c.number) {
      if (phone.prefix) c.prefix = phone.prefix;
      c.number = phone.number.slice(0, 20);
    }
    const url = new URL(location.href);
    if (['name', 'email', 'phone'].some((k) => url.searchParams.has(k))) {
      for (const k of ['name', 'email', 'phone']) url.searchParams.delete(k);
      history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    }
  }

  // A customer signed in to this business's portal (GET /api/public/me/details: their details
  // as they last gave them here) finds the form filled, as a link's parameters fill it, to
  // review and send themselves; the link's parameters win, field by field, and a link that
  // names another address is another person: nothing of the portal's is taken then.
  prefillFromPortal(details) {
    if (!details) return;
    const c = this.s.customer;
    const email = details.email || '';
    if (this.linkEmail && this.linkEmail.toLowerCase() !== email.toLowerCase()) return;
    const phone = splitPhone(details.phone);
    const fill = { name: !c.name && details.name, email: !c.email && email, phone: !c.number && phone.number };
    if (fill.name) c.name = details.name.slice(0, 200);
    if (fill.email) c.email = email.slice(0, 254);
    if (fill.phone) {
      if (phone.prefix) c.prefix = phone.prefix;
      c.number = phone.number.slice(0, 20);
    }
    if (!fill.name && !fill.email && !fill.phone) return;
    this.knownCustomer = true;
    // the details step already on screen (a slow answer): its empty fields take them too
    const form = document.getElementById('details-form');
    if (!form) return;
    const set = (id, value) => {
      const el = form.querySelector('#' + id);
      if (el && !el.value) el.value = value;
    };
    if (fill.name) set('f-name', c.name);
    if (fill.email) set('f-email', c.email);
    if (fill.phone) {
      set('f-phone', c.number);
      form.querySelector('#f-prefix').value = c.prefix;
    }
  }

  byDayHas(start) {
    return !!(this.time.byDay && this.time.byDay.has(dayKey(start, this.s.zone)));
  }

  // A slot picked in the assistant (?start=): the time step opens on it and holds it, then
  // the details follow, as if the customer had clicked it here.
  async holdPicked(start) {
    this.goTo(2);
    await this.showing;
    if (!this.s.slots) return; // the time step said why (link gone, network)
    // beyond the days the step shows, the hold itself judges the time
    const slot = this.s.slots.find((sl) => sl.start === start) || { start };
    if (this.byDayHas(slot.start)) {
      this.s.day = dayKey(slot.start, this.s.zone);
      this.time.renderDays();
    }
    await this.time.pick(slot); // taken meanwhile: the step says so, shows the others
    if (this.s.hold && this.s.hold.start === start) this.goTo(3);
  }

  // A package's session is booked by the person who bought it: their details come from the
  // purchase (read with its token), never from browser storage.
  async customerFromPurchase() {
    if (this.s.customer.email) return;
    try {
      const { data } = await api.getPurchase(this.purchase.id, this.purchase.token);
      const purchase = data && data.purchase;
      const c = (purchase && purchase.customer) || {};
      const { prefix, number } = splitPhone(c.phone);
      Object.assign(this.s.customer, { name: c.name || '', email: c.email || '', prefix, number });
    } catch (err) {
      /* the form stays empty: the customer types their details */
    }
  }

  currency() {
    const s = (this.data.services || [])[0];
    return s && s.price ? s.price.currency : null;
  }

  service() {
    return (this.data.services || []).find((x) => x.id === this.s.serviceId) || null;
  }

  professional(id) {
    return (this.data.professionals || []).find((p) => p.id === id) || null;
  }

  professionalsOf(service) {
    if (!service) return [];
    const ids = service.professional_ids || [];
    return (this.data.professionals || []).filter((p) => ids.includes(p.id));
  }

  // Link preselections, a "try again" (?service=&professional=), or the only choice.
  preselect() {
    const pre = (this.data.link && this.data.link.preselected) || {};
    const services = this.data.services || [];
    const wantService = pre.service || this.params.get('service');
    if (wantService && services.some((x) => x.id === wantService)) this.s.serviceId = wantService;
    else if (services.length === 1) this.s.serviceId = services[0].id;
    this.defaultProfessional(pre.professional || this.params.get('professional'));
    const tz = this.params.get('tz');
    if (tz && isValidZone(tz)) this.s.zone = tz;
    this.presetSeries();
  }

  // A series picked in the assistant (?repeat=&count=): that many sessions, when the service
  // is booked as that series and the count is one it allows; else the time step's own choice.
  presetSeries() {
    const series = (this.service() || {}).series;
    const count = Number(this.params.get('count'));
    if (series && this.params.get('repeat') === series.every && count >= series.min && count <= series.max)
      this.s.count = count;
  }

  // A team's members, as one name ("Ana, Beto, Carla"), or null for a service of one.
  teamNames(svc) {
    return svc && svc.team
      ? this.professionalsOf(svc)
          .map((p) => p.name)
          .join(', ')
      : null;
  }

  defaultProfessional(wanted) {
    const svc = this.service();
    const pros = this.professionalsOf(svc);
    if (svc && svc.team) {
      // a team is booked whole: nobody to choose
      this.s.professionalId = 'any';
    } else if (wanted && (wanted === 'any' ? pros.length > 1 : pros.some((p) => p.id === wanted))) {
      this.s.professionalId = wanted;
    } else if (pros.length === 1) {
      this.s.professionalId = pros[0].id;
    } else if (pros.length > 1) {
      this.s.professionalId = 'any';
    } else {
      this.s.professionalId = null;
    }
  }

  goTo(step, { push = true } = {}) {
    if (push && step !== this.s.step) history.pushState({ step }, '');
    this.s.step = step;
    if (step === 1) this.showService();
    else if (step === 2) this.showTime();
    else if (step === 3) this.showDetails();
  }

  onPopState(e) {
    const step = (e.state && e.state.step) || 1;
    if (this.s.step === 4) return; // on the way to the checkout: stay
    if (step >= 2 && !(this.s.serviceId && this.s.professionalId)) return this.goTo(1, { push: false });
    if (step === 3 && !this.s.hold) return this.goTo(2, { push: false });
    return this.goTo(step, { push: false });
  }

  // ------------------------------------------------------------------ step 1

  showService() {
    const { t } = this;
    this.s.step = 1;
    if (this.s.hold) this.time.release();
    this.shell.setProgress(1);
    const services = this.data.services || [];
    const fixedService = !!(this.data.link && this.data.link.preselected && this.data.link.preselected.service);
    const list = h('div', { class: 'cards', role: 'radiogroup', 'aria-labelledby': 'h-service' });
    for (const svc of services) list.append(this.serviceCard(svc, services.length === 1 || fixedService));
    this.proSection = h('section', { class: 'pros', 'aria-labelledby': 'h-pro' });
    this.shell.render(
      [
        h('h1', { id: 'h-service' }, t('chooseService')),
        this.purchase ? null : this.askEntry(),
        fixedService ? h('p', { class: 'hint' }, t('fixedByLink')) : null,
        list,
        this.proSection,
        this.purchase ? null : packageOffer(this.ctx, this.data, this.link),
      ],
      { title: t('chooseService') },
    );
    this.renderProfessionals();
    this.updateServiceActions();
  }

  // The booking assistant's door: the same link, in words instead of clicks.
  askEntry() {
    const { t } = this;
    return h(
      'p',
      { class: 'ask-entry' },
      h(
        'a',
        {
          class: 'btn btn-secondary ask-entry-btn',
          id: 'ask-entry',
          href: `/book/${encodeURIComponent(this.link)}/assistant`,
        },
        h('span', { class: 'ask-icon', 'aria-hidden': 'true' }, '?'),
        t('askEntry'),
      ),
      h('span', { class: 'hint' }, t('askEntryHint')),
    );
  }

  serviceCard(svc, only) {
    const { t, ctx } = this;
    const id = nextId('svc');
    const charge = chargeOf(svc);
    let chargeText;
    if (isFreeCharge(charge)) chargeText = t('freeNoPayment');
    else if (charge.type === 'partial') chargeText = t('payNowDeposit', { amount: formatMoney(charge, ctx.tag) });
    else chargeText = t('payNowTotal', { amount: formatMoney(charge, ctx.tag) });
    const priceText = !svc.price || !svc.price.amount ? t('free') : formatMoney(svc.price, ctx.tag);
    const input = h('input', {
      type: 'radio',
      name: 'service',
      value: svc.id,
      id,
      class: 'card-input',
      checked: this.s.serviceId === svc.id,
      'aria-describedby': id + '-d',
    });
    input.addEventListener('change', () => {
      this.s.serviceId = svc.id;
      this.defaultProfessional(this.s.professionalId);
      this.renderProfessionals();
      this.updateServiceActions();
    });
    // a group class: each customer books one of its places
    const group = svc.team
      ? t('teamOf', { n: this.professionalsOf(svc).length })
      : svc.capacity > 1
        ? t('groupClass', { n: svc.capacity })
        : null;
    return h(
      'label',
      { class: 'card', for: id },
      input,
      svc.image_url ? h('img', { class: 'card-img', src: svc.image_url, alt: '', loading: 'lazy' }) : null,
      h(
        'span',
        { class: 'card-body' },
        h('span', { class: 'card-title' }, svc.name),
        h(
          'span',
          { class: 'card-desc', id: id + '-d' },
          svc.description || '',
          h(
            'span',
            { class: 'visually-hidden' },
            `. ${t('duration')}: ${formatDuration(svc.duration_minutes, t)}. ${t('price')}: ${priceText}. ${chargeText}.` +
              (group ? ` ${group}.` : ''),
          ),
        ),
        h(
          'span',
          { class: 'card-meta', 'aria-hidden': 'true' },
          h('span', { class: 'pill' }, formatDuration(svc.duration_minutes, t)),
          group ? h('span', { class: 'pill' }, group) : null,
          h('span', { class: 'pill pill-strong' }, priceText),
        ),
        h('span', { class: 'card-charge', 'aria-hidden': 'true' }, chargeText),
      ),
      h('span', { class: 'card-check', 'aria-hidden': 'true' }, '✓'),
    );
  }

  renderProfessionals() {
    const { t } = this;
    clear(this.proSection);
    const svc = this.service();
    if (!svc) return;
    const pros = this.professionalsOf(svc);
    if (svc.team) {
      // the whole team, listed: the appointment is with all of them
      this.proSection.append(
        h('h2', { id: 'h-pro' }, t('withTeam')),
        h('p', { class: 'hint' }, t('withTeamHint')),
        h(
          'ul',
          { class: 'cards cards-compact', 'aria-labelledby': 'h-pro' },
          pros.map((p) =>
            h(
              'li',
              { class: 'card card-row' },
              p.photo_url ? h('img', { class: 'avatar', src: p.photo_url, alt: '', loading: 'lazy' }) : null,
              h('span', { class: 'card-body' }, h('span', { class: 'card-title' }, p.name)),
            ),
          ),
        ),
      );
      return;
    }
    const fixedPro = !!(this.data.link && this.data.link.preselected && this.data.link.preselected.professional);
    const group = h('div', { class: 'cards cards-compact', role: 'radiogroup', 'aria-labelledby': 'h-pro' });
    const option = (value, title, desc, photo) => {
      const id = nextId('pro');
      const input = h('input', {
        type: 'radio',
        name: 'professional',
        value,
        id,
        class: 'card-input',
        checked: this.s.professionalId === value,
      });
      input.addEventListener('change', () => {
        this.s.professionalId = value;
        this.updateServiceActions();
      });
      const avatar = photo
        ? h('img', { class: 'avatar', src: photo, alt: '', loading: 'lazy' })
        : h(
            'span',
            { class: 'avatar avatar-initials', 'aria-hidden': 'true' },
            value === 'any' ? '★' : initials(title),
          );
      return h(
        'label',
        { class: 'card card-row', for: id },
        input,
        avatar,
        h(
          'span',
          { class: 'card-body' },
          h('span', { class: 'card-title' }, title),
          desc ? h('span', { class: 'card-desc' }, desc) : null,
        ),
        h('span', { class: 'card-check', 'aria-hidden': 'true' }, '✓'),
      );
    };
    if (pros.length > 1) group.append(option('any', t('anyProfessional'), t('anyProfessionalHint'), null));
    for (const p of pros) group.append(option(p.id, p.name, p.description, p.photo_url));
    this.proSection.append(h('h2', { id: 'h-pro' }, t('chooseProfessional')));
    if (fixedPro) this.proSection.append(h('p', { class: 'hint' }, t('fixedByLink')));
    this.proSection.append(group);
  }

  updateServiceActions() {
    const ready = !!(this.s.serviceId && this.s.professionalId);
    this.shell.setActions([
      { label: this.t('continue'), primary: true, disabled: !ready, id: 'continue', onclick: () => this.goTo(2) },
    ]);
  }

  // ------------------------------------------------------------------ step 2

  showTime() {
    const { t } = this;
    this.s.step = 2;
    this.shell.setProgress(2);
    this.shell.render(
      [h('h1', {}, t('chooseTime')), this.summaryLine(), ...this.time.mount({ groupLabel: t('chooseTime') })],
      { title: t('chooseTime') },
    );
    if (this.s.holdExpired) {
      this.time.notice(t('holdExpired'), { kind: 'error' });
      this.s.holdExpired = false;
    }
    this.updateTimeActions();
    this.showing = this.time.start();
  }

  summaryLine() {
    const svc = this.service();
    const pro = this.s.professionalId === 'any' ? null : this.professional(this.s.professionalId);
    const team = this.teamNames(svc);
    return h(
      'p',
      { class: 'summary-line' },
      svc ? svc.name : '',
      team
        ? ' · ' + this.t('with', { name: team })
        : pro
          ? ' · ' + this.t('with', { name: pro.name })
          : this.s.professionalId === 'any'
            ? ' · ' + this.t('anyProfessional')
            : '',
    );
  }

  showHoldExpired() {
    const { t } = this;
    this.shell.setActions([{ label: t('pickAgain'), primary: true, id: 'pick-again', onclick: () => this.goTo(2) }]);
    const box = h(
      'div',
      { class: 'panel panel-warn', role: 'alert', id: 'hold-expired' },
      h('p', {}, t('holdExpired')),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => this.goTo(2) }, t('pickAgain')),
    );
    const main = this.shell.main;
    const old = main.querySelector('#hold-expired');
    if (old) old.remove();
    main.insertBefore(box, main.firstChild.nextSibling);
    for (const el of main.querySelectorAll('.hold')) el.hidden = true;
    const form = main.querySelector('form');
    if (form) for (const el of form.elements) el.disabled = true;
    box.querySelector('button').focus();
  }

  // Leaving the page with a hold and no booking: give the slot back.
  releaseOnLeave() {
    const hold = this.s.hold;
    if (!hold || this.s.step === 4) return;
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

  updateTimeActions() {
    const hold = this.s.hold;
    const note = hold
      ? h(
          'p',
          { class: 'actions-note' },
          h('span', { class: 'clock', 'aria-hidden': 'true' }),
          formatTime(hold.start, this.s.zone, this.ctx.tag),
          ' · ',
          this.t('heldFor', { time: '' }),
          h(
            'strong',
            { class: 'hold-time', role: 'timer', 'aria-live': 'off' },
            formatCountdown(hold.deadline - Date.now()),
          ),
        )
      : null;
    this.shell.setActions(
      [
        { label: this.t('back'), id: 'back', onclick: () => this.goTo(1) },
        { label: this.t('continue'), primary: true, id: 'continue', disabled: !hold, onclick: () => this.goTo(3) },
      ],
      note,
    );
  }

  // ------------------------------------------------------------------ step 3

  showDetails() {
    const { t } = this;
    if (!this.s.hold) return this.goTo(2, { push: false });
    this.s.step = 3;
    this.shell.setProgress(3);
    const c = this.s.customer;
    this.detailsNotice = h('div', { class: 'notice', role: 'alert', hidden: true });
    const field = (id, labelText, input, extra) =>
      h(
        'div',
        { class: 'field', id: id + '-wrap' },
        h('label', { for: id }, labelText),
        input,
        extra || null,
        h('p', { class: 'field-error', id: id + '-error', hidden: true }),
      );
    const input = (id, attrs) => h('input', { id, 'aria-describedby': id + '-error', ...attrs });
    const prefix = h('select', { id: 'f-prefix', 'aria-label': t('phonePrefix'), class: 'prefix' });
    for (const [code, cc] of PREFIXES)
      prefix.append(h('option', { value: code, selected: code === c.prefix }, `${cc} ${code}`));
    if (this.country === 'CO' && !c.prefix) prefix.value = '+57';
    const terms = h('input', {
      type: 'checkbox',
      id: 'f-terms',
      checked: c.terms,
      'aria-describedby': 'f-terms-error',
    });
    const termsLabel = this.tenant.terms_url
      ? h(
          'label',
          { for: 'f-terms' },
          ...splitLink(
            t('terms', { link: '\u0000' }),
            h(
              'a',
              { href: this.tenant.terms_url, target: '_blank', rel: 'noopener noreferrer' },
              t('termsLink'),
              h('span', { class: 'visually-hidden' }, ' ' + t('opensNewTab')),
            ),
          ),
        )
      : h('label', { for: 'f-terms' }, t('termsPlain'));
    const termsField = this.purchase
      ? null // accepted when the package was bought
      : h(
          'div',
          { class: 'field field-check', id: 'f-terms-wrap' },
          h('div', { class: 'check' }, terms, termsLabel),
          h('p', { class: 'field-error', id: 'f-terms-error', hidden: true }),
        );
    const form = h(
      'form',
      { id: 'details-form', novalidate: true, class: 'form' },
      field(
        'f-name',
        t('name'),
        input('f-name', {
          type: 'text',
          name: 'name',
          autocomplete: 'name',
          value: c.name,
          maxlength: 200,
          required: true,
        }),
      ),
      field(
        'f-email',
        t('email'),
        input('f-email', {
          type: 'email',
          name: 'email',
          autocomplete: 'email',
          inputmode: 'email',
          value: c.email,
          maxlength: 254,
          required: true,
        }),
      ),
      h(
        'div',
        { class: 'field', id: 'f-phone-wrap' },
        h('label', { for: 'f-phone' }, t('phone')),
        h(
          'div',
          { class: 'phone' },
          prefix,
          input('f-phone', {
            type: 'tel',
            name: 'phone',
            autocomplete: 'tel-national',
            inputmode: 'tel',
            value: c.number,
            maxlength: 20,
            required: true,
          }),
        ),
        h('p', { class: 'field-error', id: 'f-phone-error', hidden: true }),
      ),
      field(
        'f-notes',
        t('notes'),
        h(
          'textarea',
          { id: 'f-notes', name: 'notes', rows: 2, maxlength: 1000, 'aria-describedby': 'f-notes-error' },
          c.notes || '',
        ),
      ),
      termsField,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitDetails(form);
    });
    // A corrected field loses its error as soon as it is valid again.
    form.addEventListener('input', () => this.revalidate(form));
    form.addEventListener('change', () => this.revalidate(form));
    const hold = this.s.hold;
    const svc = this.service();
    const pro = this.professional(hold.professional);
    const who = this.teamNames(svc) || (pro && pro.name);
    this.shell.render(
      [
        h('h1', {}, t('yourDetails')),
        h(
          'div',
          { class: 'hold hold-compact', role: 'status' },
          h(
            'p',
            { class: 'hold-when' },
            svc.name,
            ' · ',
            formatDateTimeLong(hold.start, this.s.zone, this.ctx.tag),
            who ? ' · ' + t('with', { name: who }) : '',
          ),
          placeLine(t, svc.location),
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
        ),
        this.purchase
          ? h('p', { class: 'notice notice-info', id: 'package-session' }, t('pkgSessionNote'))
          : chargeSummary(this.ctx, svc, this.tenant.policy, { id: 'pay-summary' }),
        this.detailsNotice,
        this.knownCustomer ? h('p', { class: 'hint', id: 'known-customer' }, t('knownCustomer')) : null,
        form,
      ],
      { title: t('yourDetails') },
    );
    const free = this.isFree();
    this.shell.setActions([
      { label: t('back'), id: 'back', onclick: () => this.goTo(2) },
      { label: free ? t('confirmFree') : t('goPay'), primary: true, id: 'continue', form: 'details-form' },
    ]);
  }

  isFree() {
    if (this.purchase) return true;
    const svc = this.service();
    return !svc || !svc.charge || isFreeCharge(svc.charge);
  }

  readForm(form) {
    const v = {
      name: form.querySelector('#f-name').value,
      email: form.querySelector('#f-email').value,
      prefix: form.querySelector('#f-prefix').value,
      number: form.querySelector('#f-phone').value,
      notes: form.querySelector('#f-notes').value,
      terms: this.purchase ? true : form.querySelector('#f-terms').checked,
    };
    this.s.customer = v;
    return v;
  }

  showFieldErrors(form, errors, { focus = true } = {}) {
    let first = null;
    for (const [field, id] of Object.entries(FIELD_IDS)) {
      const msg = errors[field];
      const el = form.querySelector('#' + id);
      const out = form.querySelector('#' + id + '-error');
      const wrap = form.querySelector('#' + id + '-wrap');
      if (!el || !out) continue;
      out.hidden = !msg;
      out.textContent = msg ? '⚠ ' + msg : '';
      wrap.classList.toggle('field-invalid', !!msg);
      if (msg) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
      if (msg && !first) first = el;
    }
    if (first && focus) first.focus();
    return first;
  }

  revalidate(form) {
    if (!this.shownErrors) return;
    const { errors } = validateCustomer(this.readForm(form), this.country);
    // Only clear fixed fields; never add new errors while the customer is typing.
    const keep = {};
    for (const k of Object.keys(this.shownErrors)) if (errors[k]) keep[k] = this.shownErrors[k];
    this.shownErrors = keep;
    this.showFieldErrors(form, keep, { focus: false });
    if (!Object.keys(keep).length) this.shell.notice(this.detailsNotice, null);
  }

  async submitDetails(form) {
    const { t } = this;
    if (this.s.busy || !this.s.hold) return;
    const values = this.readForm(form);
    const { errors, customer } = validateCustomer(values, this.country);
    const messages = {};
    for (const [k, key] of Object.entries(errors)) messages[k] = t(key);
    this.shownErrors = messages;
    if (Object.keys(messages).length) {
      this.shell.notice(this.detailsNotice, t('fixFields'));
      this.showFieldErrors(form, messages);
      return;
    }
    if (this.stopOutage) this.stopOutage();
    this.shell.notice(this.detailsNotice, null);
    this.s.busy = true;
    const button = document.getElementById('continue');
    if (button) button.disabled = true;
    // timezone: the zone the times were shown in, so the confirmation mail says them so
    const body = { hold_token: this.s.hold.token, customer, accepted_terms: true, timezone: this.s.zone };
    if (values.notes.trim()) body.notes = values.notes.trim();
    const metadata = metadataOf(this.params);
    if (metadata) body.metadata = metadata;
    if (this.purchase) {
      body.purchase_token = this.purchase.token;
      delete body.accepted_terms;
    }
    let booking;
    try {
      ({
        data: { booking },
      } = await api.createBooking(body));
    } catch (err) {
      this.s.busy = false;
      if (button) button.disabled = false;
      if (err.code === 'hold_expired') {
        this.s.hold = null;
        return this.showHoldExpired();
      }
      if (err.code === 'validation_failed' && err.fields) {
        this.shownErrors = err.fields;
        this.shell.notice(this.detailsNotice, t('fixFields'));
        this.showFieldErrors(form, err.fields);
        return;
      }
      if (err.code === 'provider_error') {
        // the hold is kept: the same details are sent again once the wait is over
        this.stopOutage = showPaymentOutage(this.shell, this.detailsNotice, {
          t,
          held: true,
          retry: () => this.submitDetails(form),
        });
        return;
      }
      this.shell.notice(this.detailsNotice, this.shell.errorText(err));
      return;
    }
    saveCustomer({ ...values, terms: false });
    this.s.hold = null; // the hold became the booking
    this.time.stop();
    saveBooking({
      link: this.link,
      id: booking.id,
      token: booking.token,
      zone: this.s.zone,
      service: this.s.serviceId,
      professional: this.s.professionalId,
      tenant: this.tenant,
      checkoutAt: Date.now(),
    });
    const confirmation = keepEmbedded(
      `/book/${encodeURIComponent(this.link)}/confirmation?booking=${encodeURIComponent(booking.id)}&token=${encodeURIComponent(booking.token)}`,
    );
    emit('booking_created', { booking_id: booking.id, reference: booking.payment && booking.payment.reference });
    if (booking.payment && booking.payment.checkout_url) {
      this.showPayment(booking, confirmation);
    } else {
      location.assign(confirmation);
    }
  }

  // ------------------------------------------------------------------ step 4

  showPayment(booking, confirmation) {
    const { t, ctx } = this;
    this.s.step = 4;
    this.shell.setProgress(4);
    this.shell.setActions([]);
    const url = booking.payment.checkout_url;
    const provider = providerName(booking.payment.provider);
    const amount = booking.charge ? formatMoney(booking.charge, ctx.tag) : '';
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('h1', {}, t('payment')),
        h(
          'p',
          { role: 'status' },
          h('span', { class: 'spinner', 'aria-hidden': 'true' }),
          ' ',
          t('toCheckout', { provider, amount }),
        ),
        h(
          'a',
          { class: 'btn btn-primary', href: url, id: 'go-checkout', ...this.checkoutTarget(booking, confirmation) },
          t('goToCheckout'),
        ),
      ),
      { title: t('payment') },
    );
    const paying = { booking_id: booking.id, reference: booking.payment.reference };
    // Inside a merchant's site the checkout (which refuses frames) opens in its own window,
    // by the customer's click; this frame follows the booking on its confirmation page.
    if (embedded()) return;
    emit('payment_started', paying);
    window.setTimeout(() => location.assign(url), 900);
  }

  checkoutTarget(booking, confirmation) {
    if (!embedded()) return {};
    return {
      target: '_blank',
      rel: 'noopener',
      onclick: () => {
        emit('payment_started', { booking_id: booking.id, reference: booking.payment.reference });
        window.setTimeout(() => location.assign(confirmation), 300);
      },
    };
  }
}

function initials(name) {
  return String(name || '?')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => Array.from(w)[0].toUpperCase())
    .join('');
}

function providerName(p) {
  return { wompi: 'Wompi', stripe: 'Stripe', mercadopago: 'Mercado Pago', airwallex: 'Airwallex' }[p] || p || '';
}

// "Acepto los \0" + link element -> ["Acepto los ", link, ""].
function splitLink(text, link) {
  const [before, after] = text.split('\u0000');
  return [before, link, after || ''];
}
