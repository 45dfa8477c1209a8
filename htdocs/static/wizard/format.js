// Dates, times, durations and money through Intl, for one locale tag.

// Decimals of a currency's minor unit, ISO 4217, as the server counts them
// (kf_currency_exponent in lib/tenant/kf_money.c: the two lists must stay equal). Not Intl's:
// its data differs for some currencies (IQD has three decimals in ISO, none in Intl).
const NO_DECIMALS = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
];
const THREE_DECIMALS = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];

export function currencyExponent(currency) {
  if (NO_DECIMALS.includes(currency)) return 0;
  return THREE_DECIMALS.includes(currency) ? 3 : 2;
}

// Money in minor units of its currency: {amount: 12000000, currency: 'COP'} is COP 120.000,
// {amount: 12000050, currency: 'COP'} COP 120.000,50, {amount: 15000, currency: 'CLP'} CLP
// 15.000: the currency's decimals, left out when the minor part is zero (as the mails,
// kf_money_text), never when it is not.
export function formatMoney(money, tag) {
  if (!money || typeof money.amount !== 'number' || !money.currency) return '';
  const exponent = currencyExponent(money.currency);
  const shown = money.amount % 10 ** exponent === 0 ? 0 : exponent;
  const opts = {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: shown,
    maximumFractionDigits: shown,
  };
  return new Intl.NumberFormat(tag, opts).format(money.amount / 10 ** exponent);
}

// Any other number in the locale: "39,5" and "1.234" in Spanish, "39.5" and "1,234" in
// English, so one page never mixes decimal marks. options: Intl.NumberFormat's (a percentage
// is {style: 'percent'} of a ratio); at most one decimal unless they say otherwise.
export function formatNumber(value, tag, options = {}) {
  return new Intl.NumberFormat(tag, { maximumFractionDigits: 1, ...options }).format(value);
}

export function formatTime(ts, tz, tag) {
  return new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit', timeZone: tz }).format(new Date(ts));
}

export function formatDateLong(ts, tz, tag) {
  return new Intl.DateTimeFormat(tag, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: tz,
  }).format(new Date(ts));
}

// "vie, 27 nov": a day beside others, where the year goes without saying.
export function formatDateShort(ts, tz, tag) {
  return new Intl.DateTimeFormat(tag, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: tz,
  }).format(new Date(ts));
}

export function formatDateTimeLong(ts, tz, tag) {
  return formatDateLong(ts, tz, tag) + ' · ' + formatTime(ts, tz, tag);
}

// A text that stands alone (a summary's value, a line of its own) begins with a capital:
// "miércoles, 2 de diciembre" -> "Miércoles, 2 de diciembre". Done here, on the words, not by
// CSS on whatever a box holds (an address as the business wrote it, a link).
export function upperFirst(text) {
  const s = String(text || '');
  const first = Array.from(s)[0] || '';
  return first.toLocaleUpperCase() + s.slice(first.length);
}

// A date and time that stands alone: "Miércoles, 2 de diciembre de 2026 · 9:00 a. m.".
export function formatWhen(ts, tz, tag) {
  return upperFirst(formatDateTimeLong(ts, tz, tag));
}

// YYYY-MM-DD of an instant in a zone.
export function dayKey(ts, tz) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: tz,
  }).formatToParts(new Date(ts));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// The date `n` days after a YYYY-MM-DD key (calendar arithmetic, zone-free).
export function addDays(key, n) {
  const [y, m, d] = key.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + n, 12));
  return date.toISOString().slice(0, 10);
}

// Parts of a calendar day for the date strip: {weekday: 'lun', day: '1', month: 'dic'}.
export function dayParts(key, tag) {
  const [y, m, d] = key.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  const f = (opts) => new Intl.DateTimeFormat(tag, { ...opts, timeZone: 'UTC' }).format(date);
  return {
    weekday: upperFirst(f({ weekday: 'short' }).replace(/\.$/, '')),
    day: f({ day: 'numeric' }),
    month: upperFirst(f({ month: 'short' }).replace(/\.$/, '')),
    long: f({ weekday: 'long', day: 'numeric', month: 'long' }),
  };
}

// "Bogotá (GMT-5)": a zone as people say it (zones.js), for every page that names one.
export { zoneLabel } from './zones.js';

export function isValidZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch (e) {
    return false;
  }
}

export function browserZone() {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && isValidZone(tz) ? tz : null;
  } catch (e) {
    return null;
  }
}

export function allZones() {
  if (typeof Intl.supportedValuesOf === 'function') {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch (e) {
      /* fall through */
    }
  }
  return [
    'America/Bogota',
    'America/Mexico_City',
    'America/Lima',
    'America/Santiago',
    'America/Argentina/Buenos_Aires',
    'America/New_York',
    'America/Los_Angeles',
    'Europe/Madrid',
    'Europe/London',
    'UTC',
  ];
}

export function formatDuration(minutes, t) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return t('minutes', { n: m });
  if (!m) return t('hours', { h });
  return t('hoursMinutes', { h, m });
}

// "9:41" for a number of milliseconds left.
export function formatCountdown(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

// The wall clock of an instant in an IANA zone, as the milliseconds of that date and time in
// UTC (calendar arithmetic on it is zone-free).
export function wallOf(ts, zone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ts));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
}

// The instant (RFC 3339, UTC) of a wall-clock date and time in an IANA zone: the zone's
// offset is read from Intl at that moment (twice, so a DST change that day lands right).
export function zonedToInstant(dateKey, hhmm, tz) {
  const [y, m, d] = dateKey.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (ms) => wallOf(ms, tz) - ms;
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Who a booking is with: a team's members, or its one professional.
export function whoOf(b) {
  if (b.professionals) return b.professionals.map((p) => p.name).join(', ');
  return b.professional && b.professional.name;
}
