// The viewer's whole state lives in the query string: links are shareable and the back button works. Defaults are
// left out of the URL. Pure: the device classes (devices.js) are passed in, so this runs under Node's tests too.

import {addDays, daysBetween, isIsoDate, monthStart} from './format.js';
import {PALETTES} from './palettes.js';
import {SCALES} from './scales.js';
import {ZOOMS} from './zoom.js';

export const MAPS = [
  {id: 'click', label: 'Click'},
  {id: 'move', label: 'Move'},
  {id: 'scroll', label: 'Scroll'},
  {id: 'attention', label: 'Attention'},
];
export const PRESETS = [
  {id: '7d', label: 'Last 7 days'},
  {id: '30d', label: 'Last 30 days'},
  {id: '90d', label: 'Last 90 days'},
  {id: 'month', label: 'This month'},
  {id: 'custom', label: 'Custom range'},
];

/**
 * The traffic segment dimensions, as the read API's filter parameters name them (docs/API.md, "Segments"). A view's
 * segment is {dimension: value} for those it filters on; '' is a value too ("none": no campaign, unknown country).
 */
export const SEGMENTS = [
  {id: 'referrer', label: 'Came from'},
  {id: 'utm_campaign', label: 'Campaign'},
  {id: 'utm_source', label: 'Campaign source'},
  {id: 'utm_medium', label: 'Campaign medium'},
  {id: 'variant', label: 'Variant'},
  {id: 'country', label: 'Country'},
  {id: 'browser', label: 'Browser'},
  {id: 'os', label: 'Operating system'},
];
const MAX_SEGMENT_VALUE = 100;

/**
 * The smoothing radii (the Gaussian's σ in px) the viewer offers besides 'auto', the server's default from the amount
 * of data (docs/API.md, heatmap's sigma).
 */
export const SIGMAS = [8, 12, 16, 24, 32, 48, 64];

const DEFAULTS = {sigma: 'auto', map: 'click', preset: '30d', palette: 'viridis', scale: 'linear', opacity: 85, cmp: '', cmode: 'side',
  zoom: 'fit', cseg: ''};

const ORDER = ['site', 'page', 'group', 'map', 'device', 'preset', 'from', 'to', 'palette', 'scale', 'sigma', 'opacity',
  'cmp', 'cfrom', 'cto', 'cdevice', 'cseg', 'cmode', 'capture', 'dead', 'rage', 'zoom'];

function oneOf(value, options, fallback) {
  return options.some((o) => o.id === value) ? value : fallback;
}

/** The label of an id in a list of {id, label}. */
export function labelOf(list, id) {
  return list.find((x) => x.id === id).label;
}

/** The platform lists its device classes widest first: the first is shown, the next compared with, unless asked. */
function defaults(devices) {
  return {...DEFAULTS, device: devices[0].id, cdevice: (devices[1] || devices[0]).id};
}

/** The segment a query string filters on: {dimension: value}, values within the API's length limit. */
function readSegment(q) {
  const segment = {};
  for (const {id} of SEGMENTS) {
    const value = q.get(id);
    if (value !== null && value.length <= MAX_SEGMENT_VALUE) segment[id] = value;
  }
  return segment;
}

/** A compared segment, "dimension:value" (the view's segment with that one value changed), or ''. */
function readComparedSegment(value) {
  const at = (value || '').indexOf(':');
  return at > 0 && SEGMENTS.some((s) => s.id === value.slice(0, at)) && value.length - at - 1 <= MAX_SEGMENT_VALUE ? value : '';
}

