// Log in, sign up and "forgot password" (API.md "Merchant accounts"). The links of the
// mails land on the account pages (/verify-email, /reset-password), which lead back here.
import * as api from '../api.js';
import { h, clear, field, form, showErrors, announce, alertText, problemText } from '../ui.js';

function card(ctx, titleKey, ...children) {
  document.title = `${ctx.t(titleKey)} · Konfirmado`;
  clear(ctx.main).append(
    h('section', { class: 'auth-card' }, h('h1', { id: 'page-title', tabindex: '-1' }, ctx.t(titleKey)), children),
  );
}

function minutes(seconds) {
  return Math.max(1, Math.ceil((seconds || 60) / 60));
}

function passwordField(t, name, label, autocomplete, hint) {
  const box = field({
    name,
    label,
    kind: 'password',
    hint,
    required: true,
    attrs: { autocomplete, autocapitalize: 'off', spellcheck: 'false' },
  });
  const input = box.querySelector('input');
  const reveal = h(
    'button',
    { type: 'button', class: 'reveal', 'aria-pressed': 'false', 'aria-controls': input.id },
    t('show'),
  );
  reveal.addEventListener('click', () => {
    const shown = input.type === 'text';
    input.type = shown ? 'password' : 'text';
    reveal.textContent = shown ? t('show') : t('hide');
    reveal.setAttribute('aria-pressed', String(!shown));
  });
  const row = h('div', { class: 'password-row' });
  input.replaceWith(row);
  row.append(input, reveal);
  return box;
}

export async function login(ctx) {
  const { t, query } = ctx;
  const notice = query.get('expired') ? t('sessionExpired') : query.get('bye') ? t('loggedOut') : '';
  const f = form(
    {
      submitLabel: t('logIn'),
      onsubmit: async (el) => {
        const email = el.elements.email.value.trim();
        const password = el.elements.password.value;
        const missing = {};
        if (!email) missing.email = t('required');
        if (!password) missing.password = t('required');
        if (Object.keys(missing).length) return showErrors(el, missing);
        try {
          const s = await api.login({ email, password });
          ctx.signedIn(s);
          ctx.navigate(ctx.safeNext(query.get('next')), { replace: true });
        } catch (err) {
          if (err.code === 'invalid_credentials') showErrors(el, {}, t('wrongPassword'));
          else if (err.code === 'email_not_verified') showErrors(el, {}, t('notVerified'));
          else if (err.code === 'too_many_attempts')
            showErrors(el, {}, t('tooManyLogins', { minutes: minutes(err.retryAfter) }));
          else if (err.code === 'validation_failed') showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'email',
      label: t('email'),
      kind: 'email',
      required: true,
      attrs: { autocomplete: 'username', inputmode: 'email', autocapitalize: 'off', spellcheck: 'false' },
    }),
    passwordField(t, 'password', t('password'), 'current-password'),
  );
  card(
    ctx,
    'logInTitle',
    notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
    f,
    h(
      'p',
      { class: 'auth-links' },
      h('a', { href: '/dashboard/forgot-password', 'data-nav': '' }, t('forgotLink')),
      ' · ',
      h('a', { href: '/dashboard/signup', 'data-nav': '' }, t('signupLink')),
    ),
  );
  if (notice) alertText(notice);
}

export async function signup(ctx) {
  const { t } = ctx;
  const f = form(
    {
      submitLabel: t('createAccount'),
      onsubmit: async (el) => {
        const body = {
          business_name: el.elements.business_name.value.trim(),
          email: el.elements.email.value.trim(),
          password: el.elements.password.value,
        };
        try {
          await api.register(body);
          card(
            ctx,
            'checkMailTitle',
            h('p', { role: 'status' }, t('checkMailText', { email: body.email })),
            h('p', { class: 'hint' }, t('checkMailHint')),
            h('p', {}, h('a', { href: '/dashboard/login', 'data-nav': '' }, t('goToLogin'))),
          );
          document.getElementById('page-title').focus();
        } catch (err) {
          if (err.code === 'email_taken') {
            showErrors(el, { email: t('emailTaken') });
          } else if (err.code === 'validation_failed') showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({ name: 'business_name', label: t('businessName'), required: true, attrs: { autocomplete: 'organization' } }),
    field({
      name: 'email',
      label: t('email'),
      kind: 'email',
      required: true,
      attrs: { autocomplete: 'email', inputmode: 'email', autocapitalize: 'off', spellcheck: 'false' },
    }),
    passwordField(t, 'password', t('password'), 'new-password', t('passwordRules')),
  );
  card(
    ctx,
    'signupTitle',
    h('p', { class: 'lead' }, t('signupLead')),
    f,
    h(
      'p',
      { class: 'auth-links' },
      t('haveAccount'),
      ' ',
      h('a', { href: '/dashboard/login', 'data-nav': '' }, t('logIn')),
    ),
  );
}

export async function forgot(ctx) {
  const { t } = ctx;
  const f = form(
    {
      submitLabel: t('sendLink'),
      onsubmit: async (el) => {
        const email = el.elements.email.value.trim();
        if (!email) return showErrors(el, { email: t('required') });
        try {
          await api.forgotPassword({ email });
          card(
            ctx,
            'checkMailTitle',
            h('p', { role: 'status' }, t('resetSent', { email })),
            h('p', {}, h('a', { href: '/dashboard/login', 'data-nav': '' }, t('goToLogin'))),
          );
          document.getElementById('page-title').focus();
          announce(t('resetSent', { email }));
        } catch (err) {
          if (err.code === 'validation_failed') showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'email',
      label: t('email'),
      kind: 'email',
      required: true,
      attrs: { autocomplete: 'email', inputmode: 'email', autocapitalize: 'off', spellcheck: 'false' },
    }),
  );
  card(
    ctx,
    'forgotTitle',
    h('p', { class: 'lead' }, t('forgotLead')),
    f,
    h('p', { class: 'auth-links' }, h('a', { href: '/dashboard/login', 'data-nav': '' }, t('backToLogin'))),
  );
}
