// The fields of a site, for adding one (name, origins, time zone) and for its settings (also page addresses,
// excluded paths, device widths, retention), and reading them back into the API's site object.

import {h} from './dom.js';
import {field, invalid} from './forms.js';
import {zoneSelect} from './timezones.js';

const lines = (s) => (s || '').split('\n').map((x) => x.trim()).filter(Boolean);
const words = (s) => (s || '').split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

function number(value, name) {
  const s = (value || '').trim();
  if (!s) return null;
  if (!/^\d+$/.test(s)) throw invalid(name, 'Enter a whole number, or leave it empty for the default.');
  return Number(s);
}

const originsHint = h('div', {},
  'The addresses your pages are served from, one per line: ', h('code', {}, 'https://shop.example'),
  '. ', h('code', {}, 'https://*.shop.example'), ' allows every subdomain. Add a port if it is not the usual one (',
  h('code', {}, 'http://localhost:3000'), '). Visits from other addresses are refused.');

/** Name, origins and time zone. */
export function basicFields(site) {
  return [
    field({name: 'name', label: 'Name', value: site.name, required: true, autocomplete: 'off', hint: 'How your team will call it, e.g. "Shop".'}),
    field({name: 'origins', label: 'Origins', type: 'textarea', rows: 3, value: (site.origins || []).join('\n'), required: true,
      spellcheck: 'false', placeholder: 'https://shop.example', hint: originsHint.cloneNode(true)}),
    field({name: 'timeZone', label: 'Time zone', control: zoneSelect(site.timeZone),
      hint: 'Days and hours in reports count in this time zone.'}),
  ];
}

/** The settings beyond the basic fields; platform gives the defaults shown as placeholders. */
export function moreFields(site, platform) {
  const p = platform || {};
  const n = (v) => (v === null || v === undefined ? '' : String(v));
  const byDefault = (v) => (v === null || v === undefined ? '' : `${v} (default)`);
  return [
    field({name: 'keepQuery', label: 'Query parameters that identify a page', value: (site.keepQuery || []).join(', '),
      spellcheck: 'false', placeholder: 'none: every page is its path', autocomplete: 'off',
      hint: h('div', {}, 'Isotherm drops every other query parameter from page addresses. For example ', h('code', {}, 'id'),
        ' keeps ', h('code', {}, '/item?id=3'), ' and ', h('code', {}, '/item?id=4'), ' apart. Separate several with commas.')}),
    field({name: 'excludedPaths', label: 'Excluded paths', type: 'textarea', rows: 3, value: (site.excludedPaths || []).join('\n'),
      spellcheck: 'false', placeholder: 'e.g. /admin/*',
      hint: h('div', {}, 'Visits to these paths are not recorded. One per line; ', h('code', {}, '*'), ' matches anything, as in ',
        h('code', {}, '/admin/*'), '.')}),
    h('div', {class: 'form-row'},
      field({name: 'mobileBelow', label: 'Phones: screens narrower than (px)', type: 'number', min: 200, max: 4000,
        inputmode: 'numeric', value: n(site.mobileBelow), placeholder: byDefault(p.mobileBelow),
        hint: p.mobileBelow ? `Empty: the platform's ${p.mobileBelow} px.` : 'Empty: the platform\'s setting.'}),
      field({name: 'tabletBelow', label: 'Tablets: screens narrower than (px)', type: 'number', min: 200, max: 4000,
        inputmode: 'numeric', value: n(site.tabletBelow), placeholder: byDefault(p.tabletBelow),
        hint: p.tabletBelow ? `Empty: the platform's ${p.tabletBelow} px.` : 'Empty: the platform\'s setting.'})),
    field({name: 'retentionDays', label: 'Keep recorded visits for (days)', type: 'number', min: 3, inputmode: 'numeric',
      value: n(site.retentionDays), placeholder: byDefault(p.retentionDays),
      hint: `Older clicks, moves and scrolls are deleted once they are in the heatmaps; the heatmaps stay. Empty: the platform's ${
        p.retentionDays ? `${p.retentionDays} days` : 'setting'}.`}),
  ];
}

/** The site object from a form's values; throws for a field that cannot be sent as it is. */
export function readSite(v, full) {
  if (!v.name.trim()) throw invalid('name', 'Give the site a name.');
  const site = {name: v.name.trim(), origins: lines(v.origins), timeZone: v.timeZone};
  if (!full) return site;
  return {...site, keepQuery: words(v.keepQuery), excludedPaths: lines(v.excludedPaths),
    mobileBelow: number(v.mobileBelow, 'mobileBelow'), tabletBelow: number(v.tabletBelow, 'tabletBelow'),
    retentionDays: number(v.retentionDays, 'retentionDays')};
}
