// Entry point of the booking wizard: /book/{link} is the wizard, /book/{link}/confirmation
// the page the payment provider sends the customer back to, /book/{link}/assistant the
// booking assistant, /book/manage/{id}?token= the
// booking's own page that every mail links to.
import { makeTranslator } from './i18n.js';
import { intlTag, pickLanguage } from '../shared/i18n.js';
import { setApiLanguage } from './api.js';
import { browserZone } from './format.js';
import { Wizard } from './wizard.js';
import { Confirmation } from './confirmation.js';
import { Manage } from './manage.js';
import { Shell } from './shell.js';
import { PackageBuy, PurchasePage } from './packages.js';
import { Portal, Unsubscribe } from './portal.js';
import { Assistant } from './assistant.js';
import { startEmbedding } from './frame.js';

function route(pathname) {
  const parts = pathname
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
  // ['book', link, 'confirmation'?] or ['book', 'manage', booking id] (the mails' link)
  if (parts[0] !== 'book' || !parts[1]) return { page: 'notfound' };
  // the customer's portal, /book/me (its mail's link: ?token=), and the page a reminder's
  // "stop these reminders" link opens
  if (parts[1] === 'me' && !parts[2]) return { page: 'portal' };
  if (parts[1] === 'unsubscribe' && !parts[2]) return { page: 'unsubscribe' };
  if (parts[1] === 'manage') return parts[2] ? { page: 'manage', id: parts[2] } : { page: 'notfound' };
  // packages: /book/purchase/{id}?token= (the purchase's page, linked from its mail)
  if (parts[1] === 'purchase') return parts[2] ? { page: 'purchase', id: parts[2] } : { page: 'notfound' };
  if (parts[2] === 'confirmation') return { page: 'confirmation', link: parts[1] };
  if (parts[2] === 'assistant') return { page: 'assistant', link: parts[1] };
  return { page: 'wizard', link: parts[1] };
}

function start() {
  const languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  const lang = pickLanguage(languages);
  const ctx = {
    lang,
    tag: intlTag(lang, languages),
    t: makeTranslator(lang),
    zone: browserZone() || 'America/Bogota',
  };
  document.documentElement.lang = lang;
  setApiLanguage(lang);
  const shell = new Shell(ctx);
  const where = route(location.pathname);
  const params = new URLSearchParams(location.search);
  // inside a merchant's site (/embed.js): only a link's own pages (the others refuse frames)
  if (where.link) startEmbedding(params, where.link);
  if (where.page === 'portal') {
    new Portal(ctx, shell, params).start();
  } else if (where.page === 'unsubscribe') {
    new Unsubscribe(ctx, shell, params).start();
  } else if (where.page === 'manage') {
    new Manage(ctx, shell, where.id, params).start();
  } else if (where.page === 'purchase') {
    new PurchasePage(ctx, shell, where.id, params).start();
  } else if (where.page === 'wizard' && params.get('package')) {
    new PackageBuy(ctx, shell, where.link, params).start();
  } else if (where.page === 'assistant') {
    new Assistant(ctx, shell, where.link, params).start();
  } else if (where.page === 'confirmation') {
    new Confirmation(ctx, shell, where.link, params).start();
  } else if (where.page === 'wizard') {
    new Wizard(ctx, shell, where.link, params).start();
  } else {
    shell.linkProblem('link_not_found');
  }
}

start();
