// Packages: N sessions of one service sold at one price, valid for some days once paid (API.md
// "Admin API": Packages). List, create, edit, archive. The customer buys a package from a link
// that offers it (the Links page chooses which) and then books each session without paying
// again. Prices are typed in the currency's major unit and sent in minor units.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, table, badge, navLink, problemText } from '../ui.js';
import { money, number, toMinor, fromMinor } from './common.js';

addMessages({
  es: {
    packagesTitle: 'Paquetes',
    newPackage: 'Nuevo paquete',
    noPackages:
      'Un paquete vende varias sesiones de un servicio por un solo pago; el cliente las reserva después sin volver a pagar. Aún no tienes ninguno a la venta.',
    packagesLead: 'Varias sesiones de un servicio por un solo pago. Para venderlos, ofrécelos en un enlace.',
    colPkgService: 'Servicio',
    colSessions: 'Sesiones',
    colPkgPrice: 'Precio',
    colValid: 'Vigencia',
    archivedPackages: 'Archivados',
    archivedPackagesHint: 'Ya no se venden. Quien los compró conserva sus sesiones.',
    pkgName: 'Nombre',
    pkgNameHint: 'Lo ve el cliente, por ejemplo "4 masajes". Entre 3 y 100 caracteres.',
    pkgService: 'Servicio',
    pkgServicePick: 'Elige un servicio',
    pkgServiceArchived: '{name} (archivado)',
    pkgServiceHint: 'Cada sesión es una cita de este servicio.',
    pkgSessions: 'Número de sesiones',
    pkgSessionsHint: 'Entre 1 y 52.',
    pkgPrice: 'Precio del paquete ({currency})',
    pkgPerSession: '{amount} por sesión.',
    pkgPriceHint: 'Lo que el cliente paga una sola vez por todas las sesiones.',
    pkgPriceInvalid: 'Escribe un precio mayor que cero, como 400000 o 400.000.',
    pkgValid: 'Vigencia (días)',
    pkgValidHint: 'Desde el pago, cuántos días tiene el cliente para usar sus sesiones. Entre 1 y 730.',
    pkgDescription: 'Descripción (opcional)',
    pkgDescriptionHint: 'Lo que el cliente lee antes de comprar (hasta 2000 caracteres).',
    validDays: '{n} días',
    validDay: '1 día',
    sessionsN: '{n} sesiones',
    sessionsOne: '1 sesión',
    pkgArchived: 'Archivado',
    pkgActive: 'A la venta',
    pkgArchivedNotice: 'Este paquete está archivado: ya no se vende y no se puede editar.',
    pkgArchiveConfirm:
      '¿Archivar este paquete? Dejará de venderse en tus enlaces. Quien ya lo compró conserva sus sesiones.',
    pkgArchivedDone: 'Paquete archivado.',
    pkgCreatedDone: 'Paquete creado. Ofrécelo en un enlace para venderlo.',
    pkgEditNote: 'Los cambios valen para las compras nuevas: quien ya lo compró conserva lo que pagó.',
    pkgNoServices: 'Para crear un paquete primero necesitas un servicio.',
    pkgCreateService: 'Crear un servicio',
    pkgWhereSold: 'Dónde se vende',
    pkgSoldOn: 'Lo ofrecen estos enlaces:',
    pkgNotSold: 'Aún no lo ofrece ningún enlace. Elige el paquete en la página de un enlace para venderlo.',
    pkgGoLinks: 'Ir a mis enlaces',
  },
  en: {
    packagesTitle: 'Packages',
    newPackage: 'New package',
    noPackages:
      'A package sells several sessions of a service for one payment; the customer books them later without paying again. You have none on sale yet.',
    packagesLead: 'Several sessions of a service for one payment. To sell them, offer them on a link.',
    colPkgService: 'Service',
    colSessions: 'Sessions',
    colPkgPrice: 'Price',
    colValid: 'Valid for',
    archivedPackages: 'Archived',
    archivedPackagesHint: 'No longer sold. Whoever bought them keeps their sessions.',
    pkgName: 'Name',
    pkgNameHint: 'The customer sees it, for example "4 massages". 3 to 100 characters.',
    pkgService: 'Service',
    pkgServicePick: 'Choose a service',
    pkgServiceArchived: '{name} (archived)',
    pkgServiceHint: 'Each session is an appointment of this service.',
    pkgSessions: 'Number of sessions',
    pkgSessionsHint: 'From 1 to 52.',
    pkgPrice: 'Package price ({currency})',
    pkgPerSession: '{amount} per session.',
    pkgPriceHint: 'What the customer pays once for all the sessions.',
    pkgPriceInvalid: 'Type a price above zero, like 400000 or 400.50.',
    pkgValid: 'Valid for (days)',
    pkgValidHint: 'From payment, how many days the customer has to use the sessions. From 1 to 730.',
    pkgDescription: 'Description (optional)',
    pkgDescriptionHint: 'What the customer reads before buying (up to 2000 characters).',
    validDays: '{n} days',
    validDay: '1 day',
    sessionsN: '{n} sessions',
    sessionsOne: '1 session',
    pkgArchived: 'Archived',
    pkgActive: 'On sale',
    pkgArchivedNotice: 'This package is archived: it is no longer sold and cannot be edited.',
    pkgArchiveConfirm:
      'Archive this package? It will no longer be sold on your links. Whoever bought it keeps their sessions.',
    pkgArchivedDone: 'Package archived.',
    pkgCreatedDone: 'Package created. Offer it on a link to sell it.',
    pkgEditNote: 'Changes apply to new purchases: whoever bought it already keeps what they paid for.',
    pkgNoServices: 'To create a package you first need a service.',
    pkgCreateService: 'Create a service',
    pkgWhereSold: 'Where it is sold',
    pkgSoldOn: 'These links offer it:',
    pkgNotSold: "No link offers it yet. Choose the package on a link's page to sell it.",
    pkgGoLinks: 'Go to my links',
  },
});

