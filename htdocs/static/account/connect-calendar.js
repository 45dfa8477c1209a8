// /connect-calendar/{invitation}: the professional's page (API.md "Calendar connection").
// Reads the invitation, says what is connected, offers Google and Microsoft (OAuth: the
// links go to /api/oauth/{provider}/start and come back here with ?result=) and Cal.com
// (an API key, checked by the server with Cal.com before it is kept) and any CalDAV calendar
// (iCloud, Fastmail, Nextcloud, Zoho: a server URL, a user name and an app password, kept only
// once the server found the calendar with them).
import { $, setup, showOutcome, setStatus, setFieldError, problemText } from './page.js';
import { request } from '../wizard/api.js';
import { offerCalendarChoice } from './connect-calendar-choices.js';

const t = setup('docCalendar');
const invitation = decodeURIComponent(location.pathname.split('/').pop() || '');
const query = new URLSearchParams(location.search);
// Each provider's label as the invitation gives it (the server's registry of providers).
const labels = {};

function providerName(name) {
  return labels[name] || name;
}

// What the redirect back from the provider says.
function resultText(result, provider) {
  const name = providerName(provider);
  switch (result) {
    case 'connected':
      return t('calResultConnected', { provider: name });
    case 'denied':
      return t('calResultDenied', { provider: name });
    case 'unavailable':
      return t('calResultUnavailable', { provider: name });
    case 'error':
      return t('calResultError', { provider: name });
    default:
      return '';
  }
}

function showCurrent(calendar) {
  const el = $('current');
  if (!calendar || !calendar.provider || calendar.status === 'none' || calendar.status === 'pending') {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  el.dataset.state = calendar.status;
  const name = calendar.label || providerName(calendar.provider);
  el.textContent =
    calendar.status === 'connected'
      ? t('calCurrentConnected', { provider: name, account: calendar.account || '' })
      : t('calCurrentError', { provider: name });
}

function setupProviders(inv) {
  const unavailable = [];
  for (const p of inv.providers) {
    const el = $(p.name);
    if (!el) continue;
    if (el.hasAttribute('aria-controls')) continue; // it opens its form: no OAuth link
    if (p.available) {
      el.href = '/api/oauth/' + p.name + '/start?invitation=' + encodeURIComponent(invitation);
    } else {
      el.setAttribute('aria-disabled', 'true');
      el.removeAttribute('href');
      el.setAttribute('role', 'link');
      unavailable.push(providerName(p.name));
    }
  }
  if (unavailable.length) {
    $('unavailable').hidden = false;
    $('unavailable').textContent = t('calUnavailable', { providers: unavailable.join(', ') });
  }
  // the two forms open one at a time
  const forms = { calcom: ['calcom-form', 'api-key'], caldav: ['caldav-form', 'caldav-url'] };
  for (const [name, [, first]] of Object.entries(forms)) {
    const toggle = $(name);
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      for (const [other, [otherForm]] of Object.entries(forms)) {
        const on = open && other === name;
        $(other).setAttribute('aria-expanded', on ? 'true' : 'false');
        $(otherForm).hidden = !on;
      }
      if (open) $(first).focus();
    });
  }
  $('calcom-form').addEventListener('submit', connectCalcom);
  $('caldav-form').addEventListener('submit', connectCaldav);
}

async function connectCaldav(ev) {
  ev.preventDefault();
  if (sending) return;
  const inputs = { url: $('caldav-url'), username: $('caldav-user'), password: $('caldav-password') };
  const body = {};
  let missing = null;
  for (const [field, input] of Object.entries(inputs)) {
    setFieldError(input, '');
    body[field] = field === 'password' ? input.value : input.value.trim();
    if (!body[field] && !missing) missing = input;
  }
  if (missing) {
    setFieldError(missing, t('calCaldavMissing'));
    missing.focus();
    return;
  }
  sending = true;
  $('caldav-submit').disabled = true;
  setStatus(t('calCaldavConnecting'), true);
  try {
    const { data } = await request('POST', '/api/public/invitations/' + encodeURIComponent(invitation) + '/caldav', {
      body,
    });
    showOutcome('ok', t('calConnectedTitle'));
    setStatus(resultText('connected', 'caldav'));
    showCurrent(data.calendar);
    inputs.password.value = '';
    $('caldav-form').hidden = true;
    $('caldav').setAttribute('aria-expanded', 'false');
    // the account's other collections: which of them count
    offerCalendarChoice(t, invitation);
  } catch (err) {
    setStatus('');
    if (err.status === 400 && err.fields) {
      let first = null;
      for (const [field, input] of Object.entries(inputs)) {
        if (err.fields[field]) {
          setFieldError(input, err.fields[field]);
          first = first || input;
        }
      }
      (first || inputs.url).focus();
    } else if (err.status === 404) {
      invalid();
    } else if (err.status === 410) {
      setStatus(t('calUsed'));
      $('choices').hidden = true;
    } else if (err.status === 502) {
      setStatus(t('calProviderDown', { provider: body.url }));
    } else {
      setStatus(problemText(t, err));
    }
  } finally {
    sending = false;
    $('caldav-submit').disabled = false;
  }
}

