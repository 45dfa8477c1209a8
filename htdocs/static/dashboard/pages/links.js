// Booking links: list with the URL to copy, create, edit, deactivate (API.md "Admin API":
// links). A link may fix the service and/or the professional, may expire, and may sell
// packages (package_ids) of the services it offers.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import {
  h,
  pageHeader,
  field,
  form,
  showErrors,
  announce,
  table,
  badge,
  navLink,
  copyButton,
  problemText,
} from '../ui.js';
import { when, money } from './common.js';
import { sessionsText } from './packages.js';
import { zonedToInstant, dayKey } from '../../wizard/format.js';

addMessages({
  es: {
    linksTitle: 'Enlaces de reserva',
    newLink: 'Nuevo enlace',
    noLinks: 'Aún no tienes enlaces. Crea uno y compártelo para recibir reservas.',
    colUrl: 'Dirección',
    colOffers: 'Ofrece',
    colExpires: 'Vence',
    linkName: 'Nombre interno',
    linkNameHint: 'Solo lo ves tú, por ejemplo "Instagram" o "Sede norte".',
    linkService: 'Servicio',
    linkProfessional: 'Profesional',
    anyService: 'Cualquiera de mis servicios',
    anyProfessional: 'Cualquier profesional',
    linkExpires: 'Vence el (opcional)',
    linkExpiresHint: 'Después de este día el enlace deja de aceptar reservas.',
    linkActive: 'Activo (acepta reservas)',
    linkUrl: 'Tu enlace',
    never: 'Nunca',
    inactive: 'Inactivo',
    deactivate: 'Desactivar',
    deactivateConfirm: '¿Desactivar este enlace? Quien lo abra verá que ya no está disponible.',
    deactivatedDone: 'Enlace desactivado.',
    createdLinkDone: 'Enlace creado. Ya puedes copiarlo y compartirlo.',
    allOffer: 'Todo',
    colPackages: 'Paquetes',
    linkPackages: 'Paquetes que vende este enlace',
    linkPackagesHint:
      'El cliente puede comprar estas sesiones por adelantado desde el enlace. Solo aparecen los paquetes de los servicios que el enlace ofrece.',
    linkNoPackages: 'Aún no tienes paquetes.',
    linkCreatePackage: 'Crear un paquete',
    linkNoMatchingPackages: 'Ningún paquete es de un servicio que ofrezca este enlace.',
    linkPackageDetails: '{service}, {sessions}, {price}',
    assignTitle: 'Cuando el cliente elige «Cualquier profesional»',
    assignLabel: 'Quién atiende la reserva',
    assignHint: 'Entre los profesionales libres a esa hora.',
    assignLeast: 'Quien tenga menos reservas esta semana (empates por nombre)',
    assignWeights: 'Según los pesos que eliges',
    weightsHint:
      'De 1 a 100: quien tiene 3 recibe el triple de reservas que quien tiene 1. Sin peso, solo atiende cuando nadie con peso está libre.',
    weightsNone: 'Ningún profesional ofrece lo que ofrece este enlace.',
    noWeight: 'Sin peso',
  },
  en: {
    linksTitle: 'Booking links',
    newLink: 'New link',
    noLinks: 'You have no links yet. Create one and share it to take bookings.',
    colUrl: 'Address',
    colOffers: 'Offers',
    colExpires: 'Expires',
    linkName: 'Internal name',
    linkNameHint: 'Only you see it, for example "Instagram" or "North office".',
    linkService: 'Service',
    linkProfessional: 'Professional',
    anyService: 'Any of my services',
    anyProfessional: 'Any professional',
    linkExpires: 'Expires on (optional)',
    linkExpiresHint: 'After this day the link stops taking bookings.',
    linkActive: 'Active (takes bookings)',
    linkUrl: 'Your link',
    never: 'Never',
    inactive: 'Inactive',
    deactivate: 'Deactivate',
    deactivateConfirm: 'Deactivate this link? Whoever opens it will see it is no longer available.',
    deactivatedDone: 'Link deactivated.',
    createdLinkDone: 'Link created. You can copy and share it now.',
    allOffer: 'Everything',
    colPackages: 'Packages',
    linkPackages: 'Packages this link sells',
    linkPackagesHint:
      'The customer can buy these sessions in advance from the link. Only packages of the services the link offers are shown.',
    linkNoPackages: 'You have no packages yet.',
    linkCreatePackage: 'Create a package',
    linkNoMatchingPackages: 'No package is of a service this link offers.',
    linkPackageDetails: '{service}, {sessions}, {price}',
    assignTitle: 'When the customer picks "Any professional"',
    assignLabel: 'Who takes the booking',
    assignHint: 'Among the professionals free at that time.',
    assignLeast: 'Whoever has the fewest bookings this week (ties by name)',
    assignWeights: 'By the weights you choose',
    weightsHint:
      'From 1 to 100: someone with 3 gets three times the bookings of someone with 1. Without a weight, they only take a booking when nobody with a weight is free.',
    weightsNone: 'No professional offers what this link offers.',
    noWeight: 'No weight',
  },
});

