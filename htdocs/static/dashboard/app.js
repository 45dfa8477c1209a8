// The dashboard's entry: language, session, navigation and the router. Every
// /dashboard/... path is this one page; the router loads the page module of the path
// (dynamic import: a page's code is fetched when first opened) and renders it into <main>.
import * as api from './api.js';
import { chooseLanguage, currentLanguage, intlTagOf, t, setLanguage } from './i18n.js';
import { h, clear, problemText, alertText } from './ui.js';

const $ = (id) => document.getElementById(id);
const BASE = '/dashboard/';

// Pages: path pattern → module and export. `public` pages need no session.
const ROUTES = [
  { path: 'login', module: 'auth', page: 'login', public: true },
  { path: 'signup', module: 'auth', page: 'signup', public: true },
  { path: 'forgot-password', module: 'auth', page: 'forgot', public: true },
  { path: '', module: 'home', page: 'home', nav: 'navHome' },
  { path: 'bookings', module: 'bookings', page: 'list', nav: 'navBookings' },
  { path: 'bookings/:id', module: 'bookings', page: 'detail', under: 'bookings' },
  { path: 'services', module: 'services', page: 'list', nav: 'navServices' },
  { path: 'services/new', module: 'services', page: 'edit', under: 'services' },
  { path: 'services/:id', module: 'services', page: 'edit', under: 'services' },
  { path: 'packages', module: 'packages', page: 'list', nav: 'navPackages' },
  { path: 'packages/new', module: 'packages', page: 'edit', under: 'packages' },
  { path: 'packages/:id', module: 'packages', page: 'edit', under: 'packages' },
  { path: 'professionals', module: 'professionals', page: 'list', nav: 'navProfessionals' },
  { path: 'professionals/new', module: 'professionals', page: 'edit', under: 'professionals' },
  { path: 'professionals/:id', module: 'professionals', page: 'edit', under: 'professionals' },
  { path: 'links', module: 'links', page: 'list', nav: 'navLinks' },
  { path: 'links/new', module: 'links', page: 'edit', under: 'links' },
  { path: 'links/:id', module: 'links', page: 'edit', under: 'links' },
  { path: 'metrics', module: 'metrics', page: 'metrics', nav: 'navMetrics' },
  { path: 'business', module: 'business', page: 'business', nav: 'navBusiness' },
  { path: 'payments', module: 'payments', page: 'payments', nav: 'navPayments' },
  { path: 'reminders', module: 'reminders', page: 'reminders', nav: 'navReminders' },
  { path: 'callbacks', module: 'callbacks', page: 'callbacks', nav: 'navCallbacks' },
  { path: 'customers', module: 'customers', page: 'customers', nav: 'navCustomers' },
  { path: 'deliveries', module: 'deliveries', page: 'deliveries', nav: 'navDeliveries' },
  { path: 'audit', module: 'audit', page: 'audit', nav: 'navAudit' },
  { path: 'privacy', module: 'privacy', page: 'privacy', nav: 'navPrivacy' },
];

let session = null; // {user, tenant, csrf_token} of /api/auth/me or login
let rendering = 0;

function match(rel) {
  const parts = rel.split('/').filter(Boolean);
  for (const route of ROUTES) {
    const want = route.path.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    let ok = true;
    want.forEach((w, i) => {
      if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(parts[i]);
      else if (w !== parts[i]) ok = false;
    });
    if (ok) return { route, params };
  }
  return null;
}

// Only paths of the dashboard are followed after logging in (no open redirect).
export function safeNext(value) {
  if (
    typeof value !== 'string' ||
    !value.startsWith(BASE) ||
    value.startsWith('//') ||
    value.includes('\\') ||
    /^\/dashboard\/(login|signup|forgot-password)\b/.test(value)
  ) {
    return BASE;
  }
  return value;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render(true);
}

function sessionExpired() {
  if (!session) return;
  session = null;
  api.setCsrf(null);
  const here = location.pathname + location.search;
  navigate(BASE + 'login?expired=1&next=' + encodeURIComponent(here), { replace: true });
}

async function loadSession() {
  try {
    session = await api.me();
    api.setCsrf(session.csrf_token);
  } catch (err) {
    if (err.status !== 401) throw err;
    session = null;
  }
  return session;
}

function renderChrome(route) {
  const signedIn = !!session && !route.public;
  $('logout').hidden = !signedIn;
  $('menu-button').hidden = !signedIn;
  $('tenant-name').textContent = signedIn ? session.tenant.name : '';
  const nav = $('nav');
  nav.hidden = !signedIn;
  document.body.classList.toggle('signed-in', signedIn);
  if (!signedIn) return;
  const current = route.nav ? route.path : route.under;
  clear(nav).append(
    h(
      'ul',
      {},
      ROUTES.filter((r) => r.nav).map((r) =>
        h(
          'li',
          {},
          h('a', { href: BASE + r.path, 'data-nav': '', 'aria-current': r.path === current ? 'page' : null }, t(r.nav)),
        ),
      ),
    ),
  );
}

