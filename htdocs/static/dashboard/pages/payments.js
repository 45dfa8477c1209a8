// Payments: which provider customers pay with (the tenant's payment_provider) and each
// provider's keys (API.md "Admin API": payments/{provider}). Secrets are sent once and never
// shown again; the page shows which are set (last 4 characters) and can test the connection.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, problemText, copyButton, busy, badge } from '../ui.js';

addMessages({
  es: {
    paymentsTitle: 'Pagos',
    providerTitle: 'Con qué cobras',
    providerLead:
      'Tus clientes pagan en la página segura del proveedor que elijas; el dinero llega directo a tu cuenta.',
    providerSaved: 'Ahora cobras con {name}.',
    useProvider: 'Cobrar con este proveedor',
    activeProvider: 'En uso',
    providerNeedsKeys: 'Guarda las llaves de {name} para que tus clientes puedan pagar.',
    lead_wompi: 'Colombia: tarjetas, PSE, Nequi y Bancolombia.',
    lead_stripe:
      'Tarjetas de todo el mundo. Stripe pide al menos 30 minutos para pagar: si tu ventana de pago es más corta, un pago tardío se aplica igual si el horario sigue libre.',
    lead_mercadopago: 'Latinoamérica: tarjetas, efectivo y transferencias de Mercado Pago.',
    lead_airwallex: 'Tarjetas y métodos locales en Asia, Europa y América con Airwallex.',
    configured: 'Configurado',
    notConfigured: 'Sin configurar',
    mode: 'Modo',
    modeTest: 'Pruebas (sandbox)',
    modeProduction: 'Producción (dinero real)',
    setting_public_key: 'Llave pública',
    setting_private_key: 'Llave privada',
    setting_events_secret: 'Secreto de eventos',
    setting_integrity_secret: 'Secreto de integridad',
    setting_secret_key: 'Llave secreta (sk_…)',
    setting_webhook_secret: 'Secreto de los avisos de pago (webhook)',
    setting_access_token: 'Access token',
    setting_client_id: 'Client ID',
    setting_api_key: 'API key',
    secretSet: 'Guardado: termina en {last4}. Escríbelo de nuevo para cambiarlo.',
    keysHint:
      'Las encuentras en el panel del proveedor, en Desarrolladores. Las guardamos cifradas y nunca las mostramos.',
    saveKeys: 'Guardar llaves',
    keysSaved: 'Llaves guardadas.',
    testConnection: 'Probar conexión',
    testing: 'Probando…',
    testOk: 'Conexión correcta con la cuenta «{name}».',
    testFailed: '{name} no aceptó las llaves: revisa que sean del modo elegido.',
    webhookTitle: 'URL de los avisos de pago',
    webhookHint:
      'Pégala en el panel del proveedor (donde pide la URL de webhooks o de eventos) para que los pagos se confirmen aunque el cliente cierre la página.',
  },
  en: {
    paymentsTitle: 'Payments',
    providerTitle: 'How you get paid',
    providerLead:
      'Your customers pay on the secure page of the provider you choose; the money goes straight to your account.',
    providerSaved: 'You now get paid with {name}.',
    useProvider: 'Get paid with this provider',
    activeProvider: 'In use',
    providerNeedsKeys: 'Save the {name} keys so that your customers can pay.',
    lead_wompi: 'Colombia: cards, PSE, Nequi and Bancolombia.',
    lead_stripe:
      'Cards from anywhere. Stripe gives at least 30 minutes to pay: if your payment window is shorter, a late payment still counts when the time is still free.',
    lead_mercadopago: 'Latin America: Mercado Pago cards, cash and transfers.',
    lead_airwallex: 'Cards and local methods in Asia, Europe and the Americas with Airwallex.',
    configured: 'Configured',
    notConfigured: 'Not configured',
    mode: 'Mode',
    modeTest: 'Test (sandbox)',
    modeProduction: 'Production (real money)',
    setting_public_key: 'Public key',
    setting_private_key: 'Private key',
    setting_events_secret: 'Events secret',
    setting_integrity_secret: 'Integrity secret',
    setting_secret_key: 'Secret key (sk_…)',
    setting_webhook_secret: 'Payment notices secret (webhook)',
    setting_access_token: 'Access token',
    setting_client_id: 'Client ID',
    setting_api_key: 'API key',
    secretSet: 'Saved: ends in {last4}. Type it again to change it.',
    keysHint: "Find them in the provider's dashboard, under Developers. We store them encrypted and never show them.",
    saveKeys: 'Save keys',
    keysSaved: 'Keys saved.',
    testConnection: 'Test connection',
    testing: 'Testing…',
    testOk: 'Connected to the account “{name}”.',
    testFailed: '{name} did not accept the keys: check that they belong to the chosen mode.',
    webhookTitle: 'Payment notices URL',
    webhookHint:
      "Paste it in the provider's dashboard (where it asks for the webhook or events URL) so payments are confirmed even if the customer closes the page.",
  },
});

