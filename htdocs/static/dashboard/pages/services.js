// Services: list, create, edit, archive (API.md "Admin API": services). Prices are typed in
// the currency's major unit and sent in minor units, as the API keeps money.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, table, badge, navLink, problemText } from '../ui.js';
import { money, toMinor, fromMinor } from './common.js';
import { formatDuration } from '../../wizard/format.js';

addMessages({
  es: {
    servicesTitle: 'Servicios',
    newService: 'Nuevo servicio',
    editService: 'Editar servicio',
    noServices: 'Aún no tienes servicios. Crea el primero: qué ofreces, cuánto dura y cuánto se paga al reservar.',
    colDuration: 'Duración',
    colPrice: 'Precio',
    colCharge: 'Se cobra al reservar',
    svcName: 'Nombre',
    svcDescription: 'Descripción',
    svcDescriptionHint: 'Lo que el cliente ve al elegir (10 a 2000 caracteres).',
    svcDuration: 'Duración (minutos)',
    svcDurationHint: 'Entre 15 y 480 minutos.',
    svcPrice: 'Precio ({currency})',
    svcCharge: 'Cobro al reservar',
    chargeTotal: 'El precio completo',
    chargePartial: 'Un anticipo (porcentaje)',
    chargeFree: 'Nada: reserva gratis',
    svcDeposit: 'Anticipo (%)',
    svcDepositHint: 'Entre 1 y 99. El resto se paga en la cita.',
    svcInterval: 'Cada cuántos minutos empieza un horario',
    svcBufferBefore: 'Margen antes (min)',
    svcBufferAfter: 'Margen después (min)',
    svcNotice: 'Aviso mínimo (min)',
    svcNoticeHint: 'Nadie puede reservar con menos anticipación que esto.',
    svcHorizon: 'Se puede reservar hasta (días)',
    svcImage: 'Imagen (URL https, opcional)',
    svcProfessionals: 'Quién lo ofrece',
    noProfessionalsYet: 'Aún no hay profesionales: puedes asignarlos después.',
    advanced: 'Horarios y márgenes',
    archiveConfirm: '¿Archivar este servicio? Dejará de ofrecerse en tus enlaces; las reservas hechas se mantienen.',
    archivedDone: 'Servicio archivado.',
    createdDone: 'Servicio creado.',
    freeLabel: 'Gratis',
    depositLabel: 'Anticipo {pct} %: {amount}',
    totalLabel: 'Total: {amount}',
    svcPlace: 'Lugar de la cita',
    svcPlaceType: 'Cómo se atiende',
    colPlace: 'Lugar',
    place_none: 'Sin indicar',
    place_in_person: 'En persona',
    place_video: 'Videollamada',
    place_phone: 'Por teléfono',
    svcAddress: 'Dirección',
    svcAddressHint: 'Cómo llegar: dirección, piso, consultorio (hasta 500 caracteres).',
    svcVideoUrl: 'Enlace de la videollamada (https)',
    svcVideoUrlHint: 'El cliente lo recibe en la confirmación. Un profesional con enlace propio usa el suyo.',
    svcInstructions: 'Indicaciones para la llamada',
    svcInstructionsHint: 'Por ejemplo: te llamamos al número que dejes al reservar (hasta 500 caracteres).',
    svcSeries: 'Reserva en serie',
    svcSeriesHint:
      'El cliente reserva varias sesiones a la misma hora: cada semana, cada dos semanas o cada mes (el mismo día de la semana, p. ej. el 2.º martes).',
    seriesOnce: 'No: una sesión',
    seriesWeek: 'Cada semana',
    series2Weeks: 'Cada dos semanas',
    seriesMonth: 'Cada mes',
    svcSeriesMin: 'Mínimo de sesiones',
    svcSeriesMax: 'Máximo de sesiones',
    svcSeriesMinMaxHint: 'De 2 a 12.',
    svcSeriesPay: 'Qué se cobra al reservar',
    seriesPayAll: 'Todas las sesiones',
    seriesPayFirst: 'Solo la primera sesión',
    svcCapacity: 'Cupos por horario',
    svcCapacityHint:
      '1 para citas individuales; de 2 a 500 para una clase grupal: cada cliente reserva y paga su cupo.',
    svcAttendeeNames: 'Mostrar los nombres de los asistentes en el calendario del profesional',
    svcAttendeeNamesHint: 'Si no, el evento de la clase solo dice cuántos cupos están tomados.',
    colCapacity: 'Cupos',
    oneToOne: 'Individual',
    groupOf: 'Clase de {n}',
    svcTeam: 'En equipo: cada cita necesita a todos los profesionales marcados a la vez',
    svcTeamHint:
      'De 2 a 5 profesionales con horario. Solo se ofrecen las horas en que todos están libres, y la cita los reserva a todos.',
    teamOf: 'Equipo de {n}',
  },
  en: {
    servicesTitle: 'Services',
    newService: 'New service',
    editService: 'Edit service',
    noServices:
      'You have no services yet. Create the first: what you offer, how long it takes and what is paid when booking.',
    colDuration: 'Duration',
    colPrice: 'Price',
    colCharge: 'Charged when booking',
    svcName: 'Name',
    svcDescription: 'Description',
    svcDescriptionHint: 'What the customer sees when choosing (10 to 2000 characters).',
    svcDuration: 'Duration (minutes)',
    svcDurationHint: 'Between 15 and 480 minutes.',
    svcPrice: 'Price ({currency})',
    svcCharge: 'Charge when booking',
    chargeTotal: 'The full price',
    chargePartial: 'A deposit (percentage)',
    chargeFree: 'Nothing: free booking',
    svcDeposit: 'Deposit (%)',
    svcDepositHint: 'Between 1 and 99. The rest is paid at the appointment.',
    svcInterval: 'Minutes between start times',
    svcBufferBefore: 'Buffer before (min)',
    svcBufferAfter: 'Buffer after (min)',
    svcNotice: 'Minimum notice (min)',
    svcNoticeHint: 'Nobody can book with less notice than this.',
    svcHorizon: 'Bookable up to (days ahead)',
    svcImage: 'Image (https URL, optional)',
    svcProfessionals: 'Who offers it',
    noProfessionalsYet: 'No professionals yet: you can assign them later.',
    advanced: 'Times and buffers',
    archiveConfirm: 'Archive this service? It will no longer be offered on your links; existing bookings stay.',
    archivedDone: 'Service archived.',
    createdDone: 'Service created.',
    freeLabel: 'Free',
    depositLabel: 'Deposit {pct} %: {amount}',
    totalLabel: 'Total: {amount}',
    svcPlace: 'Where it takes place',
    svcPlaceType: 'How it is held',
    colPlace: 'Place',
    place_none: 'Not set',
    place_in_person: 'In person',
    place_video: 'Video call',
    place_phone: 'By phone',
    svcAddress: 'Address',
    svcAddressHint: 'How to get there: address, floor, room (up to 500 characters).',
    svcVideoUrl: 'Video call link (https)',
    svcVideoUrlHint: 'The customer gets it in the confirmation. A professional with their own link uses theirs.',
    svcInstructions: 'Instructions for the call',
    svcInstructionsHint: 'For example: we call you at the number you leave when booking (up to 500 characters).',
    svcSeries: 'Booked as a series',
    svcSeriesHint:
      'The customer books several sessions at the same time: every week, every two weeks or every month (the same weekday, e.g. the 2nd Tuesday).',
    seriesOnce: 'No: one session',
    seriesWeek: 'Every week',
    series2Weeks: 'Every two weeks',
    seriesMonth: 'Every month',
    svcSeriesMin: 'Fewest sessions',
    svcSeriesMax: 'Most sessions',
    svcSeriesMinMaxHint: '2 to 12.',
    svcSeriesPay: 'What is charged when booking',
    seriesPayAll: 'Every session',
    seriesPayFirst: 'The first session only',
    svcCapacity: 'Places per start time',
    svcCapacityHint:
      '1 for one-to-one appointments; 2 to 500 for a group class: each customer books and pays their own place.',
    svcAttendeeNames: "Show the attendees' names in the professional's calendar",
    svcAttendeeNamesHint: 'Otherwise the class’s event only says how many places are taken.',
    colCapacity: 'Places',
    oneToOne: 'One-to-one',
    groupOf: 'Class of {n}',
    svcTeam: 'Team: every appointment needs all the checked professionals together',
    svcTeamHint:
      '2 to 5 professionals with working hours. Only the times when all of them are free are offered, and the booking holds them all.',
    teamOf: 'Team of {n}',
  },
});

