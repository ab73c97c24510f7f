// heatmap-bin.js against heatmap.packed as docs/API.md describes it: uint32 N, N bytes of JSON, then the values and
// the counts as runs of varints. The first fixture is the one HeatmapPackedTest pins the Java encoder's output to.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {parseHeatmap} from '../../main/resources/io/isotherm/dashboard/web/ui/heatmap-bin.js';

const hex = (s) => Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16)).buffer;
const utf8Hex = (s) => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');

function varints(...numbers) {
  const out = [];
  for (let n of numbers) {
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
  }
  return out;
}

const zigzag = (d) => (d < 0 ? -2 * d - 1 : 2 * d);

/** heatmap.packed from steps (√v · 65535, whole) and counts, written straight from the documentation. */
function pack(header, steps, counts) {
  const json = new TextEncoder().encode(JSON.stringify({packing: 1, ...header}));
  const body = [];
  for (const [cells, item] of [[steps, 'step'], [counts, 'count']]) {
    let i = 0;
    while (i < cells.length) {
      let z = i;
      while (z < cells.length && cells[z] === 0) z++;
      let e = z;
      while (e < cells.length && cells[e] !== 0) e++;
      body.push(...varints(z - i, e - z));
      let previous = 0;
      for (let k = z; k < e; k++) {
        body.push(...varints(item === 'step' ? zigzag(cells[k] - previous) : cells[k]));
        previous = cells[k];
      }
      i = e;
    }
  }
  const out = new Uint8Array(4 + json.length + body.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(body, 4 + json.length);
  return out.buffer;
}

const value = (step) => Math.fround((step / 65535) ** 2);

const HEADER = {cellSize: 8, columns: 3, rows: 2, layoutWidth: 24, layoutHeight: 16, sigma: 16, max: 7.5, p99: 6,
  total: 21, pageviews: 4};

test('the bytes the Java encoder writes for a small grid decode to its values and counts', () => {
  const header = '{"cellSize":8,"columns":3,"rows":2,"packing":1}';
  const map = parseHeatmap(hex('2f000000' + utf8Hex(header) + '0102808004feff0302019e0a' + '010201ac020300'));
  assert.equal(map.cellSize, 8);
  assert.equal(map.packing, undefined);
  assert.ok(map.values instanceof Float32Array);
  assert.ok(map.counts instanceof Int32Array);
  assert.deepEqual([...map.values], [0, value(32768), 1, 0, 0, value(655)]);
  assert.ok(Math.abs(map.values[1] - 0.25) < 1e-5 && Math.abs(map.values[5] - 0.0001) < 1e-6);
  assert.deepEqual([...map.counts], [0, 1, 300, 0, 0, 0]);
});

test('the header\'s fields, the values and the counts come back as written', () => {
  const steps = [0, 65535, 1, 40000, 39000, 0];
  const counts = [0, 7, 2 ** 31 - 1, 1, 128, 0];
  const map = parseHeatmap(pack(HEADER, steps, counts));
  for (const [k, v] of Object.entries(HEADER)) assert.equal(map[k], v, k);
  assert.deepEqual([...map.values], steps.map(value));
  assert.equal(map.values[1], 1);
  assert.ok(Object.is(map.values[0], 0) && Object.is(map.values[5], 0), 'empty cells are exactly 0, never −0');
  assert.deepEqual([...map.counts], counts);
});

test('a header with characters outside ASCII is read as UTF-8', () => {
  const map = parseHeatmap(pack({...HEADER, columns: 1, rows: 1, page: 'https://shop.example/café'}, [65535], [1]));
  assert.equal(map.page, 'https://shop.example/café');
  assert.deepEqual([...map.counts], [1]);
});

test('an empty grid and an all-zero grid parse to arrays of zeros', () => {
  assert.equal(parseHeatmap(pack({...HEADER, columns: 0, rows: 0}, [], [])).values.length, 0);
  const zeros = parseHeatmap(pack(HEADER, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]));
  assert.deepEqual([...zeros.values], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...zeros.counts], [0, 0, 0, 0, 0, 0]);
});

test('a truncated answer is refused', () => {
  const whole = pack(HEADER, [0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]);
  for (const cut of [1, 3, whole.byteLength - 20]) {
    assert.throws(() => parseHeatmap(whole.slice(0, whole.byteLength - cut)), {message: 'The heatmap answer is truncated.'});
  }
});

test('runs past the grid\'s end are refused', () => {
  const json = new TextEncoder().encode(JSON.stringify({...HEADER, packing: 1}));
  const out = new Uint8Array([0, 0, 0, 0, ...json, ...varints(5, 2, 0, 0)]);
  new DataView(out.buffer).setUint32(0, json.length, true);
  assert.throws(() => parseHeatmap(out.buffer), {message: 'The heatmap answer is malformed.'});
});

test('another packing, or heatmap.bin\'s float32 layout, is refused rather than misread', () => {
  assert.throws(() => parseHeatmap(pack({...HEADER, packing: 2}, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])), /packed in an unknown way/);
  const json = new TextEncoder().encode(JSON.stringify(HEADER));
  const start = Math.ceil((4 + json.length) / 4) * 4;
  const bin = new Uint8Array(start + 6 * 8);
  new DataView(bin.buffer).setUint32(0, json.length, true);
  bin.set(json, 4);
  assert.throws(() => parseHeatmap(bin.buffer), /packed in an unknown way/);
});
