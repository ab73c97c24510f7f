// The account page's API tokens, for scripts: each with its site (or all), read-only or read & write, when created
// and last used, revoked or not. A new token is shown once, with a Copy button.

import {createToken, revokeToken, sites as listSites, tokens} from './admin-api.js';
import {confirmAction} from './confirm.js';
import {secretBox} from './copy.js';
import {h, say, statusLine} from './dom.js';
import {actions, field, invalid, submit} from './forms.js';
import {section, table} from './page.js';
import {timeElement} from './when.js';

const SCOPES = {read: 'Read-only', write: 'Read & write'};

function scopeChoice() {
  return h('fieldset', {class: 'form-field choice', dataset: {field: 'scope'}},
    h('legend', {}, 'Access'),
    h('label', {class: 'radio'}, h('input', {type: 'radio', name: 'scope', value: 'read', checked: true}),
      h('span', {}, h('strong', {}, 'Read-only'), ' — reports and heatmaps')),
    h('label', {class: 'radio'}, h('input', {type: 'radio', name: 'scope', value: 'write'}),
      h('span', {}, h('strong', {}, 'Read & write'), ' — also changes, such as starting screenshots')),
    h('p', {class: 'field-error', hidden: true}));
}

export function tokensSection() {
  const list = h('div', {class: 'table-wrap'});
  const created = h('div', {class: 'created', id: 'new-token', hidden: true, role: 'status'});
  const status = statusLine();
  const siteSelect = h('select', {name: 'site'}, h('option', {value: ''}, 'All sites'));
  let siteNames = new Map();

  const form = h('form', {class: 'form', id: 'token-form'},
    h('div', {class: 'form-row'},
      field({name: 'name', label: 'Name', required: true, hint: 'What it is for, e.g. "weekly report".'}),
      field({name: 'site', label: 'Site', control: siteSelect, hint: 'A token for one site cannot read the others.'})),
    scopeChoice(),
    actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Create token')));

  submit(form, async ({name, site, scope}) => {
    if (!name.trim()) throw invalid('name', 'Give the token a name, so you know later what it is for.');
    const t = await createToken(name.trim(), site || null, scope);
    created.replaceChildren(
      h('p', {class: 'warning'}, h('strong', {}, 'Copy this token now. '),
        'It is shown only this once: Isotherm keeps no copy it could show again.'),
      secretBox(t.token, `API token ${t.name}`),
      h('p', {class: 'note'}, 'Send it as ', h('code', {}, 'Authorization: Bearer …'), ' with each request.'),
      h('button', {type: 'button', class: 'btn btn-small', onclick: () => { created.hidden = true; }}, 'Done, I have copied it'));
    created.hidden = false;
    form.reset();
    await refresh();
    created.querySelector('input').focus();
  });

  async function revoke(t, button) {
    const ok = await confirmAction({title: `Revoke "${t.name}"?`,
      message: 'Scripts that use this token will be refused from now on. This cannot be undone.', confirm: 'Revoke'});
    if (!ok) return;
    button.disabled = true;
    try {
      await revokeToken(t.id);
      say(status, `"${t.name}" is revoked.`, 'ok');
      await refresh();
    } catch (e) {
      button.disabled = false;
      say(status, e.message, 'error');
    }
  }

  function row(t) {
    let action = h('span', {class: 'badge'}, 'Revoked');
    if (!t.revokedAt) {
      action = h('button', {type: 'button', class: 'btn btn-small', 'aria-label': `Revoke ${t.name}`}, 'Revoke');
      action.addEventListener('click', () => revoke(t, action));
    }
    return h('tr', {dataset: {token: t.id}, class: t.revokedAt ? 'revoked' : null},
      h('td', {class: 'token-name'}, t.name),
      h('td', {}, t.site ? siteNames.get(t.site) || t.site : 'All sites'),
      h('td', {}, SCOPES[t.scope] || t.scope),
      h('td', {}, timeElement(t.createdAt)),
      h('td', {}, t.lastUsedAt ? timeElement(t.lastUsedAt) : 'never'),
      h('td', {class: 'actions-cell'}, t.revokedAt ? [action, ' ', timeElement(t.revokedAt)] : action));
  }

  async function refresh() {
    const all = await tokens();
    list.replaceChildren(all.length
      ? table('API tokens', ['Name', 'Site', 'Access', 'Created', 'Last used', h('th', {scope: 'col'}, 'Status')], all.map(row))
      : h('p', {class: 'empty-small'}, 'No API tokens yet.'));
  }

  async function load() {
    const mine = await listSites();
    siteNames = new Map(mine.map((s) => [s.key, s.name]));
    siteSelect.append(...mine.map((s) => h('option', {value: s.key}, s.name)));
    await refresh();
  }

  const element = section('tokens', 'API tokens',
    'For scripts and reports that read Isotherm\'s API. A token acts as you, never beyond what you may do.',
    list, status, h('h3', {class: 'subhead'}, 'New token'), form, created);
  load().catch((e) => say(status, e.message, 'error'));
  return {element, refresh};
}
