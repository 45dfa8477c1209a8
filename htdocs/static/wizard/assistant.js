// The booking assistant (/book/{link}/assistant, API.md "Booking assistant"): the customer
// writes what they want ("mañana por la tarde con Ana"), the answer's slots are buttons, and
// picking one continues in the wizard (hold, details, payment). The assistant holds nothing.
// The conversation is a log (role=log, polite live region) so screen readers hear each reply.
import { h } from './dom.js';
import * as api from './api.js';
import { chargeSummary } from './charge.js';
import { metadataParams } from './metadata.js';

const EXAMPLES = {
  es: ['mañana por la tarde', 'lo antes posible', 'el próximo martes después de las 5'],
  en: ['tomorrow afternoon', 'as soon as possible', 'next Tuesday after 5pm'],
};

export class Assistant {
  constructor(ctx, shell, link, params = new URLSearchParams()) {
    this.ctx = ctx;
    this.shell = shell;
    this.link = link;
    this.params = params;
    this.t = ctx.t;
    this.context = null;
    this.busy = false;
  }

  async start() {
    let data;
    try {
      ({ data } = await api.getLink(this.link));
    } catch (err) {
      if (err.status === 404 || err.status === 410)
        this.shell.linkProblem(err.status === 410 ? 'link_expired' : 'link_not_found');
      else this.shell.fatal(err, () => this.start());
      return;
    }
    this.data = data;
    this.shell.setTenant(data.tenant || {});
    this.shell.setProgress(0);
    this.render();
    api.assistantEvent(this.link, 'opened').catch(() => {}); // the funnel: best effort
  }

  professionalName(id) {
    const p = (this.data.professionals || []).find((x) => x.id === id);
    return p ? p.name : null;
  }

