// Page groups in the site's settings: pages pooled by a path pattern ("/product/*", "/blog/:slug"), with the pages a
// pattern matches shown as it is typed, and the page whose screenshot the group is drawn on (the busiest unless one is
// picked). Owners add, edit and delete groups; viewers read them.

import {createGroup, deleteGroup, groupPreview, groups as loadGroups, saveGroup} from './admin-api.js';
import {confirmAction} from './confirm.js';
import {h, present, say, statusLine} from './dom.js';
import {count} from './format.js';
import {actions, field, formStatus, submit} from './forms.js';
import {section, table} from './page.js';

const PREVIEW_SHOWN = 20;
const BUSIEST = '';

/** The form of a new group (group null) or of an existing one; done() after a save. */
function groupForm(ctx, group, done) {
  const shot = h('select', {name: 'screenshotPage'});
  const preview = h('div', {class: 'group-preview', 'aria-live': 'polite'});
  const form = h('form', {class: 'form narrow group-form', dataset: {group: group ? group.id : 'new'}},
    field({name: 'name', label: 'Name', value: group ? group.name : '', autocomplete: 'off'}),
    field({name: 'pattern', label: 'Pages whose path matches', value: group ? group.pattern : '', autocomplete: 'off',
      spellcheck: 'false', placeholder: '/product/*',
      hint: '* matches within one part of the path, or anything when it ends the pattern; :name matches one whole part. '
        + '/product/* holds /product/shoe and /product/shoe/red; /blog/:slug holds /blog/hello.'}),
    field({name: 'screenshotPage', label: 'Drawn on the screenshot of', control: shot}),
    preview,
    actions(h('button', {type: 'submit', class: 'btn btn-primary'}, group ? 'Save group' : 'Add group'),
      group ? h('button', {type: 'button', class: 'btn', dataset: {cancel: ''}}, 'Cancel') : null));
  const patternInput = form.querySelector('input[name=pattern]');
  let asked = 0;
  let timer;

  function fillPages(pages) {
    const wanted = shot.value || (group && group.screenshotPage) || BUSIEST;
    shot.replaceChildren(h('option', {value: BUSIEST}, 'The busiest page of the group'),
      ...pages.map((p) => h('option', {value: p.url}, p.url)));
    shot.value = pages.some((p) => p.url === wanted) ? wanted : BUSIEST;
  }

  async function showPreview() {
    const ticket = ++asked;
    const pattern = patternInput.value.trim();
    if (!pattern) {
      preview.replaceChildren();
      fillPages([]);
      return;
    }
    try {
      const answer = await groupPreview(ctx.key, pattern);
      if (ticket !== asked) return;
      const {pages} = answer;
      fillPages(pages);
      preview.replaceChildren(h('p', {class: 'preview-count'}, pages.length === 1 ? '1 page matches now:' : `${count(pages.length)} pages match now${pages.length ? ':' : '.'}`),
        ...present(pages.length ? h('ul', {class: 'preview-pages'}, pages.slice(0, PREVIEW_SHOWN).map((p) =>
          h('li', {dataset: {url: p.url}}, p.url, h('small', {}, ` · ${count(p.pageviews)} page views in 30 days`)))) : null),
        ...present(pages.length > PREVIEW_SHOWN ? h('p', {class: 'hint'}, `and ${count(pages.length - PREVIEW_SHOWN)} more`) : null));
    } catch (e) {
      if (ticket === asked) preview.replaceChildren(h('p', {class: 'field-error preview-error'}, e.message));
    }
  }

  patternInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(showPreview, 250);
  });
  form.querySelector('[data-cancel]')?.addEventListener('click', () => done(false));
  submit(form, async ({name, pattern, screenshotPage}) => {
    const body = {name, pattern, screenshotPage: screenshotPage || null};
    if (group) await saveGroup(ctx.key, group.id, body);
    else await createGroup(ctx.key, body);
    formStatus(form, 'Saved.');
    done(true);
  });
  if (group) fillPages(group.pages);
  showPreview();
  return form;
}

export function groupsSection(ctx) {
  const list = h('div', {class: 'table-wrap', id: 'groups-list'});
  const adding = h('div', {id: 'group-add'});
  const status = statusLine();

  function row(g) {
    const cells = [
      h('td', {}, h('strong', {}, g.name), h('br'), h('code', {}, g.pattern)),
      h('td', {class: 'n'}, count(g.pages.length)),
      h('td', {}, g.screenshotPage || 'The busiest page')];
    const tr = h('tr', {dataset: {group: g.id}}, cells);
    if (ctx.canEdit) {
      const edit = h('button', {type: 'button', class: 'btn btn-small', 'aria-label': `Edit the group ${g.name}`}, 'Edit');
      const remove = h('button', {type: 'button', class: 'btn btn-small btn-danger-ghost', 'aria-label': `Delete the group ${g.name}`}, 'Delete');
      edit.addEventListener('click', () => {
        const editor = h('tr', {class: 'group-editor'}, h('td', {colspan: 4}, groupForm(ctx, g, async (saved) => {
          if (saved) say(status, `The group ${g.name} is saved.`, 'ok');
          await refresh();
        })));
        tr.after(editor);
        editor.querySelector('input[name=name]').focus();
      });
      remove.addEventListener('click', async () => {
        const ok = await confirmAction({title: `Delete the group ${g.name}?`,
          message: 'Its pages and their data stay; only the group goes.', confirm: 'Delete'});
        if (!ok) return;
        try {
          await deleteGroup(ctx.key, g.id);
          say(status, `The group ${g.name} is deleted.`, 'ok');
        } catch (e) {
          say(status, e.message, 'error');
        }
        await refresh();
      });
      tr.append(h('td', {class: 'actions-cell'}, edit, remove));
    }
    return tr;
  }

  async function refresh() {
    const groups = await loadGroups(ctx.key);
    const heads = ['Group', 'Pages', 'Drawn on', ctx.canEdit ? h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')) : null]
      .filter(Boolean);
    list.replaceChildren(groups.length ? table(`Page groups of ${ctx.site.name}`, heads, groups.map(row))
      : h('p', {class: 'empty-small'}, 'No page groups yet.'));
    if (ctx.canEdit) {
      adding.replaceChildren(h('h3', {}, 'Add a group'), groupForm(ctx, null, async () => {
        say(status, 'The group is added.', 'ok');
        await refresh();
      }));
    }
  }

  const element = section('groups', 'Page groups',
    'Pages whose heatmaps are pooled: every page the pattern matches, past data included, drawn on one screenshot. '
      + 'Clicks on the same element land on it whatever its place on each page.',
    list, adding, status);
  refresh().catch((e) => say(status, e.message, 'error'));
  return element;
}
