// Packages, pay first and schedule later (API.md "Admin API": Packages).
//  - packageOffer(): the link page's "Buy a package" choice (step 1 of the wizard), one card
//    per package of the link, each a link to /book/{link}?package={id};
//  - PackageBuy: that page: the customer's details, POST /api/public/purchases, then the
//    provider's checkout (which sends the customer back to the purchase page);
//  - PurchasePage: /book/purchase/{id}?token=T, linked from the mail: the package, sessions
//    used and left, the expiry, the sessions booked, and "Book a session", which opens the
//    wizard for the package's service carrying the purchase's token (no payment step).
import { h } from './dom.js';
import * as api from './api.js';
import { formatMoney, formatDateLong, formatWhen, upperFirst, zoneLabel } from './format.js';
import { validateCustomer, PREFIXES } from './validate.js';
import { loadCustomer, saveCustomer } from './store.js';
import { metadataOf } from './metadata.js';
import { showPaymentOutage } from './outage.js';

const enc = encodeURIComponent;

// Where "Book a session" goes: the wizard for the package's service, with the purchase.
export function sessionUrl(link, purchase, token) {
  return (
    `/book/${enc(link)}?service=${enc(purchase.service.id)}&purchase=${enc(purchase.id)}` +
    `&purchase_token=${enc(token)}`
  );
}

function validityText(t, days) {
  return days % 30 === 0 && days >= 60 ? t('pkgValidMonths', { n: days / 30 }) : t('pkgValidDays', { n: days });
}

// The packages of the link, as a section under the services (null when it sells none).
export function packageOffer(ctx, data, link) {
  const { t } = ctx;
  const packages = (data && data.packages) || [];
  if (!packages.length) return null;
  const list = h('ul', { class: 'cards packages', 'aria-labelledby': 'h-packages' });
  for (const p of packages) {
    const price = formatMoney(p.price, ctx.tag);
    list.append(
      h(
        'li',
        { class: 'card card-package' },
        h(
          'span',
          { class: 'card-body' },
          h('span', { class: 'card-title' }, p.name),
          h(
            'span',
            { class: 'card-desc' },
            t('pkgSessionsOf', { n: p.sessions, service: p.service ? p.service.name : '' }),
          ),
          p.description ? h('span', { class: 'card-desc' }, p.description) : null,
          h(
            'span',
            { class: 'card-meta' },
            h('span', { class: 'pill pill-strong' }, price),
            h('span', { class: 'pill' }, validityText(t, p.valid_days)),
          ),
        ),
        h(
          'a',
          {
            class: 'btn btn-secondary',
            href: `/book/${enc(link)}?package=${enc(p.id)}`,
            'aria-label': t('pkgBuyNamed', { name: p.name, price }),
          },
          t('pkgBuy'),
        ),
      ),
    );
  }
  return h(
    'section',
    { class: 'packages-offer', 'aria-labelledby': 'h-packages' },
    h('h2', { id: 'h-packages' }, t('pkgOfferTitle')),
    h('p', { class: 'hint' }, t('pkgOfferHint')),
    list,
  );
}

const FIELDS = {
  'customer.name': 'p-name',
  'customer.email': 'p-email',
  'customer.phone': 'p-phone',
  accepted_terms: 'p-terms',
};

// /book/{link}?package={id}: who buys, then the checkout.
export class PackageBuy {
  constructor(ctx, shell, link, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.link = link;
    this.packageId = params.get('package');
    this.metadata = metadataOf(params);
  }

