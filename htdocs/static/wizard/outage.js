// The payment service did not answer (502 provider_error): the customer is told that their
// time stays held (a booking) and their details are kept, and offered to send the same request
// again once a short wait is over, counted down where it is seen. The wait is counted against
// a deadline, so a throttled background tab is still ready on time.
import { clear, h } from './dom.js';

export const OUTAGE_WAIT_SECONDS = 60;

// Shows the outage in `container` (a role=alert notice of the page) and calls retry() when the
// customer presses "Try again" after the wait. `held`: a booking whose time stays held.
// Returns a function that stops it (before another attempt, or when the page moves on).
export function showPaymentOutage(shell, container, { t, held, retry }) {
  clear(container);
  const deadline = Date.now() + OUTAGE_WAIT_SECONDS * 1000;
  const seconds = h('strong', { id: 'outage-seconds' }, String(OUTAGE_WAIT_SECONDS));
  const waitText = t('outageWait', { n: '\u0000' }).split('\u0000');
  const wait = h(
    'p',
    { id: 'outage-wait', class: 'outage-wait', 'aria-live': 'off' },
    waitText[0],
    seconds,
    waitText[1] || '',
  );
  const message = h(
    'p',
    { id: 'outage-text', class: 'notice-text', tabindex: '-1' },
    t('outageText'),
    ' ',
    t(held ? 'outageHeld' : 'outageKept'),
  );
  const button = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary',
      id: 'outage-retry',
      'aria-disabled': 'true',
      'aria-describedby': 'outage-wait',
    },
    t('outageRetry'),
  );
  container.hidden = false;
  container.className = 'notice notice-error outage';
  container.dataset.readyAt = String(deadline);
  container.append(h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'), message, wait, button);
  let timer = 0;
  const stop = () => {
    window.clearInterval(timer);
    timer = 0;
  };
  const ready = () => {
    stop();
    wait.replaceChildren(t('outageReady'));
    button.removeAttribute('aria-disabled');
    shell.announce(t('outageReady'));
  };
  const tick = () => {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) return ready();
    seconds.textContent = String(left);
  };
  timer = window.setInterval(tick, 1000);
  button.addEventListener('click', () => {
    if (button.hasAttribute('aria-disabled')) return;
    stop();
    clear(container);
    container.hidden = true;
    retry();
  });
  // the notice is role=alert: its words are read out as they appear; the seconds are not
  message.focus();
  return () => {
    stop();
    clear(container);
    container.hidden = true;
  };
}
