// The parts of the page around each step: brand header, progress indicator, sticky
// action bar, the live region, notices, and the friendly error pages.
import { h, clear } from './dom.js';
import { applyBrand } from './brand.js';
import { allowParents } from './frame.js';

const STEPS = 4;

export class Shell {
  constructor(ctx) {
    this.ctx = ctx;
    this.main = document.getElementById('main');
    this.brand = document.getElementById('brand');
    this.progress = document.getElementById('progress');
    this.actions = document.getElementById('actions');
    this.live = document.getElementById('live');
    const skip = document.querySelector('.skip');
    if (skip) skip.textContent = ctx.lang === 'en' ? 'Skip to content' : 'Ir al contenido';
  }

  setTenant(tenant) {
    this.tenant = tenant;
    allowParents(tenant.embed_origins);
    applyBrand(document.documentElement, tenant);
    clear(this.brand);
    const name = h('span', { class: 'brand-name' }, tenant.name);
    if (tenant.logo_url) {
      const img = h('img', { class: 'brand-logo', src: tenant.logo_url, alt: tenant.name });
      // A broken logo falls back to the name.
      img.addEventListener('error', () => img.replaceWith(name));
      this.brand.append(img);
    } else {
      this.brand.append(name);
    }
  }

  // step: 1..4 current; 5 = all done; 0 = hide.
  setProgress(step) {
    const { t } = this.ctx;
    clear(this.progress);
    if (!step) {
      this.progress.hidden = true;
      return;
    }
    this.progress.hidden = false;
    this.progress.setAttribute('aria-label', t('progress'));
    const names = t('steps');
    const list = h('ol', {});
    names.forEach((name, i) => {
      const n = i + 1;
      const state = n < step ? 'done' : n === step ? 'current' : 'todo';
      list.append(
        h(
          'li',
          { class: 'step step-' + state, 'aria-current': state === 'current' ? 'step' : null },
          h('span', { class: 'step-mark', 'aria-hidden': 'true' }, state === 'done' ? '✓' : String(n)),
          h('span', { class: 'step-name' }, name),
          state === 'done' ? h('span', { class: 'visually-hidden' }, ` (${t('done')})`) : null,
          state === 'current' ? h('span', { class: 'visually-hidden' }, ` (${t('current')})`) : null,
        ),
      );
    });
    this.progress.append(
      h('p', { class: 'step-count' }, t('stepOf', { n: Math.min(step, STEPS), total: STEPS })),
      list,
    );
  }

  // Replaces the page content; the new heading gets the focus (screen readers and
  // keyboard users start at the top of the new step).
  render(nodes, { title, focus = true } = {}) {
    // The first page of a visit keeps the focus where the browser put it.
    if (!this.rendered) focus = false;
    this.rendered = true;
    clear(this.main);
    this.main.append(...[].concat(nodes).filter(Boolean));
    if (title) document.title = this.tenant ? `${title} · ${this.tenant.name}` : title;
    if (focus) {
      const heading = this.main.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: false });
      }
    }
    window.scrollTo(0, 0);
  }

  // The sticky bar: buttons built by the step ({label, onclick, primary, disabled, form, id}).
  setActions(buttons, note) {
    clear(this.actions);
    if (!buttons || !buttons.length) {
      this.actions.hidden = true;
      document.body.classList.remove('has-actions');
      return {};
    }
    this.actions.hidden = false;
    document.body.classList.add('has-actions');
    if (note) this.actions.append(h('div', { class: 'actions-note-wrap' }, note));
    const inner = h('div', { class: 'actions-inner' });
    const byId = {};
    for (const b of buttons) {
      const el = h(
        'button',
        {
          type: b.form ? 'submit' : 'button',
          form: b.form || null,
          id: b.id || null,
          class: b.primary ? 'btn btn-primary' : 'btn btn-secondary',
          onclick: b.onclick || null,
          disabled: !!b.disabled,
        },
        b.label,
      );
      inner.append(el);
      if (b.id) byId[b.id] = el;
    }
    this.actions.append(inner);
    return byId;
  }

  announce(text) {
    // Clear first so that the same message twice is announced twice.
    this.live.textContent = '';
    window.setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  // A visible message inside the page (role=alert: read out at once).
  notice(container, text, { kind = 'error', action } = {}) {
    clear(container);
    if (!text) {
      container.hidden = true;
      return;
    }
    container.hidden = false;
    container.className = 'notice notice-' + kind;
    container.append(
      h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, kind === 'error' ? '!' : 'i'),
      h('span', { class: 'notice-text' }, text),
    );
    if (action) {
      container.append(h('button', { type: 'button', class: 'btn btn-link', onclick: action.onclick }, action.label));
    }
  }

  // Plain-language text for an API error.
  errorText(err) {
    const { t } = this.ctx;
    if (!err || err.status === 0) return t('errNetwork');
    switch (err.code) {
      case 'slot_unavailable':
        return t('slotTaken');
      case 'hold_expired':
        return t('holdExpired');
      case 'link_expired':
        return t('linkExpiredTitle');
      case 'link_not_found':
        return t('linkNotFoundTitle');
      case 'validation_failed':
        return t('fixFields');
      case 'provider_error':
        return t('provider_error');
      // packages: a session refused (POST /api/public/bookings with a purchase_token)
      case 'package_used_up':
      case 'purchase_expired':
      case 'purchase_not_paid':
      case 'package_service_mismatch':
      case 'purchase_not_found':
        return t(err.code);
      default:
        break;
    }
    if (err.status === 429) return t('errTooMany');
    if (err.status >= 500) return t('errServer');
    return t('errGeneric');
  }

  linkProblem(code) {
    const { t } = this.ctx;
    const expired = code === 'link_expired';
    this.setProgress(0);
    this.setActions([]);
    this.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, expired ? '!' : '?'),
        h('h1', {}, t(expired ? 'linkExpiredTitle' : 'linkNotFoundTitle')),
        h('p', {}, t(expired ? 'linkExpiredText' : 'linkNotFoundText')),
      ),
      { title: t(expired ? 'linkExpiredTitle' : 'linkNotFoundTitle') },
    );
  }

  fatal(err, retry) {
    const { t } = this.ctx;
    this.setActions([]);
    this.render(
      h(
        'section',
        { class: 'panel panel-center' },
        h('div', { class: 'big-icon', 'aria-hidden': 'true' }, '!'),
        h('h1', {}, this.errorText(err)),
        retry ? h('button', { type: 'button', class: 'btn btn-primary', onclick: retry }, t('retry')) : null,
      ),
      { title: this.errorText(err) },
    );
  }
}
