// The customer's portal on the business's host (API.md "Customer portal"): /book/me asks for a
// sign-in link by mail; /book/me?token=T (the mail's link) opens a session kept in an HttpOnly
// cookie of this host and takes the token out of the address. Signed in, the customer sees
// upcoming and past bookings in two tabs, each with what the business's policy still allows:
// cancel here (the booking's own manage endpoint, with the token of its manage page), change
// the time on its manage page (straight at its date and time step), add it to a calendar while
// it is to come, its receipt, and book again; what the policy closed is said with the
// business's phone and address (contact.js, as the booking's page says it); below, the
// reminders and language they want, and their data: a download of all of it, and a request to
// erase it. /book/unsubscribe?token=U is the page a reminder mail's visible link opens: it asks
// before turning reminder mails off. Both pages wear the brand of the business of their host.
// A session of a series says which one it is in its card's heading ("Sesión 2 de 4").
import { h, clear, nextId } from './dom.js';
import * as api from './api.js';
import { closedOnline } from './contact.js';
import { isSeries, seriesPosition } from './series.js';
import { formatMoney, formatDateTimeLong, formatDateLong, formatWhen, zoneLabel, whoOf } from './format.js';

// The business of this host: its name, logo and colours in the header. A page that could not
// learn them still works, unbranded.
async function wearBrand(shell) {
  try {
    const { data } = await api.portalBusiness();
    shell.setTenant(data);
  } catch (err) {
    /* the page works without it */
  }
}

// The token of a booking's manage page (its link's ?token=).
function manageToken(url) {
  try {
    return new URL(url, location.href).searchParams.get('token');
  } catch (e) {
    return null;
  }
}

export class Portal {
  constructor(ctx, shell, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.token = params.get('token');
    this.scope = 'upcoming';
  }

  async start() {
    this.shell.setProgress(0);
    this.shell.setActions([]);
    await wearBrand(this.shell);
    if (this.token) {
      // the mail's link is used once: out of the address and the history at once
      history.replaceState(null, '', location.pathname);
      try {
        const { data } = await api.portalSession(this.token);
        this.email = data.email;
      } catch (err) {
        if (err.status === 410) return this.signInForm(this.t('meLinkExpired'));
        if (err.status === 404) return this.signInForm(this.t('meLinkUsed'));
        return this.shell.fatal(err, () => this.start());
      }
    }
    return this.showBookings();
  }

