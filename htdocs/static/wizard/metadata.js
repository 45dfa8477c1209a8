// The merchant's own ids a booking link may carry (/book/{link}?metadata[order]=A-17, API.md
// "Metadata"), handed to the booking or the purchase, and from the assistant on to the wizard.
// An entry the API would refuse is left out, and said in the console for the merchant's
// developer: a customer is never stopped by a link's ids.
const KEY = /^[A-Za-z0-9_.-]{1,40}$/;
const MAX_KEYS = 20;
const MAX_VALUE = 500;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function entries(params) {
  const out = [];
  for (const [name, value] of params) {
    const m = /^metadata\[(.*)\]$/.exec(name);
    if (!m) continue;
    if (!KEY.test(m[1]) || [...value].length > MAX_VALUE || CONTROL.test(value) || out.length >= MAX_KEYS) {
      console.warn('konfirmado: metadata[%s] is left out (API.md "Metadata" says what is accepted)', m[1]);
      continue;
    }
    out.push([m[1], value]);
  }
  return out;
}

// {key: value} of the link's metadata, or null when it carries none.
export function metadataOf(params) {
  const list = entries(params);
  return list.length ? Object.fromEntries(list) : null;
}

// The same entries as parameters, for a page that hands the customer on.
export function metadataParams(params) {
  return entries(params).map(([k, v]) => [`metadata[${k}]`, v]);
}
