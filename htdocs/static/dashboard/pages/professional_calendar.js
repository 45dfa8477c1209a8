// The calendar panel of a professional's page (API.md "Calendar connection"): which
// calendar is connected, when it was last read and what failed (and when it needs connecting
// again: the professional was mailed a new invitation); what a Cal.com connection
// without an event type cannot do; events left behind in a calendar, to remove; a new
// 72-hour, single-use invitation to send the professional (its link copied or opened), and
// disconnecting.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, badge, announce, copyButton, problemText, table, busy } from '../ui.js';
import { when } from './common.js';
import { calendarChoices } from './calendar_choices.js';

addMessages({
  es: {
    calendarTitle: 'Calendario',
    calendarHint: 'Conectar el calendario del profesional evita choques con sus otras citas.',
    calAccount: 'Cuenta',
    calLastSync: 'Última lectura',
    calErrorLabel: 'Problema',
    calNever: 'Todavía no',
    calInviteNew: 'Crear invitación',
    calInviteAgain: 'Crear una invitación nueva',
    calInviteHint:
      'Envía este enlace al profesional (vale 72 horas y una sola conexión). Al abrirlo elige Google, Outlook, Cal.com o un calendario CalDAV (iCloud, Fastmail, Nextcloud, Zoho).',
    calInviteExpires: 'Vence: {when}',
    calOpenInvite: 'Abrir',
    calDisconnect: 'Desconectar calendario',
    calDisconnectConfirm: '¿Desconectar el calendario? Sus citas externas dejarán de bloquear horarios.',
    calDisconnected: 'Calendario desconectado.',
    calInvited: 'Invitación creada.',
    calErrorHelp:
      'El calendario dejó de darnos acceso. Envía una invitación nueva para volver a conectarlo; mientras tanto usamos los horarios ocupados que conocíamos y, pasadas 6 horas, no se ofrecen horarios de este profesional.',
    calReconnect:
      'Hay que volver a conectarlo. Si el profesional tiene correo, ya le enviamos una invitación nueva (vale 72 horas); también puedes crear otra aquí.',
    calEventType: 'Tipo de evento',
    calReadOnly:
      'Solo lectura: sus reservas de Cal.com bloquean horarios aquí, pero las reservas de aquí no se escriben en Cal.com y su horario de Cal.com no se usa. Falta el ID de un tipo de evento de Cal.com: envía una invitación nueva y que el profesional conecte Cal.com indicándolo.',
    calOrphansTitle: 'Eventos por quitar de su calendario',
    calOrphansHint:
      'Eventos que escribimos y que ya no corresponden (se cambió de calendario o el calendario rechazó borrarlos). Se reintenta solo; también puedes pedirlo ya.',
    calOrphanWhen: 'Cita',
    calOrphanWhere: 'Calendario',
    calOrphanState: 'Estado',
    calOrphanWhy: 'Motivo',
    calOrphan_retrying: 'Reintentando',
    calOrphan_failed: 'Sin quitar',
    calOrphanRemove: 'Quitar',
    calOrphanForget: 'Ya lo quité a mano',
    calOrphanRemoved: 'Evento quitado del calendario.',
    calOrphanForgotten: 'Evento quitado de la lista.',
  },
  en: {
    calendarTitle: 'Calendar',
    calendarHint: "Connecting the professional's calendar avoids clashes with their other appointments.",
    calAccount: 'Account',
    calLastSync: 'Last read',
    calErrorLabel: 'Problem',
    calNever: 'Not yet',
    calInviteNew: 'Create invitation',
    calInviteAgain: 'Create a new invitation',
    calInviteHint:
      'Send this link to the professional (valid 72 hours, for one connection). On it they choose Google, Outlook, Cal.com or a CalDAV calendar (iCloud, Fastmail, Nextcloud, Zoho).',
    calInviteExpires: 'Expires: {when}',
    calOpenInvite: 'Open',
    calDisconnect: 'Disconnect calendar',
    calDisconnectConfirm: 'Disconnect the calendar? Their outside appointments will no longer block slots.',
    calDisconnected: 'Calendar disconnected.',
    calInvited: 'Invitation created.',
    calErrorHelp:
      'The calendar stopped giving us access. Send a new invitation to connect it again; meanwhile the busy times we knew are used and, after 6 hours, this professional offers no slots.',
    calReconnect:
      'It needs connecting again. If the professional has an email address, a new invitation (valid 72 hours) was mailed to them; you can also create another one here.',
    calEventType: 'Event type',
    calReadOnly:
      'Read only: their Cal.com bookings block slots here, but bookings made here are not written to Cal.com and their Cal.com hours are not used. A Cal.com event type id is missing: send a new invitation and have the professional connect Cal.com with one.',
    calOrphansTitle: 'Events to remove from their calendar',
    calOrphansHint:
      'Events we wrote that no longer belong there (the calendar was replaced, or it refused the delete). They are retried on their own; you can also ask now.',
    calOrphanWhen: 'Appointment',
    calOrphanWhere: 'Calendar',
    calOrphanState: 'State',
    calOrphanWhy: 'Reason',
    calOrphan_retrying: 'Retrying',
    calOrphan_failed: 'Not removed',
    calOrphanRemove: 'Remove',
    calOrphanForget: 'I removed it by hand',
    calOrphanRemoved: 'Event removed from the calendar.',
    calOrphanForgotten: 'Event dropped from the list.',
  },
});