export const sessionsText = (t, n) => (n === 1 ? t('sessionsOne') : t('sessionsN', { n }));
export const validText = (t, n) => (n === 1 ? t('validDay') : t('validDays', { n }));

// Every service, archived ones too: a package of a service archived later still names it.
async function allServices() {
  return (await api.get('/api/admin/services', { include_archived: 'true' })).items;
}

export async function list(ctx) {
  const { t, main } = ctx;
  const [{ items }, services] = await Promise.all([
    api.get('/api/admin/packages', { include_archived: 'true' }),
    allServices(),
  ]);
  if (ctx.stale()) return;
  const serviceName = (id) => (services.find((s) => s.id === id) || {}).name || '—';
  pageHeader(
    main,
    t,
    t('packagesTitle'),
    navLink('/dashboard/packages/new', t('newPackage'), { class: 'button primary' }),
  );
  const columns = [
    { label: t('colName'), cell: (p) => navLink('/dashboard/packages/' + p.id, p.name) },
    { label: t('colPkgService'), cell: (p) => serviceName(p.service_id) },
    { label: t('colSessions'), class: 'num', cell: (p) => number(ctx, p.sessions) },
    { label: t('colPkgPrice'), class: 'num', cell: (p) => money(ctx, p.price) },
    { label: t('colValid'), cell: (p) => validText(t, p.valid_days) },
    {
      label: t('colStatus'),
      cell: (p) => badge(p.archived ? t('pkgArchived') : t('pkgActive'), p.archived ? 'muted' : 'good'),
    },
  ];
  const onSale = items.filter((p) => !p.archived);
  const archived = items.filter((p) => p.archived);
  if (onSale.length) {
    main.append(h('p', { class: 'lead' }, t('packagesLead')), table(t('packagesTitle'), columns, onSale));
  } else {
    main.append(h('div', { class: 'panel empty-state' }, h('p', {}, t('noPackages'))));
  }
  if (archived.length) {
    main.append(
      h(
        'section',
        { class: 'archived-section', 'aria-labelledby': 'archived-packages' },
        h('h2', { id: 'archived-packages' }, t('archivedPackages')),
        h('p', { class: 'hint' }, t('archivedPackagesHint')),
        table(t('archivedPackages'), columns, archived),
      ),
    );
  }
}

