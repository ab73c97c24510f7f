// elements.js: the report's elements placed on the shown capture, with their labels.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {elementName, placedElements} from '../../main/resources/io/isotherm/dashboard/web/ui/elements.js';

const report = {
  clicks: 6,
  elements: [
    {selector: '#buy', label: 'Buy now', clicks: 3, share: 0.5, rage: 0, dead: 0, box: {x: 600, y: 1000, width: 240, height: 48}},
    {selector: '#menu', label: null, clicks: 2, share: 1 / 3, rage: 1, dead: 0, box: {x: 1200, y: 20, width: 120, height: 40}},
    {selector: 'main>p', label: null, clicks: 1, share: 1 / 6, rage: 0, dead: 1, box: null},
  ],
};

test('the shown capture gives each element its box and label; the report (current layout) is the fallback', () => {
  const older = [
    {selector: '#buy', x: 500, y: 900, width: 200, height: 40, label: 'Buy Pro'},
    {selector: '#menu', x: 1100, y: 10, width: 100, height: 30, label: 'Menu'},
  ];
  const placed = placedElements(report, older);
  assert.deepEqual(placed.map((e) => e.label), ['Buy Pro', 'Menu', null]);
  assert.deepEqual(placed[0].box, {x: 500, y: 900, width: 200, height: 40});
  assert.equal(placed[2].box, null);
  assert.equal(placed[0].clicks, 3);
});

test('a capture without a label for an element keeps the report\'s; without the capture, the report\'s labels', () => {
  const unlabelled = [{selector: '#buy', x: 600, y: 1000, width: 240, height: 48, label: null}];
  assert.deepEqual(placedElements(report, unlabelled).map((e) => e.label), ['Buy now', null, null]);
  assert.deepEqual(placedElements(report, null).map((e) => e.label), ['Buy now', null, null]);
  assert.deepEqual(placedElements({elements: [{selector: '#x', clicks: 1, box: null}]}, []).map((e) => e.label), [null]);
});

test('an element is named by its label, else its selector', () => {
  const [buy, menu] = placedElements(report, []);
  assert.equal(elementName(buy), 'Buy now');
  assert.equal(elementName(menu), '#menu');
});
