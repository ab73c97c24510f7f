// heatmap-bin.js against the format of docs/API.md: uint32 N, N bytes of JSON, padding to 4, float32 values, int32
// counts, all little-endian.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {parseHeatmap} from '../../main/resources/io/isotherm/dashboard/web/ui/heatmap-bin.js';

/** Writes heatmap.bin as the server does, with DataView so the byte order is explicit. */
function encode(header, values, counts) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((4 + json.length) / 4) * 4;
  const buffer = new ArrayBuffer(start + values.length * 8);
  const view = new DataView(buffer);
  view.setUint32(0, json.length, true);
  new Uint8Array(buffer, 4).set(json);
  values.forEach((v, i) => view.setFloat32(start + i * 4, v, true));
  counts.forEach((c, i) => view.setInt32(start + (values.length + i) * 4, c, true));
  return buffer;
}

const HEADER = {cellSize: 8, columns: 3, rows: 2, layoutWidth: 24, layoutHeight: 16, sigma: 16, max: 7.5, p99: 6,
  total: 21, pageviews: 4};

test('the header\'s fields, the values and the counts come back as written', () => {
  const values = [0, 0.25, 0.5, 0.75, 1, 0.125];
  const counts = [0, 1, 2, 3, 15, -1];
  const map = parseHeatmap(encode(HEADER, values, counts));
  for (const [k, v] of Object.entries(HEADER)) assert.equal(map[k], v, k);
  assert.ok(map.values instanceof Float32Array);
  assert.ok(map.counts instanceof Int32Array);
  assert.deepEqual([...map.values], values);
  assert.deepEqual([...map.counts], counts);
});

test('the grid starts at the next multiple of 4 after the header, whatever its length', () => {
  for (const name of ['', 'a', 'ab', 'abc']) { // four header lengths, four paddings
    const map = parseHeatmap(encode({...HEADER, columns: 1, rows: 1, name}, [0.5], [42]));
    assert.equal(map.name, name);
    assert.deepEqual([...map.values], [0.5]);
    assert.deepEqual([...map.counts], [42]);
  }
});

test('a header with characters outside ASCII is read as UTF-8', () => {
  const map = parseHeatmap(encode({...HEADER, columns: 1, rows: 1, page: 'https://shop.example/café'}, [1], [1]));
  assert.equal(map.page, 'https://shop.example/café');
  assert.deepEqual([...map.counts], [1]);
});

test('an empty grid parses to empty arrays', () => {
  const map = parseHeatmap(encode({...HEADER, columns: 0, rows: 0}, [], []));
  assert.equal(map.values.length, 0);
  assert.equal(map.counts.length, 0);
});

test('a truncated answer is refused', () => {
  const whole = encode(HEADER, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
  assert.throws(() => parseHeatmap(whole.slice(0, whole.byteLength - 4)), {message: 'The heatmap answer is truncated.'});
});
