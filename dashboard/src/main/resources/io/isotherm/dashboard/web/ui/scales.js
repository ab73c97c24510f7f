// From report numbers to palette indices (0..255), at grid resolution. Each result is kept on its grid, so
// switching scale or palette afterwards costs one pass over the cells at most, and no request.

import {spotClicks} from './reach.js';

export const SCALES = [
  {id: 'linear', label: 'Linear', hint: 'Colour in proportion to the density'},
  {id: 'log', label: 'Log', hint: 'Bring out faint areas: log(1 + n) / log(1 + most), n in clicks in one spot'},
  {id: 'capped', label: 'Capped', hint: 'Cap at the 99th percentile so one spike does not wash everything out'},
];

/** A heatmap's values (smoothed density / max) as palette indices under a scale. */
export function indices(map, scale) {
  map.scaled ??= {};
  if (!map.scaled[scale]) map.scaled[scale] = normalise(map, scale);
  return map.scaled[scale];
}

function normalise(map, scale) {
  const v = map.values;
  const out = new Uint8Array(v.length);
  if (!(map.max > 0)) return out;
  if (scale === 'log') {
    const max = map.max * unit(map);
    const k = 255 / Math.log1p(max);
    for (let i = 0; i < v.length; i++) out[i] = Math.log1p(v[i] * max) * k + 0.5;
  } else if (scale === 'capped') {
    const k = 255 * (map.p99 > 0 ? map.max / map.p99 : 1);
    for (let i = 0; i < v.length; i++) {
      const x = v[i] * k + 0.5;
      out[i] = x > 255 ? 255 : x;
    }
  } else {
    for (let i = 0; i < v.length; i++) out[i] = v[i] * 255 + 0.5;
  }
  return out;
}

/**
 * The log scale counts in the legend's unit, clicks in one spot (reach.js), rather than events per cell: so it lifts
 * faint areas alike at any smoothing radius (a wide σ spreads a spot over many cells, each with a fraction of a click,
 * where log(1 + d) would be all but linear). A map without σ counts per cell.
 */
function unit(map) {
  return map.sigma ? spotClicks(map, 1) : 1;
}

/** The density (events per cell) at position t in 0..1 of the scale: the legend's tick values. */
export function densityAt(map, scale, t) {
  if (scale === 'log') return Math.expm1(t * Math.log1p(map.max * unit(map))) / unit(map);
  if (scale === 'capped') return t * (map.p99 > 0 ? map.p99 : map.max);
  return t * map.max;
}

/**
 * A − B in events per page view per cell, on one grid (the shorter padded with zeros), and its indices on a
 * symmetric diverging scale: −limit → 0, no change → 127 or 128, +limit → 255.
 */
export function difference(a, b) {
  const columns = Math.max(a.columns, b.columns);
  const rows = Math.max(a.rows, b.rows);
  const diff = new Float32Array(columns * rows);
  const ka = a.pageviews > 0 ? a.max / a.pageviews : 0;
  const kb = b.pageviews > 0 ? b.max / b.pageviews : 0;
  let limit = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const va = r < a.rows && c < a.columns ? a.values[r * a.columns + c] * ka : 0;
      const vb = r < b.rows && c < b.columns ? b.values[r * b.columns + c] * kb : 0;
      const d = va - vb;
      diff[r * columns + c] = d;
      if (Math.abs(d) > limit) limit = Math.abs(d);
    }
  }
  const out = new Uint8Array(diff.length).fill(128);
  if (limit > 0) {
    const k = 127.5 / limit;
    for (let i = 0; i < diff.length; i++) out[i] = diff[i] * k + 128;
  }
  return {columns, rows, cellSize: a.cellSize, diff, limit, indices: out};
}

/** Bands of `height` px from the top, one value 0..1 each: a one-column grid as wide as the page. */
export function bands(values, height, width) {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, values[i] * 255 + 0.5));
  return {columns: 1, rows: values.length, cellSize: height, width, indices: out};
}
