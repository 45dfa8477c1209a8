// The invitation page, once a calendar is connected through it: which of the account's
// calendars block the professional's slots, and the one their bookings are written to
// (API.md "Which calendars count"; the business can change it later on its dashboard).
import { $, setStatus, problemText } from './page.js';
import { request } from '../wizard/api.js';

function choiceRow(t, c, i, all) {
  const li = document.createElement('li');
  const name = document.createElement('strong');
  name.textContent = c.name + (c.primary ? ' (' + t('calWhichPrimary') + ')' : '');
  li.append(name);
  const control = (type, id, checked, label, onchange) => {
    const span = document.createElement('span');
    span.className = 'choice';
    const input = document.createElement('input');
    input.type = type;
    input.id = id;
    input.checked = checked;
    if (type === 'radio') input.name = 'which-receiver';
    input.addEventListener('change', () => onchange(input.checked));
    const lab = document.createElement('label');
    lab.htmlFor = id;
    lab.textContent = label;
    span.append(input, lab);
    return span;
  };
  const receives = control('radio', 'which-receives-' + i, c.receives_events, t('calWhichReceives'), () =>
    all.forEach((x) => (x.receives_events = x === c)),
  );
  li.append(
    control('checkbox', 'which-blocks-' + i, c.blocks, t('calWhichBlocks'), (on) => (c.blocks = on)),
    receives,
  );
  if (c.writable === false) {
    // the account may only read it: its events could not be written there
    const why = document.createElement('p');
    why.id = 'which-read-only-' + i;
    why.className = 'hint';
    why.textContent = t('calWhichReadOnly');
    const radio = receives.querySelector('input');
    radio.disabled = true;
    radio.setAttribute('aria-describedby', why.id);
    li.append(why);
  }
  return li;
}

export async function offerCalendarChoice(t, invitation) {
  const path = '/api/public/invitations/' + encodeURIComponent(invitation) + '/calendars';
  let calendars;
  try {
    calendars = (await request('GET', path)).data.calendars;
  } catch (err) {
    return; // the page still says what is connected; the business can choose later
  }
  const render = () => $('which-list').replaceChildren(...calendars.map((c, i) => choiceRow(t, c, i, calendars)));
  render();
  $('which').hidden = false;
  $('which-save').onclick = async () => {
    $('which-save').disabled = true;
    try {
      const body = calendars.map((c) => ({ id: c.id, blocks: c.blocks, receives_events: c.receives_events }));
      calendars = (await request('PUT', path, { body: { calendars: body } })).data.calendars;
      render();
      setStatus(t('calWhichSaved'));
    } catch (err) {
      setStatus(problemText(t, err));
    } finally {
      $('which-save').disabled = false;
    }
  };
}
