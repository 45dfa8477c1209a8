// Business details and brand: name, web address, zone, language, country, colors and
// logo with a live preview of the wizard (and a warning when a color reads poorly), and
// where customers go after paying (API.md "Admin API": tenant).
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, problemText, alertText } from '../ui.js';
import { applyBrand, contrast } from '../../wizard/brand.js';
import { allZones } from '../../wizard/format.js';
import { money, number, toMinor } from './common.js';

addMessages({
  es: {
    businessTitle: 'Negocio y marca',
    sectionBusiness: 'Tu negocio',
    sectionBrand: 'Marca',
    sectionReturn: 'Después de reservar',
    tName: 'Nombre del negocio',
    tSubdomain: 'Tu dirección',
    tSubdomainHint: 'Letras minúsculas, números y guiones. Tus clientes reservan en {example}.',
    tCustomDomain: 'Dominio propio (opcional)',
    tCustomDomainHint: 'Por ejemplo reservas.tunegocio.com. Se activa cuando compruebes que es tuyo.',
    proofPending: 'Para activar {domain}, publica en tu sitio actual el archivo {url} con solo este código:',
    proofCheck: 'Comprobar',
    proofDone: '{domain} está verificado: ya puedes apuntarlo aquí (CNAME hacia tu dirección).',
    proofVerified: 'Verificado',
    tZone: 'Zona horaria',
    tZoneHint: 'Las fechas del panel y de tus correos se muestran en esta zona.',
    tLocale: 'Idioma de tus clientes',
    tCountry: 'País',
    tPrimary: 'Color principal',
    tSecondary: 'Color secundario',
    tColorHex: 'Código del color {name}',
    tLogo: 'Logo',
    tLogoHint: 'PNG o SVG, máximo 2 MB. Se ve mejor horizontal y con fondo transparente.',
    tLogoUpload: 'Subir logo',
    tLogoDone: 'Logo actualizado.',
    tLogoTooBig: 'El archivo pesa más de 2 MB.',
    tLogoType: 'Solo PNG o SVG.',
    tReturn: 'Volver a tu sitio (URL https)',
    tReturnHint: 'Después de pagar, el cliente vuelve aquí con ?status=ok&ref=….',
    tTerms: 'Términos y condiciones (URL https)',
    preview: 'Vista previa del asistente de reservas',
    previewService: 'Consulta de valoración',
    previewMeta: '45 min · pago completo',
    previewTimes: 'Horarios',
    previewContinue: 'Continuar',
    lowContrast: '«{name}» es muy claro sobre blanco ({ratio}:1): lo oscurecemos en textos y enlaces para que se lean.',
    colorInvalid: 'Usa un color como #0F766E.',
    exampleSubdomain: 'tu-negocio',
    sectionPolicy: 'Cancelaciones',
    tCancelCutoff: 'Tus clientes pueden cancelar hasta (horas antes)',
    tCancelCutoffHint: 'Después, solo tú puedes cancelar desde el panel.',
    tRefund: 'Al cancelar a tiempo se devuelve',
    tRefundFull: 'Todo lo pagado',
    tRefundNone: 'Nada',
    tCalcomHours: 'Horario de los profesionales en Cal.com',
    tCalcomOurs: 'El de aquí',
    tCalcomCalcom: 'El de Cal.com',
    tCalcomBoth: 'Solo donde ambos coinciden',
    tCalcomHoursHint: 'Para profesionales conectados a Cal.com con un tipo de evento.',
    tRescheduleCutoff: 'Pueden cambiar la hora hasta (horas antes)',
    tMaxReschedules: 'Cambios de hora permitidos por reserva',
    tRetention: 'Meses que guardas los datos de un cliente',
    tRetentionHint:
      'Después de estos meses desde cada reserva borramos el nombre, el correo y el teléfono del cliente; la reserva y el pago quedan (1 a 120).',
    tErasureDays: 'Días para cumplir una solicitud de borrado',
    tErasureDaysHint:
      'Si no la confirmas antes, la cumplimos sola tras estos días; 0 espera a que la confirmes (0 a 365).',
    tAutoComplete: 'Horas tras la cita para darla por atendida',
    tAutoCompleteHint:
      'Hasta entonces marcas si el cliente asistió o no; pasado ese plazo, una cita sin marcar cuenta como atendida, y durante 24 horas aún puedes marcar que no asistió (0 a 720).',
    tNotify: 'Avisos de reservas (correo, opcional)',
    tNotifyHint: 'Recibe aquí cada reserva nueva, con la invitación para tu calendario.',
    tReplyTo: 'Respuestas de tus clientes',
    tReplyToHint:
      'Cuando un cliente responde un correo de su reserva o de su paquete, la respuesta llega aquí. Vacío: a tu correo de avisos, o al de tu cuenta.',
    tPhone: 'Teléfono para tus clientes (opcional)',
    tPhoneHint:
      'Con el código del país, como +57 601 555 0123. Se lo damos, con tu correo, a quien ya no puede cancelar o cambiar la hora en línea.',
    tEmbed: 'Sitios que pueden mostrar tu página de reservas (opcional)',
    tEmbedHint:
      'Uno por línea, como https://www.mitienda.com (sin ruta). Solo estos sitios pueden insertarla con embed.js; hasta 10.',
    langEs: 'Español',
    langEn: 'Inglés',
    tCurrency: 'Moneda',
    tCurrencyHint: 'La de tus precios y cobros. Tu proveedor de pagos debe aceptarla.',
    repriceTitle: 'Precios nuevos en {currency}',
    repriceHint: 'Se guardan junto con la moneda. Ahora: {amount}.',
    repriceService: 'Servicio «{name}»',
    repricePackage: 'Paquete «{name}»',
    repriceInvalid: 'Escribe un precio en {currency}, mayor que cero.',
  },
  en: {
    businessTitle: 'Business & brand',
    sectionBusiness: 'Your business',
    sectionBrand: 'Brand',
    sectionReturn: 'After booking',
    tName: 'Business name',
    tSubdomain: 'Your address',
    tSubdomainHint: 'Lowercase letters, digits and hyphens. Your customers book at {example}.',
    tCustomDomain: 'Own domain (optional)',
    tCustomDomainHint: 'For example bookings.yourbusiness.com. It starts working once you prove it is yours.',
    proofPending: 'To turn on {domain}, publish on your current site the file {url} holding only this code:',
    proofCheck: 'Check',
    proofDone: '{domain} is verified: you can point it here now (a CNAME to your address).',
    proofVerified: 'Verified',
    tZone: 'Time zone',
    tZoneHint: 'Dates in the dashboard and in your emails are shown in this zone.',
    tLocale: "Your customers' language",
    tCountry: 'Country',
    tPrimary: 'Main color',
    tSecondary: 'Second color',
    tColorHex: '{name} code',
    tLogo: 'Logo',
    tLogoHint: 'PNG or SVG, at most 2 MB. Looks best wide, on a transparent background.',
    tLogoUpload: 'Upload logo',
    tLogoDone: 'Logo updated.',
    tLogoTooBig: 'The file is larger than 2 MB.',
    tLogoType: 'PNG or SVG only.',
    tReturn: 'Back to your site (https URL)',
    tReturnHint: 'After paying, the customer comes back here with ?status=ok&ref=….',
    tTerms: 'Terms and conditions (https URL)',
    preview: 'Preview of the booking wizard',
    previewService: 'First consultation',
    previewMeta: '45 min · paid in full',
    previewTimes: 'Times',
    previewContinue: 'Continue',
    lowContrast: '“{name}” is very light on white ({ratio}:1): we darken it for text and links so they stay readable.',
    colorInvalid: 'Use a color like #0F766E.',
    exampleSubdomain: 'your-business',
    sectionPolicy: 'Cancellations',
    tCancelCutoff: 'Customers may cancel up to (hours before)',
    tCancelCutoffHint: 'After that, only you can cancel, from the dashboard.',
    tRefund: 'A timely cancellation gets back',
    tRefundFull: 'All that was paid',
    tRefundNone: 'Nothing',
    tCalcomHours: 'Hours of professionals on Cal.com',
    tCalcomOurs: 'The ones set here',
    tCalcomCalcom: "Cal.com's",
    tCalcomBoth: 'Only where both agree',
    tCalcomHoursHint: 'For professionals connected to Cal.com with an event type.',
    tRescheduleCutoff: 'They may change the time up to (hours before)',
    tMaxReschedules: 'Time changes allowed per booking',
    tRetention: "Months you keep a customer's data",
    tRetentionHint:
      "After these months from each booking we erase the customer's name, email and phone; the booking and its payment stay (1 to 120).",
    tErasureDays: 'Days before an erasure request is carried out',
    tErasureDaysHint:
      'If you do not confirm it before, we carry it out after these days; 0 waits for your confirmation (0 to 365).',
    tAutoComplete: 'Hours after the appointment before it counts as attended',
    tAutoCompleteHint:
      'Until then you mark whether the customer came; after that an unmarked appointment counts as attended, and for 24 hours you can still mark that they did not come (0 to 720).',
    tNotify: 'Booking notices (email, optional)',
    tNotifyHint: 'Get every new booking here, with the invitation for your calendar.',
    tReplyTo: "Your customers' replies",
    tReplyToHint:
      'When a customer answers an email about their booking or package, the reply comes here. Empty: your booking notices address, or your account email.',
    tPhone: 'Phone for your customers (optional)',
    tPhoneHint:
      'With the country code, like +57 601 555 0123. Customers who can no longer cancel or change the time online get it, with your email.',
    tEmbed: 'Sites that may show your booking page (optional)',
    tEmbedHint:
      'One per line, like https://www.myshop.com (no path). Only these sites can embed it with embed.js; up to 10.',
    langEs: 'Spanish',
    langEn: 'English',
    tCurrency: 'Currency',
    tCurrencyHint: 'The one of your prices and charges. Your payment provider must accept it.',
    repriceTitle: 'New prices in {currency}',
    repriceHint: 'Saved with the currency. Now: {amount}.',
    repriceService: 'Service “{name}”',
    repricePackage: 'Package “{name}”',
    repriceInvalid: 'Type a price in {currency}, above zero.',
  },
});

