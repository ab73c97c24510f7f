// reach.js: the clicks the tooltip tells near the pointer, and the legend's unit.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {clicksNear, kernelReachPx, spotClicks} from '../../main/resources/io/isotherm/dashboard/web/ui/reach.js';

/** A 40 × 40 grid of 8 px cells at σ 16 px with the given {c, r, n} counts. */
function map(cells, sigma = 16) {
  const counts = new Int32Array(40 * 40);
  let total = 0;
  for (const {c, r, n} of cells) {
    counts[r * 40 + c] += n;
    total += n;
  }
  return {cellSize: 8, columns: 40, rows: 40, sigma, counts, total};
}

test('counts the cells whose centre is within 2σ of the pointer', () => {
  // Cell (10, 10) has its centre at (84, 84); (14, 10) at (116, 84): 32 px away, just within 2σ; (15, 10) is 40 px away.
  const m = map([{c: 10, r: 10, n: 5}, {c: 14, r: 10, n: 3}, {c: 15, r: 10, n: 100}]);
  const near = clicksNear(m, 84, 84);
  assert.equal(near.clicks, 8);
  assert.equal(near.radiusPx, 32);
  assert.equal(near.share, 8 / 108);
});

test('a disc, not a square: a diagonal cell 2σ away on each axis is out', () => {
  const m = map([{c: 14, r: 14, n: 7}]);
  assert.equal(clicksNear(m, 84, 84).clicks, 0);
});

test('where the 2σ disc is empty but the spot is visible, it counts up to the kernel\'s reach: never 0', () => {
  // 48 px away: beyond 2σ (32 px), within 4σ (64 px), so the smoothed colour reaches the pointer.
  const m = map([{c: 16, r: 10, n: 2}]);
  assert.equal(clicksNear(m, 84, 84, false).clicks, 0, 'nothing visible there: an honest 0');
  const near = clicksNear(m, 84, 84, true);
  assert.equal(near.clicks, 2);
  assert.equal(near.radiusPx, 64);
  assert.equal(kernelReachPx(m), 64);
});

test('the pointer at the grid\'s edge and a map without counts', () => {
  const m = map([{c: 0, r: 0, n: 4}]);
  assert.equal(clicksNear(m, 0, 0).clicks, 4);
  assert.equal(clicksNear({...m, counts: null}, 0, 0).clicks, 0);
});

test('one click in a spot peaks at 1 / (2π(σ/cell)²) per cell: the legend\'s unit turns that back into one click', () => {
  const m = map([], 24);
  const peak = 1 / (2 * Math.PI * 3 * 3);
  assert.ok(Math.abs(spotClicks(m, peak) - 1) < 1e-12);
  assert.ok(Math.abs(spotClicks(m, 40 * peak) - 40) < 1e-9);
});
