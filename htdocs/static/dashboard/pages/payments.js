// Payment keys: the tenant's Wompi account (API.md "Admin API": payments/wompi). Secrets
// are sent once and never shown again; the page shows which are set (last 4 characters)
// and can test the connection with the provider.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, problemText, copyButton, busy, badge } from '../ui.js';

addMessages({
  es: {
    paymentsTitle: 'Pagos', wompiTitle: 'Wompi', wompiLead: 'Tus clientes pagan en la página segura de Wompi; el dinero llega directo a tu cuenta.',
    configured: 'Configurado', notConfigured: 'Sin configurar', mode: 'Modo', modeTest: 'Pruebas (sandbox)',
    modeProduction: 'Producción (dinero real)', publicKey: 'Llave pública', privateKey: 'Llave privada',
    eventsSecret: 'Secreto de eventos', integritySecret: 'Secreto de integridad',
    secretSet: 'Guardado: termina en {last4}. Escríbelo de nuevo para cambiarlo.',
    keysHint: 'Las encuentras en el panel de Wompi, en Desarrolladores. Las guardamos cifradas y nunca las mostramos.',
    saveKeys: 'Guardar llaves', keysSaved: 'Llaves guardadas.', testConnection: 'Probar conexión',
    testing: 'Probando…', testOk: 'Conexión correcta con la cuenta «{name}».',
    testFailed: 'Wompi no aceptó las llaves: revisa que sean del modo elegido.',
    webhookTitle: 'URL de eventos', webhookHint: 'Pégala en Wompi (Desarrolladores → URL de eventos) para que los pagos se confirmen aunque el cliente cierre la página.',
    needAllKeys: 'La primera vez escribe las cuatro llaves.',
  },
  en: {
    paymentsTitle: 'Payments', wompiTitle: 'Wompi', wompiLead: 'Your customers pay on Wompi\'s secure page; the money goes straight to your account.',
    configured: 'Configured', notConfigured: 'Not configured', mode: 'Mode', modeTest: 'Test (sandbox)',
    modeProduction: 'Production (real money)', publicKey: 'Public key', privateKey: 'Private key',
    eventsSecret: 'Events secret', integritySecret: 'Integrity secret',
    secretSet: 'Saved: ends in {last4}. Type it again to change it.',
    keysHint: 'Find them in Wompi\'s dashboard, under Developers. We store them encrypted and never show them.',
    saveKeys: 'Save keys', keysSaved: 'Keys saved.', testConnection: 'Test connection',
    testing: 'Testing…', testOk: 'Connected to the account “{name}”.',
    testFailed: 'Wompi did not accept the keys: check that they belong to the chosen mode.',
    webhookTitle: 'Events URL', webhookHint: 'Paste it in Wompi (Developers → Events URL) so payments are confirmed even if the customer closes the page.',
    needAllKeys: 'The first time, type all four keys.',
  },
});

export async function payments(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  const w = (tenant.payments && tenant.payments.wompi) || { configured: false };
  const result = h('p', { class: 'test-result', role: 'status', 'aria-live': 'polite' });
  const secret = (name, label, last4) => field({ name, label, kind: 'password',
    hint: last4 ? t('secretSet', { last4 }) : null,
    attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' } });
  const state = badge(w.configured ? t('configured') : t('notConfigured'), w.configured ? 'good' : 'muted');

  const test = h('button', { type: 'button', class: 'secondary', id: 'test-connection', disabled: !w.configured }, t('testConnection'));
  test.addEventListener('click', () => busy(test, async () => {
    result.className = 'test-result';
    result.textContent = t('testing');
    try {
      const r = await api.post('/api/admin/tenant/payments/wompi/test');
      result.className = 'test-result ok';
      result.textContent = t('testOk', { name: r.merchant_name || '' });
    } catch (err) {
      result.className = 'test-result bad';
      result.textContent = err.code === 'provider_error' ? t('testFailed') : problemText(t, err);
    }
  }));

  const f = form({
    submitLabel: t('saveKeys'),
    extra: [test],
    onsubmit: async (el) => {
      const v = (n) => el.elements[n].value.trim();
      const body = { mode: v('mode'), public_key: v('public_key'), private_key: v('private_key'),
        events_secret: v('events_secret'), integrity_secret: v('integrity_secret') };
      try {
        const saved = await api.put('/api/admin/tenant/payments/wompi', body);
        for (const n of ['private_key', 'events_secret', 'integrity_secret']) el.elements[n].value = '';
        announce(t('keysSaved'));
        state.textContent = t('configured');
        state.className = 'badge good';
        test.disabled = false;
        void saved;
      } catch (err) {
        if (err.fields) showErrors(el, err.fields, err.message);
        else showErrors(el, {}, problemText(t, err));
      }
    },
  },
  field({ name: 'mode', label: t('mode'), kind: 'select', value: w.mode || 'test',
    options: [['test', t('modeTest')], ['production', t('modeProduction')]] }),
  field({ name: 'public_key', label: t('publicKey'), value: w.public_key || '',
    attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' } }),
  secret('private_key', t('privateKey'), w.private_key_last4),
  secret('events_secret', t('eventsSecret'), w.events_secret_last4),
  secret('integrity_secret', t('integritySecret'), w.integrity_secret_last4));
  f.classList.add('two');

  const webhook = `${location.origin}/api/webhooks/wompi`;
  pageHeader(main, t, t('paymentsTitle'));
  main.append(
    h('section', { class: 'panel', 'aria-labelledby': 'wompi-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'wompi-title' }, t('wompiTitle')), state),
      h('p', { class: 'lead' }, t('wompiLead')),
      h('p', { class: 'hint' }, t('keysHint')),
      f, result),
    h('section', { class: 'panel' }, h('h2', {}, t('webhookTitle')),
      h('p', { class: 'hint' }, t('webhookHint')),
      h('div', { class: 'share-row' }, h('code', { class: 'url' }, webhook), copyButton(t, webhook))));
}