  async start() {
    const { t } = this;
    let data;
    try {
      ({ data } = await api.getLink(this.link));
    } catch (err) {
      if (err.status === 404 || err.status === 410)
        return this.shell.linkProblem(err.status === 410 ? 'link_expired' : 'link_not_found');
      return this.shell.fatal(err, () => this.start());
    }
    this.tenant = data.tenant || {};
    this.shell.setTenant(this.tenant);
    this.pkg = (data.packages || []).find((p) => p.id === this.packageId);
    if (!this.pkg) {
      this.shell.setActions([]);
      return this.shell.render(
        h(
          'section',
          { class: 'panel panel-center' },
          h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
          h('h1', {}, t('pkgNotFound')),
          h('p', {}, h('a', { class: 'btn btn-primary', href: `/book/${enc(this.link)}` }, t('pkgBackToLink'))),
        ),
        { title: t('pkgNotFound') },
      );
    }
    const currency = this.pkg.price.currency;
    this.country = this.tenant.country || (currency === 'COP' ? 'CO' : null);
    this.show();
  }

  show() {
    const { t, ctx, pkg } = this;
    const c = loadCustomer() || {};
    const prefix = h('select', { id: 'p-prefix', 'aria-label': t('phonePrefix'), class: 'prefix' });
    for (const [code, cc] of PREFIXES)
      prefix.append(h('option', { value: code, selected: code === (c.prefix || '+57') }, `${cc} ${code}`));
    const field = (id, label, input) =>
      h(
        'div',
        { class: 'field', id: id + '-wrap' },
        h('label', { for: id }, label),
        input,
        h('p', { class: 'field-error', id: id + '-error', hidden: true }),
      );
    const input = (id, attrs) => h('input', { id, 'aria-describedby': id + '-error', ...attrs });
    let terms = [t('termsPlain')];
    if (this.tenant.terms_url) {
      const [before, after] = t('terms', { link: '\u0000' }).split('\u0000');
      terms = [
        before,
        h(
          'a',
          { href: this.tenant.terms_url, target: '_blank', rel: 'noopener noreferrer' },
          t('termsLink'),
          h('span', { class: 'visually-hidden' }, ' ' + t('opensNewTab')),
        ),
        after || '',
      ];
    }
    this.notice = h('div', { class: 'notice', role: 'alert', hidden: true });
    const form = h(
      'form',
      { id: 'purchase-form', class: 'form', novalidate: true },
      field(
        'p-name',
        t('name'),
        input('p-name', { type: 'text', autocomplete: 'name', value: c.name || '', maxlength: 200, required: true }),
      ),
      field(
        'p-email',
        t('email'),
        input('p-email', {
          type: 'email',
          autocomplete: 'email',
          inputmode: 'email',
          value: c.email || '',
          maxlength: 254,
          required: true,
        }),
      ),
      h(
        'div',
        { class: 'field', id: 'p-phone-wrap' },
        h('label', { for: 'p-phone' }, t('phone')),
        h(
          'div',
          { class: 'phone' },
          prefix,
          input('p-phone', {
            type: 'tel',
            autocomplete: 'tel-national',
            inputmode: 'tel',
            value: c.number || '',
            maxlength: 20,
            required: true,
          }),
        ),
        h('p', { class: 'field-error', id: 'p-phone-error', hidden: true }),
      ),
      h(
        'div',
        { class: 'field field-check', id: 'p-terms-wrap' },
        h(
          'div',
          { class: 'check' },
          h('input', { type: 'checkbox', id: 'p-terms', 'aria-describedby': 'p-terms-error' }),
          h('label', { for: 'p-terms' }, ...terms),
        ),
        h('p', { class: 'field-error', id: 'p-terms-error', hidden: true }),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(form);
    });
    // a corrected field loses its error at once (no new errors while typing)
    const revalidate = () => {
      if (!this.shown) return;
      const { errors } = validateCustomer(this.values(form), this.country);
      const keep = {};
      for (const k of Object.keys(this.shown)) if (errors[k]) keep[k] = this.shown[k];
      this.showErrors(form, keep, false);
    };
    form.addEventListener('input', revalidate);
    form.addEventListener('change', revalidate);
    const rows = [
      [t('service'), pkg.service ? pkg.service.name : ''],
      [t('pkgSessions'), String(pkg.sessions)],
      [t('pkgValidity'), validityText(t, pkg.valid_days)],
      [t('price'), formatMoney(pkg.price, ctx.tag)],
    ];
    this.shell.setProgress(0);
    this.shell.render(
      [
        h('h1', {}, t('pkgBuyTitle', { name: pkg.name })),
        pkg.description ? h('p', { class: 'hint' }, pkg.description) : null,
        h(
          'dl',
          { class: 'summary' },
          rows.map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))),
        ),
        h('p', {}, t('pkgHowItWorks')),
        this.notice,
        form,
      ],
      { title: t('pkgBuyTitle', { name: pkg.name }) },
    );
    this.shell.setActions([
      { label: t('back'), id: 'back', onclick: () => location.assign(`/book/${enc(this.link)}`) },
      { label: t('goPay'), primary: true, id: 'continue', form: 'purchase-form' },
    ]);
  }

  values(form) {
    return {
      name: form.querySelector('#p-name').value,
      email: form.querySelector('#p-email').value,
      prefix: form.querySelector('#p-prefix').value,
      number: form.querySelector('#p-phone').value,
      terms: form.querySelector('#p-terms').checked,
      notes: '',
    };
  }

  showErrors(form, errors, focus = true) {
    this.shown = errors;
    let first = null;
    for (const [key, id] of Object.entries(FIELDS)) {
      const msg = errors[key];
      const out = form.querySelector('#' + id + '-error');
      const el = form.querySelector('#' + id);
      out.hidden = !msg;
      out.textContent = msg ? '⚠ ' + msg : '';
      form.querySelector('#' + id + '-wrap').classList.toggle('field-invalid', !!msg);
      if (msg) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
      if (msg && !first) first = el;
    }
    if (first && focus) first.focus();
    if (!Object.keys(errors).length) this.shell.notice(this.notice, null);
  }

  async submit(form) {
    const { t } = this;
    if (this.busy) return;
    const values = this.values(form);
    const { errors, customer } = validateCustomer(values, this.country);
    const messages = {};
    for (const [k, key] of Object.entries(errors)) messages[k] = t(key);
    this.showErrors(form, messages);
    if (Object.keys(messages).length) return this.shell.notice(this.notice, t('fixFields'));
    if (this.stopOutage) this.stopOutage();
    this.busy = true;
    const button = document.getElementById('continue');
    if (button) button.disabled = true;
    let purchase;
    try {
      ({
        data: { purchase },
      } = await api.createPurchase({
        link: this.link,
        package: this.pkg.id,
        customer,
        accepted_terms: true,
        ...(this.metadata ? { metadata: this.metadata } : {}),
      }));
    } catch (err) {
      this.busy = false;
      if (button) button.disabled = false;
      if (err.code === 'validation_failed' && err.fields) {
        this.showErrors(form, err.fields);
        return this.shell.notice(this.notice, t('fixFields'));
      }
      if (err.code === 'provider_error') {
        // nothing was paid: the same purchase is asked again once the wait is over
        this.stopOutage = showPaymentOutage(this.shell, this.notice, {
          t,
          held: false,
          retry: () => this.submit(form),
        });
        return;
      }
      return this.shell.notice(this.notice, this.shell.errorText(err));
    }
    saveCustomer({ ...values, terms: false });
    this.shell.setActions([]);
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
          t('pkgToCheckout', { amount: formatMoney(this.pkg.price, this.ctx.tag) }),
        ),
        h('a', { class: 'btn btn-primary', href: purchase.payment.checkout_url, id: 'go-checkout' }, t('goToCheckout')),
      ),
      { title: t('payment') },
    );
    window.setTimeout(() => location.assign(purchase.payment.checkout_url), 900);
  }
}

