// The colour bar with ticks in real units: what a colour means on this page.

import {el} from './dom.js';
import {amount, percent} from './format.js';
import {lut} from './palettes.js';
import {densityAt} from './scales.js';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** A legend for {palette, title, ticks: [{at 0..1, label, sub}]}. */
function legend(palette, title, ticks) {
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
  return root;
}

export function densityLegend(palette, map, scale, kind) {
  const noun = kind === 'move' ? 'Moves' : 'Clicks';
  const title = `${noun} per ${map.cellSize} × ${map.cellSize} px cell · % of all ${noun.toLowerCase()}`;
  return legend(palette, title, TICKS.map((t) => {
    const d = densityAt(map, scale, t);
    const capped = scale === 'capped' && t === 1 && map.p99 < map.max;
    return {at: t, label: (capped ? '≥ ' : '') + amount(d), sub: map.total > 0 ? percent(d / map.total) : ''};
  }));
}

export function differenceLegend(diff, kind) {
  const perThousand = diff.limit * 1000;
  const noun = kind === 'move' ? 'Moves' : 'Clicks';
  return legend('diverging', `${noun} per 1,000 page views per ${diff.cellSize} × ${diff.cellSize} px cell, A − B`,
    [0, 0.25, 0.5, 0.75, 1].map((t) => {
      const v = (t * 2 - 1) * perThousand;
      return {at: t, label: (v > 0 ? '+' : v < 0 ? '−' : '') + amount(Math.abs(v)), sub: t === 0 ? 'fewer' : t === 1 ? 'more' : ''};
    }));
}

export function scrollLegend(palette) {
  return legend(palette, '% of visitors who reached this depth',
    TICKS.map((t) => ({at: t, label: `${Math.round(t * 100)} %`})));
}

export function attentionLegend(palette, maxSecondsPerVisitor) {
  return legend(palette, 'Seconds in view per visitor',
    TICKS.map((t) => ({at: t, label: `${amount(t * maxSecondsPerVisitor)} s`})));
}

export function emptyLegend(text) {
  const p = el('p', 'note');
  p.textContent = text;
  return p;
}
