// The viewer's whole state lives in the query string: links are shareable and the back button works. Defaults are
// left out of the URL.

import {addDays, daysBetween, isIsoDate, monthStart} from './format.js';
import {PALETTES} from './palettes.js';
import {SCALES} from './scales.js';

export const MAPS = [
  {id: 'click', label: 'Click'},
  {id: 'move', label: 'Move'},
  {id: 'scroll', label: 'Scroll'},
  {id: 'attention', label: 'Attention'},
];
export const DEVICES = [
  {id: 'desktop', label: 'Desktop'},
  {id: 'tablet', label: 'Tablet'},
  {id: 'mobile', label: 'Mobile'},
];
export const PRESETS = [
  {id: '7d', label: 'Last 7 days'},
  {id: '30d', label: 'Last 30 days'},
  {id: '90d', label: 'Last 90 days'},
  {id: 'month', label: 'This month'},
  {id: 'custom', label: 'Custom range'},
];

const DEFAULTS = {
  map: 'click', device: 'desktop', preset: '30d', palette: 'viridis', scale: 'linear', opacity: 70,
  cmp: '', cdevice: 'tablet', cmode: 'side',
};

const ORDER = ['site', 'page', 'map', 'device', 'preset', 'from', 'to', 'palette', 'scale', 'opacity',
  'cmp', 'cfrom', 'cto', 'cdevice', 'cmode', 'capture', 'dead', 'rage'];

function oneOf(value, options, fallback) {
  return options.some((o) => o.id === value) ? value : fallback;
}

export function readState(search) {
  const q = new URLSearchParams(search);
  const from = q.get('from');
  const to = q.get('to');
  const custom = isIsoDate(from) && isIsoDate(to) && from <= to;
  const opacity = Number.parseInt(q.get('opacity'), 10);
  const cfrom = q.get('cfrom');
  const cto = q.get('cto');
  const capture = q.get('capture');
  return {
    site: q.get('site') || '',
    page: q.get('page') || '',
    map: oneOf(q.get('map'), MAPS, DEFAULTS.map),
    device: oneOf(q.get('device'), DEVICES, DEFAULTS.device),
    preset: custom ? 'custom' : oneOf(q.get('preset'), PRESETS.filter((p) => p.id !== 'custom'), DEFAULTS.preset),
    from: custom ? from : '',
    to: custom ? to : '',
    palette: oneOf(q.get('palette'), PALETTES, DEFAULTS.palette),
    scale: oneOf(q.get('scale'), SCALES, DEFAULTS.scale),
    opacity: Number.isFinite(opacity) ? Math.min(100, Math.max(0, opacity)) : DEFAULTS.opacity,
    cmp: ['range', 'device'].includes(q.get('cmp')) ? q.get('cmp') : DEFAULTS.cmp,
    cfrom: isIsoDate(cfrom) && isIsoDate(cto) && cfrom <= cto ? cfrom : '',
    cto: isIsoDate(cfrom) && isIsoDate(cto) && cfrom <= cto ? cto : '',
    cdevice: oneOf(q.get('cdevice'), DEVICES, DEFAULTS.cdevice),
    cmode: q.get('cmode') === 'diff' ? 'diff' : DEFAULTS.cmode,
    capture: /^\d+$/.test(capture || '') ? capture : '',
    dead: q.get('dead') === '1',
    rage: q.get('rage') === '1',
  };
}

export function toQuery(state) {
  const q = new URLSearchParams();
  for (const key of ORDER) {
    let value = state[key];
    if (key === 'preset' && value === 'custom') continue;
    if ((key === 'from' || key === 'to') && state.preset !== 'custom') continue;
    if (key.startsWith('c') && key !== 'capture' && key !== 'cmp' && !state.cmp) continue;
    if (key === 'cdevice' && state.cmp !== 'device') continue;
    if ((key === 'cfrom' || key === 'cto') && state.cmp !== 'range') continue;
    if (typeof value === 'boolean') value = value ? '1' : '';
    if (value === '' || value === null || value === undefined || value === DEFAULTS[key]) continue;
    q.set(key, String(value));
  }
  return `?${q}`;
}

/** The date range of the state, from the site's "today" (its time zone), never the browser's clock. */
export function rangeOf(state, today) {
  switch (state.preset) {
    case 'custom': return {from: state.from, to: state.to};
    case '7d': return {from: addDays(today, -6), to: today};
    case '90d': return {from: addDays(today, -89), to: today};
    case 'month': return {from: monthStart(today), to: today};
    default: return {from: addDays(today, -29), to: today};
  }
}

/** The period just before a range, as long as it. */
export function previousPeriod(range) {
  const days = daysBetween(range.from, range.to);
  const to = addDays(range.from, -1);
  return {from: addDays(to, -(days - 1)), to};
}

/** The compared view's range and device, or null without comparison. */
export function comparison(state, range) {
  if (state.cmp === 'range') {
    const other = state.cfrom ? {from: state.cfrom, to: state.cto} : previousPeriod(range);
    return {...other, device: state.device};
  }
  if (state.cmp === 'device') return {...range, device: state.cdevice};
  return null;
}
