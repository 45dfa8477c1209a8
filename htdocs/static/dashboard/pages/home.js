// Home: the open alerts' banners, the onboarding checklist, each step checked off from the
// tenant's real data, what needs attention (callbacks that gave up), and the next bookings.
import * as api from '../api.js';
import { h, pageHeader, navLink, copyButton, table, badge } from '../ui.js';
import { statusLabel, statusTone, when, today } from './common.js';
import { alertBanners } from './alerts.js';

// The steps of setting up, in order; done(state) reads the data the API returned.
const STEPS = [
  { key: 'stepBusiness', hint: 'stepBusinessHint', path: 'business',
    done: (s) => !!s.tenant.subdomain },
  { key: 'stepPayments', hint: 'stepPaymentsHint', path: 'payments',
    done: (s) => { const p = s.tenant.payments && s.tenant.payments[s.tenant.payment_provider || 'wompi']; return !!(p && p.configured); } },
  { key: 'stepService', hint: 'stepServiceHint', path: 'services/new',
    done: (s) => s.services.length > 0 },
  { key: 'stepProfessional', hint: 'stepProfessionalHint', path: 'professionals/new',
    done: (s) => s.professionals.some((p) => p.schedule && p.schedule.length > 0) },
  { key: 'stepLink', hint: 'stepLinkHint', path: 'links/new',
    done: (s) => s.links.length > 0 },
];

export async function home(ctx) {
  const { t, main } = ctx;
  const [tenant, services, professionals, links, upcoming, failed, refunds, banners] = await Promise.all([
    api.get('/api/admin/tenant'),
    api.get('/api/admin/services'),
    api.get('/api/admin/professionals'),
    api.get('/api/admin/links'),
    api.get('/api/admin/bookings', { status: 'pending_payment,paid,confirmed', from: today(ctx), per_page: 100 }),
    api.get('/api/admin/bookings', { callback: 'failed', per_page: 1 }),
    api.get('/api/admin/bookings', { refund: 'needed', per_page: 1 }),
    alertBanners(ctx),
  ]);
  if (ctx.stale()) return;
  const state = {
    tenant: tenant.tenant, services: services.items.filter((x) => !x.archived),
    professionals: professionals.items.filter((x) => !x.archived),
    links: links.items.filter((x) => x.active),
  };
  pageHeader(main, t, t('homeTitle', { name: state.tenant.name }));
  if (banners) main.append(banners);

  const done = STEPS.filter((s) => s.done(state)).length;
  if (done < STEPS.length) {
    const firstOpen = STEPS.find((s) => !s.done(state));
    main.append(h('section', { class: 'panel checklist', 'aria-labelledby': 'checklist-title' },
      h('h2', { id: 'checklist-title' }, t('checklistTitle')),
      h('p', { class: 'hint' }, t('checklistProgress', { done, total: STEPS.length })),
      h('progress', { max: STEPS.length, value: done, 'aria-label': t('checklistTitle') }),
      h('ol', { class: 'steps' }, STEPS.map((s) => {
        const isDone = s.done(state);
        return h('li', { class: isDone ? 'done' : s === firstOpen ? 'next' : '' },
          h('span', { class: 'step-mark', 'aria-hidden': 'true' }, isDone ? '✓' : ''),
          h('div', {},
            navLink('/dashboard/' + s.path, t(s.key)),
            h('span', { class: 'visually-hidden' }, ' — ', isDone ? t('stepDone') : t('stepOpen')),
            h('p', { class: 'hint' }, t(s.hint))));
      }))));
  }

  if (state.links.length) {
    const link = state.links[0];
    main.append(h('section', { class: 'panel share' },
      h('h2', {}, t('shareTitle')),
      h('p', { class: 'hint' }, t('shareHint')),
      h('div', { class: 'share-row' }, h('code', { class: 'url', id: 'share-url' }, link.url),
        copyButton(t, link.url, t('copyLink')),
        h('a', { href: link.url, target: '_blank', rel: 'noopener', class: 'button secondary' }, t('openLink')))));
  }

  if (failed.total > 0 || refunds.total > 0) {
    main.append(h('section', { class: 'panel attention', 'aria-labelledby': 'attention-title' },
      h('h2', { id: 'attention-title' }, t('attentionTitle')),
      failed.total > 0 ? h('p', { id: 'failed-callbacks' }, t('failedCallbacks', { n: failed.total }), ' ',
        navLink('/dashboard/bookings?callback=failed', t('seeThem'))) : null,
      refunds.total > 0 ? h('p', { id: 'refunds-needed' }, t('refundsNeeded', { n: refunds.total }), ' ',
        navLink('/dashboard/bookings?refund=needed', t('seeThem'))) : null));
  }

  const items = upcoming.items.slice().sort((a, b) => a.start.localeCompare(b.start)).slice(0, 8);
  main.append(h('section', { class: 'panel' },
    h('h2', {}, t('upcomingTitle')),
    table(t('upcomingTitle'), [
      { label: t('colWhen'), cell: (b) => navLink('/dashboard/bookings/' + b.id, when(ctx, b.start)) },
      { label: t('colCustomer'), cell: (b) => b.customer.name || '—' },
      { label: t('colService'), cell: (b) => b.service.name },
      { label: t('colProfessional'), cell: (b) => b.professional.name },
      { label: t('colStatus'), cell: (b) => badge(statusLabel(t, b.status), statusTone(b.status)) },
    ], items, { empty: t('noUpcoming') })));
}
