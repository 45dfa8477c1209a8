// /verify-email?token=T, the link of the sign-up mail: posts the token to
// POST /api/auth/verify-email as soon as the page opens and says how it went.
import { $, setup, tokenFromUrl, showOutcome, setStatus, setNext, setRetry, problemText } from './page.js';
import { request } from '../wizard/api.js';

const t = setup('docVerify');
const token = tokenFromUrl();
let running = false;

// A spent or expired link cannot be sent again as such, but a password reset link also
// verifies the address (API.md): /reset-password without a token asks for one.
function failed(message, next, { retry = null, help = false } = {}) {
  showOutcome('bad', t('verifyFailedTitle'));
  setStatus(message);
  setNext(next);
  $('help').hidden = !help;
  setRetry(t('retry'), retry);
}

async function verify(moveFocus) {
  if (running) return;
  running = true;
  setRetry(null, null);
  setNext('');
  $('help').hidden = true;
  showOutcome('working', t('verifyTitle'), moveFocus);
  setStatus(t('verifying'), true);
  try {
    const { data } = await request('POST', '/api/auth/verify-email', { body: { token } });
    const email = data && data.user && data.user.email;
    showOutcome('ok', t('verifiedTitle'));
    setStatus(email ? t('verifiedText', { email }) : t('verifiedTextNoEmail'));
    setNext(t('verifiedNext'));
  } catch (err) {
    if (err.status === 400) {
      // invalid_token (unknown, used or expired) or a malformed token
      failed(t('invalidVerifyLink'), t('invalidVerifyNext'), { help: true });
    } else {
      failed(problemText(t, err), '', { retry: () => verify(true) });
    }
  } finally {
    running = false;
  }
}

if (token) {
  verify(false);
} else {
  failed(t('missingToken'), t('invalidVerifyNext'), { help: true });
}
$('main').dataset.ready = 'true';
