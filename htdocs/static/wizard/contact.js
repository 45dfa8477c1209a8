// What a customer is told when the business's policy no longer lets them cancel a booking or
// change its time online (the booking's page and the portal): which of the two is closed, and
// the business's phone and address as links (tel:, mailto:) that a phone calls or writes with
// one tap. The contact is the booking's own (`contact` of its status answer).
import { h } from './dom.js';
import { PREFIXES } from './validate.js';

// "+57 601 555 0123": the country code apart, and ten national digits as 3-3-4 (the numbers of
// Colombia, Mexico and the United States); any other number as it is after its code.
export function phoneText(e164) {
  const phone = String(e164 || '');
  const code = PREFIXES.map(([c]) => c)
    .filter((c) => phone.startsWith(c))
    .sort((a, b) => b.length - a.length)[0];
  if (!code) return phone;
  const rest = phone.slice(code.length);
  const grouped = /^\d{10}$/.test(rest) ? `${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}` : rest;
  return `${code} ${grouped}`;
}

// The booking's contact links: the phone first (the quickest way), then the address.
export function contactLinks(t, contact) {
  const c = contact || {};
  const items = [];
  if (c.phone) {
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          { class: 'contact-link contact-phone', href: 'tel:' + c.phone },
          t('contactCall', { phone: phoneText(c.phone) }),
        ),
      ),
    );
  }
  if (c.email) {
    items.push(
      h(
        'li',
        {},
        h(
          'a',
          { class: 'contact-link contact-email', href: 'mailto:' + c.email },
          t('contactWrite', { email: c.email }),
        ),
      ),
    );
  }
  return items.length ? h('ul', { class: 'contact-links' }, items) : null;
}

// `open`: {cancel, reschedule} as the booking's policy still allows them online. null when
// both are open; else the sentence that says what is closed and how to reach the business.
export function closedOnline(t, booking, open, id) {
  if (open.cancel && open.reschedule) return null;
  const what = !open.cancel && !open.reschedule ? 'closedBoth' : !open.cancel ? 'closedCancel' : 'closedReschedule';
  const contact = booking.contact || {};
  const links = contactLinks(t, contact);
  const name = contact.name || t('theBusiness');
  return h(
    'div',
    { class: 'contact-closed', id },
    h('p', {}, t(what), ' ', links ? t('closedContact', { name }) : t('closedWrite', { name })),
    links,
  );
}
