// The answer to an invitation: the one-time link to copy, how long it is valid, and that Isotherm sends no email.

import {secretBox} from './copy.js';
import {h} from './dom.js';
import {date} from './when.js';

/** Absolute: the server may answer a path or a full link. */
function absolute(link) {
  try {
    return new URL(link, location.origin).href;
  } catch {
    return link;
  }
}

export function inviteResult(box, invite, what) {
  box.replaceChildren(
    h('p', {}, h('strong', {}, `Invitation link for ${invite.email}`), ` ${what}:`),
    secretBox(absolute(invite.link), `Invitation link for ${invite.email}`),
    h('p', {class: 'warning'}, 'Isotherm sends no email: copy this link and send it to them yourself. ',
      `It works once and is valid for 7 days${invite.expiresAt ? `, until ${date(invite.expiresAt)}` : ''}.`));
  box.hidden = false;
  box.querySelector('input').focus();
}
