// Users (/admin, administrators): everyone with an account, their sites and roles; make or unmake an administrator,
// remove a user; invite an administrator with a link to copy; pending invitations, which can be withdrawn.

import {inviteAdmin, removeUser, setAdmin, users, withdrawAdminInvite} from './admin-api.js';
import {isAdmin} from './http.js';
import {confirmAction} from './confirm.js';
import {h, say, statusLine} from './dom.js';
import {inviteResult} from './invites.js';
import {actions, field, invalid, submit} from './forms.js';
import {pageHead, section, signedInPage, table} from './page.js';
import {date} from './when.js';

const ROLE = {owner: 'owner', viewer: 'viewer'};

function siteList(sites) {
  if (!sites.length) return h('span', {class: 'muted'}, 'No sites');
  return h('ul', {class: 'plain-list'}, sites.map((s) =>
    h('li', {}, h('a', {href: `/site?site=${encodeURIComponent(s.key)}&tab=team`}, s.name), ` · ${ROLE[s.role] || s.role}`)));
}

signedInPage('users', async (who, main) => {
  main.append(pageHead('Users', 'Everyone who can sign in, and what they can see.'));
  if (!isAdmin(who)) {
    main.append(section('not-admin', 'Only administrators manage users', null,
      h('p', {}, 'To add someone to one of your sites, open the site\'s Team tab. To manage users, ask an administrator.')));
    return;
  }
  const list = h('div', {class: 'table-wrap'});
  const pending = h('div', {class: 'table-wrap'});
  const status = statusLine();
  const myId = who.user ? who.user.id : null;

  async function act(run, success) {
    try {
      await run();
      say(status, success, 'ok');
      await refresh();
    } catch (e) {
      say(status, e.message, 'error');
    }
  }

  function userRow(u) {
    const me = u.id === myId;
    const toggle = h('button', {type: 'button', class: 'btn btn-small', dataset: {action: 'admin'}},
      u.admin ? 'Remove administrator rights' : 'Make administrator');
    toggle.addEventListener('click', () => act(() => setAdmin(u.id, !u.admin),
      u.admin ? `${u.email} is no longer an administrator.` : `${u.email} is now an administrator.`));
    const remove = h('button', {type: 'button', class: 'btn btn-small btn-danger-ghost', dataset: {action: 'remove'},
      'aria-label': `Remove ${u.email}`}, 'Remove');
    remove.addEventListener('click', async () => {
      const ok = await confirmAction({title: `Remove ${u.email}?`,
        message: 'They lose access to every site at once: their browsers are signed out and their API tokens stop working.',
        confirm: 'Remove user'});
      if (ok) await act(() => removeUser(u.id), `${u.email} is removed.`);
    });
    return h('tr', {dataset: {user: u.id, email: u.email}},
      h('td', {}, u.email, me ? h('span', {class: 'badge badge-accent'}, 'You') : null),
      h('td', {}, u.admin ? h('span', {class: 'badge badge-accent'}, 'Administrator') : 'No'),
      h('td', {}, u.admin ? h('span', {class: 'muted'}, 'Every site') : siteList(u.sites || [])),
      h('td', {class: 'actions-cell'}, toggle, me ? null : [' ', remove]));
  }

  function inviteRow(i) {
    const withdraw = h('button', {type: 'button', class: 'btn btn-small', 'aria-label': `Withdraw the invitation of ${i.email}`}, 'Withdraw');
    withdraw.addEventListener('click', () => act(() => withdrawAdminInvite(i.id), `The invitation of ${i.email} is withdrawn.`));
    return h('tr', {dataset: {invite: i.id}}, h('td', {}, i.email), h('td', {}, date(i.expiresAt)), h('td', {class: 'actions-cell'}, withdraw));
  }

  async function refresh() {
    const answer = await users();
    list.replaceChildren(table('Users', ['Email', 'Administrator', 'Sites and roles',
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions'))], answer.users.map(userRow)));
    pending.replaceChildren(answer.invites.length
      ? table('Pending administrator invitations', ['Email', 'Valid until', h('th', {scope: 'col'},
        h('span', {class: 'visually-hidden'}, 'Actions'))], answer.invites.map(inviteRow))
      : h('p', {class: 'empty-small'}, 'No pending invitations.'));
  }

  const result = h('div', {class: 'created', id: 'invite-result', hidden: true, role: 'status'});
  const form = h('form', {class: 'form narrow', id: 'admin-invite-form'},
    field({name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'off'}),
    actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Create invitation link')));
  submit(form, async ({email}) => {
    if (!email.trim()) throw invalid('email', 'Enter the email address of the person to invite.');
    const inv = await inviteAdmin(email.trim());
    inviteResult(result, inv, 'as an administrator');
    form.reset();
    await refresh();
  });

  main.append(section('users', 'Users', 'Administrators manage users and every site. Others see only the sites they are members of.',
    list, status),
  section('invite-admin', 'Invite an administrator',
    'Creates a link for one person. To add someone to just one site, use the site\'s Team tab instead.', form, result),
  section('pending', 'Pending invitations', null, pending));
  await refresh();
});
