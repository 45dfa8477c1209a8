// Notifications to the merchant's site (API.md "Merchant callback"): the URL, the signing
// secret (rotated on demand, shown once, also in the whsec_ form the Standard Webhooks
// libraries take), and "send a test" that shows what the site answered.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import {
  h,
  pageHeader,
  field,
  form,
  showErrors,
  announce,
  alertText,
  problemText,
  copyButton,
  busy,
  badge,
} from '../ui.js';
import { when, number } from './common.js';

addMessages({
  es: {
    callbacksTitle: 'Notificaciones a tu sitio',
    callbacksLead:
      'Cuando una reserva se paga, cambia de hora o se cancela, le avisamos a tu servidor con un mensaje firmado (un POST con la cabecera X-Konfirmado-Signature y las de Standard Webhooks). Si no responde con éxito (2xx), lo intentamos de nuevo.',
    cbUrl: 'URL de tu servidor (https)',
    cbUrlHint: 'Por ejemplo https://tusitio.com/konfirmado/webhook',
    secretTitle: 'Secreto de firma',
    secretSet: 'Configurado desde {when}.',
    secretNone: 'Aún no hay secreto: sin él no enviamos notificaciones firmadas.',
    rotate: 'Generar un secreto nuevo',
    rotateConfirm: '¿Generar un secreto nuevo? El actual deja de valer: actualiza tu servidor enseguida.',
    newSecret: 'Tu secreto nuevo',
    newSecretWarning: 'Cópialo ahora: no lo volveremos a mostrar. Guárdalo en tu servidor para verificar las firmas.',
    rotated: 'Secreto nuevo generado. Cópialo ahora.',
    testTitle: 'Probar',
    testLead: 'Enviamos a tu URL un aviso de prueba firmado (el evento ping) y te mostramos qué respondió.',
    sendTest: 'Enviar notificación de prueba',
    testing: 'Enviando…',
    testStatus: 'Respuesta de tu servidor',
    testLatency: 'Tiempo',
    testBody: 'Lo que respondió',
    testOk: 'Tu servidor respondió con éxito ({status}) en {ms} ms.',
    testBad:
      'Tu servidor no aceptó el aviso de prueba: {what} ({status}). Revisa la URL y que verifique la firma con tu secreto actual.',
    http_2xx: 'Éxito',
    http_3xx: 'Redirección',
    http_401: 'Acceso denegado',
    http_403: 'Acceso denegado',
    http_404: 'No encontrada',
    http_4xx: 'Rechazado',
    http_5xx: 'Error del servidor',
    testFailed: 'No pudimos entregar la prueba: {reason}',
    noUrl: 'Primero guarda la URL de tu servidor.',
    emptyBody: '(vacía)',
    secretPlain: 'Para verificar la firma (cabecera X-Konfirmado-Signature)',
    secretWhsec: 'Para las librerías de Standard Webhooks (el mismo secreto)',
  },
  en: {
    callbacksTitle: 'Site notifications',
    callbacksLead:
      'When a booking is paid, moved or cancelled, we notify your server with a signed message (a POST with the X-Konfirmado-Signature header and the Standard Webhooks ones). If it does not answer with success (2xx), we try again.',
    cbUrl: 'Your server’s URL (https)',
    cbUrlHint: 'For example https://yoursite.com/konfirmado/webhook',
    secretTitle: 'Signing secret',
    secretSet: 'Set since {when}.',
    secretNone: 'No secret yet: without one we send no signed notifications.',
    rotate: 'Generate a new secret',
    rotateConfirm: 'Generate a new secret? The current one stops working: update your server right away.',
    newSecret: 'Your new secret',
    newSecretWarning: 'Copy it now: we will not show it again. Keep it on your server to verify signatures.',
    rotated: 'New secret generated. Copy it now.',
    testTitle: 'Test',
    testLead: 'We send your URL a signed test notification (the ping event) and show you what it answered.',
    sendTest: 'Send a test notification',
    testing: 'Sending…',
    testStatus: 'Your server\u2019s answer',
    testLatency: 'Time',
    testBody: 'What it answered',
    testOk: 'Your server answered with success ({status}) in {ms} ms.',
    testBad:
      'Your server did not accept the test notification: {what} ({status}). Check the URL and that it verifies the signature with your current secret.',
    http_2xx: 'Success',
    http_3xx: 'Redirect',
    http_401: 'Access denied',
    http_403: 'Access denied',
    http_404: 'Not found',
    http_4xx: 'Refused',
    http_5xx: 'Server error',
    testFailed: 'We could not deliver the test: {reason}',
    noUrl: 'Save your server’s URL first.',
    emptyBody: '(empty)',
    secretPlain: 'To verify the signature (X-Konfirmado-Signature header)',
    secretWhsec: 'For the Standard Webhooks libraries (the same secret)',
  },
});

