// "Share" in the viewer, for the site's owners: a read-only link to the view on screen (page, map, device, range,
// palette and smoothing) that opens without an account, optionally expiring. The link is shown once, to copy; the
// site's settings list the links and revoke them.

import {createShareLink, shareLinks} from './admin-api.js';
import {secretBox} from './copy.js';
import {h, say, statusLine, uid} from './dom.js';
import {labelOf, MAPS, PRESETS} from './state.js';
import {range as rangeText} from './format.js';
import {shareBody} from './share-url.js';

const EXPIRY = [['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days'], ['', 'Never (until revoked)']];

/** Shows the Share button to owners of the viewer's site. */
export function setUpShare(v) {
  const button = document.getElementById('share');
  if (!button || !v.site || v.site.role !== 'owner') return;
  button.hidden = false;
  button.addEventListener('click', () => openDialog(v));
}

/** What the link will show, in words. */
function described(v) {
  const {state} = v;
  const device = labelOf(v.devices, state.device);
  const when = state.preset === 'custom' ? rangeText(state.from, state.to)
    : `${labelOf(PRESETS, state.preset).toLowerCase()}, always the latest`;
  return `The ${labelOf(MAPS, state.map).toLowerCase()} map of ${state.page} on ${device}, ${when}`
    + `${state.cmp ? ' (without the comparison)' : ''}.`;
}

function openDialog(v) {
  const titleId = uid('share-title');
  const status = statusLine();
  const result = h('div', {class: 'created', id: 'share-result', hidden: true, role: 'status'});
  const expiry = h('select', {name: 'expires', id: uid('share-expiry')},
    EXPIRY.map(([value, text]) => h('option', {value, selected: value === '30'}, text)));
  const create = h('button', {type: 'submit', class: 'btn btn-primary', id: 'share-create'}, 'Create link');
  const close = h('button', {type: 'button', class: 'btn'}, 'Close');
  const form = h('form', {class: 'form', id: 'share-form'},
    h('p', {}, described(v)),
    h('p', {class: 'hint'}, 'Anyone with the link sees this view and nothing else, without signing in: no other page, '
      + 'no other range or device, no settings.'),
    h('div', {class: 'form-field'}, h('label', {for: expiry.id}, 'The link works for'), expiry),
    h('div', {class: 'dialog-actions'}, close, create));
  const dialog = h('dialog', {class: 'dialog share-dialog', 'aria-labelledby': titleId, id: 'share-dialog'},
    h('h2', {id: titleId}, 'Share this view'), form, status, result);
  const previous = document.activeElement;
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (previous && previous.isConnected) previous.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    create.disabled = true;
    try {
      const link = await createShareLink(v.site.key, shareBody(v.state, Number(expiry.value) || null));
      const settings = `/site?site=${encodeURIComponent(v.site.key)}&tab=settings`;
      result.replaceChildren(h('p', {}, h('strong', {}, 'Share link')),
        secretBox(link.link, 'Share link'),
        h('p', {class: 'hint'}, link.expiresAt ? `It works until ${link.expiresAt.slice(0, 10)}. ` : 'It works until revoked. ',
          'It is shown only now: copy it. Revoke it any time in ', h('a', {href: settings}, 'the site\'s settings'), '.'),
        h('div', {class: 'dialog-actions'}, close));
      result.hidden = false;
      form.hidden = true;
      result.querySelector('input').focus();
    } catch (e) {
      say(status, e.message, 'error');
      create.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  expiry.focus();
  // Links need accounts: say so at once rather than after a refused click.
  shareLinks(v.site.key).then((answer) => {
    if (answer.available) return;
    say(status, answer.reason, 'error');
    create.disabled = true;
  }).catch(() => {});
}
