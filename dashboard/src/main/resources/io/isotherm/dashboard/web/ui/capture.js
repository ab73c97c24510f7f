// Screenshots: which capture is the background, what to show without one, and the history menu.

import {el} from './dom.js';
import {count, dateTime} from './format.js';

const FLAGS = {
  http_error: 'The page answered with an HTTP error, so the screenshot shows an error.',
  error_page: 'The capture got an error page instead of your page.',
  login_wall: 'The capture got a login page: the page needs a signed-in visitor.',
  bot_challenge: 'The capture got a bot challenge (a "verify you are human" page) instead of your page.',
};

export const DONE = ['ok', 'flagged', 'failed'];

/** The capture to draw under the heatmap: the one asked for by id, else the device's current one. */
export function chooseCapture(list, wantedId) {
  const usable = (c) => c.tiles && c.tiles.length > 0;
  const wanted = wantedId && list.find((c) => String(c.id) === String(wantedId));
  if (wanted && usable(wanted)) return wanted;
  return list.find((c) => c.current && usable(c)) || null;
}

export function explain(capture) {
  return capture.message || FLAGS[capture.flag] || 'The screenshot could not be taken.';
}

function button(text, onClick, primary) {
  const b = el('button', primary ? 'btn btn-primary' : 'btn');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/** Opens a file picker for an image and hands the file over. */
export function uploadButton(onFile, text = 'Upload a screenshot') {
  const input = el('input');
  input.type = 'file';
  input.accept = 'image/png,image/jpeg,image/webp';
  input.className = 'visually-hidden';
  input.tabIndex = -1;
  input.setAttribute('aria-hidden', 'true');
  input.dataset.upload = '1';
  input.addEventListener('change', () => {
    if (input.files.length) onFile(input.files[0]);
    input.value = '';
  });
  const b = button(text, () => input.click());
  b.dataset.action = 'upload';
  const wrap = document.createDocumentFragment();
  wrap.append(b, input);
  return wrap;
}

/**
 * The card over a page without a usable screenshot, by the state of its latest capture. actions: {capture, upload,
 * accept(id)}, or null where nothing may be changed (a share link's viewer).
 */
export function placeholderCard(latest, deviceLabel, width, actions) {
  const card = el('div', 'placeholder-card');
  const h = el('h2');
  const p = el('p');
  if (!actions) {
    h.textContent = 'No screenshot of this page';
    p.textContent = `The heatmap is drawn on a blank page ${count(width)} px wide (${deviceLabel}).`;
    card.append(h, p);
    return card;
  }
  const buttons = el('div', 'actions');
  const capture = button('Capture now', actions.capture, true);
  capture.dataset.action = 'capture';
  if (!latest) {
    h.textContent = 'No screenshot of this page yet';
    p.textContent = `Isotherm shoots the page with a headless browser at ${count(width)} px (${deviceLabel}), `
      + 'or you can upload your own full-page screenshot. The heatmap is already drawn on a blank page of the right size.';
    buttons.append(capture, uploadButton(actions.upload));
    card.append(h, p, buttons);
    return card;
  }
  if (!DONE.includes(latest.status)) {
    h.textContent = 'Taking a screenshot…';
    p.textContent = `Requested ${dateTime(latest.requestedAt)}. This usually takes a few seconds; the page updates by itself.`;
    card.setAttribute('aria-busy', 'true');
    card.append(h, p);
    return card;
  }
  const message = el('p', latest.status === 'failed' ? 'message error' : 'message');
  message.dataset.role = 'capture-message';
  message.textContent = explain(latest);
  if (latest.status === 'flagged') {
    h.textContent = 'The screenshot does not look like your page';
    const accept = button('Use it anyway', () => actions.accept(latest.id));
    accept.dataset.action = 'accept';
    capture.textContent = 'Capture again';
    buttons.append(capture, accept, uploadButton(actions.upload));
  } else {
    h.textContent = 'The screenshot failed';
    capture.textContent = 'Try again';
    buttons.append(capture, uploadButton(actions.upload));
  }
  card.append(h, message, buttons);
  return card;
}

function statusBadge(c) {
  const s = el('span', `status status-${c.status}`);
  const label = c.status === 'flagged' ? (c.accepted ? 'used anyway' : (c.flag || 'flagged').replace('_', ' ')) : c.status;
  s.textContent = label;
  return s;
}

/** The history menu: every capture of the device, newest first; view an older one, accept a flagged one, re-capture. */
export function renderHistory(panel, list, viewingId, actions) {
  const title = el('h3');
  title.textContent = 'Screenshots';
  const ul = el('ul', 'capture-list');
  if (!list.length) {
    const li = el('li', 'empty-small');
    li.textContent = 'None yet.';
    ul.append(li);
  }
  for (const c of list) {
    const li = el('li', 'capture-item');
    if (String(c.id) === String(viewingId)) li.classList.add('viewing');
    li.dataset.capture = String(c.id);
    const when = el('div');
    when.append(document.createTextNode(`${dateTime(c.capturedAt || c.requestedAt)} `), statusBadge(c));
    if (c.current) when.append(document.createTextNode(' · current'));
    const detail = el('small');
    const size = c.width ? `${count(c.width)} × ${count(c.height)} px${c.truncated ? ' (cut off)' : ''}` : 'no image';
    detail.textContent = `${c.source === 'upload' ? 'Uploaded' : 'Captured'} · ${size}`;
    if (c.status === 'flagged' || c.status === 'failed') detail.title = explain(c);
    const buttons = el('div', 'capture-actions');
    if (c.tiles && c.tiles.length && String(c.id) !== String(viewingId)) {
      const view = button('View', () => actions.view(c), false);
      view.classList.add('btn-small');
      view.setAttribute('aria-label', `View the screenshot of ${dateTime(c.capturedAt || c.requestedAt)}`);
      buttons.append(view);
    }
    if (c.status === 'flagged' && !c.accepted) {
      const accept = button('Use anyway', () => actions.accept(c.id), false);
      accept.classList.add('btn-small');
      buttons.append(accept);
    }
    li.append(when, detail, buttons);
    ul.append(li);
  }
  const footer = el('div', 'menu-actions');
  const again = button('Capture again', actions.capture, true);
  again.classList.add('btn-small');
  footer.append(again, uploadButton(actions.upload, 'Upload'));
  panel.replaceChildren(title, ul, footer);
}
