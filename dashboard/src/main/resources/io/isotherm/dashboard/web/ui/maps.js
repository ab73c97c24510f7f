// The four maps and the difference map: how each turns its report into a grid of palette indices, a legend, a
// tooltip, marks on the page and an empty state.

import {el} from './dom.js';
import {elementAt} from './elements.js';
import {count, percent, pluralize, quantity} from './format.js';
import {attentionLegend, densityLegend, differenceLegend, scrollLegend} from './legend.js';
import {lut} from './palettes.js';
import {clicksNear} from './reach.js';
import {bands, difference, indices} from './scales.js';

const BAND_PX = 50;
const RING_MIN_SIGMA_CELLS = 2;

export function densityModel(map, kind) {
  return {type: 'density', map, kind};
}

export function differenceModel(a, b, kind) {
  return {type: 'difference', a, b, kind, diff: difference(a, b)};
}

/** The share of page views whose deepest point reached each 50 px band, down to `height`. */
export function scrollModel(scroll, width, height) {
  const step = scroll.reachPx.length > 1 ? scroll.reachPx[1].y - scroll.reachPx[0].y : BAND_PX;
  const values = new Float32Array(Math.ceil(height / step));
  for (const p of scroll.reachPx) {
    const b = Math.round(p.y / step);
    if (b < values.length) values[b] = p.share;
  }
  return {type: 'scroll', scroll, step, values, width};
}

export function attentionModel(scroll, width, height) {
  const step = scroll.attention.length ? scroll.attention[0].height : BAND_PX;
  const values = new Float32Array(Math.ceil(height / step));
  const seconds = new Float32Array(values.length);
  let most = 0;
  for (const band of scroll.attention) {
    const b = Math.floor(band.y / step);
    if (b >= values.length) continue;
    values[b] = band.share;
    seconds[b] = band.visibleSeconds;
    most = Math.max(most, band.visibleSeconds);
  }
  return {type: 'attention', scroll, step, values, seconds, most, width};
}

/** Whether there is anything to draw. */
export function hasData(model) {
  switch (model.type) {
    case 'density': return model.map.total > 0;
    case 'difference': return model.a.pageviews > 0 && model.b.pageviews > 0 && (model.a.total > 0 || model.b.total > 0);
    case 'scroll': return model.scroll.pageviews > 0 && model.scroll.reachPx.length > 0;
    default: return model.most > 0;
  }
}

/** The grid and lookup table to draw under the state's palette and scale. */
export function colouring(model, state) {
  switch (model.type) {
    case 'density': {
      const m = model.map;
      // The ring needs room: with σ under 2 cells a hot core is a few px across, and a ring round it would hide it.
      const outline = m.sigma >= RING_MIN_SIGMA_CELLS * m.cellSize;
      return {grid: {columns: m.columns, rows: m.rows, cellSize: m.cellSize, indices: indices(m, state.scale), outline},
        lut: lut(state.palette)};
    }
    case 'difference': {
      const d = model.diff;
      return {grid: {columns: d.columns, rows: d.rows, cellSize: d.cellSize, indices: d.indices}, lut: lut('diverging')};
    }
    default:
      model.grid ??= bands(model.values, model.step, model.width);
      return {grid: model.grid, lut: lut(state.palette, {bands: true})};
  }
}

export function legend(model, state) {
  switch (model.type) {
    case 'density': return densityLegend(state.palette, model.map, state.scale, model.kind, state.sigma === 'auto');
    case 'difference': return differenceLegend(model.diff, model.kind, model.a, state.sigma === 'auto');
    case 'scroll': return scrollLegend(state.palette);
    default: return attentionLegend(state.palette, model.scroll.pageviews ? model.most / model.scroll.pageviews : 0);
  }
}

function nouns(kind) {
  return kind === 'move' ? ['move', 'moves'] : ['click', 'clicks'];
}

/** What the empty state says, or null when there is data. */
export function emptyNotice(model, deviceLabel, otherDevices) {
  if (hasData(model)) return null;
  const hint = otherDevices.length
    ? `${otherDevices.map((d) => `${d.label} has ${pluralize(d.pageviews, 'page view', 'page views')}`).join(', ')} in this range.`
    : 'Try a longer date range.';
  switch (model.type) {
    case 'density': return [`No ${nouns(model.kind)[1]} on ${deviceLabel} in this range`, hint];
    case 'difference': return ['Nothing to compare', 'One of the two ranges has no page views on this device.'];
    case 'scroll': return [`No page views on ${deviceLabel} in this range`, hint];
    default: return [`No attention data on ${deviceLabel} in this range`,
      'Time in view is counted when visitors stop scrolling for a moment.'];
  }
}

/**
 * Fold line and reach markers of the scroll map, in the frame's unscaled layer of lines: each at its layout y times
 * the frame's scale (the layer's data-scale; frame.js places them again when the zoom changes).
 */