async function catalog() {
  const [services, professionals, packages] = await Promise.all([
    api.get('/api/admin/services'),
    api.get('/api/admin/professionals'),
    api.get('/api/admin/packages'),
  ]);
  return { services: services.items, professionals: professionals.items, packages: packages.items };
}

// The packages a link with this service and professional can sell: each session of one must be
// bookable through the link (the public link lists only those, the API refuses the others:
// kf_link_sells_package). cat.services holds the active services only.
function sellable(cat, serviceId, professionalId) {
  const pro = professionalId ? cat.professionals.find((p) => p.id === professionalId) : null;
  return cat.packages.filter(
    (k) =>
      cat.services.some((s) => s.id === k.service_id) &&
      (!serviceId || k.service_id === serviceId) &&
      (!pro || (pro.service_ids || []).includes(k.service_id)),
  );
}

export async function list(ctx) {
  const { t, main } = ctx;
  const [{ items }, cat] = await Promise.all([api.get('/api/admin/links'), catalog()]);
  if (ctx.stale()) return;
  const nameOf = (list, id) => (list.find((x) => x.id === id) || {}).name || '—';
  pageHeader(main, t, t('linksTitle'), navLink('/dashboard/links/new', t('newLink'), { class: 'button primary' }));
  main.append(
    table(
      t('linksTitle'),
      [
        { label: t('colName'), cell: (l) => navLink('/dashboard/links/' + l.id, l.name || l.slug) },
        {
          label: t('colUrl'),
          cell: (l) => h('span', { class: 'url-cell' }, h('code', { class: 'url' }, l.url), copyButton(t, l.url)),
        },
        {
          label: t('colOffers'),
          cell: (l) =>
            [
              l.service_id ? nameOf(cat.services, l.service_id) : t('allOffer'),
              l.professional_id ? ' · ' + nameOf(cat.professionals, l.professional_id) : '',
            ].join(''),
        },
        {
          label: t('colPackages'),
          cell: (l) => (l.package_ids || []).map((id) => nameOf(cat.packages, id)).join(', ') || '—',
        },
        { label: t('colExpires'), cell: (l) => (l.expires_at ? when(ctx, l.expires_at) : t('never')) },
        {
          label: t('colStatus'),
          cell: (l) => badge(l.active ? t('active') : t('inactive'), l.active ? 'good' : 'muted'),
        },
      ],
      items.sort((a, b) => Number(b.active) - Number(a.active)),
      { empty: t('noLinks') },
    ),
  );
}

