// The pages' words in Spanish (default) and English: which language the browser asks for,
// the filling of {placeholders}, the words every page says alike (the answers to a failed
// call, the duration words, the email field), and a page's own table added to them. Each
// page's i18n.js makes its table with messageTable() and adds only what is its own.

const SHARED = {
  es: {
    skip: 'Ir al contenido',
    email: 'Correo electrónico',
    errEmail: 'Escribe un correo válido, por ejemplo nombre@correo.com.',
    show: 'Mostrar',
    hide: 'Ocultar',
    minutes: '{n} min',
    hours: '{h} h',
    hoursMinutes: '{h} h {m} min',
    errNetwork: 'No pudimos conectarnos. Revisa tu conexión e inténtalo de nuevo.',
    errServer: 'Algo falló de nuestro lado. Inténtalo de nuevo en un momento.',
    errTooMany: 'Demasiados intentos seguidos. Espera un momento e inténtalo de nuevo.',
    retry: 'Reintentar',
  },
  en: {
    skip: 'Skip to content',
    email: 'Email',
    errEmail: 'Enter a valid email, for example name@example.com.',
    show: 'Show',
    hide: 'Hide',
    minutes: '{n} min',
    hours: '{h} h',
    hoursMinutes: '{h} h {m} min',
    errNetwork: 'We could not connect. Check your connection and try again.',
    errServer: 'Something went wrong on our side. Please try again in a moment.',
    errTooMany: 'Too many attempts in a row. Wait a moment and try again.',
    retry: 'Try again',
  },
};

// 'es' or 'en' from the browser's preference list: the first that is Spanish or English
// wins; anything else (or nothing) gives Spanish.
export function pickLanguage(languages) {
  for (const tag of languages || []) {
    const l = String(tag).toLowerCase();
    if (l.startsWith('es')) return 'es';
    if (l.startsWith('en')) return 'en';
  }
  return 'es';
}

// The browser's own list of languages.
export function browserLanguages() {
  return navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
}

// The BCP 47 tag Intl formats with: the browser's own regional variant when it has one
// (en-GB keeps day/month order), else es-CO / en-US.
export function intlTag(lang, languages) {
  for (const tag of languages || []) {
    const l = String(tag);
    if (l.toLowerCase().startsWith(lang + '-')) return l;
  }
  return lang === 'en' ? 'en-US' : 'es-CO';
}

// A message with its {placeholders} filled. A value that ends with its own period
// ("5:32 p. m.") takes the place of the sentence's: never "p. m..".
export function fillMessage(s, vars) {
  return s.replace(/\{(\w+)\}(\.?)/g, (m, k, dot) => {
    if (!(k in vars)) return m;
    const v = String(vars[k]);
    return v + (dot && v.endsWith('.') ? '' : dot);
  });
}

// A page's table: the shared words and `own` ({es: {...}, en: {...}}), to which its modules
// add theirs. A key missing in English reads the Spanish; a key missing in both reads as
// itself. A message that is not a string (a list of step names) is given as it is.
export function messageTable(own) {
  const table = { es: { ...SHARED.es }, en: { ...SHARED.en } };
  const add = (more) => {
    for (const l of Object.keys(table)) Object.assign(table[l], (more && more[l]) || {});
  };
  add(own);
  const lookup = (lang, key) => {
    const s = (table[lang] || table.es)[key];
    return s === undefined ? table.es[key] : s;
  };
  return {
    add,
    has: (lang, key) => lookup(lang, key) !== undefined,
    translator(lang) {
      return function t(key, vars) {
        const s = lookup(lang, key);
        if (s === undefined) return key;
        return vars && typeof s === 'string' ? fillMessage(s, vars) : s;
      };
    },
  };
}
