// The dashboard's client of /api/auth/* and /api/admin/* (API.md "Merchant accounts",
// "Admin API"): the session cookie travels with every call, writes carry the CSRF token
// of the session, and a 401 (the session expired or was ended elsewhere) calls the
// handler the app registered, which sends the person to log in and back.
import { request, ApiError, setApiLanguage } from '../wizard/api.js';

export { ApiError, setApiLanguage };

let csrf = null;
let onUnauthenticated = () => {};

export function setCsrf(token) {
  csrf = token || null;
}

export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

async function call(method, path, opts = {}) {
  const headers = {};
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  try {
    const { data } = await request(method, path, { ...opts, headers, credentials: 'same-origin' });
    return data;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && !opts.quiet401) onUnauthenticated();
    throw err;
  }
}

export const get = (path, query) => call('GET', path, { query });
export const post = (path, body) => call('POST', path, { body });
export const patch = (path, body) => call('PATCH', path, { body });
export const put = (path, body) => call('PUT', path, { body });
export const del = (path) => call('DELETE', path);
export const upload = (path, blob) => call('POST', path, { upload: blob });

// The account calls: a 401 there is an answer (wrong password, no session yet), not an
// expired session.
export const me = () => call('GET', '/api/auth/me', { quiet401: true });
export const login = (body) => call('POST', '/api/auth/login', { body, quiet401: true });
export const register = (body) => call('POST', '/api/auth/register', { body });
export const forgotPassword = (body) => call('POST', '/api/auth/forgot-password', { body });
export const logout = () => call('POST', '/api/auth/logout', { quiet401: true });

// Query strings of list filters, without empty values (the CSV link uses the same).
export function queryString(query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
