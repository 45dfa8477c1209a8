// /verify-email?token=T, the link of the sign-up mail: posts the token to
// POST /api/auth/verify-email as soon as the page opens and says how it went.
import { $, setup, tokenFromUrl, showOutcome, setStatus, setNext, setRetry, problemText } from './page.js';
import { request } from '../wizard/api.js';

const t = setup('docVerify');
const token = tokenFromUrl();
let running = false;

function failed(message, next, retry) {
  showOutcome('bad', t('verifyFailedTitle'));
  setStatus(message);
  setNext(next);
  setRetry(t('retry'), retry || null);
}

async function verify(moveFocus) {
  if (running) return;
  running = true;
  setRetry(null, null);
  setNext('');
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
      failed(t('invalidVerifyLink'), t('invalidVerifyNext'));
    } else {
      failed(problemText(t, err), '', () => verify(true));
    }
  } finally {
    running = false;
  }
}

if (token) {
  verify(false);
} else {
  failed(t('missingToken'), '');
}
$('main').dataset.ready = 'true';
