// What survives the trip to the payment provider and back: opaque ids, the booking's token,
// the zone shown, the tenant's public branding and when the customer left to pay (the
// confirmation page's wait is counted from it) (sessionStorage: this tab only). The
// customer's name, email and phone never reach browser storage; they live in this module
// for the page's life, and a reload asks for them again.
const BOOKING_KEY = 'konfirmado.booking';
const BOOKING_FIELDS = ['link', 'id', 'token', 'zone', 'service', 'professional', 'tenant', 'checkoutAt'];

function read(key) {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch (e) {
    return null;
  }
}

function write(key, value) {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch (e) {
    /* private mode or full: the URL still carries what matters */
  }
}

export function saveBooking(b) {
  const kept = {};
  for (const k of BOOKING_FIELDS) if (b[k] !== undefined) kept[k] = b[k];
  write(BOOKING_KEY, kept);
}
export const loadBooking = () => read(BOOKING_KEY);

let customer = null;
export const saveCustomer = (c) => {
  customer = { ...c };
};
export const loadCustomer = () => (customer ? { ...customer } : null);