  render() {
    const { t } = this;
    // the live region wraps the list: a role on the <ol> itself would take its list away
    this.log = h('ol', { class: 'chat-log' });
    const logRegion = h(
      'div',
      {
        id: 'chat-log',
        role: 'log',
        'aria-live': 'polite',
        'aria-relevant': 'additions',
        'aria-label': t('askLog'),
      },
      this.log,
    );
    this.input = h('textarea', {
      id: 'ask-text',
      name: 'text',
      rows: 2,
      maxlength: 500,
      required: true,
      'aria-describedby': 'ask-hint ask-error',
      autocomplete: 'off',
    });
    this.error = h('p', { class: 'field-error', id: 'ask-error', hidden: true });
    this.button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ask-send' }, t('askSend'));
    const form = h(
      'form',
      { class: 'ask-form', id: 'ask-form', novalidate: true },
      h('label', { for: 'ask-text' }, t('askLabel')),
      h('p', { class: 'hint', id: 'ask-hint' }, t('askHint')),
      this.input,
      this.error,
      h('div', { class: 'ask-row' }, this.button),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.send(this.input.value);
    });
    // Enter sends, Shift+Enter makes a new line (as in any chat).
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.send(this.input.value);
      }
    });
    const examples = h(
      'div',
      { class: 'ask-examples', role: 'group', 'aria-label': t('askExamples') },
      ...(EXAMPLES[this.ctx.lang] || EXAMPLES.es).map((text) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            onclick: () => this.send(text),
          },
          text,
        ),
      ),
    );
    this.shell.render(
      [
        h('h1', {}, t('askTitle')),
        h('p', { class: 'summary-line' }, t('askIntro')),
        logRegion,
        form,
        examples,
        h('p', { class: 'ask-back' }, h('a', { href: this.wizardUrl(), id: 'ask-wizard' }, t('askToWizard'))),
      ],
      { title: t('askTitle') },
    );
    this.shell.setActions([]);
  }

  say(who, ...content) {
    const item = h(
      'li',
      { class: 'chat-msg chat-' + who },
      h('span', { class: 'visually-hidden' }, (who === 'me' ? this.t('askYou') : this.t('askAssistant')) + ': '),
      ...content,
    );
    this.log.append(item);
    item.scrollIntoView({ block: 'nearest' });
    return item;
  }

  async send(raw) {
    const { t } = this;
    const text = (raw || '').trim();
    this.error.hidden = true;
    this.input.removeAttribute('aria-invalid');
    if (!text) {
      this.error.hidden = false;
      this.error.textContent = '⚠ ' + t('askEmpty');
      this.input.setAttribute('aria-invalid', 'true');
      this.input.focus();
      return;
    }
    if (this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    this.say('me', text);
    this.input.value = '';
    const waiting = this.say('bot', h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', t('askThinking'));
    try {
      const { data } = await api.askAssistant(this.link, {
        text,
        tz: this.ctx.zone,
        context: this.context || undefined,
      });
      waiting.remove();
      this.context = data.context;
      this.answer(data);
    } catch (err) {
      waiting.remove();
      const msg =
        err.code === 'validation_failed' && err.fields ? Object.values(err.fields)[0] : this.shell.errorText(err);
      this.say('bot', h('p', { class: 'chat-error' }, msg));
      if (err.fields && err.fields.context) this.context = null;
    } finally {
      this.busy = false;
      this.button.disabled = false;
      this.input.focus();
    }
  }

  answer(data) {
    const { t, ctx } = this;
    const zone = data.intent.timezone;
    const slots = data.slots || [];
    const when = new Intl.DateTimeFormat(ctx.tag, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: zone,
    });
    const list = slots.length
      ? h(
          'ul',
          { class: 'chat-slots' },
          ...slots.map((sl, i) => {
            const pro = this.professionalName(sl.professional);
            const theirs = sl.professional_local
              ? t('askTheirTime', { time: sl.professional_local.slice(11, 16) })
              : null;
            // a class: its places left at that time, as the wizard's time step shows them
            const seats = sl.seats_left
              ? t(sl.seats_left === 1 ? 'askSeatsLeftOne' : 'askSeatsLeft', { n: sl.seats_left })
              : null;
            const label = [when.format(new Date(sl.start)), pro ? t('with', { name: pro }) : null, theirs, seats]
              .filter(Boolean)
              .join(' · ');
            return h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'slot-pick',
                  id: 'pick-' + (i + 1),
                  dataset: { start: sl.start },
                  onclick: () => this.pick(sl, data),
                },
                h('span', { class: 'slot-n', 'aria-hidden': 'true' }, String(i + 1)),
                h('span', {}, label),
              ),
            );
          }),
        )
      : null;
    const unknown = (data.intent.not_understood || []).length
      ? h('p', { class: 'hint' }, t('askNotUnderstood', { words: data.intent.not_understood.join(', ') }))
      : null;
    // what the picked time costs and what may be undone, before the wizard's payment
    const svc = slots.length && (this.data.services || []).find((s) => s.id === data.intent.service);
    this.say(
      'bot',
      h('p', {}, data.reply),
      unknown,
      list,
      svc ? chargeSummary(ctx, svc, (this.data.tenant || {}).policy) : null,
      slots.length > 1 ? h('p', { class: 'hint' }, t('askFollowUp')) : null,
    );
  }

  // The wizard of this link, with the link's metadata carried on.
  wizardUrl(more = []) {
    const q = new URLSearchParams([...more, ...metadataParams(this.params)]).toString();
    return `/book/${encodeURIComponent(this.link)}${q ? '?' + q : ''}`;
  }

  async pick(sl, data) {
    await api.assistantEvent(this.link, 'slot_picked').catch(() => {});
    // a series' start: the wizard holds every session of it (repeat/count, as its own choice)
    const series =
      data.intent.repeat && data.intent.count
        ? [
            ['repeat', data.intent.repeat],
            ['count', String(data.intent.count)],
          ]
        : [];
    location.assign(
      this.wizardUrl([
        ['service', data.intent.service],
        ['professional', sl.professional],
        ['start', sl.start],
        ['tz', data.intent.timezone],
        ...series,
      ]),
    );
  }
}
