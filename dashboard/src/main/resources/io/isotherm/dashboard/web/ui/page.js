// What every signed-in page does first: the top bar, then its content in <main>, with a failure shown in the banner.

import {showError} from './banner.js';
import {h} from './dom.js';
import {topbar} from './topbar.js';

/** Draws the top bar, then runs build(me, main); main is emptied first. */
export async function signedInPage(current, build) {
  const main = document.getElementById('main');
  try {
    const who = await topbar(current);
    main.replaceChildren();
    await build(who, main);
  } catch (e) {
    main.replaceChildren(h('div', {class: 'card empty'}, h('h2', {}, 'This page could not be loaded'),
      h('p', {}, e.message || String(e))));
    showError(e);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

/** A page's heading row: the title, a line under it, and actions on the right. */
export function pageHead(title, subtitle, ...actionsRight) {
  return h('div', {class: 'page-head'},
    h('div', {}, h('h1', {}, title), subtitle ? h('p', {}, subtitle) : null),
    actionsRight.length ? h('div', {class: 'head-actions'}, actionsRight) : null);
}

/** A card section with a heading and an optional line under it. */
export function section(id, title, lead, ...content) {
  return h('section', {class: 'card section', id, 'aria-labelledby': `${id}-title`},
    h('h2', {id: `${id}-title`}, title), lead ? h('p', {class: 'section-lead'}, lead) : null, content);
}

/** A table with a caption for screen readers, column heads and rows (arrays of cells or <tr>). */
export function table(caption, heads, rows, className = 'table') {
  return h('table', {class: className},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, heads.map((x) => (typeof x === 'string' ? h('th', {scope: 'col'}, x) : x)))),
    h('tbody', {}, rows));
}
