// /reset-password?token=T, the link of the password reset mail: a new password posted to
// POST /api/auth/reset-password with the token. The API's rules (10 to 128 characters, not
// the account's email) are checked here first and the API's own field message is shown
// under the field. A spent or expired link offers to mail a new one
// (POST /api/auth/forgot-password); without a token the page is just that request.
import { $, setup, tokenFromUrl, showOutcome, setStatus, setNext, setFieldError, problemText } from './page.js';
import { request } from '../wizard/api.js';

const t = setup('docReset');
const token = tokenFromUrl();
const form = $('reset-form');
const password = $('password');
const reveal = $('reveal');
const forgot = $('forgot-form');
const email = $('email');
let busy = false;

const MIN = 10;
const MAX = 128;

function passwordProblem(value) {
  const n = [...value].length; // characters, as the API counts them
  if (n === 0) return t('errPasswordEmpty');
  if (n < MIN) return t('errPasswordShort');
  if (n > MAX) return t('errPasswordLong');
  return null;
}

function setReveal(shown) {
  password.type = shown ? 'text' : 'password';
  reveal.textContent = shown ? t('hide') : t('show');
  reveal.setAttribute('aria-label', shown ? t('hidePassword') : t('showPassword'));
}

function setBusy(button, on, busyText, idleText) {
  busy = on;
  button.setAttribute('aria-disabled', on ? 'true' : 'false');
  button.textContent = on ? busyText : idleText;
}

function linkUnusable(message) {
  form.hidden = true;
  password.value = '';
  showOutcome('bad', t('resetFailedTitle'));
  setStatus(message);
  setNext('');
  forgot.hidden = false;
}

reveal.addEventListener('click', () => setReveal(password.type === 'password'));
setReveal(false);

// Once the field was refused, its message follows what is typed.
password.addEventListener('input', () => {
  if (password.getAttribute('aria-invalid') === 'true') {
    setFieldError(password, passwordProblem(password.value));
  }
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const problem = passwordProblem(password.value);
  setFieldError(password, problem);
  if (problem) {
    setStatus('');
    password.focus();
    return;
  }
  const submit = $('submit');
  setBusy(submit, true, t('saving'), t('savePassword'));
  setStatus(t('saving'), true);
  try {
    await request('POST', '/api/auth/reset-password', { body: { token, password: password.value } });
    form.hidden = true;
    password.value = '';
    showOutcome('ok', t('resetDoneTitle'));
    setStatus(t('resetDoneText'));
    setNext(t('resetDoneNext'));
  } catch (err) {
    const fields = err.fields || {};
    if (err.code === 'validation_failed' && fields.password && !fields.token) {
      setStatus('');
      setFieldError(password, fields.password);
      password.focus();
    } else if (err.status === 400) {
      linkUnusable(t('invalidResetLink'));
    } else {
      setStatus(problemText(t, err));
    }
  } finally {
    setBusy(submit, false, t('saving'), t('savePassword'));
  }
});

forgot.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (busy) return;
  const value = email.value.trim();
  const bad = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? t('errEmail') : null;
  setFieldError(email, bad);
  if (bad) {
    email.focus();
    return;
  }
  const send = $('send-link');
  setBusy(send, true, t('sending'), t('sendLink'));
  setStatus(t('sending'), true);
  try {
    await request('POST', '/api/auth/forgot-password', { body: { email: value } });
    forgot.hidden = true;
    showOutcome('ok', t('linkSentTitle'));
    setStatus(t('linkSent', { email: value }));
  } catch (err) {
    const fields = err.fields || {};
    if (err.code === 'validation_failed' && fields.email) {
      setStatus('');
      setFieldError(email, fields.email);
      email.focus();
    } else {
      setStatus(problemText(t, err));
    }
  } finally {
    setBusy(send, false, t('sending'), t('sendLink'));
  }
});

if (token) {
  form.hidden = false;
} else {
  showOutcome('form', t('forgotTitle'), false);
  forgot.hidden = false;
}
$('main').dataset.ready = 'true';
