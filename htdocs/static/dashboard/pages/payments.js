// Payments: which provider customers pay with (the tenant's payment_provider) and each
// provider's keys (API.md "Admin API": payments/{provider}). Secrets are sent once and never
// shown again; the page shows which are set (last 4 characters) and can test the connection.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, problemText, copyButton, busy, badge } from '../ui.js';

addMessages({
  es: {
    paymentsTitle: 'Pagos', providerTitle: 'Con qué cobras',
    providerLead: 'Tus clientes pagan en la página segura del proveedor que elijas; el dinero llega directo a tu cuenta.',
    providerSaved: 'Ahora cobras con {name}.', useProvider: 'Cobrar con este proveedor',
    activeProvider: 'En uso', providerNeedsKeys: 'Guarda las llaves de {name} para que tus clientes puedan pagar.',
    wompiLead: 'Colombia: tarjetas, PSE, Nequi y Bancolombia.',
    stripeLead: 'Tarjetas de todo el mundo. Stripe pide al menos 30 minutos para pagar: si tu ventana de pago es más corta, un pago tardío se aplica igual si el horario sigue libre.',
    mercadopagoLead: 'Latinoamérica: tarjetas, efectivo y transferencias de Mercado Pago.',
    airwallexLead: 'Tarjetas y métodos locales en Asia, Europa y América con Airwallex.',
    configured: 'Configurado', notConfigured: 'Sin configurar', mode: 'Modo', modeTest: 'Pruebas (sandbox)',
    modeProduction: 'Producción (dinero real)', publicKey: 'Llave pública', privateKey: 'Llave privada',
    eventsSecret: 'Secreto de eventos', integritySecret: 'Secreto de integridad',
    secretKey: 'Llave secreta (sk_…)', webhookSecret: 'Secreto de los avisos de pago (webhook)', accessToken: 'Access token',
    clientId: 'Client ID', apiKey: 'API key',
    secretSet: 'Guardado: termina en {last4}. Escríbelo de nuevo para cambiarlo.',
    keysHint: 'Las encuentras en el panel del proveedor, en Desarrolladores. Las guardamos cifradas y nunca las mostramos.',
    saveKeys: 'Guardar llaves', keysSaved: 'Llaves guardadas.', testConnection: 'Probar conexión',
    testing: 'Probando…', testOk: 'Conexión correcta con la cuenta «{name}».',
    testFailed: '{name} no aceptó las llaves: revisa que sean del modo elegido.',
    webhookTitle: 'URL de los avisos de pago', webhookHint: 'Pégala en el panel del proveedor (donde pide la URL de webhooks o de eventos) para que los pagos se confirmen aunque el cliente cierre la página.',
  },
  en: {
    paymentsTitle: 'Payments', providerTitle: 'How you get paid',
    providerLead: 'Your customers pay on the secure page of the provider you choose; the money goes straight to your account.',
    providerSaved: 'You now get paid with {name}.', useProvider: 'Get paid with this provider',
    activeProvider: 'In use', providerNeedsKeys: 'Save the {name} keys so that your customers can pay.',
    wompiLead: 'Colombia: cards, PSE, Nequi and Bancolombia.',
    stripeLead: 'Cards from anywhere. Stripe gives at least 30 minutes to pay: if your payment window is shorter, a late payment still counts when the time is still free.',
    mercadopagoLead: 'Latin America: Mercado Pago cards, cash and transfers.',
    airwallexLead: 'Cards and local methods in Asia, Europe and the Americas with Airwallex.',
    configured: 'Configured', notConfigured: 'Not configured', mode: 'Mode', modeTest: 'Test (sandbox)',
    modeProduction: 'Production (real money)', publicKey: 'Public key', privateKey: 'Private key',
    eventsSecret: 'Events secret', integritySecret: 'Integrity secret',
    secretKey: 'Secret key (sk_…)', webhookSecret: 'Payment notices secret (webhook)', accessToken: 'Access token',
    clientId: 'Client ID', apiKey: 'API key',
    secretSet: 'Saved: ends in {last4}. Type it again to change it.',
    keysHint: 'Find them in the provider\'s dashboard, under Developers. We store them encrypted and never show them.',
    saveKeys: 'Save keys', keysSaved: 'Keys saved.', testConnection: 'Test connection',
    testing: 'Testing…', testOk: 'Connected to the account “{name}”.',
    testFailed: '{name} did not accept the keys: check that they belong to the chosen mode.',
    webhookTitle: 'Payment notices URL', webhookHint: 'Paste it in the provider\'s dashboard (where it asks for the webhook or events URL) so payments are confirmed even if the customer closes the page.',
  },
});

// Each provider's settings, as PUT /api/admin/tenant/payments/{id} takes them; `public`
// settings are shown as saved, the others are secrets.
const PROVIDERS = [
  { id: 'wompi', name: 'Wompi', settings: [['public_key', 'publicKey', true], ['private_key', 'privateKey'],
    ['events_secret', 'eventsSecret'], ['integrity_secret', 'integritySecret']] },
  { id: 'stripe', name: 'Stripe', settings: [['secret_key', 'secretKey'], ['webhook_secret', 'webhookSecret']] },
  { id: 'mercadopago', name: 'Mercado Pago', settings: [['access_token', 'accessToken'], ['webhook_secret', 'webhookSecret']] },
  { id: 'airwallex', name: 'Airwallex', settings: [['client_id', 'clientId', true], ['api_key', 'apiKey'],
    ['webhook_secret', 'webhookSecret']] },
];

