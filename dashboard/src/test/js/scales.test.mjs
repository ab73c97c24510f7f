// scales.js: from report numbers to palette indices 0..255.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {bands, densityAt, difference, indices} from '../../main/resources/io/isotherm/dashboard/web/ui/scales.js';

/** A heatmap as heatmap.bin gives it: values are smoothed density / max. */
function heatmap(values, {max = 10, p99 = 5, columns = values.length, rows = 1, pageviews = 1} = {}) {
  return {values: Float32Array.from(values), max, p99, columns, rows, cellSize: 8, pageviews};
}

test('linear maps 0 to 0, the maximum to 255 and half of it to the middle', () => {
  assert.deepEqual([...indices(heatmap([0, 0.5, 1]), 'linear')], [0, 128, 255]);
});

test('log spreads faint values: log(1 + d) / log(1 + max)', () => {
  const map = heatmap([0, 0.1, 1], {max: 10});
  const expected = Math.round(Math.log1p(1) / Math.log1p(10) * 255); // density 1 of 10: 73, where linear says 26
  assert.deepEqual([...indices(map, 'log')], [0, expected, 255]);
});

test('with a smoothing radius, log counts clicks in one spot, so a wide σ lifts faint areas as much as a narrow one', () => {
  // σ 48 px on 8 px cells: one click in a spot peaks at 1 / (2π·36) per cell; 40 clicks at 0.177 per cell.
  const unit = 2 * Math.PI * 36;
  const map = heatmap([0, 0.5, 1], {max: 40 / unit});
  map.sigma = 48;
  const half = Math.round(Math.log1p(20) / Math.log1p(40) * 255); // 211, where log(1 + d) per cell would give 133
  assert.deepEqual([...indices(map, 'log')], [0, half, 255]);
  assert.ok(Math.abs(densityAt(map, 'log', 1) - 40 / unit) < 1e-12);
  assert.ok(Math.abs(densityAt(map, 'log', Math.log1p(20) / Math.log1p(40)) - 20 / unit) < 1e-12);
});

test('capped reaches the top colour at the 99th percentile and stays there above it', () => {
  const map = heatmap([0.25, 0.5, 1], {max: 10, p99: 5}); // densities 2.5, 5, 10
  assert.deepEqual([...indices(map, 'capped')], [128, 255, 255]);
});

test('capped without a 99th percentile is linear', () => {
  assert.deepEqual([...indices(heatmap([0.5, 1], {p99: 0}), 'capped')], [128, 255]);
});

test('a heatmap without events is all zeros under every scale', () => {
  for (const scale of ['linear', 'log', 'capped']) {
    assert.deepEqual([...indices(heatmap([0, 0], {max: 0}), scale)], [0, 0], scale);
  }
});

test('each scale is computed once per heatmap: switching back costs nothing', () => {
  const map = heatmap([0.2, 0.4]);
  const first = indices(map, 'log');
  indices(map, 'linear');
  assert.equal(indices(map, 'log'), first);
});

test('the legend\'s densities are the inverse of each scale', () => {
  const map = heatmap([], {max: 10, p99: 4});
  assert.equal(densityAt(map, 'linear', 0.5), 5);
  assert.equal(densityAt(map, 'capped', 0.5), 2);
  assert.ok(Math.abs(densityAt(map, 'log', 1) - 10) < 1e-9);
  assert.equal(densityAt(map, 'log', 0), 0);
});

test('the difference is per page view, on a symmetric scale around 128', () => {
  // A: 2 page views, density 4 in cell 0; B: 1 page view, density 4 in cell 1. Per page view: A 2, B 4.
  const a = heatmap([1, 0], {max: 4, pageviews: 2});
  const b = heatmap([0, 1], {max: 4, pageviews: 1});
  const d = difference(a, b);
  assert.deepEqual([...d.diff], [2, -4]);
  assert.equal(d.limit, 4);
  assert.deepEqual([...d.indices], [191, 0]); // 2 · 127.5 / 4 + 128 = 191.75; −4 → 0.5
});

test('the difference pads the smaller grid with zeros and is 128 where nothing changed', () => {
  const a = heatmap([1, 1], {max: 1, columns: 2, rows: 1});
  const b = heatmap([1, 1, 0, 0], {max: 1, columns: 2, rows: 2});
  const d = difference(a, b);
  assert.equal(d.columns, 2);
  assert.equal(d.rows, 2);
  assert.deepEqual([...d.indices], [128, 128, 128, 128]);
  assert.equal(d.limit, 0);
});

test('bands are a one-column grid as wide as the page, clamped to 0..255', () => {
  const grid = bands(Float32Array.from([1, 0.5, 0, 2, -1]), 50, 1440);
  assert.equal(grid.columns, 1);
  assert.equal(grid.rows, 5);
  assert.equal(grid.cellSize, 50);
  assert.equal(grid.width, 1440);
  assert.deepEqual([...grid.indices], [255, 128, 0, 255, 0]);
});
