// Professionals: list, create, edit (weekly hours, exceptions, services), archive, and the
// state of their calendar connection (API.md "Admin API": professionals).
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, pageHeader, field, form, showErrors, announce, table, badge, navLink, problemText } from '../ui.js';
import { HoursEditor, ExceptionsEditor } from '../hours.js';
import { calendarPanel } from './professional_calendar.js';
import { allZones, browserZone } from '../../wizard/format.js';
import { number } from './common.js';

addMessages({
  es: {
    professionalsTitle: 'Profesionales',
    newProfessional: 'Nuevo profesional',
    noProfessionals: 'Aún no tienes profesionales. Agrega a quien atiende y su horario.',
    colZone: 'Zona horaria',
    colHours: 'Horario',
    colCalendar: 'Calendario',
    proName: 'Nombre',
    proEmail: 'Correo (opcional)',
    proDescription: 'Descripción (opcional)',
    proPhoto: 'Foto (URL https, opcional)',
    proZone: 'Zona horaria del profesional',
    proZoneHint: 'Las horas de trabajo se leen en esta zona.',
    proServices: 'Servicios que ofrece',
    noServicesYet: 'Aún no hay servicios: puedes asignarlos después.',
    hoursSummary: '{days} días, {hours} h/semana',
    noHours: 'Sin horario',
    calendar_none: 'Sin conectar',
    calendar_pending: 'Invitación enviada',
    calendar_connected: 'Conectado',
    calendar_error: 'Con error',
    archiveProConfirm: '¿Archivar a este profesional? Dejará de recibir reservas; las hechas se mantienen.',
    archivedProDone: 'Profesional archivado.',
    createdProDone: 'Profesional creado.',
    proVideoUrl: 'Enlace de videollamada propio (https, opcional)',
    proVideoUrlHint: 'En los servicios por videollamada, sus citas usan este enlace en lugar del enlace del servicio.',
  },
  en: {
    professionalsTitle: 'Professionals',
    newProfessional: 'New professional',
    noProfessionals: 'You have no professionals yet. Add who serves and their hours.',
    colZone: 'Time zone',
    colHours: 'Hours',
    colCalendar: 'Calendar',
    proName: 'Name',
    proEmail: 'Email (optional)',
    proDescription: 'Description (optional)',
    proPhoto: 'Photo (https URL, optional)',
    proZone: "Professional's time zone",
    proZoneHint: 'Working hours are read in this zone.',
    proServices: 'Services offered',
    noServicesYet: 'No services yet: you can assign them later.',
    hoursSummary: '{days} days, {hours} h/week',
    noHours: 'No hours',
    calendar_none: 'Not connected',
    calendar_pending: 'Invitation sent',
    calendar_connected: 'Connected',
    calendar_error: 'Error',
    archiveProConfirm: 'Archive this professional? They will no longer receive bookings; existing ones stay.',
    archivedProDone: 'Professional archived.',
    createdProDone: 'Professional created.',
    proVideoUrl: 'Own video link (https, optional)',
    proVideoUrlHint: "For video call services, their appointments use this link instead of the service's.",
  },
});

function minutesOf(hhmm) {
  const [hh, mm] = hhmm.split(':').map(Number);
  return hh * 60 + mm;
}

function hoursSummary(ctx, schedule) {
  const { t } = ctx;
  if (!schedule || !schedule.length) return t('noHours');
  const days = new Set(schedule.map((r) => r.weekday)).size;
  const total = schedule.reduce((sum, r) => sum + minutesOf(r.end) - minutesOf(r.start), 0);
  return t('hoursSummary', { days: number(ctx, days), hours: number(ctx, total / 60) });
}

const calendarTone = { connected: 'good', pending: 'wait', error: 'bad' };

export async function list(ctx) {
  const { t, main } = ctx;
  const { items } = await api.get('/api/admin/professionals');
  if (ctx.stale()) return;
  pageHeader(
    main,
    t,
    t('professionalsTitle'),
    navLink('/dashboard/professionals/new', t('newProfessional'), { class: 'button primary' }),
  );
  main.append(
    table(
      t('professionalsTitle'),
      [
        { label: t('colName'), cell: (p) => navLink('/dashboard/professionals/' + p.id, p.name) },
        { label: t('colHours'), cell: (p) => hoursSummary(ctx, p.schedule) },
        { label: t('colZone'), cell: (p) => p.timezone },
        {
          label: t('colCalendar'),
          cell: (p) =>
            badge(
              t('calendar_' + (p.calendar ? p.calendar.status : 'none')),
              calendarTone[p.calendar && p.calendar.status] || 'muted',
            ),
        },
        {
          label: t('colStatus'),
          cell: (p) => badge(p.archived ? t('archived') : t('active'), p.archived ? 'muted' : 'good'),
        },
      ],
      items.sort((a, b) => Number(a.archived) - Number(b.archived)),
      { empty: t('noProfessionals') },
    ),
  );
}