export async function edit(ctx) {
  const { t, main, params } = ctx;
  const id = params.id || null;
  const [link, cat] = await Promise.all([id ? api.get('/api/admin/links/' + encodeURIComponent(id)) : null, catalog()]);
  if (ctx.stale()) return;
  const l = link || {
    active: true,
    service_id: null,
    professional_id: null,
    expires_at: null,
    assign: 'least_booked',
    weights: null,
  };
  const zone = ctx.session.tenant.timezone;
  const usable = (list, keep) => list.filter((x) => !x.archived || x.id === keep);
  const chosen = new Set(l.package_ids || []);
  const packagesList = h('div', { class: 'checks' });
  const packagesBox = h(
    'fieldset',
    { class: 'field section', dataset: { field: 'package_ids' } },
    h('legend', {}, t('linkPackages')),
    h('p', { class: 'hint', id: 'link-packages-hint' }, t('linkPackagesHint')),
    packagesList,
    h('p', { class: 'field-error', id: 'link-packages-error', hidden: true }),
  );
  // Who takes "any professional": the rule, and a weight per professional of the link's offer.
  const weights = { ...(l.weights || {}) };
  const weightsList = h('div', { class: 'weights' });
  const weightsBox = h(
    'div',
    { class: 'field wide', dataset: { field: 'weights' } },
    h('p', { class: 'hint', id: 'link-weights-hint' }, t('weightsHint')),
    h('p', { class: 'field-error', id: 'link-weights-error', hidden: true }),
    weightsList,
  );
  const assignBox = h(
    'fieldset',
    { class: 'section assign' },
    h('legend', {}, t('assignTitle')),
    field({
      name: 'assign',
      label: t('assignLabel'),
      kind: 'select',
      hint: t('assignHint'),
      value: l.assign || 'least_booked',
      options: [
        ['least_booked', t('assignLeast')],
        ['weights', t('assignWeights')],
      ],
      wide: true,
    }),
    weightsBox,
  );
  const f = form(
    {
      submitLabel: id ? t('save') : t('create'),
      extra: [navLink('/dashboard/links', t('cancel'), { class: 'button secondary' })],
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value.trim();
        const expires = v('expires_on');
        const body = {
          name: v('name'),
          service_id: v('service_id') || null,
          professional_id: v('professional_id') || null,
          // The end of the chosen day in the business's zone.
          expires_at: expires ? zonedToInstant(expires, '23:59', zone) : null,
          active: el.elements.active.checked,
          package_ids: [...el.querySelectorAll('input[name=package_ids]:checked')].map((c) => c.value),
        };
        if (!body.professional_id) {
          body.assign = el.elements.assign.value;
          if (body.assign === 'weights') body.weights = typedWeights();
        }
        try {
          if (id) {
            await api.patch('/api/admin/links/' + encodeURIComponent(id), body);
            announce(t('saved'));
          } else {
            const created = await api.post('/api/admin/links', body);
            announce(t('createdLinkDone'));
            ctx.navigate('/dashboard/links/' + created.id, { replace: true });
          }
        } catch (err) {
          const fields = err.fields ? { ...err.fields } : null;
          if (fields && fields.expires_at) {
            fields.expires_on = fields.expires_at;
            delete fields.expires_at;
          }
          if (fields) showErrors(el, fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({
      name: 'name',
      label: t('linkName'),
      value: l.name,
      hint: t('linkNameHint'),
      required: true,
      attrs: { maxlength: 100 },
    }),
    field({
      name: 'service_id',
      label: t('linkService'),
      kind: 'select',
      value: l.service_id || '',
      options: [['', t('anyService')], ...usable(cat.services, l.service_id).map((s) => [s.id, s.name])],
    }),
    field({
      name: 'professional_id',
      label: t('linkProfessional'),
      kind: 'select',
      value: l.professional_id || '',
      options: [['', t('anyProfessional')], ...usable(cat.professionals, l.professional_id).map((p) => [p.id, p.name])],
    }),
    field({
      name: 'expires_on',
      label: t('linkExpires'),
      kind: 'date',
      hint: t('linkExpiresHint'),
      value: l.expires_at ? dayKey(l.expires_at, zone) : '',
    }),
    assignBox,
    packagesBox,
    field({ name: 'active', label: t('linkActive'), kind: 'checkbox', value: l.active, wide: true }),
  );
  f.classList.add('two');
  // The offer follows the service and professional chosen above; a choice survives a change
  // back and forth, but only packages shown are sent.
  const drawPackages = () => {
    for (const c of packagesBox.querySelectorAll('input[name=package_ids]')) {
      if (c.checked) chosen.add(c.value);
      else chosen.delete(c.value);
    }
    const offer = sellable(cat, f.elements.service_id.value, f.elements.professional_id.value);
    const serviceName = (sid) => (cat.services.find((s) => s.id === sid) || {}).name || '—';
    let content;
    if (!cat.packages.length) {
      content = h(
        'p',
        { class: 'hint' },
        t('linkNoPackages'),
        ' ',
        navLink('/dashboard/packages/new', t('linkCreatePackage'), { class: 'tap' }),
      );
    } else if (!offer.length) {
      content = h('p', { class: 'hint' }, t('linkNoMatchingPackages'));
    } else {
      content = offer.map((k) =>
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            name: 'package_ids',
            value: k.id,
            checked: chosen.has(k.id),
            'aria-describedby': 'link-packages-hint link-packages-error',
          }),
          h(
            'span',
            {},
            h('strong', {}, k.name),
            ': ',
            t('linkPackageDetails', {
              service: serviceName(k.service_id),
              sessions: sessionsText(t, k.sessions),
              price: money(ctx, k.price),
            }),
          ),
        ),
      );
    }
    packagesList.replaceChildren(...[content].flat());
  };
  f.elements.service_id.addEventListener('change', drawPackages);
  f.elements.professional_id.addEventListener('change', drawPackages);
  drawPackages();
  // The weights as typed: a whole number is sent as one, anything else as typed (the API says
  // what is wrong with it next to its field); an empty box is no weight.
  const weightInputs = () => [...weightsList.querySelectorAll('input[data-professional]')];
  const typedWeights = () => {
    const out = {};
    for (const input of weightInputs()) {
      const text = input.value.trim();
      if (text) out[input.dataset.professional] = /^[0-9]+$/.test(text) ? Number(text) : text;
    }
    return out;
  };
  // Shown while the link leaves the professional to the customer; the weights while they
  // count. The professionals listed offer the service chosen above (any, with none chosen);
  // typed weights survive a change back and forth.
  const drawAssign = () => {
    for (const input of weightInputs()) weights[input.dataset.professional] = input.value.trim();
    assignBox.hidden = !!f.elements.professional_id.value;
    weightsBox.hidden = f.elements.assign.value !== 'weights';
    const serviceId = f.elements.service_id.value;
    const team = usable(cat.professionals).filter(
      (p) => !serviceId || (p.service_ids || []).includes(serviceId) || weights[p.id],
    );
    weightsList.replaceChildren(
      ...(team.length
        ? team.map((p) => {
            const box = field({
              name: 'weights.' + p.id,
              label: p.name,
              kind: 'text',
              value: weights[p.id] ?? '',
              attrs: {
                inputmode: 'numeric',
                autocomplete: 'off',
                placeholder: t('noWeight'),
                'data-professional': p.id,
              },
            });
            const input = box.querySelector('input');
            input.setAttribute('aria-describedby', input.getAttribute('aria-describedby') + ' link-weights-hint');
            return box;
          })
        : [h('p', { class: 'hint' }, t('weightsNone'))]),
    );
  };
  f.elements.service_id.addEventListener('change', drawAssign);
  f.elements.professional_id.addEventListener('change', drawAssign);
  f.elements.assign.addEventListener('change', drawAssign);
  drawAssign();
  const actions = [];
  if (id && l.active) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async (ev) => {
            if (!window.confirm(t('deactivateConfirm'))) return;
            ev.target.disabled = true;
            try {
              await api.del('/api/admin/links/' + encodeURIComponent(id));
              announce(t('deactivatedDone'));
              ctx.navigate('/dashboard/links');
            } catch (err) {
              ev.target.disabled = false;
              showErrors(f, {}, problemText(t, err));
            }
          },
        },
        t('deactivate'),
      ),
    );
  }
  pageHeader(main, t, id ? l.name || l.slug : t('newLink'), ...actions);
  if (id) {
    main.append(
      h(
        'section',
        { class: 'panel share' },
        h('h2', {}, t('linkUrl')),
        h(
          'div',
          { class: 'share-row' },
          h('code', { class: 'url', id: 'link-url' }, l.url),
          copyButton(t, l.url, t('copyLink')),
          h('a', { href: l.url, target: '_blank', rel: 'noopener', class: 'button secondary' }, t('openLink')),
        ),
      ),
    );
  }
  main.append(h('div', { class: 'panel' }, f));
}
