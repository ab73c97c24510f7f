// The setup page (/setup, public): creates the first administrator, from the server's own machine or with the setup
// link that `isotherm serve` printed; then on to adding the first site.

import {setup, setupState} from './admin-api.js';
import {card, checkNewPassword, MIN_PASSWORD, problem, requireEmail} from './auth.js';
import {h} from './dom.js';
import {actions, field, submit} from './forms.js';

const token = new URLSearchParams(location.search).get('token') || undefined;
const TITLE = 'Create the first administrator';

function signInLink() {
  return h('a', {class: 'btn btn-primary', href: '/login'}, 'Sign in');
}

function done() {
  problem('Isotherm is set up', 'An administrator exists already. Sign in, or ask an administrator to invite you.', signInLink());
}

function notAllowed() {
  const local = `http://localhost${location.port ? `:${location.port}` : ''}/setup`;
  card(TITLE, null,
    h('div', {class: 'message-box', role: 'alert', id: 'not-allowed'},
      h('p', {}, 'For safety, the first administrator can only be created from the machine that runs Isotherm, '
        + 'or with its setup link.'),
      h('ul', {},
        h('li', {}, 'Open this page on the server\'s own machine: ', h('code', {}, local), ', or'),
        h('li', {}, 'use the setup link that ', h('code', {}, 'isotherm serve'), ' printed in its console when it '
          + 'started. It ends with ', h('code', {}, '/setup?token=…'), '.'))));
}

function form() {
  const f = h('form', {class: 'form', id: 'setup-form'},
    field({name: 'email', label: 'Your email', type: 'email', autocomplete: 'username', required: true,
      hint: 'You sign in with it. Isotherm sends no email.'}),
    field({name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
      hint: `At least ${MIN_PASSWORD} characters.`}),
    field({name: 'repeat', label: 'Repeat the password', type: 'password', autocomplete: 'new-password', required: true}),
    actions(h('button', {type: 'submit', class: 'btn btn-primary btn-wide'}, 'Create administrator')));
  submit(f, async ({email, password, repeat}) => {
    requireEmail(email);
    checkNewPassword(password, repeat);
    try {
      await setup(email.trim(), password, token);
    } catch (e) {
      if (e.status === 409) return done();
      if (e.status === 403) return notAllowed();
      throw e;
    }
    location.assign('/new-site');
  });
  return f;
}

async function init() {
  let state;
  try {
    state = await setupState(token);
  } catch (e) {
    problem(TITLE, e.message);
    return;
  }
  if (!state.needed) return done();
  if (!state.allowed) return notAllowed();
  const f = form();
  card(TITLE, 'You will manage users and sites. Add your colleagues afterwards.', f);
  f.querySelector('input').focus();
}

init();