export async function edit(ctx) {
  const { t, main, params } = ctx;
  const id = params.id || null;
  const [pro, services, tenant] = await Promise.all([
    id ? api.get('/api/admin/professionals/' + encodeURIComponent(id)) : null,
    api.get('/api/admin/services'),
    api.get('/api/admin/tenant'),
  ]);
  if (ctx.stale()) return;
  const zone = tenant.tenant.timezone || browserZone() || 'America/Bogota';
  const p = pro || {
    timezone: zone,
    service_ids: [],
    schedule: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, start: '09:00', end: '13:00' },
      { weekday, start: '14:00', end: '18:00' },
    ]),
    exceptions: [],
  };
  const hours = new HoursEditor(t, ctx.tag, p.schedule);
  const exceptions = new ExceptionsEditor(t, p.exceptions);
  const zones = allZones();
  if (!zones.includes(p.timezone)) zones.unshift(p.timezone);
  const offered = services.items.filter((s) => !s.archived || (p.service_ids || []).includes(s.id));

  const f = form(
    {
      submitLabel: id ? t('save') : t('create'),
      extra: [navLink('/dashboard/professionals', t('cancel'), { class: 'button secondary' })],
      onsubmit: async (el) => {
        const v = (n) => el.elements[n].value.trim();
        const body = {
          name: v('name'),
          email: v('email') || null,
          description: v('description') || null,
          photo_url: v('photo_url') || null,
          timezone: v('timezone'),
          video_url: v('video_url') || null,
          service_ids: [...el.querySelectorAll('input[name=service_ids]:checked')].map((c) => c.value),
          schedule: hours.value(),
          exceptions: exceptions.value(),
        };
        try {
          if (id) {
            await api.patch('/api/admin/professionals/' + encodeURIComponent(id), body);
            hours.showErrors({});
            announce(t('saved'));
          } else {
            const created = await api.post('/api/admin/professionals', body);
            announce(t('createdProDone'));
            ctx.navigate('/dashboard/professionals/' + created.id, { replace: true });
          }
        } catch (err) {
          if (!err.fields) return showErrors(el, {}, problemText(t, err));
          const plain = Object.fromEntries(
            Object.entries(err.fields).filter(([k]) => !/^(schedule|exceptions)\[/.test(k)),
          );
          showErrors(el, plain, err.message);
          const first = hours.showErrors(err.fields) || exceptions.showErrors(err.fields);
          if (first && !Object.keys(plain).length) first.focus();
        }
      },
    },
    field({
      name: 'name',
      label: t('proName'),
      value: p.name,
      required: true,
      attrs: { maxlength: 100, autocomplete: 'off' },
    }),
    field({ name: 'email', label: t('proEmail'), kind: 'email', value: p.email, attrs: { autocomplete: 'off' } }),
    field({
      name: 'timezone',
      label: t('proZone'),
      kind: 'select',
      value: p.timezone,
      hint: t('proZoneHint'),
      options: zones.map((z) => [z, z.replace(/_/g, ' ')]),
    }),
    field({ name: 'photo_url', label: t('proPhoto'), kind: 'url', value: p.photo_url }),
    field({
      name: 'video_url',
      label: t('proVideoUrl'),
      kind: 'url',
      value: p.video_url,
      hint: t('proVideoUrlHint'),
      attrs: { placeholder: 'https://', autocomplete: 'off' },
    }),
    field({ name: 'description', label: t('proDescription'), kind: 'textarea', value: p.description, wide: true }),
    hours.root,
    exceptions.root,
    h(
      'fieldset',
      { class: 'section', dataset: { field: 'service_ids' } },
      h('legend', {}, t('proServices')),
      offered.length
        ? offered.map((s) =>
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'checkbox',
                name: 'service_ids',
                value: s.id,
                checked: (p.service_ids || []).includes(s.id),
              }),
              ' ',
              s.name,
            ),
          )
        : h('p', { class: 'hint' }, t('noServicesYet')),
      h('p', { class: 'field-error', hidden: true }),
    ),
  );
  f.classList.add('two');

  const actions = [];
  if (id && !p.archived) {
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async (ev) => {
            if (!window.confirm(t('archiveProConfirm'))) return;
            ev.target.disabled = true;
            try {
              await api.del('/api/admin/professionals/' + encodeURIComponent(id));
              announce(t('archivedProDone'));
              ctx.navigate('/dashboard/professionals');
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
  pageHeader(main, t, id ? p.name : t('newProfessional'), ...actions);
  if (id && p.archived) main.append(h('p', { class: 'notice' }, t('archived')));
  main.append(h('div', { class: 'panel' }, f));
  if (id && !p.archived) main.append(calendarPanel(ctx, id, p.calendar));
}