function closeMenu() {
  document.body.classList.remove('menu-open');
  $('menu-button').setAttribute('aria-expanded', 'false');
}

async function render(moveFocus) {
  const mine = ++rendering;
  closeMenu();
  $('toast').classList.remove('shown'); // news of the page before is not news here
  const rel = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  const found = match(rel.replace(/\/$/, ''));
  const main = $('main');
  if (!found) {
    renderChrome({ public: !session });
    clear(main).append(
      h('h1', { id: 'page-title', tabindex: '-1' }, t('notFoundTitle')),
      h('p', {}, t('notFoundText')),
      h('p', {}, h('a', { href: BASE, 'data-nav': '' }, t('navHome'))),
    );
    document.title = t('notFoundTitle') + ' · Konfirmado';
    if (moveFocus) $('page-title').focus();
    return;
  }
  const { route, params } = found;
  if (!route.public && !session) {
    const here = location.pathname + location.search;
    navigate(BASE + 'login?next=' + encodeURIComponent(here), { replace: true });
    return;
  }
  if (route.public && session && route.page === 'login') {
    navigate(safeNext(new URLSearchParams(location.search).get('next')), { replace: true });
    return;
  }
  renderChrome(route);
  const ctx = {
    main,
    t,
    lang: currentLanguage(),
    tag: intlTagOf(),
    params,
    session,
    query: new URLSearchParams(location.search),
    navigate,
    safeNext,
    signedIn: (s) => {
      session = s;
      api.setCsrf(s.csrf_token);
    },
    refreshSession: loadSession,
    tenantChanged: (tenant) => {
      session.tenant = { ...session.tenant, ...tenant };
      $('tenant-name').textContent = session.tenant.name;
    },
    stale: () => mine !== rendering, // a newer navigation started: stop drawing
  };
  try {
    const module = await import(`./pages/${route.module}.js`);
    if (ctx.stale()) return;
    await module[route.page](ctx);
  } catch (err) {
    if (ctx.stale() || (err && err.status === 401)) return;
    clear(main).append(
      h('h1', { id: 'page-title', tabindex: '-1' }, t('errTitle')),
      h('p', { class: 'form-error' }, problemText(t, err)),
      h('button', { type: 'button', class: 'secondary', onclick: () => render(true) }, t('retry')),
    );
    alertText(problemText(t, err));
  }
  if (moveFocus && !ctx.stale()) {
    const title = $('page-title');
    if (title && !main.contains(document.activeElement)) title.focus();
  }
}

function applyLanguage() {
  const lang = currentLanguage();
  document.documentElement.lang = lang;
  api.setApiLanguage(lang);
  $('skip').textContent = t('skip');
  $('menu-label').textContent = t('menu');
  $('nav').setAttribute('aria-label', t('mainMenu'));
  $('logout').textContent = t('logout');
  const other = lang === 'es' ? 'en' : 'es';
  $('lang').textContent = other === 'en' ? 'English' : 'Español';
  $('lang').lang = other;
  $('lang').setAttribute('aria-label', other === 'en' ? 'Switch to English' : 'Cambiar a español');
}

function wire() {
  // Links marked data-nav stay in the page (unless opened in a new tab).
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[data-nav]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', () => render(true));
  $('lang').addEventListener('click', () => {
    setLanguage(currentLanguage() === 'es' ? 'en' : 'es');
    applyLanguage();
    render(false);
  });
  $('logout').addEventListener('click', async () => {
    try {
      await api.logout();
    } catch (e) {
      /* the session ends here either way */
    }
    session = null;
    api.setCsrf(null);
    navigate(BASE + 'login?bye=1', { replace: true });
  });
  $('menu-button').addEventListener('click', () => {
    const open = !document.body.classList.contains('menu-open');
    document.body.classList.toggle('menu-open', open);
    $('menu-button').setAttribute('aria-expanded', String(open));
    if (open) {
      const first = $('nav').querySelector('a');
      if (first) first.focus();
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && document.body.classList.contains('menu-open')) {
      closeMenu();
      $('menu-button').focus();
    }
  });
  api.whenUnauthenticated(sessionExpired);
}

async function start() {
  chooseLanguage();
  applyLanguage();
  wire();
  try {
    await loadSession();
  } catch (err) {
    session = null;
  }
  render(false);
}

start();