let sending = false;
async function connectCalcom(ev) {
  ev.preventDefault();
  if (sending) return;
  const key = $('api-key');
  const eventType = $('event-type');
  setFieldError(key, '');
  setFieldError(eventType, '');
  const body = { api_key: key.value.trim() };
  if (!body.api_key) {
    setFieldError(key, t('calApiKeyMissing'));
    key.focus();
    return;
  }
  const et = eventType.value.trim();
  if (et) {
    if (!/^[0-9]{1,12}$/.test(et) || Number(et) < 1) {
      setFieldError(eventType, t('calEventTypeBad'));
      eventType.focus();
      return;
    }
    body.event_type_id = Number(et);
  }
  sending = true;
  $('calcom-submit').disabled = true;
  setStatus(t('calConnecting'), true);
  try {
    const { data } = await request('POST', '/api/public/invitations/' + encodeURIComponent(invitation) + '/calcom', {
      body,
    });
    showOutcome('ok', t('calConnectedTitle'));
    setStatus(resultText('connected', 'calcom'));
    showCurrent(data.calendar);
    $('calcom-form').hidden = true;
    $('calcom').setAttribute('aria-expanded', 'false');
  } catch (err) {
    setStatus('');
    if (err.status === 400 && err.fields) {
      if (err.fields.api_key) setFieldError(key, err.fields.api_key);
      if (err.fields.event_type_id) setFieldError(eventType, err.fields.event_type_id);
      (err.fields.api_key ? key : eventType).focus();
    } else if (err.status === 404) {
      invalid();
    } else if (err.status === 410) {
      setStatus(t('calUsed'));
      $('choices').hidden = true;
    } else if (err.status === 502) {
      setStatus(t('calProviderDown', { provider: providerName('calcom') }));
    } else {
      setStatus(problemText(t, err));
    }
  } finally {
    sending = false;
    $('calcom-submit').disabled = false;
  }
}

function invalid() {
  showOutcome('bad', t('calInvalidTitle'));
  setStatus(t('calInvalid'));
  $('choices').hidden = true;
  $('intro').hidden = true;
  $('current').hidden = true;
}

async function load() {
  setStatus(t('calLoading'), true);
  try {
    const { data } = await request('GET', '/api/public/invitations/' + encodeURIComponent(invitation));
    const inv = data.invitation;
    for (const p of inv.providers) labels[p.name] = p.label;
    const result = query.get('result');
    const connected = inv.calendar && inv.calendar.status === 'connected';
    showOutcome(
      result === 'connected' && connected ? 'ok' : result && result !== 'connected' ? 'bad' : 'form',
      result === 'connected' && connected ? t('calConnectedTitle') : t('calTitle'),
      !!result,
    );
    setStatus(resultText(result, query.get('provider')));
    $('intro').hidden = false;
    $('intro').textContent = t('calIntro', { business: inv.business.name, professional: inv.professional.name });
    if (inv.business.name) $('brand').textContent = inv.business.name;
    showCurrent(inv.calendar);
    setupProviders(inv);
    $('choose-title').textContent = connected ? t('calChooseOther') : t('calChoose');
    // it connects once: after that only the business's new invitation connects another
    $('choices').hidden = !!inv.used;
    if (inv.used && !result) setStatus(t('calUsed'));
    // connected through this invitation: which of the account's calendars count
    if (inv.used && connected) offerCalendarChoice(t, invitation);
  } catch (err) {
    if (err.status === 404) invalid();
    else {
      showOutcome('bad', t('calTitle'));
      setStatus(problemText(t, err));
    }
  }
  $('main').dataset.ready = 'true';
}

load();
