// Reminders: when customers are reminded (the tenant's `reminders` leads, by mail always),
// and text reminders by SMS or WhatsApp through the business's own Twilio account (API.md
// "After booking"). The Auth Token is sent once and never shown again.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, problemText, badge, busy, alertText } from '../ui.js';

addMessages({
  es: {
    remindersTitle: 'Recordatorios',
    leadsTitle: 'Cuándo recordamos',
    leadsLead:
      'Cada cliente recibe un correo antes de su cita (y un mensaje de texto si conectas Twilio). Hasta {n} avisos.',
    lead1: 'Primer aviso',
    lead2: 'Segundo aviso',
    lead3: 'Tercer aviso',
    leadNone: 'Sin aviso',
    leadMinutes: '{n} minutos antes',
    leadHours: '{n} horas antes',
    leadDays: '{n} días antes',
    leadHour: '1 hora antes',
    leadDay: '1 día antes',
    saveLeads: 'Guardar avisos',
    leadsSaved: 'Avisos guardados.',
    textsTitle: 'Mensajes de texto (Twilio)',
    configured: 'Conectado',
    notConfigured: 'Sin conectar',
    textsLead: 'Con tu cuenta de Twilio enviamos los recordatorios también por SMS o WhatsApp al teléfono del cliente.',
    accountSid: 'Account SID',
    authToken: 'Auth Token',
    fromNumber: 'Número de Twilio',
    channel: 'Canal',
    channelSms: 'SMS',
    channelWhatsapp: 'WhatsApp',
    tokenSet: 'Guardado: termina en {last4}. Escríbelo de nuevo para cambiar los datos.',
    tokenHint: 'Los encuentras en la consola de Twilio. Guardamos el Auth Token cifrado y nunca lo mostramos.',
    fromHint: 'Con + y el código del país, p. ej. +14155552671.',
    saveTexts: 'Guardar y conectar',
    textsSaved: 'Twilio conectado: los próximos recordatorios también irán por mensaje.',
    disconnect: 'Desconectar',
    disconnected: 'Twilio desconectado: los recordatorios siguen por correo.',
  },
  en: {
    remindersTitle: 'Reminders',
    leadsTitle: 'When we remind',
    leadsLead:
      'Every customer gets an email before the appointment (and a text message if you connect Twilio). Up to {n} reminders.',
    lead1: 'First reminder',
    lead2: 'Second reminder',
    lead3: 'Third reminder',
    leadNone: 'No reminder',
    leadMinutes: '{n} minutes before',
    leadHours: '{n} hours before',
    leadDays: '{n} days before',
    leadHour: '1 hour before',
    leadDay: '1 day before',
    saveLeads: 'Save reminders',
    leadsSaved: 'Reminders saved.',
    textsTitle: 'Text messages (Twilio)',
    configured: 'Connected',
    notConfigured: 'Not connected',
    textsLead: "With your Twilio account we also send the reminders by SMS or WhatsApp to the customer's phone.",
    accountSid: 'Account SID',
    authToken: 'Auth Token',
    fromNumber: 'Twilio number',
    channel: 'Channel',
    channelSms: 'SMS',
    channelWhatsapp: 'WhatsApp',
    tokenSet: 'Saved: ends in {last4}. Type it again to change the settings.',
    tokenHint: 'Find them in the Twilio console. We store the Auth Token encrypted and never show it.',
    fromHint: 'With + and the country code, e.g. +14155552671.',
    saveTexts: 'Save and connect',
    textsSaved: 'Twilio connected: the next reminders also go by text.',
    disconnect: 'Disconnect',
    disconnected: 'Twilio disconnected: reminders still go by email.',
  },
});

// The leads a merchant picks from (minutes): these steps under a day, then whole days, kept
// within the bounds the tenant's answer gives (`reminder_limits`, the server's one rule).
const STEPS_UNDER_A_DAY = [15, 30, 60, 120, 180, 360, 720];

function leadChoices(limits) {
  const { lead_min_minutes: min, lead_max_minutes: max } = limits;
  const days = Array.from({ length: Math.floor(max / 1440) }, (_, i) => (i + 1) * 1440);
  return [...STEPS_UNDER_A_DAY, ...days].filter((m) => m >= min && m <= max);
}