// The providers this server offers, in its order, each with its label and the settings its
// PUT /api/admin/tenant/payments/{id} takes (`secret` ones are never shown again): the
// "payments" of GET /api/admin/tenant. The page only words them.
function providersOf(tenant) {
  return Object.entries(tenant.payments || {}).map(([id, v]) => ({
    id,
    name: v.label || id,
    settings: v.settings || [],
  }));
}

// Words the page has for a provider or a setting, or `fallback` when it has none.
const wordsOr = (t, key, fallback) => (t(key) !== key ? t(key) : fallback);

const noAutofill = { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' };

// One provider's panel: its keys form, the connection test and its events URL.
function providerPanel(t, prov, saved, activeBadge) {
  const v = saved || { configured: false };
  const suffix = '-' + prov.id;
  const result = h('p', { class: 'test-result', role: 'status', 'aria-live': 'polite' });
  const state = badge(v.configured ? t('configured') : t('notConfigured'), v.configured ? 'good' : 'muted');
  const test = h(
    'button',
    { type: 'button', class: 'secondary', id: 'test-connection' + suffix, disabled: !v.configured },
    t('testConnection'),
  );
  test.addEventListener('click', () =>
    busy(test, async () => {
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
    }),
  );
  const secrets = prov.settings.filter((x) => x.secret).map((x) => x.name);
  const f = form(
    {
      submitLabel: t('saveKeys'),
      extra: [test],
      onsubmit: async (el) => {
        const body = { mode: el.elements.mode.value };
        for (const { name } of prov.settings) body[name] = el.elements[name].value.trim();
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
    field({
      name: 'mode',
      label: t('mode'),
      kind: 'select',
      value: v.mode || 'test',
      options: [
        ['test', t('modeTest')],
        ['production', t('modeProduction')],
      ],
    }),
    prov.settings.map(({ name: n, secret }) =>
      !secret
        ? field({ name: n, label: wordsOr(t, 'setting_' + n, n), value: v[n] || '', attrs: noAutofill })
        : field({
            name: n,
            label: wordsOr(t, 'setting_' + n, n),
            kind: 'password',
            hint: v[n + '_last4'] ? t('secretSet', { last4: v[n + '_last4'] }) : null,
            attrs: noAutofill,
          }),
    ),
  );
  f.classList.add('two');
  const webhook = `${location.origin}/api/webhooks/${prov.id}`;
  return {
    saved: v,
    el: h(
      'section',
      { class: 'panel', id: 'provider-' + prov.id, 'aria-labelledby': prov.id + '-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: prov.id + '-title' }, prov.name), activeBadge, state),
      wordsOr(t, 'lead_' + prov.id, null) ? h('p', { class: 'lead' }, t('lead_' + prov.id)) : null,
      h('p', { class: 'hint' }, t('keysHint')),
      f,
      result,
      h('h3', {}, t('webhookTitle')),
      h('p', { class: 'hint' }, t('webhookHint')),
      h('div', { class: 'share-row' }, h('code', { class: 'url' }, webhook), copyButton(t, webhook)),
    ),
  };
}

export async function payments(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  const providers = providersOf(tenant);
  let active = tenant.payment_provider;
  const inUse = {};
  const panels = providers.map((prov) => {
    inUse[prov.id] = badge(t('activeProvider'), 'good');
    inUse[prov.id].hidden = prov.id !== active;
    return providerPanel(t, prov, tenant.payments && tenant.payments[prov.id], inUse[prov.id]);
  });
  const warning = h('p', { class: 'form-error', role: 'status', hidden: true });
  const showWarning = () => {
    const i = providers.findIndex((p) => p.id === active);
    warning.hidden = i < 0 || panels[i].saved.configured;
    warning.textContent = i < 0 ? '' : t('providerNeedsKeys', { name: providers[i].name });
  };
  const choice = h(
    'fieldset',
    { class: 'choices' },
    h('legend', { class: 'visually-hidden' }, t('providerTitle')),
    providers.map((prov) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'payment_provider', value: prov.id, checked: prov.id === active }),
        ' ',
        prov.name,
      ),
    ),
  );
  choice.addEventListener('change', async (ev) => {
    const chosen = ev.target.value;
    try {
      await api.patch('/api/admin/tenant', { payment_provider: chosen });
      active = chosen;
      for (const prov of providers) inUse[prov.id].hidden = prov.id !== active;
      announce(t('providerSaved', { name: providers.find((p) => p.id === chosen).name }));
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
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'provider-title' },
      h('h2', { id: 'provider-title' }, t('providerTitle')),
      h('p', { class: 'lead' }, t('providerLead')),
      choice,
      warning,
    ),
    ...panels.map((p) => p.el),
  );
}