export async function edit(ctx) {
  const { t, main, params } = ctx;
  const id = params.id || null;
  const [pkg, services, tenant, links] = await Promise.all([
    id ? api.get('/api/admin/packages/' + encodeURIComponent(id)) : null,
    allServices(),
    api.get('/api/admin/tenant'),
    id ? api.get('/api/admin/links') : null,
  ]);
  if (ctx.stale()) return;
  const currency = (pkg && pkg.price && pkg.price.currency) || tenant.tenant.currency || 'COP';
  const p = pkg || { sessions: 4, valid_days: 90, service_id: '' };
  const choices = services.filter((s) => !s.archived || s.id === p.service_id);
  const readOnly = !!(pkg && pkg.archived);

  if (!id && !choices.length) {
    pageHeader(main, t, t('newPackage'));
    main.append(
      h(
        'div',
        { class: 'panel' },
        h('p', {}, t('pkgNoServices')),
        navLink('/dashboard/services/new', t('pkgCreateService'), { class: 'button primary' }),
      ),
    );
    return;
  }

  const number = (name, label, value, hint, min, max) =>
    field({
      name,
      label,
      kind: 'number',
      value,
      hint,
      required: true,
      attrs: { inputmode: 'numeric', min, max, step: 1 },
    });
  const perSession = h('span', { class: 'per-session' });
  const priceField = field({
    name: 'price',
    label: t('pkgPrice', { currency }),
    required: true,
    hint: t('pkgPriceHint'),
    value: pkg ? fromMinor(pkg.price.amount, currency, ctx.tag) : '',
    attrs: { inputmode: 'decimal', autocomplete: 'off' },
  });
  // The price per session, said beside the hint as the merchant types.
  priceField.querySelector('.hint').append(' ', perSession);

  const f = form(
    {
      submitLabel: id ? t('save') : t('create'),
      extra: [navLink('/dashboard/packages', t('cancel'), { class: 'button secondary' })],
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value;
        const int = (n) => (v(n).trim() === '' ? null : Number(v(n)));
        const amount = toMinor(v('price'), currency, ctx.tag);
        if (!amount) return showErrors(el, { price: t('pkgPriceInvalid') });
        const body = {
          name: v('name').trim(),
          description: v('description').trim() || null,
          service_id: v('service_id') || null,
          sessions: int('sessions'),
          price: { amount, currency },
          valid_days: int('valid_days'),
        };
        try {
          if (id) {
            await api.patch('/api/admin/packages/' + encodeURIComponent(id), body);
            announce(t('saved'));
            // the heading follows a new name
            const title = document.getElementById('page-title');
            if (title) title.textContent = body.name;
            document.title = `${body.name} · Konfirmado`;
          } else {
            const created = await api.post('/api/admin/packages', body);
            announce(t('pkgCreatedDone'));
            ctx.navigate('/dashboard/packages/' + created.id, { replace: true });
          }
        } catch (err) {
          // The API's price messages speak major units, as the merchant types them.
          if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'name',
      label: t('pkgName'),
      value: p.name,
      hint: t('pkgNameHint'),
      required: true,
      attrs: { maxlength: 100, autocomplete: 'off' },
    }),
    field({
      name: 'service_id',
      label: t('pkgService'),
      kind: 'select',
      value: p.service_id || '',
      hint: t('pkgServiceHint'),
      required: true,
      options: [
        ['', t('pkgServicePick')],
        ...choices.map((s) => [s.id, s.archived ? t('pkgServiceArchived', { name: s.name }) : s.name]),
      ],
    }),
    number('sessions', t('pkgSessions'), p.sessions, t('pkgSessionsHint'), 1, 52),
    priceField,
    number('valid_days', t('pkgValid'), p.valid_days, t('pkgValidHint'), 1, 730),
    field({
      name: 'description',
      label: t('pkgDescription'),
      kind: 'textarea',
      value: p.description,
      hint: t('pkgDescriptionHint'),
      wide: true,
      attrs: { maxlength: 2000, rows: 3 },
    }),
  );
  f.classList.add('two');

  const updatePerSession = () => {
    const amount = toMinor(f.elements.price.value, currency, ctx.tag);
    const n = Number(f.elements.sessions.value);
    perSession.textContent =
      amount && Number.isInteger(n) && n > 1
        ? t('pkgPerSession', { amount: money(ctx, { amount: Math.round(amount / n), currency }) })
        : '';
  };
  f.elements.price.addEventListener('input', updatePerSession);
  f.elements.sessions.addEventListener('input', updatePerSession);
  updatePerSession();

  if (readOnly) {
    for (const c of f.querySelectorAll('input, select, textarea, button[type=submit]')) c.disabled = true;
  }

  const actions = [];
  if (id && !readOnly) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          id: 'archive',
          onclick: async (ev) => {
            if (!window.confirm(t('pkgArchiveConfirm'))) return;
            ev.target.disabled = true;
            try {
              await api.del('/api/admin/packages/' + encodeURIComponent(id));
              announce(t('pkgArchivedDone'));
              ctx.navigate('/dashboard/packages');
            } catch (err) {
              ev.target.disabled = false;
              showErrors(f, {}, problemText(t, err));
            }
          },
        },
        t('archive'),
      ),
    );
  }
  pageHeader(main, t, id ? p.name : t('newPackage'), ...actions);
  if (readOnly) main.append(h('p', { class: 'notice' }, t('pkgArchivedNotice')));
  else if (id) main.append(h('p', { class: 'hint' }, t('pkgEditNote')));
  main.append(h('div', { class: 'panel' }, f));

  if (id && !readOnly) {
    const offering = links.items.filter((l) => (l.package_ids || []).includes(id));
    main.append(
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'where-sold' },
        h('h2', { id: 'where-sold' }, t('pkgWhereSold')),
        offering.length
          ? [
              h('p', {}, t('pkgSoldOn')),
              h(
                'ul',
                { class: 'plain-list' },
                offering.map((l) => h('li', {}, navLink('/dashboard/links/' + l.id, l.name || l.slug))),
              ),
            ]
          : [h('p', {}, t('pkgNotSold')), navLink('/dashboard/links', t('pkgGoLinks'), { class: 'button secondary' })],
      ),
    );
  }
}
