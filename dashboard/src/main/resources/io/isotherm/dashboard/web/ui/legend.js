// The colour bar with ticks in words a person uses: clicks (or moves) in one spot and their share of all of them,
// page-view shares for scroll, seconds for attention; never a density per grid cell.

import {el} from './dom.js';
import {count, percent, quantity} from './format.js';
import {lut} from './palettes.js';
import {REACH_SIGMAS, spotClicks} from './reach.js';
import {densityAt} from './scales.js';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** A legend for {palette, title, ticks: [{at 0..1, label, sub}]}, and a note under it. */
function legend(palette, title, ticks, note) {
  const root = document.createDocumentFragment();
  const heading = el('div', 'legend-title');
  heading.textContent = title;
  const bar = el('canvas', 'legend-bar');
  bar.width = 256;
  bar.height = 1;
  bar.setAttribute('role', 'img');
  bar.setAttribute('aria-label', `Colour scale: ${title}`);
  const image = new ImageData(256, 1);
  new Uint32Array(image.data.buffer).set(lut(palette).packed.subarray(0, 256));
  bar.getContext('2d').putImageData(image, 0, 0);
  const marks = el('div', 'legend-ticks');
  for (const tick of ticks) {
    const span = el('span');
    span.style.left = `${tick.at * 100}%`;
    span.textContent = tick.label;
    if (tick.sub) {
      const small = el('small');
      small.textContent = tick.sub;
      span.append(small);
    }
    marks.append(span);
  }
  root.append(heading, bar, marks);
  if (note) {
    const p = el('p', 'legend-note');
    p.textContent = note;
    root.append(p);
  }
  return root;
}

/**
 * A colour's clicks are those that, gathered in one spot, give it at the spot's centre: the tooltip then counts about
 * as many within 2σ of it. Ticks are whole clicks from 10 up.
 */
export function densityLegend(palette, map, scale, kind, auto) {
  const noun = kind === 'move' ? 'moves' : 'clicks';
  const title = `${noun[0].toUpperCase()}${noun.slice(1)} in one spot · share of all ${count(map.total)} ${noun}`;
  return legend(palette, title, TICKS.map((t) => {
    const n = spotClicks(map, densityAt(map, scale, t));
    const capped = scale === 'capped' && t === 1 && map.p99 < map.max;
    return {at: t, label: (capped ? '≥ ' : '') + quantity(n), sub: map.total > 0 ? percent(n / map.total) : ''};
  }), smoothingNote(map, auto, kind));
}

/** What the smoothing radius is, and whether it was chosen from the data. */
export function smoothingNote(map, auto, kind) {
  return `Smoothing radius ${count(map.sigma)} px${auto ? ' (auto, from the amount of data)' : ''}: `
    + `each ${kind === 'move' ? 'move' : 'click'} is spread over about ${count(REACH_SIGMAS * map.sigma)} px around it.`;
}

/** map: A's heatmap, whose radius B was smoothed at too. */
export function differenceLegend(diff, kind, map, auto) {
  const perThousand = spotClicks(map, diff.limit) * 1000;
  const noun = kind === 'move' ? 'Moves' : 'Clicks';
  return legend('diverging', `${noun} per 1,000 page views in one spot, A − B`,
    [0, 0.25, 0.5, 0.75, 1].map((t) => {
      const v = (t * 2 - 1) * perThousand;
      return {at: t, label: (v > 0 ? '+' : v < 0 ? '−' : '') + quantity(Math.abs(v)), sub: t === 0 ? 'fewer' : t === 1 ? 'more' : ''};
    }), smoothingNote(map, auto, kind));
}

export function scrollLegend(palette) {
  return legend(palette, '% of visitors who reached this depth',
    TICKS.map((t) => ({at: t, label: `${Math.round(t * 100)} %`})));
}

export function attentionLegend(palette, maxSecondsPerVisitor) {
  return legend(palette, 'Seconds in view per visitor',
    TICKS.map((t) => ({at: t, label: `${quantity(t * maxSecondsPerVisitor)} s`})));
}

export function emptyLegend(text) {
  const p = el('p', 'note');
  p.textContent = text;
  return p;
}
