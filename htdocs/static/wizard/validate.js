// The API's customer validation (API.md POST /api/public/bookings), mirrored so that
// mistakes are shown next to the field before anything is sent. The server stays the
// judge: its field errors are shown the same way.

// addr-spec as people type it: dot-atom local part, a domain of dot-separated labels.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const length = (s) => Array.from(s).length; // characters, not UTF-16 units

// "+57 300 123-4567" -> "+573001234567" (prefix from the select, number as typed).
export function composePhone(prefix, number) {
  const digits = String(number || '').replace(/[\s().-]/g, '');
  return prefix + digits;
}

// Field name (as in the API's "fields") -> message key of i18n.js.
export function validateCustomer(values, country) {
  const errors = {};
  const name = values.name.trim();
  if (length(name) < 2 || length(name) > 100) errors['customer.name'] = 'errName';
  const email = values.email.trim();
  // The server's rule (API.md): one mail can be delivered to, local part <= 64, <= 254 in all.
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL_RE.test(email)) {
    errors['customer.email'] = 'errEmail';
  }
  const phone = composePhone(values.prefix, values.number);
  if (country === 'CO') {
    if (!/^\+57[0-9]{10}$/.test(phone)) errors['customer.phone'] = 'errPhoneCO';
  } else if (!/^\+[0-9]{8,15}$/.test(phone)) {
    errors['customer.phone'] = 'errPhone';
  }
  if (!values.terms) errors.accepted_terms = 'errTerms';
  if (length(values.notes || '') > 1000) errors.notes = 'errNotes';
  return { errors, customer: { name, email, phone } };
}

// "+573001234567" -> {prefix: '+57', number: '3001234567'}: the longest calling code of the
// select that starts it (none: the digits as they are, without their '+').
export function splitPhone(phone) {
  const digits = String(phone || '').replace(/[^\d+]/g, '');
  const prefix = digits.startsWith('+')
    ? PREFIXES.map(([code]) => code)
        .filter((code) => digits.startsWith(code))
        .sort((a, b) => b.length - a.length)[0]
    : null;
  return { prefix: prefix || '', number: prefix ? digits.slice(prefix.length) : digits.replace(/^\+/, '') };
}

// Country calling codes offered in the prefix select (Latin America first).
export const PREFIXES = [
  ['+57', 'CO'],
  ['+52', 'MX'],
  ['+51', 'PE'],
  ['+56', 'CL'],
  ['+54', 'AR'],
  ['+593', 'EC'],
  ['+58', 'VE'],
  ['+507', 'PA'],
  ['+506', 'CR'],
  ['+591', 'BO'],
  ['+595', 'PY'],
  ['+598', 'UY'],
  ['+1', 'US'],
  ['+34', 'ES'],
  ['+44', 'GB'],
  ['+49', 'DE'],
  ['+33', 'FR'],
  ['+39', 'IT'],
  ['+55', 'BR'],
];
