// The account page's signed-in browsers: which browser on which system, since when, last active, this one marked;
// each can be signed out from here.

import {endSession, logout, sessions} from './admin-api.js';
import {confirmAction} from './confirm.js';
import {h, say, statusLine} from './dom.js';
import {section, table} from './page.js';
import {browserName, timeElement} from './when.js';

export function sessionsSection() {
  const body = h('div', {class: 'table-wrap'});
  const status = statusLine();
  const element = section('sessions', 'Signed-in browsers',
    'Every browser where you are signed in. Sign out one you do not recognise, or one you no longer use.', body, status);

  async function end(s, button) {
    const ok = await confirmAction({title: s.current ? 'Sign out of this browser?' : `Sign out ${browserName(s.userAgent)}?`,
      message: s.current ? 'You will need your password to sign in again.' : 'That browser will need the password to sign in again.',
      confirm: 'Sign out'});
    if (!ok) return;
    button.disabled = true;
    try {
      if (s.current) {
        await logout();
        location.assign('/login');
        return;
      }
      await endSession(s.id);
      say(status, `${browserName(s.userAgent)} is signed out.`, 'ok');
      await refresh();
    } catch (e) {
      button.disabled = false;
      say(status, e.message, 'error');
    }
  }

  function row(s) {
    const name = browserName(s.userAgent);
    const button = h('button', {type: 'button', class: 'btn btn-small', 'aria-label': `Sign out ${name}${s.current ? ' (this browser)' : ''}`}, 'Sign out');
    button.addEventListener('click', () => end(s, button));
    return h('tr', {dataset: {session: s.id}, class: s.current ? 'current' : null},
      h('td', {}, h('span', {class: 'browser', title: s.userAgent || ''}, name),
        s.current ? h('span', {class: 'badge badge-accent'}, 'This browser') : null),
      h('td', {}, timeElement(s.createdAt)),
      h('td', {}, timeElement(s.lastSeenAt)),
      h('td', {class: 'actions-cell'}, button));
  }

  async function refresh() {
    const list = await sessions();
    list.sort((a, b) => (b.current - a.current) || Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt));
    body.replaceChildren(table('Signed-in browsers', ['Browser', 'Signed in', 'Last active',
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions'))], list.map(row)));
  }

  return {element, refresh};
}
