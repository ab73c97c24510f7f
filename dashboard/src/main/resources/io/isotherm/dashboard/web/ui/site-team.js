// The Team tab: the site's members and their roles (owners change roles and remove members), pending invitations
// (owners withdraw them), and "Invite a colleague": a one-time link to copy and send.

import {inviteMember, members, removeMember, setRole, withdrawInvite} from './admin-api.js';
import {confirmAction} from './confirm.js';
import {h, present, say, statusLine} from './dom.js';
import {actions, field, invalid, submit} from './forms.js';
import {inviteResult} from './invites.js';
import {section, table} from './page.js';
import {date} from './when.js';

const ROLES = [['viewer', 'Viewer', 'sees the heatmaps and settings, changes nothing'],
  ['owner', 'Owner', 'also changes settings, invites and removes people, deletes data']];
const roleName = (r) => (ROLES.find(([k]) => k === r) || [r, r])[1];
const actionsHead = () => h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions'));

export function teamTab(panel, ctx) {
  const list = h('div', {class: 'table-wrap'});
  const pending = h('div', {class: 'table-wrap'});
  const status = statusLine();
  const myId = ctx.who.user ? ctx.who.user.id : null;

  async function act(run, success) {
    try {
      await run();
      say(status, success, 'ok');
    } catch (e) {
      say(status, e.message, 'error');
    }
    await refresh();
  }

  function memberRow(m) {
    let role = roleName(m.role);
    let remove = null;
    if (ctx.canEdit) {
      role = h('select', {name: 'role', 'aria-label': `Role of ${m.email}`},
        ROLES.map(([k, text]) => h('option', {value: k, selected: k === m.role}, text)));
      role.value = m.role;
      role.addEventListener('change', () => act(() => setRole(ctx.key, m.id, role.value),
        `${m.email} is now ${role.value === 'owner' ? 'an owner' : 'a viewer'}.`));
      remove = h('button', {type: 'button', class: 'btn btn-small btn-danger-ghost', 'aria-label': `Remove ${m.email}`}, 'Remove');
      remove.addEventListener('click', async () => {
        const ok = await confirmAction({title: `Remove ${m.email} from ${ctx.site.name}?`,
          message: 'They will no longer see this site. Their account stays.', confirm: 'Remove'});
        if (ok) await act(() => removeMember(ctx.key, m.id), `${m.email} is removed from ${ctx.site.name}.`);
      });
    }
    return h('tr', {dataset: {member: m.id, email: m.email}},
      h('td', {}, m.email, m.id === myId ? h('span', {class: 'badge badge-accent'}, 'You') : null),
      h('td', {}, role), ctx.canEdit ? h('td', {class: 'actions-cell'}, remove) : null);
  }

  function inviteRow(i) {
    let withdraw = null;
    if (ctx.canEdit) {
      withdraw = h('button', {type: 'button', class: 'btn btn-small', 'aria-label': `Withdraw the invitation of ${i.email}`}, 'Withdraw');
      withdraw.addEventListener('click', () => act(() => withdrawInvite(ctx.key, i.id), `The invitation of ${i.email} is withdrawn.`));
    }
    return h('tr', {dataset: {invite: i.id}}, h('td', {}, i.email), h('td', {}, roleName(i.role)), h('td', {}, date(i.expiresAt)),
      ctx.canEdit ? h('td', {class: 'actions-cell'}, withdraw) : null);
  }

  async function refresh() {
    const answer = await members(ctx.key);
    list.replaceChildren(answer.members.length
      ? table(`Members of ${ctx.site.name}`, ['Email', 'Role', ctx.canEdit ? actionsHead() : null].filter(Boolean), answer.members.map(memberRow))
      : h('p', {class: 'empty-small'}, 'No members yet. Administrators see every site.'));
    pending.replaceChildren(answer.invites.length
      ? table('Pending invitations', ['Email', 'Role', 'Valid until', ctx.canEdit ? actionsHead() : null].filter(Boolean),
        answer.invites.map(inviteRow))
      : h('p', {class: 'empty-small'}, 'No pending invitations.'));
  }

  function inviteForm() {
    const result = h('div', {class: 'created', id: 'member-invite-result', hidden: true, role: 'status'});
    const form = h('form', {class: 'form narrow', id: 'member-invite-form'},
      field({name: 'email', label: 'Email', type: 'email', required: true, autocomplete: 'off'}),
      h('fieldset', {class: 'form-field choice', dataset: {field: 'role'}}, h('legend', {}, 'Role'),
        ROLES.map(([k, text, hint]) => h('label', {class: 'radio'},
          h('input', {type: 'radio', name: 'role', value: k, checked: k === 'viewer'}),
          h('span', {}, h('strong', {}, text), ` — ${hint}`))),
        h('p', {class: 'field-error', hidden: true})),
      actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Create invitation link')));
    submit(form, async ({email, role}) => {
      if (!email.trim()) throw invalid('email', 'Enter the email address of the colleague to invite.');
      const inv = await inviteMember(ctx.key, email.trim(), role);
      inviteResult(result, inv, `to ${ctx.site.name} as ${role === 'owner' ? 'an owner' : 'a viewer'}`);
      form.reset();
      await refresh();
    });
    return section('invite', 'Invite a colleague', 'They choose their own password when they open the link.', form, result);
  }

  panel.append(...present(section('members', 'Members', ctx.canEdit ? null : 'Only owners can change roles and invite people.', list, status),
    section('member-invites', 'Pending invitations', null, pending), ctx.canEdit ? inviteForm() : null));
  return {show: () => refresh().catch((e) => say(status, e.message, 'error'))};
}