function leadLabel(t, m) {
  if (m === 1440) return t('leadDay');
  if (m === 60) return t('leadHour');
  if (m % 1440 === 0) return t('leadDays', { n: m / 1440 });
  if (m % 60 === 0) return t('leadHours', { n: m / 60 });
  return t('leadMinutes', { n: m });
}

function leadsPanel(ctx, tenant) {
  const { t } = ctx;
  const current = tenant.reminders || [];
  const limits = tenant.reminder_limits;
  const options = [['', t('leadNone')], ...leadChoices(limits).map((m) => [String(m), leadLabel(t, m)])];
  const slots = Array.from({ length: limits.leads_max }, (_, i) => i + 1);
  const pick = (i) =>
    field({
      name: 'lead' + i,
      label: t('lead' + i),
      kind: 'select',
      value: current[i - 1] !== undefined ? String(current[i - 1]) : '',
      options,
    });
  const f = form(
    {
      submitLabel: t('saveLeads'),
      onsubmit: async (el) => {
        const leads = slots
          .map((i) => el.elements['lead' + i].value)
          .filter(Boolean)
          .map(Number);
        try {
          await api.patch('/api/admin/tenant', { reminders: [...new Set(leads)].sort((a, b) => b - a) });
          announce(t('leadsSaved'));
        } catch (err) {
          if (err.fields) showErrors(el, { lead1: err.fields.reminders }, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    ...slots.map(pick),
  );
  f.classList.add('two');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'leads-title' },
    h('h2', { id: 'leads-title' }, t('leadsTitle')),
    h('p', { class: 'lead' }, t('leadsLead', { n: limits.leads_max })),
    f,
  );
}

function textsPanel(ctx, tenant) {
  const { t } = ctx;
  const m = tenant.messaging || null;
  const state = badge(m ? t('configured') : t('notConfigured'), m ? 'good' : 'muted');
  const off = h('button', { type: 'button', class: 'secondary', id: 'twilio-disconnect', hidden: !m }, t('disconnect'));
  off.addEventListener('click', () =>
    busy(off, async () => {
      try {
        await api.del('/api/admin/tenant/messaging/twilio');
        announce(t('disconnected'));
        ctx.navigate('/dashboard/reminders', { replace: true });
      } catch (err) {
        alertText(problemText(t, err));
      }
    }),
  );
  const f = form(
    {
      submitLabel: t('saveTexts'),
      extra: [off],
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value.trim();
        const body = {
          account_sid: v('account_sid'),
          auth_token: v('auth_token'),
          from: v('from'),
          channel: v('channel'),
        };
        try {
          await api.put('/api/admin/tenant/messaging/twilio', body);
          el.elements.auth_token.value = '';
          announce(t('textsSaved'));
          ctx.navigate('/dashboard/reminders', { replace: true });
        } catch (err) {
          if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'account_sid',
      label: t('accountSid'),
      value: m ? m.account_sid : '',
      required: true,
      attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' },
    }),
    field({
      name: 'auth_token',
      label: t('authToken'),
      kind: 'password',
      required: true,
      hint: m ? t('tokenSet', { last4: m.auth_token_last4 }) : null,
      attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' },
    }),
    field({
      name: 'from',
      label: t('fromNumber'),
      kind: 'tel',
      value: m ? m.from : '',
      required: true,
      hint: t('fromHint'),
      attrs: { autocomplete: 'off', inputmode: 'tel' },
    }),
    field({
      name: 'channel',
      label: t('channel'),
      kind: 'select',
      value: m ? m.channel : 'sms',
      options: [
        ['sms', t('channelSms')],
        ['whatsapp', t('channelWhatsapp')],
      ],
    }),
  );
  f.classList.add('two');
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'texts-title' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'texts-title' }, t('textsTitle')), state),
    h('p', { class: 'lead' }, t('textsLead')),
    h('p', { class: 'hint' }, t('tokenHint')),
    f,
  );
}

export async function reminders(ctx) {
  const { t, main } = ctx;
  const { tenant } = await api.get('/api/admin/tenant');
  if (ctx.stale()) return;
  pageHeader(main, t, t('remindersTitle'));
  main.append(leadsPanel(ctx, tenant), textsPanel(ctx, tenant));
}
