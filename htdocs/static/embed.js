// Puts a business's booking page in another site (served as /embed.js): the site loads this
// file in a script element with data-konfirmado-link set to the link and, optionally,
// data-konfirmado-mode "inline" or "popup" (docs/api.md has the snippet to copy).
// inline (the default) puts the booking page right after the script tag; popup puts a
// button there that opens it in a dialog (Escape or the close button closes it and the
// focus goes back to the button). The frame grows with its content, and
// Konfirmado.on(event, fn) hears what happens in it: ready, slot_held, booking_created,
// payment_started, booking_paid, payment_failed, booking_expired (fn gets {type, link,
// booking_id?, reference?}; '*' hears them all). Only the business's own sites listed in
// its settings (embed_origins) can show the page. A plain script, no build step.
(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  const link = script.getAttribute('data-konfirmado-link');
  if (!link) return;
  const popup = script.getAttribute('data-konfirmado-mode') === 'popup';
  const origin = new URL(script.src, document.baseURI).origin;
  const spanish = (document.documentElement.lang || navigator.language || 'es').toLowerCase().startsWith('es');
  const words = spanish
    ? { open: 'Reservar', close: 'Cerrar', title: 'Reserva' }
    : { open: 'Book now', close: 'Close', title: 'Booking' };

  // One registry for every embed on the page, kept by the first script that runs.
  if (!window.Konfirmado || typeof window.Konfirmado.on !== 'function') {
    const listeners = {};
    const api = {
      on(event, fn) {
        if (typeof fn !== 'function') return api;
        (listeners[event] = listeners[event] || []).push(fn);
        return api;
      },
      off(event, fn) {
        listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
        return api;
      },
    };
    Object.defineProperty(api, 'dispatch', {
      value: (event, detail) => {
        for (const fn of [...(listeners[event] || []), ...(listeners['*'] || [])]) {
          try {
            fn(detail);
          } catch (e) {
            window.setTimeout(() => {
              throw e;
            });
          }
        }
      },
    });
    window.Konfirmado = api;
  }

  const frame = document.createElement('iframe');
  frame.src = `${origin}/book/${encodeURIComponent(link)}?embed=1`;
  frame.title = script.getAttribute('data-konfirmado-title') || words.title;
  frame.setAttribute('scrolling', 'no');
  frame.setAttribute('data-konfirmado-frame', link);
  frame.style.cssText = 'display:block;width:100%;border:0;overflow:hidden;height:560px;';

  window.addEventListener('message', (e) => {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    const data = e.data;
    if (!data || typeof data.type !== 'string' || !data.type.startsWith('konfirmado:')) return;
    const event = data.type.slice('konfirmado:'.length);
    if (event === 'resize') {
      if (typeof data.height === 'number' && data.height > 0) frame.style.height = `${Math.ceil(data.height)}px`;
      return;
    }
    // the frame's next pages (its confirmation) load again: the embed was ready once
    if (event === 'ready' && frame.dataset.ready) return;
    if (event === 'ready') frame.dataset.ready = '1';
    const detail = { type: event, link: data.link || link };
    if (data.booking_id) detail.booking_id = data.booking_id;
    if (data.reference) detail.reference = data.reference;
    window.Konfirmado.dispatch(event, detail);
  });

  if (!popup) {
    script.after(frame);
    return;
  }

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'konfirmado-open';
  button.textContent = script.getAttribute('data-konfirmado-label') || words.open;
  const dialog = document.createElement('dialog');
  dialog.className = 'konfirmado-dialog';
  dialog.setAttribute('aria-label', frame.title);
  dialog.style.cssText =
    'width:min(760px,calc(100vw - 24px));max-width:none;max-height:calc(100vh - 24px);' +
    'padding:0;border:0;border-radius:12px;overflow:auto;';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'konfirmado-close';
  // the multiplication sign, written in ASCII: the merchant's page may not be UTF-8
  close.textContent = '\u00d7';
  close.setAttribute('aria-label', words.close);
  close.style.cssText =
    'position:sticky;top:0;float:right;z-index:1;min-width:44px;min-height:44px;' +
    'font-size:24px;border:0;background:#fff;cursor:pointer;';
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => button.focus());
  dialog.append(close, frame);
  button.addEventListener('click', () => {
    if (!dialog.isConnected) document.body.append(dialog);
    dialog.showModal();
    close.focus();
  });
  script.after(button);
})();