const COUNTRIES = [
  'AR',
  'BO',
  'BR',
  'CA',
  'CL',
  'CO',
  'CR',
  'DO',
  'EC',
  'ES',
  'GT',
  'HN',
  'MX',
  'NI',
  'PA',
  'PE',
  'PR',
  'PY',
  'SV',
  'US',
  'UY',
  'VE',
];
// Currencies offered in the list (the server checks that the active provider takes it).
const CURRENCIES = [
  'ARS',
  'BOB',
  'BRL',
  'CAD',
  'CLP',
  'COP',
  'CRC',
  'DOP',
  'EUR',
  'GBP',
  'GTQ',
  'HNL',
  'JPY',
  'KWD',
  'MXN',
  'NIO',
  'PEN',
  'PYG',
  'USD',
  'UYU',
];
const HEX = /^#[0-9a-fA-F]{6}$/;
const MAX_LOGO = 2 * 1024 * 1024;

function colorField(t, name, label, value) {
  const box = field({ name, label, value, attrs: { maxlength: 7, autocomplete: 'off', spellcheck: 'false' } });
  const text = box.querySelector('input');
  const picker = h('input', { type: 'color', 'aria-label': label });
  picker.value = HEX.test(value || '') ? value : '#3b82f6';
  picker.addEventListener('input', () => {
    text.value = picker.value.toUpperCase();
    text.dispatchEvent(new Event('input', { bubbles: true }));
  });
  text.addEventListener('input', () => {
    if (HEX.test(text.value)) picker.value = text.value;
  });
  const row = h('div', { class: 'color-row' });
  text.replaceWith(row);
  row.append(picker, text);
  return box;
}

