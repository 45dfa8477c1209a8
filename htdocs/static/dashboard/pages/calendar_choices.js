// Which of a connected professional's calendars count (API.md "Which calendars count"): each
// calendar of the account, ticked when its appointments block this professional's slots, and
// the one calendar where new bookings are written. Saving re-reads the busy times at once.
import * as api from '../api.js';
import { addMessages } from '../i18n.js';
import { h, announce, problemText, busy } from '../ui.js';

addMessages({
  es: {
    calChoicesTitle: 'Calendarios que cuentan',
    calChoicesHint:
      'Marca los calendarios cuyas citas deben bloquear horarios, y elige en cuál se escriben las reservas nuevas.',
    calChoiceBlocks: 'Bloquea horarios',
    calChoiceReceives: 'Recibe las reservas',
    calChoicePrimary: 'principal',
    calChoiceReadOnly: 'Solo lectura: no puede recibir citas',
    calChoicesSave: 'Guardar calendarios',
    calChoicesSaved: 'Calendarios guardados; sus horarios ya cuentan.',
    calChoicesUnavailable: 'No pudimos leer sus calendarios ahora.',
  },
  en: {
    calChoicesTitle: 'Calendars that count',
    calChoicesHint:
      'Tick the calendars whose appointments should block slots, and choose the one new bookings are written to.',
    calChoiceBlocks: 'Blocks slots',
    calChoiceReceives: 'Receives bookings',
    calChoicePrimary: 'primary',
    calChoiceReadOnly: 'Read-only: cannot receive bookings',
    calChoicesSave: 'Save calendars',
    calChoicesSaved: 'Calendars saved; their busy times count now.',
    calChoicesUnavailable: 'Their calendars could not be read now.',
  },
});

export function calendarChoices(ctx, professionalId) {
  const { t } = ctx;
  const url = '/api/admin/professionals/' + encodeURIComponent(professionalId) + '/calendars';
  const box = h('section', { class: 'calendar-choices', 'aria-labelledby': 'calendar-choices-title' });
  let calendars = [];

  function row(c, i) {
    const name = c.name + (c.primary ? ' (' + t('calChoicePrimary') + ')' : '');
    const blocks = h('input', { type: 'checkbox', id: 'cal-blocks-' + i, checked: c.blocks });
    const receives = h('input', {
      type: 'radio',
      name: 'cal-receiver',
      id: 'cal-receives-' + i,
      checked: c.receives_events,
      disabled: c.writable === false,
      'aria-describedby': c.writable === false ? 'cal-read-only-' + i : null,
    });
    // the account may only read it: its events could not be written there
    const readOnly =
      c.writable === false ? h('p', { class: 'hint', id: 'cal-read-only-' + i }, t('calChoiceReadOnly')) : null;
    blocks.addEventListener('change', () => (c.blocks = blocks.checked));
    receives.addEventListener('change', () => calendars.forEach((x) => (x.receives_events = x === c)));
    return h(
      'li',
      {},
      h('strong', {}, name),
      h('span', { class: 'choice' }, blocks, h('label', { for: 'cal-blocks-' + i }, t('calChoiceBlocks'))),
      h('span', { class: 'choice' }, receives, h('label', { for: 'cal-receives-' + i }, t('calChoiceReceives'))),
      readOnly,
    );
  }

  function render() {
    const save = h('button', { type: 'button', class: 'primary', id: 'calendar-choices-save' }, t('calChoicesSave'));
    save.addEventListener('click', () =>
      busy(save, async () => {
        try {
          const body = calendars.map((c) => ({ id: c.id, blocks: c.blocks, receives_events: c.receives_events }));
          calendars = (await api.put(url, { calendars: body })).calendars;
          announce(t('calChoicesSaved'));
          render();
        } catch (err) {
          announce(problemText(t, err));
        }
      }),
    );
    box.replaceChildren(
      h('h3', { id: 'calendar-choices-title' }, t('calChoicesTitle')),
      h('p', { class: 'hint' }, t('calChoicesHint')),
      h('ul', { class: 'choices-list' }, calendars.map(row)),
      h('p', { class: 'actions' }, save),
    );
  }

  api
    .get(url)
    .then((out) => {
      calendars = out.calendars;
      render();
    })
    .catch(() => box.replaceChildren(h('p', { class: 'hint' }, t('calChoicesUnavailable'))));
  return box;
}