  signInForm(problem) {
    const { t } = this;
    const input = h('input', {
      type: 'email',
      id: 'me-email',
      name: 'email',
      autocomplete: 'email',
      required: true,
      'aria-describedby': 'me-email-error',
    });
    // a link that did not work is said above the form: the address field is not at fault
    const linkProblem = problem
      ? h('p', { class: 'notice notice-error', role: 'alert', id: 'me-link-problem' }, problem)
      : null;
    const error = h('p', { class: 'field-error', id: 'me-email-error', role: 'alert', hidden: true });
    const field = h('div', { class: 'field' }, h('label', { for: 'me-email' }, t('meEmail')), input, error);
    const send = h('button', { type: 'submit', class: 'btn btn-primary', id: 'me-send' }, t('meSend'));
    const form = h('form', { class: 'form', id: 'me-sign-in', novalidate: true }, field, send);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const email = input.value.trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        field.classList.add('field-invalid');
        error.textContent = t('meEmailInvalid');
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      send.disabled = true;
      try {
        await api.portalLogin(email);
      } catch (err) {
        send.disabled = false;
        field.classList.add('field-invalid');
        error.textContent =
          err.status === 429
            ? t('meTooMany')
            : err.code === 'validation_failed'
              ? t('meEmailInvalid')
              : this.shell.errorText(err);
        error.hidden = false;
        return;
      }
      this.sent(email);
    });
    this.shell.render(
      h(
        'section',
        { class: 'panel' },
        h('h1', {}, t('meSignInTitle')),
        linkProblem,
        h('p', {}, t('meSignInText')),
        form,
      ),
      { title: t('meSignInTitle') },
    );
  }

  sent(email) {
    const { t } = this;
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon big-icon-ok', 'aria-hidden': 'true' }, '✉'),
        h('h1', {}, t('meSentTitle')),
        h('p', { role: 'status' }, t('meSent')),
        h('p', { class: 'hint' }, email),
        h(
          'button',
          { type: 'button', class: 'btn btn-link', id: 'me-again', onclick: () => this.signInForm() },
          t('meSendAgain'),
        ),
      ),
      { title: t('meSentTitle') },
    );
    this.shell.announce(t('meSentTitle') + '. ' + t('meSent'));
  }

  async showBookings(note) {
    let items;
    let prefs;
    let erasure;
    try {
      [
        {
          data: { items },
        },
        { data: prefs },
        erasure,
      ] = await Promise.all([api.portalBookings(this.scope), api.portalPreferences(), api.portalPendingErasure()]);
    } catch (err) {
      if (err.status === 401) return this.signInForm();
      return this.shell.fatal(err, () => this.showBookings());
    }
    const { t } = this;
    const tabs = this.tabs();
    const panel = h('div', {
      class: 'me-list',
      role: 'tabpanel',
      id: 'me-panel',
      'aria-labelledby': 'me-tab-' + this.scope,
      tabindex: '0',
    });
    if (!items.length) {
      panel.append(h('p', { class: 'hint me-empty' }, t(this.scope === 'past' ? 'meNoPast' : 'meNoUpcoming')));
    }
    for (const b of items) panel.append(this.card(b));
    this.shell.render(
      [
        h(
          'div',
          { class: 'me-head' },
          h('h1', {}, t('meTitle')),
          h(
            'button',
            { type: 'button', class: 'btn btn-link', id: 'me-sign-out', onclick: () => this.signOut() },
            t('meSignOut'),
          ),
        ),
        this.email ? h('p', { class: 'hint' }, t('meSignedInAs', { email: this.email })) : null,
        note ? h('p', { class: 'notice notice-info', role: 'status' }, note) : null,
        tabs,
        panel,
        this.preferencesForm(prefs),
        this.dataSection(erasure),
      ],
      { title: t('meTitle'), focus: !this.keepFocus },
    );
    if (this.keepFocus) {
      const tab = document.getElementById('me-tab-' + this.scope);
      if (tab) tab.focus();
      this.keepFocus = false;
    }
  }

  // Two tabs (WAI-ARIA tabs: arrows move between them, the selected one is in the tab order).
  tabs() {
    const { t } = this;
    const list = h('div', { class: 'me-tabs', role: 'tablist', 'aria-label': t('meTabs') });
    const names = [
      ['upcoming', t('meUpcoming')],
      ['past', t('mePast')],
    ];
    for (const [scope, label] of names) {
      const selected = scope === this.scope;
      list.append(
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: 'me-tab-' + scope,
            class: 'me-tab' + (selected ? ' me-tab-selected' : ''),
            'aria-selected': String(selected),
            'aria-controls': 'me-panel',
            tabindex: selected ? '0' : '-1',
            onclick: () => this.select(scope),
          },
          label,
        ),
      );
    }
    list.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft' && ev.key !== 'Home' && ev.key !== 'End') return;
      ev.preventDefault();
      const next = this.scope === 'upcoming' ? 'past' : 'upcoming';
      this.select(ev.key === 'Home' ? 'upcoming' : ev.key === 'End' ? 'past' : next);
    });
    return list;
  }

  select(scope) {
    if (scope === this.scope) return;
    this.scope = scope;
    this.keepFocus = true;
    this.showBookings();
  }

  card(b) {
    const { t, ctx } = this;
    const zone = ctx.zone;
    const token = b.manage_url ? manageToken(b.manage_url) : null;
    const rows = [
      [t('professional'), whoOf(b)],
      [t('meWhen', { zone: zoneLabel(zone, ctx.tag) }), formatWhen(b.start, zone, ctx.tag)],
    ];
    const place = b.location;
    if (place && place.type === 'video') {
      rows.push([t('placeVideo'), h('a', { href: place.url, rel: 'noopener', target: '_blank' }, place.url)]);
    } else if (place && place.type === 'in_person') {
      rows.push([t('placeAddress'), place.address]);
    } else if (place && place.type === 'phone') {
      rows.push([t('placePhone'), place.instructions]);
    }
    const paid = b.payment && b.payment.status === 'approved' && b.payment.amount;
    if (paid) {
      rows.push([t('amountPaid'), formatMoney({ amount: b.payment.amount, currency: b.payment.currency }, ctx.tag)]);
    }
    const headingId = nextId('me-booking');
    // a booking whose time passed is never told "Confirmada": "Pasada" until the business
    // marks it ("Asistió", "No asistió")
    const standing = b.status === 'paid' || b.status === 'confirmed';
    const ended = this.scope === 'past' || Date.parse(b.end) <= Date.now();
    const shown = standing && ended ? 'past' : b.status;
    const status = shown === 'past' ? t('statusPast') : (t('statusNames') || {})[b.status] || b.status;
    const can = new Set(b.actions || []);
    const buttons = h('div', { class: 'me-actions' });
    if (can.has('cancel') && token) {
      buttons.append(
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-secondary me-cancel',
            'aria-describedby': headingId,
            onclick: (ev) => this.askCancel(b, token, ev.currentTarget),
          },
          t('meCancel'),
        ),
      );
    }
    if (can.has('reschedule')) {
      buttons.append(
        h(
          'a',
          { class: 'btn btn-secondary me-manage', href: b.manage_url + '#change-time', 'aria-describedby': headingId },
          t('meManage'),
        ),
      );
    }
    if (can.has('add_to_calendar') && token) {
      const ics = `/api/public/bookings/${encodeURIComponent(b.id)}/calendar.ics?token=${encodeURIComponent(token)}`;
      buttons.append(
        h(
          'a',
          { class: 'btn btn-secondary me-calendar', href: ics, download: 'reserva.ics', 'aria-describedby': headingId },
          t('addToCalendar'),
        ),
      );
    }
    if (can.has('book_again')) {
      buttons.append(
        h(
          'a',
          {
            class: 'btn btn-secondary me-again',
            href: '/book/' + encodeURIComponent(b.link),
            'aria-describedby': headingId,
          },
          t('meBookAgain'),
        ),
      );
    }
    return h(
      'article',
      { class: 'panel me-card', 'aria-labelledby': headingId, dataset: { booking: b.id } },
      h(
        'div',
        { class: 'me-card-head' },
        h(
          'h2',
          { id: headingId },
          b.service && b.service.name,
          isSeries(b)
            ? [h('span', { class: 'visually-hidden' }, ', '), h('span', { class: 'me-series' }, seriesPosition(t, b))]
            : null,
        ),
        h(
          'span',
          { class: 'me-status me-status-' + shown },
          h('span', { class: 'visually-hidden' }, t('meStatus') + ': '),
          status,
        ),
      ),
      h(
        'dl',
        { class: 'summary' },
        rows.filter((r) => r[1]).map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))),
      ),
      can.has('receipt') ? this.receipt(b) : null,
      buttons.childNodes.length ? buttons : null,
      standing && !ended
        ? closedOnline(t, b, { cancel: can.has('cancel'), reschedule: can.has('reschedule') }, nextId('me-closed'))
        : null,
      h('div', { class: 'me-confirm', hidden: true }),
    );
  }

  receipt(b) {
    const { t, ctx } = this;
    const p = b.payment;
    return h(
      'details',
      { class: 'me-receipt' },
      h('summary', {}, t('meReceipt')),
      h(
        'div',
        { class: 'me-receipt-body' },
        h('h3', {}, t('meReceiptTitle', { service: b.service.name })),
        h(
          'dl',
          { class: 'summary' },
          [
            [t('meBookingId'), b.id],
            [t('meReference'), p.reference],
            [t('amountPaid'), formatMoney({ amount: p.amount, currency: p.currency }, ctx.tag)],
            [t('meWhen', { zone: zoneLabel(ctx.zone, ctx.tag) }), formatWhen(b.start, ctx.zone, ctx.tag)],
          ]
            .filter((r) => r[1])
            .map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))),
        ),
        h('button', { type: 'button', class: 'btn btn-link', onclick: () => window.print() }, t('mePrint')),
      ),
    );
  }

  // Cancelling asks first, inside the card; the answer is the booking's own cancel endpoint.
  askCancel(b, token, opener) {
    const { t, ctx } = this;
    const card = opener.closest('.me-card');
    const box = card.querySelector('.me-confirm');
    clear(box);
    const when = formatDateTimeLong(b.start, ctx.zone, ctx.tag);
    const problem = h('p', { class: 'notice-error', role: 'alert', hidden: true });
    const yes = h('button', { type: 'button', class: 'btn btn-primary me-cancel-confirm' }, t('cancelConfirm'));
    const no = h('button', { type: 'button', class: 'btn btn-secondary' }, t('cancelKeep'));
    no.addEventListener('click', () => {
      box.hidden = true;
      opener.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api.cancelBooking(b.id, token, {});
      } catch (err) {
        yes.disabled = false;
        problem.textContent = err.code === 'cancel_closed' ? t('cancelClosed') : this.shell.errorText(err);
        problem.hidden = false;
        return;
      }
      const note = t('meCancelled', { service: b.service.name });
      this.shell.announce(note);
      this.showBookings(note);
    });
    box.append(
      h('p', { id: nextId('me-ask') }, t('meCancelAsk', { service: b.service.name, when })),
      problem,
      h('div', { class: 'cancel-actions' }, yes, no),
    );
    box.hidden = false;
    yes.focus();
  }

  preferencesForm(prefs) {
    const { t } = this;
    const check = (id, label, on) => {
      const box = h('input', { type: 'checkbox', id, checked: on });
      return [box, h('div', { class: 'check' }, box, h('label', { for: id }, label))];
    };
    const [mail, mailRow] = check('pref-mail', t('prefsMail'), prefs.reminders_email);
    const [text, textRow] = check('pref-text', t('prefsText'), prefs.reminders_text);
    const locale = h(
      'select',
      { id: 'pref-locale' },
      h('option', { value: 'es', selected: prefs.locale === 'es' }, 'Español'),
      h('option', { value: 'en', selected: prefs.locale === 'en' }, 'English'),
    );
    const status = h('p', { class: 'hint', role: 'status', id: 'pref-status' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'pref-save' }, t('prefsSave'));
    const form = h(
      'form',
      { class: 'form', id: 'me-preferences' },
      h(
        'fieldset',
        { class: 'me-fieldset' },
        h('legend', {}, t('prefsTitle')),
        mailRow,
        textRow,
        h('p', { class: 'hint' }, t('prefsNote')),
        h('div', { class: 'field' }, h('label', { for: 'pref-locale' }, t('prefsLocale')), locale),
      ),
      save,
      status,
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      save.disabled = true;
      status.textContent = '';
      try {
        await api.savePortalPreferences({
          reminders_email: mail.checked,
          reminders_text: text.checked,
          locale: locale.value,
        });
        status.textContent = t('prefsSaved');
      } catch (err) {
        status.textContent = this.shell.errorText(err);
      }
      save.disabled = false;
    });
    return h(
      'section',
      { class: 'panel me-prefs', 'aria-labelledby': 'me-prefs-title' },
      h('h2', { id: 'me-prefs-title', class: 'visually-hidden' }, t('prefsTitle')),
      form,
    );
  }

  // "Your data": the export as a file (the session cookie goes with a same-origin link), and
  // erasure as a request, asked for in a dialog first; a request already pending is told
  // instead of offering it again.
  dataSection(pending) {
    const { t } = this;
    const download = h(
      'a',
      { class: 'btn btn-secondary', id: 'me-export', href: '/api/public/me/export', download: true },
      t('dataDownload'),
    ); // saved as the answer's my-data.json
    const erase = h('button', { type: 'button', class: 'btn btn-secondary me-erase', id: 'me-erase' }, t('dataErase'));
    // a live region from the start, so that what is put in it is read out
    const result = h('div', { id: 'me-data-result', role: 'status' });
    erase.addEventListener('click', () => this.askErasure(erase, result));
    if (pending) {
      result.append(this.erasureAsked(pending));
      erase.hidden = true;
    }
    return h(
      'section',
      { class: 'panel me-data', 'aria-labelledby': 'me-data-title' },
      h('h2', { id: 'me-data-title' }, t('dataTitle')),
      h('p', { class: 'hint' }, t('dataText')),
      h('div', { class: 'me-actions' }, download, erase),
      result,
    );
  }

  // A modal dialog (focus starts on "keep", Escape keeps); on yes, the request and what
  // happens next, shown in the section's live region; focus goes to the download, the one
  // thing left to do.
  askErasure(opener, result) {
    const { t } = this;
    const cancel = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', id: 'me-erase-cancel' },
      t('dataEraseCancel'),
    );
    const yes = h('button', { type: 'button', class: 'btn btn-danger', id: 'me-erase-confirm' }, t('dataEraseConfirm'));
    const dialog = h(
      'dialog',
      {
        class: 'me-dialog',
        id: 'me-erase-dialog',
        'aria-labelledby': 'me-erase-title',
        'aria-describedby': 'me-erase-text',
      },
      h('h2', { id: 'me-erase-title' }, t('dataEraseTitle')),
      h('p', { id: 'me-erase-text' }, t('dataEraseText')),
      h('div', { class: 'cancel-actions' }, cancel, yes),
    );
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    cancel.addEventListener('click', () => {
      close();
      opener.focus();
    });
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      close();
      opener.focus();
    });
    yes.addEventListener('click', async () => {
      close();
      opener.disabled = true;
      clear(result);
      let data;
      try {
        ({ data } = await api.portalErasure());
      } catch (err) {
        opener.disabled = false;
        if (err.status === 401) return this.signInForm();
        result.append(h('p', { class: 'notice notice-error' }, this.shell.errorText(err)));
        opener.focus();
        return;
      }
      result.append(this.erasureAsked(data));
      opener.hidden = true;
      document.getElementById('me-export').focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  }

  // What happens to a pending erasure request, and what is kept.
  erasureAsked(request) {
    const { t, ctx } = this;
    const next = request.erases_automatically_at
      ? t('dataEraseWhen', { date: formatDateLong(request.erases_automatically_at, ctx.zone, ctx.tag) })
      : t('dataEraseByBusiness');
    return h(
      'div',
      { class: 'notice notice-info me-erase-asked', id: 'me-erase-asked' },
      h('p', {}, h('strong', {}, t('dataEraseAsked')), ' ', next),
      h('p', {}, t('dataEraseKept')),
    );
  }

  async signOut() {
    try {
      await api.portalLogout();
    } catch (err) {
      /* signed out already */
    }
    this.email = null;
    this.signInForm();
  }
}