// /book/purchase/{id}?token=T: the purchase's own page.
export class PurchasePage {
  constructor(ctx, shell, id, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.id = id;
    this.token = params.get('token');
    // back from the checkout (Wompi's ?id=, the others' ?return=1): the server asks the provider
    this.back = params.get('id') || params.get('return');
    this.polls = 0;
  }

  async start() {
    this.shell.setProgress(0);
    this.shell.setActions([]);
    if (!this.id || !this.token) return this.notFound();
    let data;
    try {
      ({ data } = await api.getPurchase(this.id, this.token, this.back));
    } catch (err) {
      if (err.status === 404) return this.notFound();
      return this.shell.fatal(err, () => this.start());
    }
    this.back = null;
    this.purchase = data.purchase;
    if (data.tenant) this.shell.setTenant(data.tenant);
    this.show();
    // a payment on its way: look again for a while (the webhook usually lands in seconds)
    if (this.purchase.status === 'pending_payment' && this.polls++ < 20) {
      window.setTimeout(() => this.start(), 3000);
    }
  }

  notFound() {
    const { t } = this;
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '?'),
        h('h1', {}, t('pkgPurchaseNotFound')),
      ),
      { title: t('pkgPurchaseNotFound') },
    );
  }

  show() {
    const { t, ctx } = this;
    const p = this.purchase;
    const zone = ctx.zone;
    const active = p.status === 'paid';
    const state =
      {
        paid: t('pkgStatusPaid'),
        pending_payment: t('pkgStatusPending'),
        failed: t('pkgStatusFailed'),
        expired: t('pkgStatusExpired'),
      }[p.status] || p.status;
    const rows = [
      [t('service'), p.service.name],
      [t('pkgSessionsLeft'), t('pkgLeftOf', { left: p.sessions_left, total: p.sessions_total })],
      [t('pkgSessionsUsed'), String(p.sessions_used)],
      [
        t('pkgValidUntil'),
        p.expires_at ? upperFirst(formatDateLong(p.expires_at, zone, ctx.tag)) : t('pkgAfterPayment'),
      ],
    ];
    const canBook = active && p.sessions_left > 0 && p.link;
    const list = h('ul', { class: 'sessions', id: 'sessions' });
    for (const b of p.bookings || []) {
      const status =
        {
          paid: t('pkgBookingBooked'),
          confirmed: t('pkgBookingBooked'),
          cancelled: b.session_returned ? t('pkgBookingReturned') : t('pkgBookingCancelled'),
        }[b.status] || b.status;
      list.append(
        h(
          'li',
          { class: 'session session-' + b.status },
          h('span', { class: 'session-when' }, formatWhen(b.start, zone, ctx.tag)),
          h('span', { class: 'session-status' }, status),
        ),
      );
    }
    this.shell.render(
      [
        h(
          'section',
          { class: 'panel panel-center' + (active ? ' panel-ok' : '') },
          h(
            'div',
            { class: 'big-icon' + (active ? ' big-icon-ok' : ''), 'aria-hidden': 'true' },
            active ? '✓' : p.status === 'pending_payment' ? '…' : '!',
          ),
          h('h1', {}, p.package.name),
          h('p', { role: 'status', id: 'purchase-status' }, state),
          h(
            'dl',
            { class: 'summary' },
            rows.map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))),
          ),
          canBook
            ? h(
                'p',
                {},
                h(
                  'a',
                  { class: 'btn btn-primary', id: 'book-session', href: sessionUrl(p.link, p, this.token) },
                  t('pkgBookSession'),
                ),
              )
            : null,
          active && p.sessions_left === 0 ? h('p', { class: 'hint' }, t('pkgAllBooked')) : null,
          h('p', { class: 'hint' }, t('timesIn', { zone: zoneLabel(zone, ctx.tag) })),
        ),
        h(
          'section',
          { class: 'panel', 'aria-labelledby': 'h-sessions' },
          h('h2', { id: 'h-sessions' }, t('pkgYourSessions')),
          (p.bookings || []).length ? list : h('p', { class: 'hint' }, t('pkgNoSessions')),
        ),
      ],
      { title: p.package.name },
    );
  }
}
