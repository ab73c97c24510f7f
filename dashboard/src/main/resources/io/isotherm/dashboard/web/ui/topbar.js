// The top bar of every signed-in page: Sites, Account, Users (administrators), and who is signed in with Sign out
// (only where the dashboard has accounts). Fills <nav id="mainnav"> and <div id="topbar-actions">.

import {hasAccounts, isAdmin, me} from './http.js';
import {logout} from './admin-api.js';
import {h} from './dom.js';
import {showError} from './banner.js';

const LINKS = [['sites', 'Sites', '/'], ['account', 'Account', '/account'], ['users', 'Users', '/admin']];

function link([id, label, href], current) {
  return h('a', {class: 'nav-link', href, dataset: {nav: id}, 'aria-current': id === current ? 'page' : null}, label);
}

async function signOut(button) {
  button.disabled = true;
  try {
    await logout();
  } catch (e) {
    if (e.status !== 401) {
      button.disabled = false;
      showError(e);
      return;
    }
  }
  location.assign('/login');
}

/** Draws the top bar for the page `current` ('sites', 'account', 'users' or null) and answers who is signed in. */
export async function topbar(current) {
  const nav = document.getElementById('mainnav');
  const actions = document.getElementById('topbar-actions');
  nav.replaceChildren(link(LINKS[0], current), link(LINKS[1], current));
  const who = await me();
  if (isAdmin(who)) nav.append(link(LINKS[2], current));
  if (actions && hasAccounts(who)) {
    const button = h('button', {type: 'button', class: 'btn btn-ghost', id: 'sign-out'}, 'Sign out');
    button.addEventListener('click', () => signOut(button));
    actions.append(h('span', {class: 'who', title: 'Signed in as'}, who.user.email), button);
  }
  return who;
}