/** The state a query string asks for; anything unknown (a device not in `devices`, say) falls back to its default. */
export function readState(search, devices) {
  const d = defaults(devices);
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
    group: /^\d+$/.test(q.get('group') || '') ? q.get('group') : '', // a page group's id: its pooled maps
    map: oneOf(q.get('map'), MAPS, d.map),
    device: oneOf(q.get('device'), devices, d.device),
    preset: custom ? 'custom' : oneOf(q.get('preset'), PRESETS.filter((p) => p.id !== 'custom'), d.preset),
    from: custom ? from : '',
    to: custom ? to : '',
    palette: oneOf(q.get('palette'), PALETTES, d.palette),
    scale: oneOf(q.get('scale'), SCALES, d.scale),
    sigma: SIGMAS.map(String).includes(q.get('sigma')) ? q.get('sigma') : d.sigma,
    opacity: Number.isFinite(opacity) ? Math.min(100, Math.max(0, opacity)) : d.opacity,
    cmp: ['range', 'device', 'segment'].includes(q.get('cmp')) ? q.get('cmp') : d.cmp,
    cseg: readComparedSegment(q.get('cseg')),
    segment: readSegment(q),
    cfrom: isIsoDate(cfrom) && isIsoDate(cto) && cfrom <= cto ? cfrom : '',
    cto: isIsoDate(cfrom) && isIsoDate(cto) && cfrom <= cto ? cto : '',
    cdevice: oneOf(q.get('cdevice'), devices, d.cdevice),
    cmode: q.get('cmode') === 'diff' ? 'diff' : d.cmode,
    capture: /^\d+$/.test(capture || '') ? capture : '',
    dead: q.get('dead') === '1',
    rage: q.get('rage') === '1',
    zoom: oneOf(q.get('zoom'), ZOOMS, d.zoom),
  };
}

/** The query string of a state, "?…", without its defaults (the same device classes as readState's). */
export function toQuery(state, devices) {
  const d = defaults(devices);
  const q = new URLSearchParams();
  for (const key of ORDER) {
    let value = state[key];
    if (key === 'preset' && value === 'custom') continue;
    if ((key === 'from' || key === 'to') && state.preset !== 'custom') continue;
    if (key.startsWith('c') && key !== 'capture' && key !== 'cmp' && !state.cmp) continue;
    if (key === 'cdevice' && state.cmp !== 'device') continue;
    if ((key === 'cfrom' || key === 'cto') && state.cmp !== 'range') continue;
    if (key === 'cseg' && state.cmp !== 'segment') continue;
    if (typeof value === 'boolean') value = value ? '1' : '';
    if (value === '' || value === null || value === undefined || value === d[key]) continue;
    q.set(key, String(value));
  }
  for (const {id} of SEGMENTS) if (state.segment && id in state.segment) q.set(id, state.segment[id]);
  return `?${q}`;
}

/** The segment with the compared one's value: "dimension:value" applied to it. */
function comparedSegment(segment, cseg) {
  const at = cseg.indexOf(':');
  return {...segment, [cseg.slice(0, at)]: cseg.slice(at + 1)};
}

/** A segment in words: "Variant B · Campaign none", or '' for every visitor. */
export function segmentText(segment) {
  return SEGMENTS.filter((s) => segment && s.id in segment)
    .map((s) => `${s.label} ${segment[s.id] === '' ? 'none' : segment[s.id]}`).join(' · ');
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

/** The σ in px to ask the heatmap for, or null for the server's default. */
export function sigmaOf(state) {
  return state.sigma === 'auto' ? null : Number(state.sigma);
}

/** Click and move maps are density grids (heatmap.packed); scroll and attention maps come from the scroll report. */
export function isDensity(state) {
  return state.map === 'click' || state.map === 'move';
}

/** The compared view's range, device and segment, or null without comparison. */
export function comparison(state, range) {
  if (state.cmp === 'segment') {
    return state.cseg ? {...range, device: state.device, segment: comparedSegment(state.segment, state.cseg)} : null;
  }
  if (state.cmp === 'range') {
    const other = state.cfrom ? {from: state.cfrom, to: state.cto} : previousPeriod(range);
    return {...other, device: state.device};
  }
  if (state.cmp === 'device') return {...range, device: state.cdevice};
  return null;
}
