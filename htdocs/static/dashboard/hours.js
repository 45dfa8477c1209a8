// The weekly hours editor: one row per ISO weekday (Monday = 1) with any number of time
// ranges, "copy to other days", and the date exceptions (closed, or other hours that day).
// It reads and writes the API's shapes: schedule [{weekday, start, end}], exceptions
// [{date, closed: true} | {date, start, end}].
import { h, clear, nextId } from '../wizard/dom.js';
import { addMessages } from './i18n.js';

addMessages({
  es: {
    weeklyHours: 'Horario semanal',
    weeklyHoursHint: 'Marca los días que atiende. Puedes poner varios rangos por día (por ejemplo, mañana y tarde).',
    closed: 'Cerrado',
    remove: 'Quitar',
    addRange: '+ Agregar rango',
    copyTo: 'Copiar a…',
    applyCopy: 'Copiar a los días marcados',
    removeRange: 'Quitar {start}–{end} del {day}',
    rangeStart: 'Inicio ({day})',
    rangeEnd: 'Fin ({day})',
    exceptions: 'Días especiales',
    exceptionsHint: 'Vacaciones, festivos o un día con otro horario.',
    addException: '+ Agregar día especial',
    exceptionDate: 'Fecha',
    exceptionKind: 'Tipo',
    dayOff: 'No atiende',
    otherHours: 'Otro horario',
    exceptionStart: 'Inicio',
    exceptionEnd: 'Fin',
  },
  en: {
    weeklyHours: 'Weekly hours',
    weeklyHoursHint: 'Tick the days they work. A day can have several ranges (for example morning and afternoon).',
    closed: 'Closed',
    remove: 'Remove',
    addRange: '+ Add range',
    copyTo: 'Copy to…',
    applyCopy: 'Copy to the ticked days',
    removeRange: 'Remove {start}–{end} on {day}',
    rangeStart: 'Start ({day})',
    rangeEnd: 'End ({day})',
    exceptions: 'Special days',
    exceptionsHint: 'Holidays, days off or a day with other hours.',
    addException: '+ Add special day',
    exceptionDate: 'Date',
    exceptionKind: 'Kind',
    dayOff: 'Day off',
    otherHours: 'Other hours',
    exceptionStart: 'Start',
    exceptionEnd: 'End',
  },
});

function weekdayName(tag, weekday) {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, weekday, 12)),
  );
}

function timeInput(value, label) {
  const input = h('input', { type: 'time', step: 900, 'aria-label': label });
  input.value = value || '';
  return input;
}

export class HoursEditor {
  constructor(t, tag, schedule) {
    this.t = t;
    this.tag = tag;
    this.days = new Map(); // weekday → [{start, end}]
    for (let d = 1; d <= 7; d++) this.days.set(d, []);
    for (const r of schedule || []) this.days.get(r.weekday).push({ start: r.start, end: r.end });
    this.root = h(
      'fieldset',
      { class: 'hours section', dataset: { field: 'schedule' } },
      h('legend', {}, t('weeklyHours')),
      h('p', { class: 'hint' }, t('weeklyHoursHint')),
    );
    this.list = h('div', { class: 'days' });
    this.error = h('p', { class: 'field-error', hidden: true });
    this.root.append(this.list, this.error);
    this.draw();
  }

  // Reads the inputs back into the model.
  sync() {
    for (const row of this.list.querySelectorAll('.day')) {
      const day = Number(row.dataset.weekday);
      this.days.set(
        day,
        [...row.querySelectorAll('.range')].map((r) => ({
          start: r.querySelector('.start').value,
          end: r.querySelector('.end').value,
        })),
      );
    }
  }

  // The API's schedule, in the order its error paths (schedule[i]) refer to.
  value() {
    this.sync();
    const out = [];
    for (const [weekday, ranges] of this.days) {
      for (const r of ranges) out.push({ weekday, start: r.start, end: r.end });
    }
    return out;
  }

