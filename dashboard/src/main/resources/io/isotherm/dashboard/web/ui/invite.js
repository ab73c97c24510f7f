// An invitation link (/invite?token=…, public): what it invites to, then a new password (a new user) or the user's
// password (someone who has an account already); accepting signs in and goes to the sites.

import {acceptInvite, invite} from './admin-api.js';
import {card, checkNewPassword, MIN_PASSWORD, problem} from './auth.js';
import {h} from './dom.js';
import {actions, field, invalid, submit} from './forms.js';
import {dateTime} from './when.js';

const token = new URLSearchParams(location.search).get('token');
const ROLES = {owner: 'an owner: you can see its heatmaps, change its settings and invite others',
  viewer: 'a viewer: you can see its heatmaps and settings, but not change them'};

function gone() {
  problem('This invitation cannot be used',
    'The link has expired, has been used already, or was withdrawn. Ask the person who sent it for a new one.',
    h('a', {class: 'btn', href: '/login'}, 'Sign in'));
}

function what(inv) {
  if (inv.admin) return [h('strong', {}, 'Isotherm'), ' as an administrator: you can manage every site and its users.'];
  return [h('strong', {}, inv.site ? inv.site.name : 'a site'), ` as ${ROLES[inv.role] || inv.role}.`];
}

function form(inv) {
  const fields = inv.existingUser
    ? [field({name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', required: true,
      hint: 'You have an account already: confirm it is you.'})]
    : [field({name: 'password', label: 'Choose a password', type: 'password', autocomplete: 'new-password', required: true,
      hint: `At least ${MIN_PASSWORD} characters. You will sign in with ${inv.email} and this password.`}),
    field({name: 'repeat', label: 'Repeat the password', type: 'password', autocomplete: 'new-password', required: true})];
  const f = h('form', {class: 'form', id: 'invite-form'},
    h('input', {type: 'email', name: 'username', autocomplete: 'username', value: inv.email, hidden: true, readonly: true,
      'aria-hidden': 'true', tabindex: '-1'}),
    fields, actions(h('button', {type: 'submit', class: 'btn btn-primary btn-wide'}, 'Accept the invitation')));
  submit(f, async ({password, repeat}) => {
    if (inv.existingUser) {
      if (!password) throw invalid('password', 'Enter your password.');
    } else {
      checkNewPassword(password, repeat);
    }
    try {
      await acceptInvite(token, password);
    } catch (e) {
      if (e.status === 404) return gone();
      if (e.status === 401 || e.status === 403) throw invalid('password', e.message);
      throw e;
    }
    location.assign('/');
  });
  return f;
}

async function init() {
  if (!token) return gone();
  let inv;
  try {
    inv = await invite(token);
  } catch (e) {
    if (e.status === 404) return gone();
    problem('Invitation', e.message);
    return;
  }
  const f = form(inv);
  card('You are invited', null,
    h('p', {class: 'lead', id: 'invite-what'}, 'You are invited to ', what(inv)),
    h('dl', {class: 'facts'}, h('dt', {}, 'Account'), h('dd', {id: 'invite-email'}, inv.email),
      inv.expiresAt ? [h('dt', {}, 'Valid until'), h('dd', {}, dateTime(inv.expiresAt))] : null),
    f);
  f.querySelector('input:not([hidden])').focus();
}

init();