function preview(t, tenant) {
  const logo = h('img', { class: 'pv-logo', alt: '', hidden: !tenant.logo_url });
  if (tenant.logo_url) logo.src = tenant.logo_url;
  const root = h(
    'div',
    { class: 'wizard-preview', 'aria-hidden': 'true' },
    h('div', { class: 'pv-brand' }, logo, h('span', { class: 'pv-name' }, tenant.name)),
    h('div', { class: 'pv-card selected' }, h('strong', {}, t('previewService')), h('span', {}, t('previewMeta'))),
    h('p', { class: 'pv-label' }, t('previewTimes')),
    h(
      'div',
      { class: 'pv-times' },
      h('span', { class: 'pv-time' }, '9:00'),
      h('span', { class: 'pv-time chosen' }, '9:45'),
      h('span', { class: 'pv-time' }, '10:30'),
    ),
    h('span', { class: 'pv-button' }, t('previewContinue')),
  );
  return { root, logo };
}

export async function business(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  const base = location.host.replace(/^[^.]+\.(?=.*\.)/, (m) => (m === ctx.session.tenant.subdomain + '.' ? '' : m));
  const example = `${tenant.subdomain || t('exampleSubdomain')}.${base}`;
  const zones = allZones();
  if (tenant.timezone && !zones.includes(tenant.timezone)) zones.unshift(tenant.timezone);
  const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([ctx.tag], { type: 'region' }) : null;
  const moneyNames =
    typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([ctx.tag], { type: 'currency' }) : null;
  const currencies =
    CURRENCIES.includes(tenant.currency) || !tenant.currency ? CURRENCIES : [tenant.currency, ...CURRENCIES];
  const countries = COUNTRIES.includes(tenant.country) || !tenant.country ? COUNTRIES : [tenant.country, ...COUNTRIES];

  // A domain of its own is served once proved (API.md "Hosts and tenants"): its token, the
  // URL to publish it at, and the check.
  const proofBox = h('div', { class: 'domain-proof wide', id: 'domain-proof', role: 'status', hidden: true });
  async function showProof() {
    const { custom_domain: proof } = await api.get('/api/admin/tenant/custom-domain');
    proofBox.hidden = !proof;
    if (!proof) return proofBox.replaceChildren();
    if (proof.status === 'verified') {
      return proofBox.replaceChildren(h('p', {}, `${t('proofVerified')}: ${proof.domain}`));
    }
    const error = h('p', { class: 'field-error', hidden: true });
    const check = h('button', { type: 'button', class: 'secondary', id: 'domain-proof-check' }, t('proofCheck'));
    check.addEventListener('click', async () => {
      error.hidden = true;
      try {
        await api.post('/api/admin/tenant/custom-domain/verify', {});
        announce(t('proofDone', { domain: proof.domain }));
        showProof();
      } catch (err) {
        error.textContent = err.status && err.status < 500 ? err.message : problemText(t, err);
        error.hidden = false;
        alertText(error.textContent);
      }
    });
    proofBox.replaceChildren(
      h('p', {}, t('proofPending', { domain: proof.domain, url: proof.url })),
      h('code', { id: 'domain-proof-token' }, proof.token),
      check,
      error,
    );
  }
  showProof().catch(() => {});

  const pv = preview(t, tenant);
  const warning = h('p', { class: 'contrast-warning', role: 'status', hidden: true });
  const f = form(
    {
      submitLabel: t('save'),
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value.trim();
        const bad = {};
        for (const c of ['primary_color', 'secondary_color']) if (!HEX.test(v(c))) bad[c] = t('colorInvalid');
        if (Object.keys(bad).length) return showErrors(el, bad);
        const body = {
          name: v('name'),
          subdomain: v('subdomain') || null,
          custom_domain: v('custom_domain') || null,
          timezone: v('timezone'),
          locale: v('locale'),
          country: v('country'),
          currency: v('currency'),
          primary_color: v('primary_color').toUpperCase(),
          secondary_color: v('secondary_color').toUpperCase(),
          return_url: v('return_url') || null,
          terms_url: v('terms_url') || null,
          notification_email: v('notification_email') || null,
          reply_to_email: v('reply_to_email') || null,
          // as people write it ("+57 601 555 0123"); the API keeps the digits
          contact_phone: v('contact_phone').replace(/[\s().-]/g, '') || null,
          embed_origins: v('embed_origins').split(/\s+/).filter(Boolean),
          refund_on_cancel: v('refund_on_cancel'),
          calcom_hours: v('calcom_hours'),
        };
        for (const k of [
          'cancel_cutoff_hours',
          'reschedule_cutoff_hours',
          'max_reschedules',
          'auto_complete_hours',
          'data_retention_months',
          'erasure_auto_days',
        ]) {
          body[k] = v(k) === '' ? null : Number(v(k));
        }
        // Only what changed: a PATCH of an unchanged unique field must not trip over itself.
        for (const k of Object.keys(body)) if ((tenant[k] ?? null) === body[k]) delete body[k];
        if (String(tenant.embed_origins || []) === String(body.embed_origins)) delete body.embed_origins;
        // New prices asked after a 409 currency_in_use go with the currency they are in.
        if (reprice.currency && body.currency === reprice.currency) {
          const prices = {};
          for (const input of reprice.box.querySelectorAll('input')) {
            const amount = toMinor(input.value, reprice.currency, ctx.tag);
            if (!amount) bad[input.name] = t('repriceInvalid', { currency: reprice.currency });
            else prices[input.name.slice('reprice.'.length)] = amount;
          }
          if (Object.keys(bad).length) return showErrors(el, bad);
          body.reprice = prices;
        }
        if (!Object.keys(body).length) return announce(t('saved'));
        try {
          const saved = await api.patch('/api/admin/tenant', body);
          Object.assign(tenant, saved.tenant || body);
          ctx.tenantChanged(saved.tenant || body);
          if ('custom_domain' in body) showProof();
          announce(t('saved'));
        } catch (err) {
          if (err.fields) showErrors(el, err.fields, err.message);
          else if (err.code === 'subdomain_taken' || err.code === 'domain_taken') {
            showErrors(el, { [err.code === 'subdomain_taken' ? 'subdomain' : 'custom_domain']: err.message });
          } else if (err.code === 'currency_in_use') {
            await askNewPrices(body.currency);
            showErrors(el, { currency: err.message });
          } else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    h('h2', { class: 'section' }, t('sectionBusiness')),
    field({
      name: 'name',
      label: t('tName'),
      value: tenant.name,
      required: true,
      attrs: { maxlength: 100, autocomplete: 'organization' },
    }),
    field({
      name: 'subdomain',
      label: t('tSubdomain'),
      value: tenant.subdomain,
      hint: t('tSubdomainHint', { example }),
      attrs: { maxlength: 63, autocapitalize: 'off', spellcheck: 'false', pattern: '[a-z0-9-]{3,63}' },
    }),
    field({
      name: 'timezone',
      label: t('tZone'),
      kind: 'select',
      value: tenant.timezone,
      hint: t('tZoneHint'),
      options: zones.map((z) => [z, z.replace(/_/g, ' ')]),
    }),
    field({
      name: 'country',
      label: t('tCountry'),
      kind: 'select',
      value: tenant.country,
      options: countries.map((c) => [c, names ? names.of(c) : c]).sort((a, b) => a[1].localeCompare(b[1])),
    }),
    field({
      name: 'currency',
      label: t('tCurrency'),
      kind: 'select',
      value: tenant.currency,
      hint: t('tCurrencyHint'),
      options: currencies.map((c) => [c, moneyNames ? `${c} · ${moneyNames.of(c)}` : c]),
    }),
    field({
      name: 'locale',
      label: t('tLocale'),
      kind: 'select',
      value: tenant.locale,
      options: [
        ['es', t('langEs')],
        ['en', t('langEn')],
      ],
    }),
    field({
      name: 'custom_domain',
      label: t('tCustomDomain'),
      value: tenant.custom_domain,
      hint: t('tCustomDomainHint'),
      attrs: { autocapitalize: 'off', spellcheck: 'false' },
    }),
    proofBox,
    h('h2', { class: 'section' }, t('sectionBrand')),
    colorField(t, 'primary_color', t('tPrimary'), tenant.primary_color),
    colorField(t, 'secondary_color', t('tSecondary'), tenant.secondary_color),
    h('div', { class: 'section' }, warning),
    h('h2', { class: 'section' }, t('sectionReturn')),
    field({
      name: 'return_url',
      label: t('tReturn'),
      kind: 'url',
      value: tenant.return_url,
      hint: t('tReturnHint'),
      wide: true,
    }),
    field({ name: 'terms_url', label: t('tTerms'), kind: 'url', value: tenant.terms_url, wide: true }),
    field({
      name: 'notification_email',
      label: t('tNotify'),
      kind: 'email',
      value: tenant.notification_email,
      hint: t('tNotifyHint'),
      wide: true,
      attrs: { autocomplete: 'email', inputmode: 'email', autocapitalize: 'off', spellcheck: 'false' },
    }),
    field({
      name: 'reply_to_email',
      label: t('tReplyTo'),
      kind: 'email',
      value: tenant.reply_to_email,
      hint: t('tReplyToHint'),
      wide: true,
      attrs: {
        // the default in effect: the notices address, else the owner's once verified (the
        // signed-in user: a business has one)
        placeholder: tenant.notification_email || (ctx.session.user.email_verified ? ctx.session.user.email : ''),
        autocomplete: 'off',
        inputmode: 'email',
        autocapitalize: 'off',
        spellcheck: 'false',
      },
    }),
    field({
      name: 'contact_phone',
      label: t('tPhone'),
      kind: 'tel',
      value: tenant.contact_phone,
      hint: t('tPhoneHint'),
      wide: true,
      attrs: { autocomplete: 'tel', inputmode: 'tel', maxlength: 24 },
    }),
    field({
      name: 'embed_origins',
      label: t('tEmbed'),
      kind: 'textarea',
      value: (tenant.embed_origins || []).join('\n'),
      hint: t('tEmbedHint'),
      wide: true,
      attrs: { autocapitalize: 'off', spellcheck: 'false', rows: 3 },
    }),
    h('h2', { class: 'section' }, t('sectionPolicy')),
    field({
      name: 'cancel_cutoff_hours',
      label: t('tCancelCutoff'),
      kind: 'number',
      value: tenant.cancel_cutoff_hours,
      hint: t('tCancelCutoffHint'),
      attrs: { min: 0, max: 720, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'refund_on_cancel',
      label: t('tRefund'),
      kind: 'select',
      value: tenant.refund_on_cancel,
      options: [
        ['full', t('tRefundFull')],
        ['none', t('tRefundNone')],
      ],
    }),
    field({
      name: 'reschedule_cutoff_hours',
      label: t('tRescheduleCutoff'),
      kind: 'number',
      value: tenant.reschedule_cutoff_hours,
      attrs: { min: 0, max: 720, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'max_reschedules',
      label: t('tMaxReschedules'),
      kind: 'number',
      value: tenant.max_reschedules,
      attrs: { min: 0, max: 10, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'auto_complete_hours',
      label: t('tAutoComplete'),
      kind: 'number',
      value: tenant.auto_complete_hours,
      hint: t('tAutoCompleteHint'),
      attrs: { min: 0, max: 720, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'data_retention_months',
      label: t('tRetention'),
      kind: 'number',
      value: tenant.data_retention_months,
      hint: t('tRetentionHint'),
      attrs: { min: 1, max: 120, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'erasure_auto_days',
      label: t('tErasureDays'),
      kind: 'number',
      value: tenant.erasure_auto_days,
      hint: t('tErasureDaysHint'),
      attrs: { min: 0, max: 365, step: 1, inputmode: 'numeric' },
    }),
    field({
      name: 'calcom_hours',
      label: t('tCalcomHours'),
      kind: 'select',
      value: tenant.calcom_hours || 'ours',
      hint: t('tCalcomHoursHint'),
      options: [
        ['ours', t('tCalcomOurs')],
        ['calcom', t('tCalcomCalcom')],
        ['both', t('tCalcomBoth')],
      ],
    }),
  );
  f.classList.add('two');

  // What is priced in the old currency gets a price in the new one, typed here (the server
  // re-prices it in the PATCH that changes the currency).
  const reprice = { currency: null, box: h('fieldset', { class: 'reprice wide', hidden: true }) };
  f.querySelector('.field[data-field="currency"]').after(reprice.box);
  async function askNewPrices(currency) {
    const [services, packages] = await Promise.all([api.get('/api/admin/services'), api.get('/api/admin/packages')]);
    const priced = (x) => x.price && x.price.currency !== currency && x.price.amount > 0 && !x.archived;
    const rows = [
      ...services.items.filter(priced).map((x) => [x, t('repriceService', { name: x.name })]),
      ...packages.items.filter(priced).map((x) => [x, t('repricePackage', { name: x.name })]),
    ];
    reprice.currency = currency;
    reprice.box.replaceChildren(
      h('legend', {}, t('repriceTitle', { currency })),
      ...rows.map(([x, label]) =>
        field({
          name: 'reprice.' + x.id,
          label: `${label} (${currency})`,
          hint: t('repriceHint', { amount: money(ctx, x.price) }),
          attrs: { inputmode: 'decimal', autocomplete: 'off' },
        }),
      ),
    );
    reprice.box.hidden = !rows.length;
  }
  f.elements.currency.addEventListener('change', () => {
    reprice.box.hidden = f.elements.currency.value !== reprice.currency || !reprice.box.querySelector('input');
  });

  const refresh = () => {
    const primary = f.elements.primary_color.value;
    const secondary = f.elements.secondary_color.value;
    applyBrand(pv.root, { primary_color: primary, secondary_color: secondary });
    const problems = [
      [primary, t('tPrimary')],
      [secondary, t('tSecondary')],
    ]
      .filter(([c]) => HEX.test(c))
      .map(([c, name]) => [contrastOnWhite(c), name])
      .filter(([ratio]) => ratio < 3);
    warning.hidden = !problems.length;
    warning.textContent = problems
      .map(([ratio, name]) => t('lowContrast', { name, ratio: number(ctx, ratio, { minimumFractionDigits: 1 }) }))
      .join(' ');
  };
  f.addEventListener('input', (ev) => {
    if (/_color$/.test(ev.target.name || '') || ev.target.type === 'color') refresh();
  });
  refresh();

  // Logo: uploaded on choice (its own endpoint), shown in the preview at once.
  const logoInput = h('input', {
    type: 'file',
    id: 'logo-file',
    accept: 'image/png,image/svg+xml',
    'aria-describedby': 'logo-hint logo-error',
  });
  const logoError = h('p', { class: 'field-error', id: 'logo-error', hidden: true });
  logoInput.addEventListener('change', async () => {
    const file = logoInput.files && logoInput.files[0];
    logoError.hidden = true;
    if (!file) return;
    const fail = (text) => {
      logoError.textContent = text;
      logoError.hidden = false;
      alertText(text);
    };
    if (!['image/png', 'image/svg+xml'].includes(file.type)) return fail(t('tLogoType'));
    if (file.size > MAX_LOGO) return fail(t('tLogoTooBig'));
    try {
      const { logo_url: url } = await api.upload('/api/admin/tenant/logo', file);
      tenant.logo_url = url;
      pv.logo.src = url + (url.includes('?') ? '&' : '?') + 'v=' + Date.now();
      pv.logo.hidden = false;
      ctx.tenantChanged({ logo_url: url });
      announce(t('tLogoDone'));
    } catch (err) {
      fail(err.message && err.status < 500 ? err.message : problemText(t, err));
    }
  });

  pageHeader(main, t, t('businessTitle'));
  main.append(
    h(
      'div',
      { class: 'business-grid' },
      h('div', { class: 'panel' }, f),
      h(
        'aside',
        { class: 'panel preview-panel', 'aria-labelledby': 'preview-title' },
        h('h2', { id: 'preview-title' }, t('preview')),
        pv.root,
        h(
          'div',
          { class: 'field logo-field' },
          h('label', { for: 'logo-file' }, t('tLogo')),
          h('p', { class: 'hint', id: 'logo-hint' }, t('tLogoHint')),
          logoInput,
          logoError,
        ),
      ),
    ),
  );
}

function contrastOnWhite(hexColor) {
  const n = parseInt(hexColor.slice(1), 16);
  return contrast([(n >> 16) & 255, (n >> 8) & 255, n & 255], [255, 255, 255]);
}
