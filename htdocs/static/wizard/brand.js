// The tenant's colors as CSS custom properties, with readable text whatever they chose.

function rgb(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || '');
  if (!m) return null;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// WCAG relative luminance.
function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a, b) {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const hex = (c) => '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
const WHITE = [255, 255, 255];
const INK = [17, 24, 39];

// Text on a filled button: white or near-black, whichever contrasts more.
export function textOn(color) {
  const c = rgb(color);
  if (!c) return '#ffffff';
  return contrast(c, WHITE) >= contrast(c, INK) ? '#ffffff' : hex(INK);
}

// The color darkened (mixed with black) until it reads on white at 4.5:1: used for
// links, borders and selected states, so that a pale brand color still shows.
export function inkOnWhite(color) {
  let c = rgb(color);
  if (!c) return '#1d4ed8';
  for (let i = 0; i < 20 && contrast(c, WHITE) < 4.5; i++) {
    c = c.map((v) => v * 0.85);
  }
  return hex(c);
}

export function applyBrand(root, tenant) {
  const primary = rgb(tenant.primary_color) ? tenant.primary_color : '#3B82F6';
  const secondary = rgb(tenant.secondary_color) ? tenant.secondary_color : '#10B981';
  root.style.setProperty('--kf-primary', primary);
  root.style.setProperty('--kf-on-primary', textOn(primary));
  root.style.setProperty('--kf-primary-ink', inkOnWhite(primary));
  root.style.setProperty('--kf-secondary', secondary);
  root.style.setProperty('--kf-on-secondary', textOn(secondary));
  root.style.setProperty('--kf-secondary-ink', inkOnWhite(secondary));
}
