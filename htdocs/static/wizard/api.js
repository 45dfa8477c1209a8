// Client of the public booking API (API.md "Public booking API"). Every failure becomes
// an ApiError carrying the API's error code; the wizard turns codes into plain language.

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code);
    this.status = status; // 0: the network failed
    this.code = code;
    this.fields = fields || null;
  }
}

let acceptLanguage = 'es';
export function setApiLanguage(lang) {
  acceptLanguage = lang;
}

// Returns {data, serverDate} (serverDate: ms of the Date header, for countdowns that do
// not trust the customer's clock). The wizard sends no cookies; the dashboard passes
// credentials 'same-origin' and its CSRF header. `upload` (a Blob) is sent as it is, with
// its own type (the logo upload); `body` is sent as JSON.
export async function request(
  method,
  path,
  { body, bearer, query, headers: extra, credentials = 'omit', upload } = {},
) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, v);
    }
    const s = q.toString();
    if (s) url += '?' + s;
  }
  const headers = { Accept: 'application/json', 'Accept-Language': acceptLanguage, ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (upload) headers['Content-Type'] = upload.type || 'application/octet-stream';
  if (bearer) headers.Authorization = 'Bearer ' + bearer;
  let resp;
  try {
    resp = await fetch(url, {
      method,
      headers,
      body: upload || (body === undefined ? undefined : JSON.stringify(body)),
      credentials,
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message);
  }
  const dateHeader = resp.headers.get('Date');
  const serverDate = dateHeader ? Date.parse(dateHeader) : NaN;
  let data = null;
  if (resp.status !== 204) {
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
  }
  if (!resp.ok) {
    const err = (data && data.error) || {};
    const failure = new ApiError(resp.status, err.code || 'http_' + resp.status, err.message, err.fields);
    const retryAfter = parseInt(resp.headers.get('Retry-After') || '', 10);
    failure.retryAfter = Number.isNaN(retryAfter) ? null : retryAfter; // seconds
    // a series' hold or move: the first session whose time is taken
    failure.occurrence = err.occurrence || null;
    throw failure;
  }
  return { data, serverDate: Number.isNaN(serverDate) ? Date.now() : serverDate };
}

const enc = encodeURIComponent;

// The visit: one random id per browser tab, kept while the tab lives, sent with every public
// call so the merchant's funnel counts visits, not page loads (API.md "metrics").
const VISIT_KEY = 'konfirmado.visit';
function visitHeaders() {
  let id = null;
  try {
    id = sessionStorage.getItem(VISIT_KEY);
  } catch (e) {
    id = null;
  }
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    id = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    try {
      sessionStorage.setItem(VISIT_KEY, id);
    } catch (e) {
      /* private mode: this page only */
    }
  }
  return { 'X-Konfirmado-Visit': id };
}

export const getLink = (link) => request('GET', `/api/public/links/${enc(link)}`, { headers: visitHeaders() });

export const getAvailability = (link, { service, professional, from, days, tz, repeat, count }) =>
  request('GET', `/api/public/links/${enc(link)}/availability`, {
    query: { service, professional, from, days, tz, repeat, count },
    headers: visitHeaders(),
  });

export const createHold = (body) => request('POST', '/api/public/holds', { body, headers: visitHeaders() });

export const releaseHold = (hold) =>
  request('DELETE', `/api/public/holds/${enc(hold.id)}`, { bearer: hold.token, headers: visitHeaders() });

export const createBooking = (body) => request('POST', '/api/public/bookings', { body, headers: visitHeaders() });

// The token goes as a Bearer header, never in the address (which access logs keep).
export const getBooking = (id, token, transaction) =>
  request('GET', `/api/public/bookings/${enc(id)}`, {
    query: { id: transaction },
    bearer: token,
    headers: visitHeaders(),
  });

// A booking whose payment failed or ran out, paid again at a hold's time: a new checkout.
export const payAgain = (id, token, holdToken) =>
  request('POST', `/api/public/bookings/${enc(id)}/pay`, {
    body: { hold_token: holdToken },
    bearer: token,
    headers: visitHeaders(),
  });

export const cancelBooking = (id, token, body) =>
  request('POST', `/api/public/bookings/${enc(id)}/cancel`, { body, bearer: token, headers: visitHeaders() });

// `scope` ("one" | "rest"): a series' session alone, or it and the following ones.
export const rescheduleBooking = (id, token, holdToken, scope) =>
  request('POST', `/api/public/bookings/${enc(id)}/reschedule`, {
    body: scope ? { hold_token: holdToken, scope } : { hold_token: holdToken },
    bearer: token,
    headers: visitHeaders(),
  });

// Packages: buy one through a link, read a purchase with its token.
export const createPurchase = (body) => request('POST', '/api/public/purchases', { body, headers: visitHeaders() });

export const getPurchase = (id, token, back) =>
  request('GET', `/api/public/purchases/${enc(id)}`, { query: { token, id: back }, headers: visitHeaders() });

// The customer's portal (API.md "Customer portal"): its session is an HttpOnly cookie of this
// host, so these calls send cookies of the same origin. The API takes their POSTs from this
// host's pages only, with a JSON body or none.
const mine = { credentials: 'same-origin' };
export const portalLogin = (email) => request('POST', '/api/public/me/login', { ...mine, body: { email } });
export const portalSession = (token) => request('POST', '/api/public/me/session', { ...mine, body: { token } });
export const portalBusiness = () => request('GET', '/api/public/me/business', mine);
// the signed-in customer's own name, email and phone at this host's business (401: nobody)
export const portalDetails = () => request('GET', '/api/public/me/details', mine);
export const portalErasure = () => request('POST', '/api/public/me/erasure', mine);
// the pending erasure request, or null when there is none
export const portalPendingErasure = () =>
  request('GET', '/api/public/me/erasure', mine).then(({ data }) => data.pending);
export const portalLogout = () => request('POST', '/api/public/me/logout', mine);
export const portalBookings = (scope) => request('GET', '/api/public/me/bookings', { ...mine, query: { scope } });
export const portalPreferences = () => request('GET', '/api/public/me/preferences', mine);
export const savePortalPreferences = (body) => request('PATCH', '/api/public/me/preferences', { ...mine, body });
// the page's button: a JSON body (a mail provider's one-click sends RFC 8058's form instead)
export const unsubscribe = (token) => request('POST', '/api/public/unsubscribe', { query: { token }, body: {} });
// The booking assistant: a question, and the page's own funnel steps (opened, slot_picked).
export const askAssistant = (link, body) =>
  request('POST', `/api/public/links/${enc(link)}/assistant`, { body, headers: visitHeaders() });

export const assistantEvent = (link, event) =>
  request('POST', `/api/public/links/${enc(link)}/assistant/events`, { body: { event }, headers: visitHeaders() });
