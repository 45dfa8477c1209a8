// What the account pages share: language and texts, the outcome heading, the status line
// (a polite live region), field errors tied to their input, and plain-language problems.
import { languageOfBrowser, makeTranslator } from './i18n.js';
import { setApiLanguage } from '../wizard/api.js';

export const $ = (id) => document.getElementById(id);

// Picks the language, translates every [data-i18n] element and the document title.
export function setup(titleKey) {
  const lang = languageOfBrowser();
  const t = makeTranslator(lang);
  document.documentElement.lang = lang;
  setApiLanguage(lang); // the API answers field messages in the same language
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.title = t(titleKey);
  return t;
}

// The ?token= of the link in the mail, or null.
export function tokenFromUrl() {
  const value = new URLSearchParams(location.search).get('token');
  return value && value.trim() ? value.trim() : null;
}

// state: 'working' | 'form' | 'ok' | 'bad' (drives the icon and colors). With focus, the
// heading takes the keyboard focus so that a screen reader reads the new outcome first.
export function showOutcome(state, title, focus = true) {
  $('outcome').dataset.state = state;
  const h1 = $('title');
  h1.textContent = title;
  if (focus) h1.focus();
}

export function setStatus(text, busy = false) {
  const el = $('status');
  el.replaceChildren();
  if (busy) {
    const spin = document.createElement('span');
    spin.className = 'spinner';
    spin.setAttribute('aria-hidden', 'true');
    el.append(spin, ' ');
  }
  if (text) el.append(text);
  el.dataset.busy = busy ? 'true' : 'false';
}

// The next step in words, and the way to the dashboard's log-in page with it.
export function setNext(text) {
  const el = $('next');
  el.textContent = text || '';
  el.hidden = !text;
  const login = $('login');
  if (login) login.hidden = !text;
}

// A retry button under the message (or none).
export function setRetry(label, onClick) {
  const box = $('actions');
  if (!box) return;
  box.replaceChildren();
  box.hidden = !onClick;
  if (!onClick) return;
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'primary';
  b.textContent = label;
  b.addEventListener('click', onClick);
  box.append(b);
}

// Shows (or clears, with no message) the error of one field: text under the input, which
// names it through aria-describedby, and aria-invalid on the input.
export function setFieldError(input, message) {
  const el = $(input.id + '-error');
  el.textContent = message || '';
  el.hidden = !message;
  input.closest('.field').classList.toggle('has-error', !!message);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

// Plain words for what went wrong talking to the API (other than a field or token problem).
export function problemText(t, err) {
  if (!err || err.status === 0) return t('errNetwork');
  if (err.status === 429) return t('errTooMany');
  return t('errServer');
}
