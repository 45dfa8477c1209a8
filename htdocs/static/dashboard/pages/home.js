// Home: the open alerts' banners, the onboarding checklist, each step checked off from the
// tenant's real data, what needs attention (callbacks that gave up), and the next bookings
// (only those still to come).
import * as api from '../api.js';
import { h, pageHeader, navLink, copyButton, table } from '../ui.js';
import { bookingStatusBadge, when, today, number } from './common.js';
import { alertBanners } from './alerts.js';

// The steps of setting up, in order; done(state) reads the data the API returned.
const STEPS = [
  { key: 'stepBusiness', hint: 'stepBusinessHint', path: 'business', done: (s) => !!s.tenant.subdomain },
  {
    key: 'stepPayments',
    hint: 'stepPaymentsHint',
    path: 'payments',
    done: (s) => {
      const p = s.tenant.payments && s.tenant.payments[s.tenant.payment_provider];
      return !!(p && p.configured);
    },
  },
  { key: 'stepService', hint: 'stepServiceHint', path: 'services/new', done: (s) => s.services.length > 0 },
  {
    key: 'stepProfessional',
    hint: 'stepProfessionalHint',
    path: 'professionals/new',
    done: (s) => s.professionals.some((p) => p.schedule && p.schedule.length > 0),
  },
  { key: 'stepLink', hint: 'stepLinkHint', path: 'links/new', done: (s) => s.links.length > 0 },
];

const UPCOMING_SHOWN = 8;
const UPCOMING_PAGE = 100;

// The next appointments: bookings that stand and start after now. The API lists the latest
// start first by whole days, so the earliest ones from today on are on its last pages; they
// are read from the last page back until enough of them are still to come.
async function upcomingBookings(ctx) {
  const ask = (page) =>
    api.get('/api/admin/bookings', {
      status: 'pending_payment,paid,confirmed',
      customer: 'given',
      from: today(ctx),
      per_page: UPCOMING_PAGE,
      page,
    });
  const first = await ask(1);
  const pages = Math.max(1, Math.ceil(first.total / UPCOMING_PAGE));
  const now = Date.now();
  const found = [];
  for (let page = pages; page >= 1 && found.length < UPCOMING_SHOWN; page--) {
    const items = page === 1 ? first.items : (await ask(page)).items;
    found.push(...items.filter((b) => Date.parse(b.start) > now));
  }
  return found.sort((a, b) => a.start.localeCompare(b.start)).slice(0, UPCOMING_SHOWN);
}

export async function home(ctx) {
  const { t, main } = ctx;
  const [tenant, services, professionals, links, upcoming, failed, refunds, banners] = await Promise.all([
    api.get('/api/admin/tenant'),
    api.get('/api/admin/services'),
    api.get('/api/admin/professionals'),
    api.get('/api/admin/links'),
    upcomingBookings(ctx),
    api.get('/api/admin/bookings', { callback: 'failed', per_page: 1 }),
    api.get('/api/admin/bookings', { refund: 'needed', per_page: 1 }),
    alertBanners(ctx),
  ]);
  if (ctx.stale()) return;
  const state = {
    tenant: tenant.tenant,
    services: services.items.filter((x) => !x.archived),
    professionals: professionals.items.filter((x) => !x.archived),
    links: links.items.filter((x) => x.active),
  };
  pageHeader(main, t, t('homeTitle', { name: state.tenant.name }));
  if (banners) main.append(banners);

  const done = STEPS.filter((s) => s.done(state)).length;
  if (done < STEPS.length) {
    const firstOpen = STEPS.find((s) => !s.done(state));
    main.append(
      h(
        'section',
        { class: 'panel checklist', 'aria-labelledby': 'checklist-title' },
        h('h2', { id: 'checklist-title' }, t('checklistTitle')),
        h(
          'p',
          { class: 'hint' },
          t('checklistProgress', { done: number(ctx, done), total: number(ctx, STEPS.length) }),
        ),
        h('progress', { max: STEPS.length, value: done, 'aria-label': t('checklistTitle') }),
        h(
          'ol',
          { class: 'steps' },
          STEPS.map((s) => {
            const isDone = s.done(state);
            return h(
              'li',
              { class: isDone ? 'done' : s === firstOpen ? 'next' : '' },
              h('span', { class: 'step-mark', 'aria-hidden': 'true' }, isDone ? '✓' : ''),
              h(
                'div',
                {},
                navLink('/dashboard/' + s.path, t(s.key)),
                h('span', { class: 'visually-hidden' }, ' — ', isDone ? t('stepDone') : t('stepOpen')),
                h('p', { class: 'hint' }, t(s.hint)),
              ),
            );
          }),
        ),
      ),
    );
  }

  if (state.links.length) {
    const link = state.links[0];
    main.append(
      h(
        'section',
        { class: 'panel share' },
        h('h2', {}, t('shareTitle')),
        h('p', { class: 'hint' }, t('shareHint')),
        h(
          'div',
          { class: 'share-row' },
          h('code', { class: 'url', id: 'share-url' }, link.url),
          copyButton(t, link.url, t('copyLink')),
          h('a', { href: link.url, target: '_blank', rel: 'noopener', class: 'button secondary' }, t('openLink')),
        ),
      ),
    );
  }

  if (failed.total > 0 || refunds.total > 0) {
    main.append(
      h(
        'section',
        { class: 'panel attention', 'aria-labelledby': 'attention-title' },
        h('h2', { id: 'attention-title' }, t('attentionTitle')),
        failed.total > 0
          ? h(
              'p',
              { id: 'failed-callbacks' },
              t('failedCallbacks', { n: number(ctx, failed.total) }),
              ' ',
              navLink('/dashboard/bookings?callback=failed', t('seeThem')),
            )
          : null,
        refunds.total > 0
          ? h(
              'p',
              { id: 'refunds-needed' },
              t('refundsNeeded', { n: number(ctx, refunds.total) }),
              ' ',
              navLink('/dashboard/bookings?refund=needed', t('seeThem')),
            )
          : null,
      ),
    );
  }

  main.append(
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('upcomingTitle')),
      table(
        t('upcomingTitle'),
        [
          { label: t('colWhen'), cell: (b) => navLink('/dashboard/bookings/' + b.id, when(ctx, b.start)) },
          { label: t('colCustomer'), cell: (b) => b.customer.name || '—' },
          { label: t('colService'), cell: (b) => b.service.name },
          { label: t('colProfessional'), cell: (b) => b.professional.name },
          { label: t('colStatus'), cell: (b) => bookingStatusBadge(t, b) },
        ],
        upcoming,
        { empty: t('noUpcoming') },
      ),
    ),
  );
}
