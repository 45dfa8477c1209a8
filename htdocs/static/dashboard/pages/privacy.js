// A customer's data (docs/privacy.md): export everything held about an address (JSON or
// CSV), erase it after a confirmation dialog, and the customers' erasure requests waiting
// for the merchant (API.md "Customers"). A booking's detail links here with its address.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import {
  h,
  clear,
  pageHeader,
  field,
  form,
  showErrors,
  clearErrors,
  announce,
  alertText,
  problemText,
  table,
  badge,
  busy,
  confirmDialog,
} from '../ui.js';
import { when } from './common.js';

addMessages({
  es: {
    privacyTitle: 'Datos de clientes',
    privacyIntro:
      'Descarga todo lo que guardas de un cliente o bórralo. Las reservas y los pagos ' +
      'se conservan sin sus datos personales.',
    privacyEmail: 'Correo del cliente',
    privacyContinue: 'Continuar',
    privacyEmailInvalid: 'Escribe un correo electrónico válido.',
    privacyExportJson: 'Descargar datos (JSON)',
    privacyExportCsv: 'Descargar datos (CSV)',
    privacyErase: 'Borrar cliente',
    privacyEraseTitle: '¿Borrar los datos de este cliente?',
    privacyEraseText:
      'Se borrarán el nombre, el correo, el teléfono y las notas de {email} en todas ' +
      'sus reservas y paquetes, y los correos y mensajes pendientes. Los importes y pagos se ' +
      'conservan. No se puede deshacer.',
    privacyEraseConfirm: 'Sí, borrar',
    privacyCancel: 'Cancelar',
    privacyErased: 'Datos borrados. Reservas afectadas: {n}.',
    privacyOne: 'Un cliente',
    privacyRequests: 'Solicitudes de borrado',
    privacyNoRequests: 'No hay solicitudes de borrado.',
    colRequested: 'Pedida',
    colAutomatic: 'Se borra sola',
    reqPending: 'Pendiente',
    reqErased: 'Borrada',
    reqNever: 'Cuando la confirmes',
    reqConfirm: 'Borrar ahora',
    reqByYou: 'por ti',
    reqByItself: 'automáticamente',
    privacySettings:
      'Plazos: los datos se borran {months} meses después de cada reserva; una ' +
      'solicitud se cumple sola a los {days} días (0: solo cuando la confirmas). Cámbialos en Negocio.',
  },
  en: {
    privacyTitle: 'Customer data',
    privacyIntro:
      'Download everything you hold about a customer, or erase it. Bookings and ' +
      'payments are kept without their personal data.',
    privacyEmail: "Customer's email",
    privacyContinue: 'Continue',
    privacyEmailInvalid: 'Type a valid email address.',
    privacyExportJson: 'Download data (JSON)',
    privacyExportCsv: 'Download data (CSV)',
    privacyErase: 'Erase customer',
    privacyEraseTitle: "Erase this customer's data?",
    privacyEraseText:
      'The name, email, phone and notes of {email} will be erased from all their ' +
      'bookings and packages, with the mails and texts not sent yet. Amounts and payments are ' +
      'kept. This cannot be undone.',
    privacyEraseConfirm: 'Yes, erase',
    privacyCancel: 'Cancel',
    privacyErased: 'Data erased. Bookings affected: {n}.',
    privacyOne: 'One customer',
    privacyRequests: 'Erasure requests',
    privacyNoRequests: 'There are no erasure requests.',
    colRequested: 'Asked',
    colAutomatic: 'Erased by itself',
    reqPending: 'Pending',
    reqErased: 'Erased',
    reqNever: 'When you confirm',
    reqConfirm: 'Erase now',
    reqByYou: 'by you',
    reqByItself: 'automatically',
    privacySettings:
      'Periods: data is erased {months} months after each booking; a request is ' +
      'carried out by itself after {days} days (0: only when you confirm). Change them in Business.',
  },
});

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

function exportUrl(email, format) {
  return '/api/admin/customers/export' + api.queryString({ email, format });
}

function confirmErase(t, email) {
  return confirmDialog({
    title: t('privacyEraseTitle'),
    text: fill(t('privacyEraseText'), { email }),
    yes: t('privacyEraseConfirm'),
    no: t('privacyCancel'),
  });
}

async function erase(ctx, email, opener) {
  const { t } = ctx;
  const sure = await confirmErase(t, email);
  opener.focus();
  if (!sure) return null;
  const out = await api.post('/api/admin/customers/erase', { email });
  announce(fill(t('privacyErased'), { n: out.erased_bookings }));
  return out;
}

