// The time zone picker of the date and time step: a labelled combobox (WAI-ARIA 1.2: a text
// box with a list of options always shown under it) that lists the customer's own zone, the
// business's and the common zones of the markets served first, and finds any other by its
// city or country as people write them, accents or not ("bogota" finds "Bogotá (GMT-5)").
// Arrows move through the options, Enter takes one, Escape leaves the zone as it was; a click
// takes one too. The count of options found is said politely.
import { h, clear, nextId } from './dom.js';
import { allZones } from './format.js';
import { COMMON_ZONES, folded, zoneCity, zoneCountry, zoneLabel, zoneSearchText } from './zones.js';

const SHOWN_MAX = 40;

export class ZonePicker {
  // current: the zone in use; own: the browser's; business: the business's (may be null);
  // onPick(zone) when one is taken, onClose() when the customer leaves without one.
  constructor({ ctx, current, own, business, onPick, onClose }) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.current = current;
    this.own = own;
    this.business = business;
    this.onPick = onPick;
    this.onClose = onClose || (() => {});
    this.index = null;
    this.active = -1;
    this.shown = [];
  }

  // The picker's parts (new each time): label, hint, the text box, its list, the live count.
  mount() {
    const { t } = this;
    const id = nextId('zone');
    this.listId = id + '-list';
    this.input = h('input', {
      id: id + '-input',
      type: 'text',
      class: 'zone-input',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      autocapitalize: 'off',
      'aria-autocomplete': 'list',
      'aria-expanded': 'true',
      'aria-controls': this.listId,
      'aria-describedby': id + '-hint',
    });
    this.list = h('ul', { id: this.listId, class: 'zone-list', role: 'listbox', 'aria-label': t('zoneLabel') });
    this.count = h('p', { class: 'visually-hidden', role: 'status' });
    this.input.addEventListener('input', () => this.filter());
    this.input.addEventListener('keydown', (ev) => this.key(ev));
    // a press on an option must not take the focus from the text box first
    this.list.addEventListener('mousedown', (ev) => ev.preventDefault());
    this.el = h(
      'div',
      { class: 'zone-picker' },
      h('label', { for: this.input.id }, t('zoneLabel')),
      h('p', { class: 'hint', id: id + '-hint' }, t('zoneHint')),
      this.input,
      this.list,
      this.count,
    );
    this.filter();
    return this.el;
  }

  focus() {
    this.input.focus();
  }

  // Every zone once, with what a search finds it by (the offsets are read only for the
  // options shown).
  zones() {
    if (this.index) return this.index;
    const { tag } = this.ctx;
    const all = new Set([...COMMON_ZONES, ...allZones()]);
    for (const z of [this.current, this.own, this.business]) if (z) all.add(z);
    this.index = [...all].map((zone) => ({
      zone,
      city: folded(zoneCity(zone, tag)),
      search: zoneSearchText(zone, tag),
    }));
    return this.index;
  }

  // With nothing typed: the customer's zone (and the one in use), the business's, then the
  // common ones. Typed: the zones whose city starts with it, then whose city has a word that
  // does ("mexico": Ciudad de México), then any other name (a country, a city that keeps its
  // time) with such a word, then any that holds it.
  candidates(query) {
    if (!query) {
      const first = [this.own, this.current, this.business, ...COMMON_ZONES].filter(Boolean);
      return [...new Set(first)];
    }
    const wordStart = (text) => (' ' + text).includes(' ' + query);
    const rank = (e) =>
      e.city.startsWith(query)
        ? 0
        : wordStart(e.city)
          ? 1
          : wordStart(e.search)
            ? 2
            : e.search.includes(query)
              ? 3
              : -1;
    return this.zones()
      .map((e) => [rank(e), e])
      .filter(([r]) => r >= 0)
      .sort((a, b) => a[0] - b[0] || a[1].city.localeCompare(b[1].city))
      .map(([, e]) => e.zone);
  }

  filter() {
    const { t, ctx } = this;
    const query = folded(this.input.value);
    const found = this.candidates(query);
    this.shown = found.slice(0, SHOWN_MAX);
    clear(this.list);
    this.shown.forEach((zone, i) => {
      const notes = [
        zoneCountry(zone, ctx.tag),
        zone === this.own ? t('zoneYours') : null,
        zone === this.business && zone !== this.own ? t('zoneBusiness') : null,
      ].filter(Boolean);
      const option = h(
        'li',
        {
          id: `${this.listId}-${i}`,
          role: 'option',
          class: 'zone-option',
          'aria-selected': String(zone === this.current),
          dataset: { zone },
        },
        h('span', { class: 'zone-option-name' }, zoneLabel(zone, ctx.tag)),
        notes.length ? h('span', { class: 'zone-option-where' }, notes.join(' · ')) : null,
      );
      option.addEventListener('click', () => this.pick(zone));
      this.list.append(option);
    });
    if (!this.shown.length) {
      this.list.append(
        h('li', { class: 'zone-none', role: 'presentation' }, t('zoneNone', { q: this.input.value.trim() })),
      );
    }
    this.setActive(query && this.shown.length ? 0 : -1);
    // said once typing has found something (not on opening: the label and hint are read then)
    if (query) {
      this.count.textContent = !found.length
        ? t('zoneNone', { q: this.input.value.trim() })
        : found.length === 1
          ? t('zoneFoundOne')
          : t('zoneFound', { n: found.length });
    }
  }

  setActive(i) {
    this.active = i;
    const options = this.list.querySelectorAll('.zone-option');
    options.forEach((o, n) => o.classList.toggle('zone-option-active', n === i));
    if (i >= 0 && options[i]) {
      this.input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  key(ev) {
    const n = this.shown.length;
    if (ev.key === 'ArrowDown' && n) {
      ev.preventDefault();
      this.setActive(this.active < 0 ? 0 : Math.min(n - 1, this.active + 1));
    } else if (ev.key === 'ArrowUp' && n) {
      ev.preventDefault();
      this.setActive(this.active <= 0 ? 0 : this.active - 1);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (this.active >= 0) this.pick(this.shown[this.active]);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      this.onClose();
    }
  }

  pick(zone) {
    this.current = zone;
    this.onPick(zone);
  }
}
