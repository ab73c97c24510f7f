// zoom.js: the scale of a zoom, the steps in and out, and how a frame follows another's scroll.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {fitScale, followScroll, scaleOf, stepZoom, ZOOMS}
  from '../../main/resources/io/isotherm/dashboard/web/ui/zoom.js';

test('fit scales a wide page down to the room there is, and never blows a narrow one up', () => {
  assert.equal(fitScale(1440, 1104), 1104 / 1440);
  assert.equal(fitScale(390, 1104), 1);
  assert.equal(fitScale(1440, 1440), 1);
  // Before there is a page or a pane: true scale.
  assert.equal(fitScale(0, 800), 1);
  assert.equal(fitScale(1440, 0), 1);
});

test('a step is its percentage whatever the room', () => {
  assert.equal(scaleOf('50', 1440, 500), 0.5);
  assert.equal(scaleOf('200', 390, 5000), 2);
  assert.equal(scaleOf('fit', 1440, 720), 0.5);
});

test('the zoom choices are "fit" then 25 to 200 % with 100 % among them', () => {
  assert.deepEqual(ZOOMS.map((z) => z.id), ['fit', '25', '50', '75', '100', '125', '150', '200']);
  assert.equal(ZOOMS.find((z) => z.id === '100').label, '100 %');
});

test('stepping goes to the next step beyond the scale shown, from "fit" too, and stops at the ends', () => {
  assert.equal(stepZoom('fit', 0.79, 1), '100');
  assert.equal(stepZoom('fit', 0.79, -1), '75');
  assert.equal(stepZoom('fit', 0.75, -1), '50');
  assert.equal(stepZoom('fit', 0.2, -1), 'fit');
  assert.equal(stepZoom('fit', 0.2, 1), '25');
  assert.equal(stepZoom('100', 1, 1), '125');
  assert.equal(stepZoom('200', 2, 1), '200');
  assert.equal(stepZoom('25', 0.25, -1), '25');
  // A scale a float's breadth off a step is that step.
  assert.equal(stepZoom('fit', 0.7500000001, 1), '100');
});

test('a frame follows another at the same share of its own scroll range', () => {
  assert.equal(followScroll(700, 1200, 1200), 700);
  assert.equal(followScroll(600, 1200, 300), 150);
  assert.equal(followScroll(1200, 1200, 4000), 4000);
  // One that cannot scroll leads nowhere and follows nothing.
  assert.equal(followScroll(300, 0, 800), 0);
  assert.equal(followScroll(300, 800, 0), 0);
});