function requestsTable(ctx, items, redraw) {
  const { t } = ctx;
  return table(
    t('privacyRequests'),
    [
      { label: t('colRequested'), cell: (r) => when(ctx, r.requested_at) },
      { label: t('colCustomer'), cell: (r) => r.email || '—' },
      {
        label: t('colStatus'),
        cell: (r) =>
          r.status === 'pending'
            ? badge(t('reqPending'), 'wait')
            : [
                badge(t('reqErased'), 'good'),
                ' ',
                h(
                  'span',
                  { class: 'hint' },
                  when(ctx, r.erased_at),
                  ' ',
                  r.erased_by === 'automatic' ? t('reqByItself') : t('reqByYou'),
                ),
              ],
      },
      {
        label: t('colAutomatic'),
        cell: (r) =>
          r.status !== 'pending'
            ? '—'
            : r.erases_automatically_at
              ? when(ctx, r.erases_automatically_at)
              : t('reqNever'),
      },
      {
        label: '',
        cell: (r) => {
          if (r.status !== 'pending') return '';
          const b = h('button', { type: 'button', class: 'danger' }, t('reqConfirm'));
          b.setAttribute('aria-label', `${t('reqConfirm')}: ${r.email}`);
          b.addEventListener('click', () =>
            busy(b, async () => {
              if (!(await confirmErase(t, r.email))) {
                b.focus();
                return;
              }
              try {
                const out = await api.post(`/api/admin/customers/erasure-requests/${r.id}/confirm`);
                announce(fill(t('privacyErased'), { n: out.erased_bookings }));
                await redraw();
              } catch (err) {
                alertText(problemText(t, err));
              }
            }),
          );
          return b;
        },
      },
    ],
    items,
    { empty: t('privacyNoRequests') },
  );
}

export async function privacy(ctx) {
  const { t, main, query } = ctx;
  const [requests, tenant] = await Promise.all([
    api.get('/api/admin/customers/erasure-requests'),
    api.get('/api/admin/tenant'),
  ]);
  if (ctx.stale()) return;
  pageHeader(main, t, t('privacyTitle'));
  const settings = tenant.tenant || tenant;
  main.append(
    h('p', {}, t('privacyIntro')),
    h(
      'p',
      { class: 'hint' },
      fill(t('privacySettings'), {
        months: settings.data_retention_months,
        days: settings.erasure_auto_days,
      }),
    ),
  );

  const links = h('div', { class: 'form-actions export-links', hidden: true });
  const eraseButton = h('button', { type: 'button', class: 'danger' }, t('privacyErase'));
  const emailField = field({
    name: 'email',
    label: t('privacyEmail'),
    kind: 'email',
    value: query.get('email') || '',
    required: true,
    attrs: { autocomplete: 'off' },
  });
  const input = emailField.querySelector('input');
  const showLinks = () => {
    const email = input.value.trim();
    clear(links).append(
      h(
        'a',
        { class: 'button secondary', href: exportUrl(email, 'json'), download: 'customer-data.json' },
        t('privacyExportJson'),
      ),
      h(
        'a',
        { class: 'button secondary', href: exportUrl(email, 'csv'), download: 'customer-data.csv' },
        t('privacyExportCsv'),
      ),
      eraseButton,
    );
    links.hidden = false;
  };
  // Continue offers the downloads and the erasure for the address; the browser's own check of
  // an email input catches a typo first (the server checks again on every call).
  const lookup = form(
    {
      submitLabel: t('privacyContinue'),
      onsubmit: async (el) => {
        clearErrors(el);
        input.value = input.value.trim();
        if (!input.value || !input.checkValidity()) {
          showErrors(el, { email: t('privacyEmailInvalid') }, null);
          return;
        }
        showLinks();
        links.querySelector('a').focus();
      },
    },
    emailField,
  );
  eraseButton.addEventListener('click', () =>
    busy(eraseButton, async () => {
      try {
        await erase(ctx, input.value.trim(), eraseButton);
      } catch (err) {
        if (err.status === 400) showErrors(lookup, err.fields, err.message);
        else alertText(problemText(t, err));
      }
    }),
  );
  input.addEventListener('input', () => {
    links.hidden = true;
  });
  main.append(
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'customer-data' },
      h('h2', { id: 'customer-data' }, t('privacyOne')),
      lookup,
      links,
    ),
  );

  const box = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'erasure-requests' },
    h('h2', { id: 'erasure-requests' }, t('privacyRequests')),
  );
  const redraw = async () => {
    const fresh = await api.get('/api/admin/customers/erasure-requests');
    clear(box).append(
      h('h2', { id: 'erasure-requests' }, t('privacyRequests')),
      requestsTable(ctx, fresh.items, redraw),
    );
  };
  box.append(requestsTable(ctx, requests.items, redraw));
  main.append(box);
  if (query.get('email')) showLinks();
}
