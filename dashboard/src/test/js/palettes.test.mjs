// palettes.js: 256-entry lookup tables, their packed pixels and the legends' gradients.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {alphaAt, colourAt, gradientCss, lut, OUTLINE_INDEX, PALETTES, topColour} from '../../main/resources/io/isotherm/dashboard/web/ui/palettes.js';

test('viridis runs from its first control point, transparent, to its last, opaque', () => {
  assert.deepEqual(colourAt('viridis', 0), [0x44, 0x01, 0x54, 0]);
  assert.deepEqual(topColour('viridis'), [0xfd, 0xe7, 0x25, 255]);
});

// Changed with issue 14: alpha follows √t over half the scale (it used to be opaque from 12 % up), so faint outskirts
// stay faint on any page and nothing at all is drawn at zero.
test('transparency follows the intensity: min(1, 1.4·√t), transparent at zero, opaque from the half maximum', () => {
  const alpha = (i) => colourAt('inferno', i)[3];
  assert.equal(alpha(0), 0);
  assert.equal(alpha(1), Math.round(1.4 * Math.sqrt(1 / 255) * 255)); // 22: a trace, not a wash
  assert.equal(alpha(64), Math.round(1.4 * Math.sqrt(64 / 255) * 255));
  assert.ok(alpha(64) > alpha(16) && alpha(16) > alpha(4), 'grows with the intensity');
  assert.equal(alpha(131), 255);
  assert.equal(alpha(255), 255);
  assert.equal(alphaAt(0.25), 0.7);
});

test('the scroll and attention bands are capped at 30 % so they never wash the page out', () => {
  const bands = lut('viridis', {bands: true});
  for (let i = 0; i < 256; i++) assert.ok(bands.rgba[i * 4 + 3] <= Math.round(0.3 * 255), `index ${i}`);
  assert.equal(bands.rgba[255 * 4 + 3], Math.round(0.3 * 255));
  assert.deepEqual([...bands.rgba.slice(255 * 4, 255 * 4 + 3)], topColour('viridis').slice(0, 3));
  assert.notEqual(bands, lut('viridis'));
});

test('the outline entry is the far end of the palette, opaque: dark around a light core, light around a dark one', () => {
  const outline = (id) => [...lut(id).rgba.slice(OUTLINE_INDEX * 4, OUTLINE_INDEX * 4 + 4)];
  assert.deepEqual(outline('viridis'), [0x44, 0x01, 0x54, 255]);
  assert.deepEqual(outline('ylorrd'), [0xff, 0xff, 0xcc, 255]);
  assert.equal(lut('viridis').outline, true);
  assert.equal(lut('diverging').outline, false, 'both ends of a difference are hot: no ring');
  assert.equal(lut('viridis', {bands: true}).outline, false);
});

test('every palette the controls offer has a full table and its outline entry', () => {
  for (const {id} of PALETTES) {
    const {packed, rgba} = lut(id);
    assert.equal(packed.length, 257, id);
    assert.equal(rgba.length, 1028, id);
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