export function drawMarks(layer, model) {
  layer.replaceChildren();
  if (model.type !== 'scroll' || !hasData(model)) return;
  const scale = Number(layer.dataset.scale || 1);
  const {reachPx, fold} = model.scroll;
  for (const p of [0.75, 0.5, 0.25]) {
    let y = null;
    for (const entry of reachPx) if (entry.share >= p) y = entry.y;
    if (y === null) continue;
    layer.append(mark('reach-mark', y, scale, `${Math.round(p * 100)} % reached`, `reach-${Math.round(p * 100)}`));
  }
  if (fold !== null && fold !== undefined) layer.append(mark('fold', fold, scale, `Average fold · ${count(fold)} px`, 'fold'));
}

function mark(className, y, scale, text, name) {
  const line = el('div', className);
  line.style.top = `${y * scale}px`;
  line.dataset.mark = name;
  line.dataset.y = String(y);
  const label = el('span', 'mark-label');
  label.textContent = text;
  line.append(label);
  return line;
}

/** Tooltip groups for layout px (x, y). */
export function tooltip(model, x, y, placed, state = {scale: 'linear'}) {
  const groups = [];
  switch (model.type) {
    case 'density': groups.push(densityLines(model, x, y, state)); break;
    case 'difference': groups.push(differenceLines(model, x, y)); break;
    case 'scroll': groups.push(scrollLines(model, y)); break;
    default: groups.push(attentionLines(model, y));
  }
  const element = placed && elementAt(placed, x, y);
  if (element) {
    // The element's own total, as the elements panel counts it; its label first, the selector as a second line.
    const lines = element.label ? [{text: element.label, strong: true}] : [];
    lines.push({code: element.selector});
    const flags = [element.rage ? `${count(element.rage)} rage` : '', element.dead ? `${count(element.dead)} dead` : ''].filter(Boolean);
    lines.push({text: [`${pluralize(element.clicks, 'click', 'clicks')} on this element`, ...flags].join(' · '), data: 'element-clicks'});
    groups.push(lines);
  }
  return groups;
}

function cell(m, x, y) {
  const c = Math.floor(x / m.cellSize);
  const r = Math.floor(y / m.cellSize);
  return c < m.columns && r < m.rows ? r * m.columns + c : -1;
}

/** Whether the pointer's cell or one beside it is coloured: the drawn colour is interpolated between them. */
function visibleAt(m, x, y, state) {
  const idx = indices(m, state.scale || 'linear');
  const c = Math.floor(x / m.cellSize);
  const r = Math.floor(y / m.cellSize);
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const cc = c + dc;
      const rr = r + dr;
      if (cc >= 0 && rr >= 0 && cc < m.columns && rr < m.rows && idx[rr * m.columns + cc] > 0) return true;
    }
  }
  return false;
}

function densityLines(model, x, y, state) {
  const m = model.map;
  const [one, many] = nouns(model.kind);
  const near = clicksNear(m, x, y, visibleAt(m, x, y, state));
  return [
    {text: `${pluralize(near.clicks, one, many)} within ${count(near.radiusPx)} px`, strong: true, data: 'near'},
    {text: `${percent(near.share)} of all ${count(m.total)} ${many} on the page`, muted: true, data: 'share'},
  ];
}

function differenceLines(model, x, y) {
  const {a, b} = model;
  const [, many] = nouns(model.kind);
  // Both at A's radius (render.js asks B for it), so "near" means the same in both.
  const perThousand = (m) => (m.pageviews ? clicksNear(m, x, y).clicks / m.pageviews * 1000 : 0);
  const va = perThousand(a);
  const vb = perThousand(b);
  const d = va - vb;
  const radius = count(2 * a.sigma);
  return [
    {text: `${d > 0 ? '+' : d < 0 ? '−' : ''}${quantity(Math.abs(d))} ${many} per 1,000 page views within ${radius} px`, strong: true},
    {text: `A: ${quantity(va)} · B: ${quantity(vb)} per 1,000 page views`, muted: true},
  ];
}

function scrollLines(model, y) {
  const b = Math.floor(y / model.step);
  const entry = model.scroll.reachPx[b];
  const share = entry ? entry.share : 0;
  return [
    {text: `${percent(share)} of visitors reached this point`, strong: true},
    {text: `${count(Math.round(y))} px from the top`, muted: true},
  ];
}

function attentionLines(model, y) {
  const b = Math.floor(y / model.step);
  const views = model.scroll.pageviews;
  const seconds = b < model.seconds.length && views ? model.seconds[b] / views : 0;
  return [
    {text: `${quantity(seconds)} s in view per visitor`, strong: true},
    {text: `${percent(b < model.values.length ? model.values[b] : 0)} of the most-seen part · ${count(Math.round(y))} px from the top`, muted: true},
  ];
}
