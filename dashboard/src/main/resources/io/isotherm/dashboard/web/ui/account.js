// The account page (/account): change the password, see and end the browsers signed in, and API tokens. Without
// accounts (the local and open modes), there is nothing of this to manage, and the page says so.

import {changePassword} from './admin-api.js';
import {forgetMe, hasAccounts} from './http.js';
import {checkNewPassword, MIN_PASSWORD} from './auth.js';
import {h} from './dom.js';
import {actions, field, formStatus, invalid, submit} from './forms.js';
import {pageHead, section, signedInPage} from './page.js';
import {sessionsSection} from './account-sessions.js';
import {tokensSection} from './account-tokens.js';

function passwordSection(onChanged) {
  const f = h('form', {class: 'form narrow', id: 'password-form'},
    h('input', {type: 'text', name: 'username', autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: '-1'}),
    field({name: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true}),
    field({name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true,
      hint: `At least ${MIN_PASSWORD} characters.`}),
    field({name: 'repeat', label: 'Repeat the new password', type: 'password', autocomplete: 'new-password', required: true}),
    actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Change password')));
  submit(f, async ({current, password, repeat}) => {
    if (!current) throw invalid('current', 'Enter your current password.');
    checkNewPassword(password, repeat);
    await changePassword(current, password);
    forgetMe();
    f.reset();
    formStatus(f, 'Password changed. Every other browser signed in as you has been signed out.');
    await onChanged();
  });
  return section('password', 'Password', 'Changing it signs you out everywhere else.', f);
}

signedInPage('account', async (who, main) => {
  if (!hasAccounts(who)) {
    main.append(pageHead('Account', null),
      section('no-accounts', 'No accounts on this dashboard', null,
        h('p', {}, who.access === 'open'
          ? 'Isotherm runs in the open mode: whoever reaches it is an administrator, without signing in. '
          : 'Isotherm runs in the local mode: anyone on the server\'s own machine is an administrator, without signing in. '),
        h('p', {class: 'note'}, 'Passwords, signed-in browsers and API tokens belong to accounts. To use them, start '
          + 'Isotherm with ISOTHERM_DASHBOARD_ACCESS=accounts.')));
    return;
  }
  document.title = 'Account · Isotherm';
  const sessions = sessionsSection();
  main.append(pageHead('Account', `Signed in as ${who.user.email}${who.user.admin ? ' · administrator' : ''}`),
    passwordSection(() => sessions.refresh()), sessions.element, tokensSection().element);
  await sessions.refresh();
});