// The API's location: which member holds the text for each type (API.md "Admin API").
const PLACE_KEYS = { in_person: 'address', video: 'url', phone: 'instructions' };

// The place in a few words for the list: the type, and the address when there is one.
function placeText(t, loc) {
  if (!loc || !PLACE_KEYS[loc.type]) return t('place_none');
  const kind = t('place_' + loc.type);
  if (loc.type !== 'in_person') return kind;
  const text = loc.address.length > 40 ? loc.address.slice(0, 39) + '…' : loc.address;
  return kind + ': ' + text;
}

function chargeText(ctx, s) {
  const { t } = ctx;
  if (s.charge_type === 'free') return t('freeLabel');
  if (s.charge_type === 'partial') return t('depositLabel', { pct: s.deposit_percent, amount: money(ctx, s.charge) });
  return t('totalLabel', { amount: money(ctx, s.charge) });
}

export async function list(ctx) {
  const { t, main } = ctx;
  const { items } = await api.get('/api/admin/services');
  if (ctx.stale()) return;
  pageHeader(
    main,
    t,
    t('servicesTitle'),
    navLink('/dashboard/services/new', t('newService'), { class: 'button primary' }),
  );
  main.append(
    table(
      t('servicesTitle'),
      [
        { label: t('colName'), cell: (s) => navLink('/dashboard/services/' + s.id, s.name) },
        { label: t('colDuration'), cell: (s) => formatDuration(s.duration_minutes, t) },
        { label: t('colPrice'), cell: (s) => money(ctx, s.price) },
        { label: t('colCharge'), cell: (s) => chargeText(ctx, s) },
        { label: t('colPlace'), cell: (s) => placeText(t, s.location) },
        {
          label: t('colCapacity'),
          cell: (s) =>
            s.team
              ? t('teamOf', { n: s.team.professional_ids.length })
              : s.capacity > 1
                ? t('groupOf', { n: s.capacity })
                : t('oneToOne'),
        },
        {
          label: t('colStatus'),
          cell: (s) => badge(s.archived ? t('archived') : t('active'), s.archived ? 'muted' : 'good'),
        },
      ],
      items.sort((a, b) => Number(a.archived) - Number(b.archived)),
      { empty: t('noServices') },
    ),
  );
}

