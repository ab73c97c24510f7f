// The control bar: built from the lists of palettes, scales and the platform's device classes, kept in step with the
// state, and turned into state changes. Radio groups are native (arrow keys move within a group).

import {h} from './dom.js';
import {count, daysBetween} from './format.js';
import {PALETTES} from './palettes.js';
import {SCALES} from './scales.js';
import {comparison, isDensity, rangeOf, SEGMENTS, SIGMAS} from './state.js';
import {stepZoom, ZOOMS} from './zoom.js';

const form = () => document.getElementById('controls-form');

/** Fills the controls; devices (devices.js) make the device switch, with room for page-view hints, and compare options. */
export function buildControls(devices) {
  document.getElementById('palette-select').replaceChildren(...PALETTES.map((p) => new Option(p.label, p.id)));
  document.getElementById('scale-switch').replaceChildren(...SCALES.map((s) => h('label', {title: s.hint},
    h('input', {type: 'radio', name: 'scale', value: s.id, 'aria-description': s.hint}), h('span', {}, s.label))));
  document.getElementById('device-switch').replaceChildren(...devices.map((d) => h('label', {},
    h('input', {type: 'radio', name: 'device', value: d.id}), h('span', {}, d.label, h('small', {dataset: {hint: d.id}})))));
  form().elements.cdevice.replaceChildren(...devices.map((d) => new Option(d.label, d.id)));
  document.getElementById('segment-fields').replaceChildren(...SEGMENTS.map((s) => h('label', {class: 'field'}, s.label,
    h('select', {name: `seg-${s.id}`}, new Option('All visitors', '*')))));
  zoomSelect().replaceChildren(...ZOOMS.map((z) => new Option(z.label, z.id)));
  sigmaSelect().replaceChildren(new Option('Auto', 'auto'), ...SIGMAS.map((px) => new Option(`${px} px`, String(px))));
  const toggle = document.getElementById('toggle-controls');
  toggle.addEventListener('click', () => {
    const open = document.getElementById('controls').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  form().addEventListener('submit', (e) => e.preventDefault());
}

/** Puts the state into the controls. */
export function syncControls(state, today) {
  const f = form();
  const range = rangeOf(state, today);
  for (const name of ['map', 'device', 'scale', 'cmode']) {
    for (const input of f.elements[name]) input.checked = input.value === state[name];
  }
  f.elements.preset.value = state.preset;
  setDate(f.elements.from, range.from, today);
  setDate(f.elements.to, range.to, today);
  f.elements.palette.value = state.palette;
  f.elements.opacity.value = String(state.opacity);
  document.getElementById('opacity-value').textContent = `${state.opacity} %`;
  f.elements.cmp.value = state.cmp;
  const other = comparison(state, range);
  setDate(f.elements.cfrom, state.cmp === 'range' ? other.from : '', today);
  setDate(f.elements.cto, state.cmp === 'range' ? other.to : '', today);
  f.elements.cdevice.value = state.cdevice;
  for (const {id} of SEGMENTS) {
    const select = f.elements[`seg-${id}`];
    const value = id in state.segment ? state.segment[id] : '*';
    if (![...select.options].some((o) => o.value === value)) select.append(new Option(valueText(id, value), value));
    select.value = value;
  }
  if (state.cseg && ![...f.elements.cseg.options].some((o) => o.value === state.cseg)) {
    f.elements.cseg.append(new Option(comparedText(state.cseg), state.cseg));
  }
  f.elements.cseg.value = state.cseg;
  f.elements.dead.checked = state.dead;
  f.elements.rage.checked = state.rage;
  zoomSelect().value = state.zoom;
  sigmaSelect().value = state.sigma;
  const density = isDensity(state);
  // Scroll and attention maps are bands, not smoothed points; a share link fixes the radius (data-fixed).
  const sigmaField = document.getElementById('sigma-field');
  sigmaField.hidden = !density || 'fixed' in sigmaField.dataset;
  document.getElementById('compare-range').hidden = state.cmp !== 'range';
  document.getElementById('compare-device').hidden = state.cmp !== 'device';
  document.getElementById('compare-segment').hidden = state.cmp !== 'segment';
  document.getElementById('compare-mode').hidden = !state.cmp;
  const diffAllowed = (state.cmp === 'range' || state.cmp === 'segment') && density;
  for (const input of f.elements.cmode) if (input.value === 'diff') input.disabled = !diffAllowed;
  document.getElementById('compare-note').textContent = !state.cmp ? ''
    : diffAllowed ? 'The difference map compares page-view-normalised densities: red where A had more, blue where it had fewer.'
      : state.cmp === 'device' ? 'Two devices have different layouts: shown side by side.' : 'The difference map is for click and move maps.';
  for (const input of f.elements.scale) input.disabled = !density;
  // The difference map has its own diverging palette.
  f.elements.palette.disabled = diffAllowed && state.cmode === 'diff';
  document.getElementById('elements-title').textContent = 'Top clicked elements';
}

/** Leaves a date input alone while someone types in it: each finished segment is already a change. */
function setDate(input, value, max) {
  if (input.max !== max) input.max = max;
  if (input !== document.activeElement && input.value !== value) input.value = value;
}

const zoomSelect = () => document.getElementById('zoom-select');
const sigmaSelect = () => document.getElementById('sigma-select');

/** What Auto comes to for the shown heatmap: "Auto (24 px)"; just "Auto" while unknown. */
export function showDefaultSigma(px) {
  sigmaSelect().options[0].textContent = px ? `Auto (${Math.round(px)} px)` : 'Auto';
}

/** The first frame's scale now, which the zoom buttons step from. */
let shownScale = 1;

/** What the zoom comes to in the first frame: "Fit width (79 %)" says how large the fitted page is. */
export function showZoom(scale, fit) {
  shownScale = scale;
  zoomSelect().options[0].textContent = `${ZOOMS[0].label} (${Math.round(fit * 100)} %)`;
}

/** Page views per device under the device switch. */
export function showDeviceHints(hints) {
  for (const small of document.querySelectorAll('[data-hint]')) {
    const n = hints ? hints[small.dataset.hint] : null;
    small.textContent = n === null || n === undefined ? '' : `${count(n)} views`;
  }
}

/**
 * Why a typed range cannot be shown yet: 'typing' while a date is incomplete (a year is typed digit by digit, and
 * every digit is a change), else a message for the user; null when it is fine.
 */
function rangeProblem(from, to) {
  const complete = (d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= '2000-01-01';
  if (!complete(from) || !complete(to)) return 'typing';
  if (from > to) return 'The start date must not be after the end date.';
  if (daysBetween(from, to) > 366) return 'A range can cover at most 366 days.';
  return null;
}

function valueText(dimension, value, name) {
  if (value === '*') return 'All visitors';
  if (value === '') return dimension === 'country' ? 'Unknown' : 'None';
  return name || value;
}

function comparedText(cseg) {
  const at = cseg.indexOf(':');
  const dimension = SEGMENTS.find((s) => s.id === cseg.slice(0, at));
  return `${dimension.label}: ${valueText(dimension.id, cseg.slice(at + 1))}`;
}

/**
 * Offers the values the page's visitors had in the range (the segments API: {dimension: [{value, name, pageviews}]}),
 * with their page views; a value the view filters on stays offered even when the range has none of it.
 */
export function fillSegments(values, state, today) {
  const f = form();
  const compared = [];
  for (const {id, label} of SEGMENTS) {
    const offered = (values[id] || []).map((v) => new Option(`${valueText(id, v.value, v.name)} (${count(v.pageviews)})`, v.value));
    f.elements[`seg-${id}`].replaceChildren(new Option('All visitors', '*'), ...offered);
    for (const v of values[id] || []) {
      if (state.segment[id] !== v.value) compared.push(new Option(`${label}: ${valueText(id, v.value, v.name)}`, `${id}:${v.value}`));
    }
  }
  f.elements.cseg.replaceChildren(new Option('Choose…', ''), ...compared);
  document.getElementById('segment-group').classList.toggle('has-values', SEGMENTS.some((s) => (values[s.id] || []).length > 0));
  syncControls(state, today);
}

/**
 * Calls back with (change, how) for every user edit: change is a partial state; how is 'render' (new data may be
 * needed), 'colour' (re-colour only), 'opacity' or 'markers'.
 */
export function bindControls(getState, today, onChange) {
  const f = form();
  f.addEventListener('change', (event) => {
    const t = event.target;
    const state = getState();
    switch (t.name) {
      case 'map': return onChange({map: t.value}, 'render');
      case 'device': return onChange({device: t.value, capture: ''}, 'render');
      case 'preset': {
        if (t.value === 'custom') {
          const r = rangeOf(state, today());
          return onChange({preset: 'custom', from: r.from, to: r.to}, 'render');
        }
        return onChange({preset: t.value, from: '', to: ''}, 'render');
      }
      case 'from':
      case 'to': {
        const from = f.elements.from.value;
        const to = f.elements.to.value;
        const problem = rangeProblem(from, to);
        if (problem) return problem === 'typing' ? undefined : onChange(null, 'invalid', problem);
        return onChange({preset: 'custom', from, to}, 'render');
      }
      case 'palette': return onChange({palette: t.value}, 'colour');
      case 'scale': return onChange({scale: t.value}, 'colour');
      case 'sigma': return onChange({sigma: t.value}, 'render');
      case 'opacity': return onChange({opacity: Number(t.value)}, 'opacity');
      case 'cmp': return onChange({cmp: t.value, cfrom: '', cto: ''}, 'render');
      case 'cfrom':
      case 'cto': {
        const from = f.elements.cfrom.value;
        const to = f.elements.cto.value;
        const problem = rangeProblem(from, to);
        if (problem) return problem === 'typing' ? undefined : onChange(null, 'invalid', problem);
        return onChange({cfrom: from, cto: to}, 'render');
      }
      case 'cdevice': return onChange({cdevice: t.value}, 'render');
      case 'cseg': return onChange({cseg: t.value}, 'render');
      case 'cmode': return onChange({cmode: t.value}, 'render');
      case 'dead': return onChange({dead: t.checked}, 'markers');
      case 'rage': return onChange({rage: t.checked}, 'markers');
      default: {
        if (!t.name.startsWith('seg-')) return undefined;
        const segment = {...state.segment};
        if (t.value === '*') delete segment[t.name.slice(4)];
        else segment[t.name.slice(4)] = t.value;
        return onChange({segment}, 'render');
      }
    }
  });
  f.elements.opacity.addEventListener('input', () => onChange({opacity: Number(f.elements.opacity.value)}, 'opacity-live'));
  bindZoom(getState, onChange);
}

/**
 * The zoom bar (a select and − / + buttons) and its keys while a frame has the focus: + and − step, 0 fits the
 * width, 1 is 100 %. Calls back with how 'zoom'.
 */
function bindZoom(getState, onChange) {
  const zoomTo = (zoom) => {
    if (zoom !== getState().zoom) onChange({zoom}, 'zoom');
  };
  const step = (direction) => zoomTo(stepZoom(getState().zoom, shownScale, direction));
  zoomSelect().addEventListener('change', () => zoomTo(zoomSelect().value));
  document.getElementById('zoom-out').addEventListener('click', () => step(-1));
  document.getElementById('zoom-in').addEventListener('click', () => step(1));
  document.getElementById('frames').addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !event.target.classList.contains('frame')) return;
    const keys = {'+': () => step(1), '=': () => step(1), '-': () => step(-1), 0: () => zoomTo('fit'), 1: () => zoomTo('100')};
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
