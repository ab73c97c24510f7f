// What the public pages (sign in, setup, invitation) share: the card they draw into, where to go afterwards, and the
// checks of a new password.

import {h, present} from './dom.js';
import {invalid} from './forms.js';

export const MIN_PASSWORD = 10;

/** Where to go after signing in: a path on this site ("/site?site=k"), never another site ("//evil", "https://…"). */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\\]/.test(next)) return '/';
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
  } catch {
    return '/';
  }
}

/** Replaces the card's content: a title, an optional lead paragraph, then the rest. */
export function card(title, lead, ...content) {
  const section = document.getElementById('card');
  section.replaceChildren(...present(h('h1', {id: 'card-title'}, title), lead ? h('p', {class: 'lead'}, lead) : null, content));
  section.setAttribute('aria-labelledby', 'card-title');
  section.removeAttribute('aria-busy');
  document.title = `${title} · Isotherm`;
  return section;
}

/** A problem that stops the page (an expired link, a server that cannot be reached). */
export function problem(title, message, ...links) {
  return card(title, null, h('p', {class: 'message-box', role: 'alert'}, message), links.length ? h('p', {class: 'links'}, links) : null);
}

/** Checks a new password and its repetition before sending them; throws for the field at fault. */
export function checkNewPassword(password, repeat, passwordField = 'password') {
  if (!password) throw invalid(passwordField, 'Choose a password.');
  if ([...password].length < MIN_PASSWORD) throw invalid(passwordField, `Choose a password of at least ${MIN_PASSWORD} characters.`);
  if (password !== repeat) throw invalid('repeat', 'The two passwords are not the same. Type the new password again.');
}

export function requireEmail(email) {
  if (!email || !email.trim()) throw invalid('email', 'Enter your email address.');
}