const tone = { connected: 'good', pending: 'wait', error: 'bad' };

export function calendarPanel(ctx, professionalId, initial) {
  const { t } = ctx;
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'calendar-title' });
  let calendar = initial || { provider: null, status: 'none' };
  let invitation = null;

  function facts() {
    const dl = h('dl', { class: 'facts' });
    const row = (label, value) => dl.append(h('dt', {}, label), h('dd', {}, value));
    if (calendar.provider) row(t('calendarTitle'), calendar.label || calendar.provider);
    if (calendar.account) row(t('calAccount'), calendar.account);
    if (calendar.provider)
      row(t('calLastSync'), calendar.last_sync_at ? when(ctx, calendar.last_sync_at) : t('calNever'));
    if (calendar.event_type_id) row(t('calEventType'), calendar.event_type_id);
    if (calendar.error) row(t('calErrorLabel'), calendar.error);
    return dl;
  }

  // Events left behind in a calendar: the merchant asks for their removal now, or drops one
  // removed by hand.
  let orphans = [];
  const orphansBox = h('div', { class: 'orphans' });
  const path = (o, tail) => '/api/admin/calendar/orphans/' + encodeURIComponent(o.id) + tail;

  async function act(button, o, remove) {
    await busy(button, async () => {
      try {
        if (remove) await api.post(path(o, '/remove'));
        else await api.del(path(o, ''));
        orphans = orphans.filter((x) => x.id !== o.id);
        announce(t(remove ? 'calOrphanRemoved' : 'calOrphanForgotten'));
      } catch (err) {
        announce(problemText(t, err));
        await loadOrphans();
      }
      renderOrphans();
    });
  }

  function renderOrphans() {
    if (!orphans.length) {
      orphansBox.replaceChildren();
      return;
    }
    const columns = [
      { label: t('calOrphanWhen'), cell: (o) => (o.start ? when(ctx, o.start) : '—') },
      {
        label: t('calOrphanWhere'),
        cell: (o) => (o.label || o.provider) + (o.account ? ' · ' + o.account : ''),
      },
      {
        label: t('calOrphanState'),
        cell: (o) => badge(t('calOrphan_' + o.status), o.status === 'failed' ? 'bad' : 'wait'),
      },
      { label: t('calOrphanWhy'), cell: (o) => o.error || '' },
      {
        label: '',
        cell: (o) => {
          const remove = h('button', { type: 'button', class: 'secondary' }, t('calOrphanRemove'));
          const forget = h('button', { type: 'button', class: 'secondary' }, t('calOrphanForget'));
          remove.addEventListener('click', () => act(remove, o, true));
          forget.addEventListener('click', () => act(forget, o, false));
          return h('span', { class: 'actions' }, remove, forget);
        },
      },
    ];
    orphansBox.replaceChildren(
      h('h3', { id: 'orphans-title' }, t('calOrphansTitle')),
      h('p', { class: 'hint' }, t('calOrphansHint')),
      table(t('calOrphansTitle'), columns, orphans),
    );
  }

  async function loadOrphans() {
    try {
      orphans = (await api.get('/api/admin/calendar/orphans?professional=' + encodeURIComponent(professionalId))).items;
    } catch (err) {
      orphans = [];
    }
    renderOrphans();
  }

  async function invite(ev) {
    ev.target.disabled = true;
    try {
      invitation = await api.post('/api/admin/professionals/' + encodeURIComponent(professionalId) + '/invitation');
      if (calendar.status === 'none') calendar = { ...calendar, status: 'pending' };
      announce(t('calInvited'));
      render();
      const link = panel.querySelector('#invitation-url');
      if (link) link.focus();
    } catch (err) {
      ev.target.disabled = false;
      announce(problemText(t, err));
    }
  }

  async function disconnect(ev) {
    if (!window.confirm(t('calDisconnectConfirm'))) return;
    ev.target.disabled = true;
    try {
      const out = await api.del('/api/admin/professionals/' + encodeURIComponent(professionalId) + '/calendar');
      calendar = out.calendar;
      invitation = null;
      announce(t('calDisconnected'));
      render();
    } catch (err) {
      ev.target.disabled = false;
      announce(problemText(t, err));
    }
  }

  function render() {
    const status = calendar.status || 'none';
    const children = [
      h('h2', { id: 'calendar-title' }, t('calendarTitle')),
      h('p', {}, badge(t('calendar_' + status), tone[status] || 'muted')),
    ];
    if (calendar.provider) children.push(facts());
    if (status === 'error') children.push(h('p', { class: 'notice' }, t('calErrorHelp')));
    else children.push(h('p', { class: 'hint' }, t('calendarHint')));
    if (calendar.needs_reconnect) {
      children.push(h('p', { class: 'notice', id: 'calendar-reconnect' }, t('calReconnect')));
    }
    if (calendar.provider === 'calcom' && !calendar.event_type_id) {
      children.push(h('p', { class: 'notice warn', id: 'calendar-read-only' }, t('calReadOnly')));
    }
    if (invitation) {
      children.push(
        h(
          'div',
          { class: 'invitation' },
          h('p', { class: 'hint' }, t('calInviteHint')),
          h(
            'p',
            {},
            h(
              'a',
              { id: 'invitation-url', href: invitation.url, target: '_blank', rel: 'noopener', class: 'break' },
              invitation.url,
            ),
          ),
          h('p', { class: 'hint' }, t('calInviteExpires', { when: when(ctx, invitation.expires_at) })),
          h('p', { class: 'actions' }, copyButton(t, invitation.url, t('copyLink'))),
        ),
      );
    }
    const actions = h(
      'p',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: status === 'connected' ? 'secondary' : 'primary',
          id: 'calendar-invite',
          onclick: invite,
        },
        status === 'none' ? t('calInviteNew') : t('calInviteAgain'),
      ),
    );
    if (calendar.provider) {
      actions.append(
        h(
          'button',
          { type: 'button', class: 'danger', id: 'calendar-disconnect', onclick: disconnect },
          t('calDisconnect'),
        ),
      );
    }
    if (status === 'connected') children.push(calendarChoices(ctx, professionalId));
    children.push(actions, orphansBox);
    panel.replaceChildren(...children);
  }

  render();
  loadOrphans();
  return panel;
}