export const providerName = (id) => (PROVIDERS.find((p) => p.id === id) || { name: id }).name;

const noAutofill = { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' };

// One provider's panel: its keys form, the connection test and its events URL.
function providerPanel(t, prov, saved, activeBadge) {
  const v = saved || { configured: false };
  const suffix = prov.id === 'wompi' ? '' : '-' + prov.id;   // Wompi's ids predate the others
  const result = h('p', { class: 'test-result', role: 'status', 'aria-live': 'polite' });
  const state = badge(v.configured ? t('configured') : t('notConfigured'), v.configured ? 'good' : 'muted');
  const test = h('button', { type: 'button', class: 'secondary', id: 'test-connection' + suffix, disabled: !v.configured },
    t('testConnection'));
  test.addEventListener('click', () => busy(test, async () => {
    result.className = 'test-result';
    result.textContent = t('testing');
    try {
      const r = await api.post(`/api/admin/tenant/payments/${prov.id}/test`);
      result.className = 'test-result ok';
      result.textContent = t('testOk', { name: r.merchant_name || '' });
    } catch (err) {
      result.className = 'test-result bad';
      result.textContent = err.code === 'provider_error' ? t('testFailed', { name: prov.name }) : problemText(t, err);
    }
  }));
  const secrets = prov.settings.filter(([, , isPublic]) => !isPublic).map(([n]) => n);
  const f = form({
    submitLabel: t('saveKeys'),
    extra: [test],
    onsubmit: async (el) => {
      const body = { mode: el.elements.mode.value };
      for (const [n] of prov.settings) body[n] = el.elements[n].value.trim();
      try {
        await api.put(`/api/admin/tenant/payments/${prov.id}`, body);
        for (const n of secrets) el.elements[n].value = '';
        announce(t('keysSaved'));
        state.textContent = t('configured');
        state.className = 'badge good';
        test.disabled = false;
        v.configured = true;
      } catch (err) {
        if (err.fields) showErrors(el, err.fields, err.message);
        else showErrors(el, {}, problemText(t, err));
      }
    },
  },
  field({ name: 'mode', label: t('mode'), kind: 'select', value: v.mode || 'test',
    options: [['test', t('modeTest')], ['production', t('modeProduction')]] }),
  prov.settings.map(([n, label, isPublic]) => isPublic
    ? field({ name: n, label: t(label), value: v[n] || '', attrs: noAutofill })
    : field({ name: n, label: t(label), kind: 'password',
      hint: v[n + '_last4'] ? t('secretSet', { last4: v[n + '_last4'] }) : null, attrs: noAutofill })));
  f.classList.add('two');
  const webhook = `${location.origin}/api/webhooks/${prov.id}`;
  return {
    saved: v,
    el: h('section', { class: 'panel', id: 'provider-' + prov.id, 'aria-labelledby': prov.id + '-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: prov.id + '-title' }, prov.name), activeBadge, state),
      h('p', { class: 'lead' }, t(prov.id + 'Lead')),
      h('p', { class: 'hint' }, t('keysHint')),
      f, result,
      h('h3', {}, t('webhookTitle')),
      h('p', { class: 'hint' }, t('webhookHint')),
      h('div', { class: 'share-row' }, h('code', { class: 'url' }, webhook), copyButton(t, webhook))),
  };
}

export async function payments(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  let active = tenant.payment_provider || 'wompi';
  const inUse = {};
  const panels = PROVIDERS.map((prov) => {
    inUse[prov.id] = badge(t('activeProvider'), 'good');
    inUse[prov.id].hidden = prov.id !== active;
    return providerPanel(t, prov, tenant.payments && tenant.payments[prov.id], inUse[prov.id]);
  });
  const warning = h('p', { class: 'form-error', role: 'status', hidden: true });
  const showWarning = () => {
    const i = PROVIDERS.findIndex((p) => p.id === active);
    warning.hidden = panels[i].saved.configured;
    warning.textContent = t('providerNeedsKeys', { name: PROVIDERS[i].name });
  };
  const choice = h('fieldset', { class: 'choices' }, h('legend', { class: 'visually-hidden' }, t('providerTitle')),
    PROVIDERS.map((prov) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name: 'payment_provider', value: prov.id, checked: prov.id === active }),
      ' ', prov.name)));
  choice.addEventListener('change', async (ev) => {
    const chosen = ev.target.value;
    try {
      await api.patch('/api/admin/tenant', { payment_provider: chosen });
      active = chosen;
      for (const prov of PROVIDERS) inUse[prov.id].hidden = prov.id !== active;
      announce(t('providerSaved', { name: providerName(chosen) }));
      showWarning();
      document.getElementById('provider-' + chosen).scrollIntoView({ block: 'nearest' });
    } catch (err) {
      // the provider stays the one in use; say why (e.g. it does not charge the currency)
      choice.querySelector(`input[value="${active}"]`).checked = true;
      warning.hidden = false;
      warning.textContent = (err.fields && err.fields.payment_provider) || problemText(t, err);
    }
  });
  showWarning();
  pageHeader(main, t, t('paymentsTitle'));
  main.append(
    h('section', { class: 'panel', 'aria-labelledby': 'provider-title' },
      h('h2', { id: 'provider-title' }, t('providerTitle')),
      h('p', { class: 'lead' }, t('providerLead')), choice, warning),
    ...panels.map((p) => p.el));
}
