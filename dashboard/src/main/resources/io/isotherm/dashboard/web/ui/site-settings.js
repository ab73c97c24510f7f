// The Settings tab: everything about the site, editable by owners (viewers read it, with a note saying why they
// cannot change it); each refusal shows under the field it names; its page groups; the site's share links; then the danger zone, to
// delete the site.

import {deleteSite, platform as loadPlatform, saveSite} from './admin-api.js';
import {h, present} from './dom.js';
import {actions, field, formStatus, invalid, submit} from './forms.js';
import {section} from './page.js';
import {basicFields, moreFields, readSite} from './site-fields.js';
import {groupsSection} from './site-groups.js';
import {sharesSection} from './site-shares.js';

function dangerZone(ctx) {
  const form = h('form', {class: 'form narrow', id: 'delete-form'},
    h('p', {}, 'Deleting the site deletes everything recorded for it: visits, heatmaps, screenshots, its members and '
      + 'invitations. This cannot be undone.'),
    field({name: 'confirm', label: `Type the site's name, ${ctx.site.name}, to confirm`, autocomplete: 'off', spellcheck: 'false'}),
    actions(h('button', {type: 'submit', class: 'btn btn-danger', id: 'delete-site'}, 'Delete this site')));
  const button = form.querySelector('#delete-site');
  const input = form.querySelector('input[name=confirm]');
  const sync = () => { button.setAttribute('aria-disabled', String(input.value.trim() !== ctx.site.name)); };
  input.addEventListener('input', sync);
  sync();
  submit(form, async ({confirm}) => {
    if (confirm.trim() !== ctx.site.name) throw invalid('confirm', `Type the name exactly as it is: ${ctx.site.name}`);
    await deleteSite(ctx.key, confirm.trim());
    location.assign('/');
  });
  return h('section', {class: 'card section danger-zone', id: 'danger', 'aria-labelledby': 'danger-title'},
    h('h2', {id: 'danger-title'}, 'Delete site'), form);
}

export function settingsTab(panel, ctx) {
  async function build() {
    const platform = await loadPlatform().catch(() => null);
    const site = ctx.site;
    const fields = h('fieldset', {class: 'plain', disabled: !ctx.canEdit}, basicFields(site), moreFields(site, platform));
    const notice = h('p', {class: 'notice', id: 'settings-notice', role: 'status', hidden: true});
    const form = h('form', {class: 'form narrow', id: 'settings-form'},
      ctx.canEdit ? null : h('p', {class: 'message-box', id: 'read-only-note'},
        'You are a viewer of this site: you can see its settings, but only its owners can change them.'),
      fields, notice,
      ctx.canEdit ? actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Save settings')) : null);
    submit(form, async (values) => {
      notice.hidden = true;
      const saved = await saveSite(ctx.key, readSite(values, true));
      const zoneInput = form.querySelector('select[name=timeZone]');
      const renamed = saved.name !== ctx.site.name;
      ctx.update(saved);
      if (renamed && ctx.canEdit) panel.querySelector('#danger').replaceWith(dangerZone(ctx));
      if (saved.notice) {
        notice.textContent = saved.notice;
        notice.hidden = false;
      }
      if (saved.timeZone && zoneInput.value !== saved.timeZone) zoneInput.value = saved.timeZone;
      formStatus(form, 'Saved.');
    });
    panel.replaceChildren(...present(section('settings', 'Settings', null, form), groupsSection(ctx), sharesSection(ctx),
      ctx.canEdit ? dangerZone(ctx) : null));
  }
  return {show: () => { if (!panel.childElementCount) build().catch((e) => panel.append(h('p', {class: 'form-error'}, e.message))); }};
}
