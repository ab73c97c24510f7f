// The time zone picker: every zone the browser knows, grouped by region, with a chosen zone (the site's, or this
// browser's own for a new site) selected even when the list does not hold it.

import {h} from './dom.js';

export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function allZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** A zone as people read it: "America/Sao_Paulo" → "Sao Paulo". */
function place(zone) {
  return zone.slice(zone.indexOf('/') + 1).replaceAll('_', ' ').replaceAll('/', ' – ');
}

/** A select of time zones (name "timeZone") with `selected` chosen. */
export function zoneSelect(selected, attrs = {}) {
  const zones = allZones();
  if (selected && !zones.includes(selected)) zones.unshift(selected);
  const groups = new Map();
  const single = [];
  for (const zone of zones) {
    const slash = zone.indexOf('/');
    if (slash < 0) {
      single.push(zone);
      continue;
    }
    const region = zone.slice(0, slash);
    if (!groups.has(region)) groups.set(region, []);
    groups.get(region).push(zone);
  }
  const select = h('select', {name: 'timeZone', ...attrs},
    single.map((z) => h('option', {value: z}, z)),
    [...groups].map(([region, list]) => h('optgroup', {label: region},
      list.map((z) => h('option', {value: z}, `${place(z)} (${z})`)))));
  select.value = selected || 'UTC';
  return select;
}
