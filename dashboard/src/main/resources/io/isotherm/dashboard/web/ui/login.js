// The sign-in page (/login, public): email and password; afterwards to `next` (a path on this site) or the sites.
// While no administrator exists, it sends the browser to /setup instead.

import {login, setupState} from './admin-api.js';
import {me} from './http.js';
import {card, problem, requireEmail, safeNext} from './auth.js';
import {h} from './dom.js';
import {actions, field, formError, invalid, submit} from './forms.js';

const params = new URLSearchParams(location.search);
const next = safeNext(params.get('next'));
let countdown;

function waitMessage(form, seconds) {
  clearInterval(countdown);
  let left = seconds;
  const tell = () => formError(form, left > 0
    ? `Too many sign-in attempts. Try again in ${left} ${left === 1 ? 'second' : 'seconds'}.`
    : 'You can try again now.');
  tell();
  countdown = setInterval(() => {
    left -= 1;
    tell();
    if (left <= 0) clearInterval(countdown);
  }, 1000);
}

function form() {
  const f = h('form', {class: 'form', id: 'login-form'},
    field({name: 'email', label: 'Email', type: 'email', autocomplete: 'username', required: true}),
    field({name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true}),
    actions(h('button', {type: 'submit', class: 'btn btn-primary btn-wide'}, 'Sign in')));
  submit(f, async ({email, password}) => {
    clearInterval(countdown);
    requireEmail(email);
    if (!password) throw invalid('password', 'Enter your password.');
    try {
      await login(email.trim(), password);
    } catch (e) {
      if (e.status === 429) {
        waitMessage(f, e.retryAfter ?? 60);
        return;
      }
      throw e;
    }
    location.assign(next);
  });
  return f;
}

async function init() {
  const token = params.get('token');
  try {
    const setup = await setupState(token).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
    if (setup && setup.needed) {
      location.replace(token ? `/setup?token=${encodeURIComponent(token)}` : '/setup');
      return;
    }
    const who = await me({redirect: false});
    if (who && (who.user || who.access !== 'accounts')) {
      location.replace(next);
      return;
    }
  } catch (e) {
    problem('Sign in', e.message);
    return;
  }
  const f = form();
  card('Sign in', 'Sign in to see your sites\' heatmaps.', f,
    h('p', {class: 'note'}, 'No account yet? Ask an administrator or a site owner to invite you.'));
  f.querySelector('input').focus();
}

init();