export class Unsubscribe {
  constructor(ctx, shell, params) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.shell = shell;
    this.token = params.get('token');
  }

  async start() {
    const { t } = this;
    this.shell.setProgress(0);
    this.shell.setActions([]);
    await wearBrand(this.shell);
    const problem = h('p', { class: 'notice-error', role: 'alert', hidden: true });
    const yes = h('button', { type: 'button', class: 'btn btn-primary', id: 'unsubscribe-confirm' }, t('unsubConfirm'));
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api.unsubscribe(this.token || '');
      } catch (err) {
        yes.disabled = false;
        problem.textContent = err.status === 404 ? t('unsubBad') : this.shell.errorText(err);
        problem.hidden = false;
        return;
      }
      this.done();
    });
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '✉'),
        h('h1', {}, t('unsubTitle')),
        h('p', {}, t('unsubText')),
        problem,
        h('p', {}, yes),
      ),
      { title: t('unsubTitle') },
    );
  }

  done() {
    const { t } = this;
    this.shell.render(
      h(
        'section',
        { class: 'panel panel-center panel-ok' },
        h('div', { class: 'big-icon big-icon-ok', 'aria-hidden': 'true' }, '✓'),
        h('h1', {}, t('unsubDoneTitle')),
        h('p', { role: 'status' }, t('unsubDone')),
        h(
          'p',
          {},
          h('a', { class: 'btn btn-secondary', href: '/book/me', id: 'unsubscribe-portal' }, t('unsubToPortal')),
        ),
      ),
      { title: t('unsubDoneTitle') },
    );
  }
}