  // Errors of paths like "schedule[3].end" next to the range they name.
  showErrors(fields) {
    let first = null;
    for (const el of this.list.querySelectorAll('.range-error')) {
      el.hidden = true;
      el.textContent = '';
    }
    for (const el of this.list.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const ranges = [...this.list.querySelectorAll('.range')];
    for (const [key, text] of Object.entries(fields || {})) {
      const m = /^schedule\[(\d+)\]/.exec(key);
      if (!m || !ranges[Number(m[1])]) continue;
      const range = ranges[Number(m[1])];
      const err = range.querySelector('.range-error');
      err.textContent = text;
      err.hidden = false;
      const input = range.querySelector(key.endsWith('.start') ? '.start' : '.end');
      input.setAttribute('aria-invalid', 'true');
      if (!first) first = input;
    }
    return first;
  }

  draw(focusDay, focusWhat) {
    const { t } = this;
    clear(this.list);
    for (const [weekday, ranges] of this.days) {
      const name = weekdayName(this.tag, weekday);
      const openId = nextId('open');
      const open = h('input', { type: 'checkbox', id: openId, checked: ranges.length > 0 });
      open.addEventListener('change', () => {
        this.sync();
        this.days.set(weekday, open.checked ? [{ start: '09:00', end: '17:00' }] : []);
        this.draw(weekday, 'open');
      });
      const row = h(
        'div',
        { class: 'day', dataset: { weekday }, role: 'group', 'aria-label': name },
        h(
          'div',
          { class: 'day-head' },
          h('label', { for: openId, class: 'check day-name' }, open, ' ', name),
          ranges.length ? null : h('span', { class: 'hint' }, t('closed')),
        ),
      );
      const box = h('div', { class: 'ranges' });
      ranges.forEach((r, i) => {
        const remove = h(
          'button',
          {
            type: 'button',
            class: 'remove',
            title: t('remove'),
            'aria-label': t('removeRange', { day: name, start: r.start, end: r.end }),
          },
          '×',
        );
        remove.addEventListener('click', () => {
          this.sync();
          this.days.get(weekday).splice(i, 1);
          this.draw(weekday, 'add');
        });
        box.append(
          h(
            'div',
            { class: 'range' },
            timeInput(r.start, t('rangeStart', { day: name })),
            h('span', { 'aria-hidden': 'true' }, '–'),
            timeInput(r.end, t('rangeEnd', { day: name })),
            remove,
            h('p', { class: 'field-error range-error', hidden: true }),
          ),
        );
        box.lastChild.children[0].classList.add('start');
        box.lastChild.children[2].classList.add('end');
      });
      if (ranges.length) {
        const add = h('button', { type: 'button', class: 'link-button add' }, t('addRange'));
        add.addEventListener('click', () => {
          this.sync();
          const list = this.days.get(weekday);
          const last = list[list.length - 1];
          list.push(last && last.end < '20:00' ? { start: last.end, end: '20:00' } : { start: '14:00', end: '18:00' });
          this.draw(weekday, 'last');
        });
        const copy = h(
          'button',
          { type: 'button', class: 'link-button copy-day', 'aria-expanded': 'false' },
          t('copyTo'),
        );
        const picker = this.copyPicker(weekday, name, copy);
        copy.addEventListener('click', () => {
          const shown = picker.hidden;
          picker.hidden = !shown;
          copy.setAttribute('aria-expanded', String(shown));
          if (shown) picker.querySelector('input').focus();
        });
        box.append(h('div', { class: 'range-actions' }, add, copy), picker);
      }
      row.append(box);
      this.list.append(row);
      if (focusDay === weekday) {
        const target =
          focusWhat === 'open'
            ? open
            : focusWhat === 'last'
              ? [...row.querySelectorAll('.range .start')].pop()
              : row.querySelector('.add') || open;
        if (target) target.focus();
      }
    }
  }

  copyPicker(weekday, name, opener) {
    const { t } = this;
    const picker = h('div', { class: 'copy-picker', hidden: true, role: 'group', 'aria-label': t('copyTo') });
    for (let d = 1; d <= 7; d++) {
      if (d === weekday) continue;
      picker.append(
        h('label', { class: 'check' }, h('input', { type: 'checkbox', value: d }), ' ', weekdayName(this.tag, d)),
      );
    }
    const apply = h('button', { type: 'button', class: 'secondary' }, t('applyCopy'));
    apply.addEventListener('click', () => {
      this.sync();
      const source = this.days.get(weekday);
      for (const c of picker.querySelectorAll('input:checked')) {
        this.days.set(
          Number(c.value),
          source.map((r) => ({ ...r })),
        );
      }
      this.draw(weekday, 'add');
      opener.setAttribute('aria-expanded', 'false');
    });
    picker.append(apply);
    return picker;
  }
}

// Date exceptions: a day off, or other hours that day.
export class ExceptionsEditor {
  constructor(t, exceptions) {
    this.t = t;
    this.root = h(
      'fieldset',
      { class: 'exceptions section', dataset: { field: 'exceptions' } },
      h('legend', {}, t('exceptions')),
      h('p', { class: 'hint' }, t('exceptionsHint')),
    );
    this.list = h('div', { class: 'exception-list' });
    const add = h('button', { type: 'button', class: 'secondary add-exception' }, t('addException'));
    add.addEventListener('click', () => {
      this.addRow({ date: '', closed: true });
      this.list.lastChild.querySelector('input[type=date]').focus();
    });
    this.error = h('p', { class: 'field-error', hidden: true });
    this.root.append(this.list, add, this.error);
    for (const e of exceptions || []) this.addRow(e);
  }

