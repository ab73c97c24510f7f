// The Export menu: the view as the server exports it (docs/API.md, GET …/export): a PNG of the whole page with its
// legend, an interactive HTML file that opens offline, and the CSV tables. Each link carries the view's parameters.

import {h} from './dom.js';
import {rangeOf, sigmaOf} from './state.js';

const FILES = [
  {format: 'png', text: 'PNG of the whole page', hint: 'With the legend, for a slide'},
  {format: 'html', text: 'Interactive HTML file', hint: 'Opens offline; hover for exact values'},
  {format: 'csv', table: 'elements', text: 'CSV: elements', hint: 'Clicks, rage and dead clicks per element'},
  {format: 'csv', table: 'cells', text: 'CSV: grid cells', hint: 'x, y and count of each cell'},
  {format: 'csv', table: 'scroll', text: 'CSV: scroll curve', hint: 'Share reached and time in view by depth'},
  {format: 'csv', table: 'hours', text: 'CSV: day × hour', hint: 'Clicks and page views by weekday and hour'},
];

/** The export URL of the state's view in a format (and CSV table). */
export function exportUrl(siteKey, state, today, format, table) {
  const range = rangeOf(state, today);
  const q = new URLSearchParams({page: state.page, map: state.map, device: state.device, from: range.from, to: range.to,
    palette: state.palette, scale: state.scale, format});
  const sigma = sigmaOf(state); // null: the heatmap's default radius ('Auto')
  if (sigma !== null) q.set('sigma', String(sigma));
  if (table) q.set('table', table);
  for (const [k, v] of Object.entries(state.segment || {})) q.set(k, v); // the same visitors as the view
  return `/api/sites/${encodeURIComponent(siteKey)}/export?${q}`;
}

/** Fills the menu with links for the current view each time it opens (the view may have changed since). */
export function bindExportMenu(menu, panel, current) {
  menu.addEventListener('toggle', () => {
    if (!menu.open) return;
    const {siteKey, state, today} = current();
    panel.replaceChildren(h('ul', {class: 'export-links'}, FILES.map((f) => h('li', {},
      h('a', {href: exportUrl(siteKey, state, today, f.format, f.table), download: '', 'data-export': f.table || f.format},
        h('strong', {}, f.text), h('small', {}, f.hint))))));
  });
}
