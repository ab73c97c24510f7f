// choropleth.js: the projection, the map ids, the antimeridian and the colour of a value.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {colourOf, HEIGHT, mapId, NO_DATA, paletteIndex, pathOf, project, WIDTH} from '../../main/resources/io/isotherm/dashboard/web/ui/choropleth.js';
import {colourAt} from '../../main/resources/io/isotherm/dashboard/web/ui/palettes.js';

/** The subpaths of a path as lists of [x, y]. */
function subpaths(d) {
  return d.split('Z').filter(Boolean).map((s) => s.slice(1).split(/[LM]/).map((p) => p.split(',').map(Number)));
}

test('the map ids are three digits, as world-atlas writes ISO numeric codes', () => {
  assert.equal(mapId(76), '076');
  assert.equal(mapId(250), '250');
  assert.equal(mapId(4), '004');
});

test('the projection puts the antimeridian at the edges and the equator where the frame says', () => {
  assert.deepEqual(project([-180, 84]), [0, 0]);
  assert.equal(project([180, 0])[0], WIDTH);
  assert.ok(Math.abs(project([0, -57])[1] - HEIGHT) < 1);
});

test('a ring across the antimeridian is drawn twice, continuous, never as a line across the world', () => {
  // Like Chukotka: from 170° E over 180° to 170° W and back.
  const ring = [[170, 65], [179, 66], [-179, 66], [-170, 65], [-179, 64], [179, 64], [170, 65]];
  const parts = subpaths(pathOf({type: 'Polygon', coordinates: [ring]}));
  assert.equal(parts.length, 2);
  for (const part of parts) {
    for (let i = 1; i < part.length; i++) assert.ok(Math.abs(part[i][0] - part[i - 1][0]) < WIDTH / 2, `a jump in ${part}`);
  }
  // One copy reaches past the east edge, the other past the west edge.
  assert.ok(Math.max(...parts[0].map(([x]) => x)) > WIDTH);
  assert.ok(Math.min(...parts[1].map(([x]) => x)) < 0);
});

test('a ring that stays inside the map is drawn once; a MultiPolygon once per ring', () => {
  const square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
  assert.equal(subpaths(pathOf({type: 'Polygon', coordinates: [square]})).length, 1);
  assert.equal(subpaths(pathOf({type: 'MultiPolygon', coordinates: [[square], [square]]})).length, 2);
});

test('a value takes the viridis entry of its share of the maximum, opaque; no data is a grey of no palette entry', () => {
  assert.equal(paletteIndex(0, 5), 0);
  assert.equal(paletteIndex(5, 5), 255);
  assert.equal(paletteIndex(2, 3), 170);
  const [r, g, b] = colourAt('viridis', 170);
  assert.equal(colourOf(2, 3), `rgb(${r}, ${g}, ${b})`);
  const entries = Array.from({length: 256}, (_, i) => colourOf(i, 255));
  assert.ok(!entries.includes(NO_DATA));
});