  addRow(e) {
    const { t } = this;
    const date = h('input', { type: 'date', 'aria-label': t('exceptionDate') });
    date.value = e.date || '';
    const kind = h(
      'select',
      { 'aria-label': t('exceptionKind') },
      h('option', { value: 'closed', selected: !!e.closed }, t('dayOff')),
      h('option', { value: 'hours', selected: !e.closed }, t('otherHours')),
    );
    const start = timeInput(e.start || '09:00', t('exceptionStart'));
    const end = timeInput(e.end || '13:00', t('exceptionEnd'));
    const times = h('span', { class: 'exception-times' }, start, h('span', { 'aria-hidden': 'true' }, '–'), end);
    const sync = () => {
      times.hidden = kind.value === 'closed';
    };
    kind.addEventListener('change', sync);
    sync();
    const remove = h('button', { type: 'button', class: 'link-button' }, t('remove'));
    const row = h(
      'div',
      { class: 'exception' },
      date,
      kind,
      times,
      remove,
      h('p', { class: 'field-error range-error', hidden: true }),
    );
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      (next ? next.querySelector('input') : this.root.querySelector('.add-exception')).focus();
    });
    this.list.append(row);
  }

  value() {
    return [...this.list.querySelectorAll('.exception')].map((row) => {
      const [date, start, end] = [
        row.querySelector('input[type=date]').value,
        row.querySelector('.exception-times input:first-child').value,
        row.querySelector('.exception-times input:last-child').value,
      ];
      return row.querySelector('select').value === 'closed' ? { date, closed: true } : { date, start, end };
    });
  }

  showErrors(fields) {
    const rows = [...this.list.querySelectorAll('.exception')];
    let first = null;
    for (const [key, text] of Object.entries(fields || {})) {
      const m = /^exceptions\[(\d+)\]/.exec(key);
      if (!m || !rows[Number(m[1])]) continue;
      const err = rows[Number(m[1])].querySelector('.range-error');
      err.textContent = text;
      err.hidden = false;
      if (!first) first = rows[Number(m[1])].querySelector('input');
    }
    return first;
  }
}
