// export.js: the Export menu's links carry the view's parameters to GET …/export.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {exportUrl} from '../../main/resources/io/isotherm/dashboard/web/ui/export.js';

const STATE = {page: 'https://shop.example/a?b=1&c', map: 'scroll', device: 'mobile', preset: '7d', from: '', to: '',
  palette: 'magma', scale: 'log', sigma: 'auto'};

test('an export link carries the page, map, device, range, palette and scale of the view (Auto radius: no sigma)', () => {
  const url = new URL(exportUrl('k 1', STATE, '2025-03-12', 'png'), 'http://x');
  assert.equal(url.pathname, '/api/sites/k%201/export');
  assert.deepEqual(Object.fromEntries(url.searchParams), {page: 'https://shop.example/a?b=1&c', map: 'scroll', device: 'mobile',
    from: '2025-03-06', to: '2025-03-12', palette: 'magma', scale: 'log', format: 'png'});
});

test('a CSV link names its table; a custom range and a smoothing radius go along', () => {
  const state = {...STATE, preset: 'custom', from: '2025-01-01', to: '2025-01-31', sigma: '12'};
  const q = new URL(exportUrl('k', state, '2025-03-12', 'csv', 'hours'), 'http://x').searchParams;
  assert.equal(q.get('format'), 'csv');
  assert.equal(q.get('table'), 'hours');
  assert.equal(q.get('from'), '2025-01-01');
  assert.equal(q.get('to'), '2025-01-31');
  assert.equal(q.get('sigma'), '12');
});

test('an export of a filtered view asks for the same visitors', () => {
  const state = {...STATE, segment: {variant: 'B', utm_campaign: ''}};
  const q = new URL(exportUrl('k', state, '2025-03-12', 'csv', 'elements'), 'http://x').searchParams;
  assert.equal(q.get('variant'), 'B');
  assert.equal(q.get('utm_campaign'), '', '"none" is a value too');
});