export async function edit(ctx) {
  const { t, main, params } = ctx;
  const id = params.id || null;
  const [svc, pros, tenant] = await Promise.all([
    id ? api.get('/api/admin/services/' + encodeURIComponent(id)) : null,
    api.get('/api/admin/professionals'),
    api.get('/api/admin/tenant'),
  ]);
  if (ctx.stale()) return;
  const currency = (svc && svc.price && svc.price.currency) || tenant.tenant.currency || 'COP';
  const s = svc || {
    duration_minutes: 30,
    charge_type: 'total',
    deposit_percent: 25,
    slot_interval_minutes: 15,
    buffer_before_minutes: 0,
    buffer_after_minutes: 0,
    min_notice_minutes: 60,
    horizon_days: 14,
    capacity: 1,
    attendee_names: false,
    professional_ids: [],
  };
  const professionals = pros.items.filter((p) => !p.archived || (s.professional_ids || []).includes(p.id));
  const number = (name, label, value, hint, attrs = {}) =>
    field({ name, label, kind: 'number', value, hint, attrs: { inputmode: 'numeric', min: 0, step: 1, ...attrs } });

  const place = placeFieldset(t, s.location);
  const deposit = number('deposit_percent', t('svcDeposit'), s.deposit_percent, t('svcDepositHint'), {
    min: 1,
    max: 99,
  });
  const attendeeNames = field({
    name: 'attendee_names',
    label: t('svcAttendeeNames'),
    kind: 'checkbox',
    value: s.attendee_names,
    hint: t('svcAttendeeNamesHint'),
  });
  const teamField = field({
    name: 'team',
    label: t('svcTeam'),
    kind: 'checkbox',
    value: !!s.team,
    hint: t('svcTeamHint'),
  });
  const f = form(
    {
      submitLabel: id ? t('save') : t('create'),
      extra: [navLink('/dashboard/services', t('cancel'), { class: 'button secondary' })],
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value;
        const chosen = [...el.querySelectorAll('input[name=professional_ids]:checked')].map((c) => c.value);
        const int = (n) => (v(n).trim() === '' ? null : Number(v(n)));
        const amount = v('price').trim() === '' ? 0 : toMinor(v('price'), currency, ctx.tag);
        if (amount === null) return showErrors(el, { price: t('priceInvalid') });
        const body = {
          name: v('name').trim(),
          description: v('description').trim(),
          image_url: v('image_url').trim() || null,
          duration_minutes: int('duration_minutes'),
          price: { amount, currency },
          charge_type: v('charge_type'),
          slot_interval_minutes: int('slot_interval_minutes'),
          buffer_before_minutes: int('buffer_before_minutes'),
          buffer_after_minutes: int('buffer_after_minutes'),
          min_notice_minutes: int('min_notice_minutes'),
          horizon_days: int('horizon_days'),
          capacity: int('capacity'),
          attendee_names: el.elements.attendee_names.checked,
          series: v('series.every')
            ? { every: v('series.every'), min: int('series.min'), max: int('series.max'), pay: v('series.pay') }
            : null,
          professional_ids: chosen,
          // the checked professionals are the team: the API says what is wrong with it under team
          team: el.elements.team.checked ? { mode: 'collective', professional_ids: chosen } : null,
        };
        if (body.charge_type === 'partial') body.deposit_percent = int('deposit_percent');
        const placeType = v('location.type');
        const key = PLACE_KEYS[placeType];
        // Sent as typed: the API says what is wrong with it under location.<key>.
        body.location = key ? { type: placeType, [key]: v('location.' + key).trim() } : null;
        try {
          if (id) {
            await api.patch('/api/admin/services/' + encodeURIComponent(id), body);
            announce(t('saved'));
          } else {
            const created = await api.post('/api/admin/services', body);
            announce(t('createdDone'));
            ctx.navigate('/dashboard/services/' + created.id, { replace: true });
          }
        } catch (err) {
          if (err.fields) showErrors(el, err.fields, err.message);
          else showErrors(el, {}, problemText(t, err));
        }
      },
    },
    field({ name: 'name', label: t('svcName'), value: s.name, required: true, attrs: { maxlength: 100 } }),
    field({
      name: 'price',
      label: t('svcPrice', { currency }),
      value: s.price ? fromMinor(s.price.amount, currency, ctx.tag) : '',
      attrs: { inputmode: 'decimal', autocomplete: 'off' },
    }),
    field({
      name: 'description',
      label: t('svcDescription'),
      kind: 'textarea',
      value: s.description,
      hint: t('svcDescriptionHint'),
      required: true,
      wide: true,
      attrs: { maxlength: 2000 },
    }),
    number('duration_minutes', t('svcDuration'), s.duration_minutes, t('svcDurationHint'), {
      min: 15,
      max: 480,
      step: 5,
    }),
    field({
      name: 'charge_type',
      label: t('svcCharge'),
      kind: 'select',
      value: s.charge_type,
      options: [
        ['total', t('chargeTotal')],
        ['partial', t('chargePartial')],
        ['free', t('chargeFree')],
      ],
    }),
    deposit,
    field({
      name: 'series.every',
      label: t('svcSeries'),
      kind: 'select',
      value: s.series ? s.series.every : '',
      hint: t('svcSeriesHint'),
      options: [
        ['', t('seriesOnce')],
        ['week', t('seriesWeek')],
        ['2weeks', t('series2Weeks')],
        ['month', t('seriesMonth')],
      ],
    }),
    number('series.min', t('svcSeriesMin'), s.series ? s.series.min : 2, t('svcSeriesMinMaxHint'), { min: 2, max: 12 }),
    number('series.max', t('svcSeriesMax'), s.series ? s.series.max : 4, t('svcSeriesMinMaxHint'), { min: 2, max: 12 }),
    field({
      name: 'series.pay',
      label: t('svcSeriesPay'),
      kind: 'select',
      value: s.series ? s.series.pay : 'all',
      options: [
        ['all', t('seriesPayAll')],
        ['first', t('seriesPayFirst')],
      ],
    }),
    number('capacity', t('svcCapacity'), s.capacity, t('svcCapacityHint'), { min: 1, max: 500 }),
    attendeeNames,
    place.root,
    h(
      'fieldset',
      { class: 'section', dataset: { field: 'professional_ids' } },
      h('legend', {}, t('svcProfessionals')),
      professionals.length
        ? professionals.map((p) =>
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'checkbox',
                name: 'professional_ids',
                value: p.id,
                checked: (s.professional_ids || []).includes(p.id),
              }),
              ' ',
              p.name,
            ),
          )
        : h('p', { class: 'hint' }, t('noProfessionalsYet')),
      h('p', { class: 'field-error', hidden: true }),
    ),
    teamField,
    h(
      'details',
      { class: 'section' },
      h('summary', {}, t('advanced')),
      h(
        'div',
        { class: 'form two' },
        number('slot_interval_minutes', t('svcInterval'), s.slot_interval_minutes, null, { min: 5, step: 5 }),
        number('min_notice_minutes', t('svcNotice'), s.min_notice_minutes, t('svcNoticeHint')),
        number('buffer_before_minutes', t('svcBufferBefore'), s.buffer_before_minutes),
        number('buffer_after_minutes', t('svcBufferAfter'), s.buffer_after_minutes),
        number('horizon_days', t('svcHorizon'), s.horizon_days, null, { min: 1 }),
        field({ name: 'image_url', label: t('svcImage'), kind: 'url', value: s.image_url }),
      ),
    ),
  );
  f.classList.add('two');
  const chargeSelect = f.elements.charge_type;
  const syncDeposit = () => {
    deposit.hidden = chargeSelect.value !== 'partial';
  };
  chargeSelect.addEventListener('change', syncDeposit);
  syncDeposit();
  // the attendees' names matter only to a class
  const capacityInput = f.elements.capacity;
  const syncCapacity = () => {
    attendeeNames.hidden = !(Number(capacityInput.value) > 1);
  };
  capacityInput.addEventListener('input', syncCapacity);
  syncCapacity();
  place.sync();

  const actions = [];
  if (id && !s.archived) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async (ev) => {
            if (!window.confirm(t('archiveConfirm'))) return;
            ev.target.disabled = true;
            try {
              await api.del('/api/admin/services/' + encodeURIComponent(id));
              announce(t('archivedDone'));
              ctx.navigate('/dashboard/services');
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
  pageHeader(main, t, id ? s.name : t('newService'), ...actions);
  if (id && s.archived) main.append(h('p', { class: 'notice' }, t('archived')));
  main.append(h('div', { class: 'panel' }, f));
}

// "Where it takes place": the type, and only the one input that type needs. Each input is
// named after the API's field (location.url, …) so its errors land next to it.
function placeFieldset(t, loc) {
  const current = loc && PLACE_KEYS[loc.type] ? loc : { type: '' };
  const type = field({
    name: 'location.type',
    label: t('svcPlaceType'),
    kind: 'select',
    value: current.type,
    options: [
      ['', t('place_none')],
      ['in_person', t('place_in_person')],
      ['video', t('place_video')],
      ['phone', t('place_phone')],
    ],
  });
  const inputs = {
    in_person: field({
      name: 'location.address',
      label: t('svcAddress'),
      kind: 'textarea',
      value: current.address,
      hint: t('svcAddressHint'),
      attrs: { maxlength: 500, rows: 2, autocomplete: 'street-address' },
    }),
    video: field({
      name: 'location.url',
      label: t('svcVideoUrl'),
      kind: 'url',
      value: current.url,
      hint: t('svcVideoUrlHint'),
      attrs: { placeholder: 'https://', autocomplete: 'off' },
    }),
    phone: field({
      name: 'location.instructions',
      label: t('svcInstructions'),
      kind: 'textarea',
      value: current.instructions,
      hint: t('svcInstructionsHint'),
      attrs: { maxlength: 500, rows: 2 },
    }),
  };
  const root = h('fieldset', { class: 'section place' }, h('legend', {}, t('svcPlace')), type, Object.values(inputs));
  const select = type.querySelector('select');
  const sync = () => {
    for (const [k, box] of Object.entries(inputs)) box.hidden = k !== select.value;
  };
  select.addEventListener('change', sync);
  return { root, sync };
}
