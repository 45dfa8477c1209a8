// What every dashboard page shares: the page heading, form fields with their errors tied
// to the input (aria-describedby / aria-invalid), the polite status line for saves, the
// assertive line for failures, busy buttons, copy buttons and responsive tables.
import { h, clear, nextId } from '../wizard/dom.js';

export { h, clear };

const $ = (id) => document.getElementById(id);

// Saves and other good news: read out politely and shown for a few seconds.
let toastTimer = null;
export function announce(text) {
  const el = $('toast');
  el.textContent = '';
  // A new text node in a second step: screen readers announce a repeated message too.
  setTimeout(() => {
    el.textContent = text;
    el.classList.add('shown');
  }, 30);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('shown'), 5000);
}

// Failures: read out at once.
export function alertText(text) {
  const el = $('alert');
  el.textContent = '';
  setTimeout(() => {
    el.textContent = text;
  }, 30);
}

// Plain language for an ApiError that no page handles itself.
export function problemText(t, err) {
  if (!err || err.status === 0) return t('errNetwork');
  if (err.status === 429) return t('errTooMany');
  if (err.status === 503) return t('errUnavailable');
  if (err.status >= 500) return t('errServer');
  return err.message || t('errServer');
}

// Sets the page's title and heading; `actions` go to the right of it.
export function pageHeader(main, t, title, ...actions) {
  document.title = `${title} · Konfirmado`;
  const heading = h('h1', { id: 'page-title', tabindex: '-1' }, title);
  const head = h(
    'div',
    { class: 'page-head' },
    heading,
    actions.length ? h('div', { class: 'page-actions' }, actions) : null,
  );
  clear(main).append(head);
  return heading;
}

// A labelled field. kind: 'text' (default) | any input type | 'select' | 'textarea' |
// 'checkbox'. options: [[value, label], ...] for selects.
export function field({ name, label, kind = 'text', value, hint, options, required, attrs = {}, wide = false }) {
  const id = nextId('f-' + name);
  const hintId = hint ? id + '-hint' : null;
  const errorId = id + '-error';
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (kind === 'select') {
    control = h(
      'select',
      { id, name, 'aria-describedby': describedBy, required, ...attrs },
      (options || []).map(([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l)),
    );
  } else if (kind === 'textarea') {
    control = h('textarea', { id, name, rows: 4, 'aria-describedby': describedBy, required, ...attrs });
    control.value = value ?? '';
  } else if (kind === 'checkbox') {
    control = h('input', { id, name, type: 'checkbox', 'aria-describedby': describedBy, ...attrs });
    control.checked = !!value;
    return h(
      'div',
      { class: 'field checkbox' + (wide ? ' wide' : ''), dataset: { field: name } },
      h('label', { for: id }, control, ' ', label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'field-error', id: errorId, hidden: true }),
    );
  } else {
    control = h('input', { id, name, type: kind, 'aria-describedby': describedBy, required, ...attrs });
    control.value = value ?? '';
  }
  return h(
    'div',
    { class: 'field' + (wide ? ' wide' : ''), dataset: { field: name } },
    h('label', { for: id }, label, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

export function clearErrors(form) {
  for (const box of form.querySelectorAll('.field')) {
    box.classList.remove('invalid');
    const err = box.querySelector('.field-error');
    if (err) {
      err.textContent = '';
      err.hidden = true;
    }
    for (const c of box.querySelectorAll('input, select, textarea')) c.removeAttribute('aria-invalid');
  }
  const general = form.querySelector('.form-error');
  if (general) {
    general.textContent = '';
    general.hidden = true;
  }
}

// Shows the API's `fields` next to their inputs (a field the form does not show goes to
// the form's own error line) and moves the focus to the first one.
export function showErrors(form, fields, message) {
  clearErrors(form);
  let first = null;
  const loose = [];
  for (const [name, text] of Object.entries(fields || {})) {
    const base = name.split(/[.[]/)[0];
    const box =
      form.querySelector(`.field[data-field="${CSS.escape(name)}"]`) ||
      form.querySelector(`.field[data-field="${CSS.escape(base)}"]`);
    if (!box) {
      loose.push(text);
      continue;
    }
    box.classList.add('invalid');
    const err = box.querySelector('.field-error');
    err.textContent = text;
    err.hidden = false;
    const control = box.querySelector('input, select, textarea, button');
    if (control) control.setAttribute('aria-invalid', 'true');
    if (!first) first = control;
  }
  const general = form.querySelector('.form-error');
  const text = [message, ...loose].filter(Boolean).join(' ');
  if (general && text) {
    general.textContent = text;
    general.hidden = false;
  }
  if (first) first.focus();
  else if (general && text) general.focus();
  alertText(text || message || '');
}

// A form: fields, a line for errors that belong to no field, and the submit row.
export function form({ onsubmit, submitLabel, extra = [] }, ...children) {
  const el = h(
    'form',
    { class: 'form', novalidate: true },
    h('p', { class: 'form-error', tabindex: '-1', hidden: true }),
    children,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, submitLabel), extra),
  );
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = el.querySelector('button[type=submit]');
    // what the last attempt refused is gone once the form is sent again; a refusal of this
    // one shows again (showErrors)
    if (!button.disabled) clearErrors(el);
    await busy(button, () => onsubmit(el));
  });
  return el;
}

// Disables the button while `fn` runs (a double click sends nothing twice).
export async function busy(button, fn) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export function copyButton(t, text, label) {
  const b = h('button', { type: 'button', class: 'secondary copy' }, label || t('copy'));
  b.addEventListener('click', async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      // No clipboard permission (plain http, old browser): select a field with the text.
      const tmp = h('textarea', { class: 'visually-hidden', readonly: true });
      tmp.value = text;
      document.body.append(tmp);
      tmp.select();
      try {
        ok = document.execCommand('copy');
      } catch (e2) {
        ok = false;
      }
      tmp.remove();
    }
    b.textContent = ok ? t('copied') : t('copyFailed');
    announce(ok ? t('copied') : t('copyFailed'));
    setTimeout(() => {
      b.textContent = label || t('copy');
    }, 2500);
  });
  return b;
}

// Asks before something that cannot be undone: a modal dialog (focus starts on "no" and
// stays inside; Escape says no) whose answer is a promise of true or false. The caller
// gives the focus back to what opened it.
export function confirmDialog({ title, text, yes, no, yesClass = 'danger' }) {
  return new Promise((resolve) => {
    const titleId = nextId('confirm-title');
    const textId = nextId('confirm-text');
    const cancel = h('button', { type: 'button', class: 'secondary' }, no);
    const ok = h('button', { type: 'button', class: yesClass }, yes);
    const dialog = h(
      'dialog',
      { class: 'confirm-dialog', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title),
      h('p', { id: textId }, text),
      h('div', { class: 'form-actions' }, cancel, ok),
    );
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// A table that becomes one card per row at phone width: every cell carries its column
// name (data-label), shown by the CSS when the header row is hidden.
export function table(caption, columns, rows, { empty } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty || '');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            columns.map((c) => h('td', { 'data-label': c.label, class: c.class }, c.cell(row))),
          ),
        ),
      ),
    ),
  );
}

export function badge(text, tone) {
  return h('span', { class: 'badge ' + (tone || '') }, text);
}

// A link inside the dashboard: the router takes the click (no page load).
export function navLink(path, text, attrs = {}) {
  return h('a', { href: path, 'data-nav': '', ...attrs }, text);
}
