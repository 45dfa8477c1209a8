// A series' sessions as the customer's pages tell them (API.md "Series, seats and teams": a
// booking with `series: {id, index, count}` and `occurrences` in order): which session a booking
// is, every session's date and time with its state, what the series' one payment covered, and
// which sessions a change "of this and the following" takes.
import { h } from './dom.js';
import { formatWhen, wallOf, zonedToInstant } from './format.js';

const ACTIVE = new Set(['paid', 'confirmed']);

export function isSeries(b) {
  return !!(b && b.series && b.series.count > 1 && Array.isArray(b.occurrences) && b.occurrences.length > 1);
}

// "Sesión 3 de 6"
export function seriesPosition(t, b) {
  return t('seriesPosition', { index: b.series.index, count: b.series.count });
}

export function seriesPositionLine(t, b) {
  return isSeries(b) ? h('p', { class: 'series-position', id: 'series-position' }, seriesPosition(t, b)) : null;
}

// The sessions after this one that a change of "this and the following" would take.
export function laterActive(b) {
  if (!isSeries(b)) return [];
  const at = b.occurrences.findIndex((o) => o.id === b.id);
  return at < 0 ? [] : b.occurrences.slice(at + 1).filter((o) => ACTIVE.has(o.status));
}

// Every session, numbered, in `zone`: cancelled ones struck through and named so, past ones
// marked, this booking's own marked as the current one.
export function sessionsList(ctx, b, zone, now = Date.now()) {
  const { t } = ctx;
  const names = t('statusNames') || {};
  return h(
    'ol',
    { class: 'sessions series-sessions', id: 'series-sessions' },
    b.occurrences.map((o, i) => {
      const past = ACTIVE.has(o.status) && Date.parse(o.end) <= now;
      const current = o.id === b.id;
      const state = past ? t('statusPast') : names[o.status] || o.status;
      return h(
        'li',
        {
          class: 'session session-' + o.status + (past ? ' session-past' : '') + (current ? ' session-current' : ''),
          'aria-current': current ? 'true' : null,
          dataset: { status: past ? 'past' : o.status, index: String(i + 1) },
        },
        h(
          'span',
          { class: 'session-when' },
          h('span', { class: 'session-number' }, `${i + 1}. `),
          formatWhen(o.start, zone, ctx.tag),
        ),
        h('span', { class: 'session-status' }, current ? `${state} · ${t('sessionThis')}` : state),
      );
    }),
  );
}

// The sessions and their heading, as a section of a page.
export function sessionsSection(ctx, b, zone) {
  if (!isSeries(b)) return null;
  return h(
    'section',
    { class: 'series-box', 'aria-labelledby': 'series-sessions-title' },
    h('h2', { id: 'series-sessions-title' }, ctx.t('seriesSessionsTitle')),
    sessionsList(ctx, b, zone),
  );
}

// What one payment of the series covered (the service's `series.pay`): all its sessions, or the
// first only. Null when that is not known (then the amount stands alone).
export function paymentCovers(t, b, pay) {
  if (!isSeries(b) || !pay) return null;
  return pay === 'first' ? t('seriesCoversFirst') : t('seriesCoversAll', { n: b.series.count });
}

// A list of sessions' dates, for what a change will do.
export function datesList(ctx, sessions, zone, cls) {
  return h(
    'ul',
    { class: 'series-dates' + (cls ? ' ' + cls : '') },
    sessions.map((o) => h('li', {}, formatWhen(o.start, zone, ctx.tag))),
  );
}

// The choice of a cancel or a reschedule on a session with later active ones: this session only,
// or it and the following; `onChange(scope)` at each change. A fieldset with its legend.
export function scopeChoice(t, name, legend, following, onChange) {
  const option = (value, label, checked) => {
    const id = `${name}-${value}`;
    const input = h('input', {
      type: 'radio',
      name,
      id,
      value,
      checked,
      onchange: () => onChange(value),
    });
    return h('div', { class: 'scope-option' }, input, h('label', { for: id }, label));
  };
  return h(
    'fieldset',
    { class: 'scope-choice', id: `${name}-choice` },
    h('legend', {}, legend),
    option('one', t('scopeOne'), true),
    option('rest', t('scopeRest', { n: following }), false),
  );
}

function instantOfWall(wall, zone) {
  const iso = new Date(wall).toISOString();
  return zonedToInstant(iso.slice(0, 10), iso.slice(11, 16), zone);
}

// The same weekday of the same week of the month, `months` later (a 5th one: the last).
function sameWeekdayOfMonth(wall, months) {
  const at = new Date(wall);
  const week = Math.ceil(at.getUTCDate() / 7);
  const weekday = at.getUTCDay();
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + months;
  let day;
  if (week === 5) {
    day = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    while (new Date(Date.UTC(year, month, day)).getUTCDay() !== weekday) day -= 1;
  } else {
    day = 1;
    while (new Date(Date.UTC(year, month, day)).getUTCDay() !== weekday) day += 1;
    day += (week - 1) * 7;
  }
  return Date.UTC(year, month, day, at.getUTCHours(), at.getUTCMinutes());
}

const DAY_MS = 86400000;

// Where a move of "this and the following" to `newStart` puts each session (API.md "Series of
// bookings"): the session j places later goes to the new start plus j weeks, 2j weeks or j
// months by the series' rule (`every`), at the same wall-clock time in the professional's zone;
// without the rule, by the same wall-clock shift as this one. [{from, to}] of this session and
// the later booked ones, in order.
export function movedRest(b, newStart, every) {
  const zone = b.timezone || 'UTC';
  const at = b.occurrences.findIndex((o) => o.id === b.id);
  const start = wallOf(newStart, zone);
  const shift = start - wallOf(b.start, zone);
  const place = (o, j) => {
    if (j === 0) return newStart;
    if (every === 'week' || every === '2weeks') {
      return instantOfWall(start + j * (every === 'week' ? 7 : 14) * DAY_MS, zone);
    }
    if (every === 'month') return instantOfWall(sameWeekdayOfMonth(start, j), zone);
    return instantOfWall(wallOf(o.start, zone) + shift, zone);
  };
  return [b, ...laterActive(b)].map((o) => {
    const j = b.occurrences.findIndex((x) => x.id === o.id) - at;
    return { from: o.start, to: place(o, j) };
  });
}
