// palettes.js: 256-entry lookup tables, their packed pixels and the legends' gradients.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {colourAt, gradientCss, lut, PALETTES, topColour} from '../../main/resources/io/isotherm/dashboard/web/ui/palettes.js';

test('viridis runs from its first control point, transparent, to its last, opaque', () => {
  assert.deepEqual(colourAt('viridis', 0), [0x44, 0x01, 0x54, 0]);
  assert.deepEqual(topColour('viridis'), [0xfd, 0xe7, 0x25, 255]);
});

test('the low end fades in over the first 12 % of the scale, then stays opaque', () => {
  const alpha = (i) => colourAt('inferno', i)[3];
  assert.equal(alpha(0), 0);
  assert.ok(alpha(15) > 100 && alpha(15) < 140, `alpha at 15: ${alpha(15)}`); // 15/255 of 0.12: half way
  assert.equal(alpha(31), 255);
  assert.equal(alpha(200), 255);
});

test('every palette the controls offer has a full table', () => {
  for (const {id} of PALETTES) {
    const {packed, rgba} = lut(id);
    assert.equal(packed.length, 256, id);
    assert.equal(rgba.length, 1024, id);
  }
});

test('packed entries are the RGBA bytes as ImageData reads them on this machine', () => {
  const {packed, rgba} = lut('magma');
  assert.deepEqual(new Uint8Array(packed.buffer), new Uint8Array(rgba.buffer));
});

test('an unknown palette falls back to viridis', () => {
  assert.deepEqual(topColour('no-such-palette'), topColour('viridis'));
});

test('classic heat is red at the top and transparent blue at the bottom', () => {
  assert.deepEqual(topColour('heat'), [255, 0, 0, 255]);
  assert.deepEqual(colourAt('heat', 0), [0, 0, 255, 0]);
});

test('the diverging table is transparent at no change and opaque blue and red at the ends', () => {
  assert.equal(colourAt('diverging', 127)[3], 0);
  assert.equal(colourAt('diverging', 128)[3], 0);
  assert.deepEqual(colourAt('diverging', 0), [0x21, 0x66, 0xac, 255]);
  assert.deepEqual(colourAt('diverging', 255), [0xb2, 0x18, 0x2b, 255]);
});

test('tables are built once', () => {
  assert.equal(lut('blues'), lut('blues'));
});

test('the legend gradient has 16 stops from the bottom to the top of the table', () => {
  const css = gradientCss('viridis');
  assert.match(css, /^linear-gradient\(90deg, rgba\(68, 1, 84, 0\.00\) 0\.0%, .* rgba\(253, 231, 37, 1\.00\) 100\.0%\)$/);
  assert.equal(css.split('%').length - 1, 16);
});
