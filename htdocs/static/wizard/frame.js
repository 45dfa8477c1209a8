// A booking page framed by a merchant's site (?embed=1, put there by /embed.js): it tells
// the embedding page what happens to the booking ({type: 'konfirmado:<event>', link,
// booking_id?, reference?}: never anything about the customer) and how tall it is, so that
// the frame grows with it and never scrolls inside.
//
// Messages go to one origin only, never '*': the embedding page's (location.ancestorOrigins,
// else the referrer of the first framed page, remembered for the pages the frame moves to),
// and only when it is one of the business's embed_origins (the link's answer carries them:
// the same list the pages' Content-Security-Policy lets frame them). Events that happen
// before that list is known wait for it.

export const EVENTS = [
  'ready',
  'slot_held',
  'booking_created',
  'payment_started',
  'booking_paid',
  'payment_failed',
  'booking_expired',
];

const PARENT_KEY = 'konfirmado.embedParent';

const state = { on: false, link: null, allowed: null, waiting: [], lastHeight: 0 };

function remember(origin) {
  try {
    sessionStorage.setItem(PARENT_KEY, origin);
  } catch (e) {
    /* storage refused: the next page learns it again where it can */
  }
}

function parentOrigin() {
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length) return ancestors[0];
  try {
    if (document.referrer) return new URL(document.referrer).origin;
  } catch (e) {
    /* no usable referrer */
  }
  try {
    return sessionStorage.getItem(PARENT_KEY);
  } catch (e) {
    return null;
  }
}

// Whether this page runs inside a merchant's page.
export function embedded() {
  return state.on;
}

// The same page address inside the frame: the frame's next page keeps ?embed=1.
export function keepEmbedded(url) {
  if (!state.on) return url;
  return url + (url.includes('?') ? '&' : '?') + 'embed=1';
}

function post(message) {
  const target = parentOrigin();
  if (!target || !state.allowed || !state.allowed.includes(target)) return;
  remember(target);
  window.parent.postMessage(message, target);
}

function sendHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === state.lastHeight) return;
  state.lastHeight = height;
  post({ type: 'konfirmado:resize', height, link: state.link });
}

// Starts embedded mode when the page was opened with ?embed=1 inside a frame.
export function startEmbedding(params, link) {
  if (params.get('embed') !== '1' || window.parent === window) return false;
  state.on = true;
  state.link = link || null;
  document.documentElement.classList.add('embedded');
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => sendHeight()).observe(document.documentElement);
  }
  window.addEventListener('load', sendHeight);
  return true;
}

// The business's embed_origins, from the link's answer (Shell.setTenant): the first call
// tells the embedding page the booking page is ready.
export function allowParents(origins) {
  if (!state.on || state.allowed) return;
  state.allowed = Array.isArray(origins) ? origins.filter((o) => typeof o === 'string') : [];
  emit('ready');
  state.lastHeight = 0;
  sendHeight();
  for (const message of state.waiting.splice(0)) post(message);
}

// Tells the embedding page about an event of EVENTS ({booking_id, reference} when there is
// a booking).
export function emit(event, { booking_id: bookingId, reference } = {}) {
  if (!state.on || !EVENTS.includes(event)) return;
  const message = { type: 'konfirmado:' + event, link: state.link };
  if (bookingId) message.booking_id = bookingId;
  if (reference) message.reference = reference;
  if (state.allowed) post(message);
  else state.waiting.push(message);
}
