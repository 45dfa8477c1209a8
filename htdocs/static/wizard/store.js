// What survives the trip to the payment provider and back (sessionStorage: this tab only).
const BOOKING_KEY = 'konfirmado.booking';
const CUSTOMER_KEY = 'konfirmado.customer';

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
  } catch (e) { /* private mode or full: the URL still carries what matters */ }
}

export const saveBooking = (b) => write(BOOKING_KEY, b);
export const loadBooking = () => read(BOOKING_KEY);
export const saveCustomer = (c) => write(CUSTOMER_KEY, c);
export const loadCustomer = () => read(CUSTOMER_KEY);