// An HTTP status in words ("No encontrada" for 404); the code itself goes beside it.
function httpWords(t, status) {
  const exact = { 401: 'http_401', 403: 'http_403', 404: 'http_404' }[status];
  return t(exact || 'http_' + Math.floor(status / 100) + 'xx');
}

export async function callbacks(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  pageHeader(main, t, t('callbacksTitle'));
  main.append(h('p', { class: 'lead' }, t('callbacksLead')));

  const urlForm = form(
    {
      submitLabel: t('save'),
      onsubmit: async (el) => {
        const value = el.elements.callback_url.value.trim() || null;
        try {
          const saved = await api.patch('/api/admin/tenant', { callback_url: value });
          tenant.callback_url = saved.tenant ? saved.tenant.callback_url : value;
          announce(t('saved'));
        } catch (err) {
          if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'callback_url',
      label: t('cbUrl'),
      kind: 'url',
      value: tenant.callback_url,
      hint: t('cbUrlHint'),
      attrs: { autocomplete: 'off', spellcheck: 'false' },
    }),
  );
  main.append(h('section', { class: 'panel' }, urlForm));

  // The secret: rotated here, shown once.
  const secret = tenant.callback_secret || { configured: false };
  const secretState = h(
    'p',
    { id: 'secret-state' },
    secret.configured ? t('secretSet', { when: when(ctx, secret.set_at) }) : t('secretNone'),
  );
  const reveal = h('div', { id: 'new-secret', hidden: true });
  const rotate = h(
    'button',
    { type: 'button', class: secret.configured ? 'secondary' : 'primary', id: 'rotate' },
    t('rotate'),
  );
  rotate.addEventListener('click', () =>
    busy(rotate, async () => {
      if (secret.configured && !window.confirm(t('rotateConfirm'))) return;
      try {
        const r = await api.post('/api/admin/tenant/callback-secret');
        secret.configured = true;
        secretState.textContent = t('secretSet', { when: when(ctx, new Date().toISOString()) });
        reveal.replaceChildren(
          h(
            'div',
            { class: 'secret-box', role: 'alert' },
            h('h3', {}, t('newSecret')),
            h('p', {}, t('newSecretWarning')),
            h('p', { class: 'hint' }, t('secretPlain')),
            h(
              'div',
              { class: 'share-row' },
              h('code', { class: 'url', id: 'secret-value' }, r.secret),
              copyButton(t, r.secret),
            ),
            h('p', { class: 'hint' }, t('secretWhsec')),
            h(
              'div',
              { class: 'share-row' },
              h('code', { class: 'url', id: 'secret-whsec' }, r.whsec),
              copyButton(t, r.whsec),
            ),
          ),
        );
        reveal.hidden = false;
        announce(t('rotated'));
        reveal.querySelector('button').focus();
      } catch (err) {
        alertText(problemText(t, err));
      }
    }),
  );
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'secret-title' },
      h('h2', { id: 'secret-title' }, t('secretTitle')),
      secretState,
      reveal,
      h('div', { class: 'form-actions' }, rotate),
    ),
  );

  // The test: a signed ping, and what the site answered.
  const result = h('div', { id: 'test-result', 'aria-live': 'polite' });
  const test = h('button', { type: 'button', class: 'primary', id: 'send-test' }, t('sendTest'));
  test.addEventListener('click', () =>
    busy(test, async () => {
      result.replaceChildren(h('p', { class: 'hint' }, t('testing')));
      if (!tenant.callback_url) {
        result.replaceChildren(h('p', { class: 'test-result bad' }, t('noUrl')));
        return;
      }
      try {
        const r = await api.post('/api/admin/tenant/callback-test');
        const ok = r.status >= 200 && r.status < 300;
        const what = httpWords(t, r.status);
        result.replaceChildren(
          h(
            'p',
            { class: 'test-result ' + (ok ? 'ok' : 'bad') },
            t(ok ? 'testOk' : 'testBad', { status: r.status, what, ms: number(ctx, r.latency_ms) }),
          ),
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, t('testStatus')),
            h('dd', {}, badge(`${what} (${r.status})`, ok ? 'good' : 'bad')),
            h('dt', {}, t('testLatency')),
            h('dd', {}, t('ms', { n: number(ctx, r.latency_ms) })),
            h('dt', {}, t('testBody')),
            h('dd', {}, h('pre', { class: 'answer' }, r.body || t('emptyBody'))),
          ),
        );
      } catch (err) {
        const reason =
          err.status === 409 || err.code === 'callback_url_missing'
            ? t('noUrl')
            : t('testFailed', { reason: err.message || problemText(t, err) });
        result.replaceChildren(h('p', { class: 'test-result bad' }, reason));
      }
    }),
  );
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'test-title' },
      h('h2', { id: 'test-title' }, t('testTitle')),
      h('p', { class: 'hint' }, t('testLead')),
      h('div', { class: 'form-actions' }, test),
      result,
    ),
  );
}
