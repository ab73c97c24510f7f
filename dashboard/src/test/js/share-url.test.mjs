// share-url.js: what a share link is made of, its path and token, and the viewer state of a shared view.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {rangeLabel, sharedQuery, shareBody, sharePath, tokenOf}
  from '../../main/resources/io/isotherm/dashboard/web/ui/share-url.js';
import {readState} from '../../main/resources/io/isotherm/dashboard/web/ui/state.js';

const DEVICES = [
  {id: 'desktop', label: 'Desktop', layoutWidth: 1440},
  {id: 'tablet', label: 'Tablet', layoutWidth: 820},
  {id: 'mobile', label: 'Mobile', layoutWidth: 390},
];

test('a preset range is shared as the preset, so the link follows the days', () => {
  const state = readState('?site=k&page=https%3A%2F%2Fshop.example%2F&map=scroll&device=mobile&preset=7d&palette=magma', DEVICES);
  assert.deepEqual(shareBody(state, 30), {page: 'https://shop.example/', map: 'scroll', device: 'mobile', palette: 'magma',
    expiresInDays: 30, preset: '7d'});
});

test('a custom range is shared as its dates, and no expiry is null', () => {
  const state = readState('?site=k&page=https%3A%2F%2Fshop.example%2F&from=2025-01-01&to=2025-01-31', DEVICES);
  const body = shareBody(state, 0);
  assert.equal(body.from, '2025-01-01');
  assert.equal(body.to, '2025-01-31');
  assert.equal(body.preset, undefined);
  assert.equal(body.expiresInDays, null);
});

test('a smoothing radius in the state goes with the link; none leaves it to the server', () => {
  const state = readState('?page=p', DEVICES);
  assert.equal('sigma' in shareBody(state, null), false);
  assert.equal(shareBody({...state, sigma: '24'}, null).sigma, 24);
  assert.equal('sigma' in shareBody({...state, sigma: 'wide'}, null), false);
});

test('the token goes into the path and comes back out of it', () => {
  assert.equal(sharePath('isos_a-b_c'), '/share/isos_a-b_c');
  assert.equal(tokenOf('/share/isos_a-b_c'), 'isos_a-b_c');
  assert.equal(tokenOf('/share/isos_a-b_c/'), 'isos_a-b_c');
  assert.equal(tokenOf('/share/isos_a/view'), '');
  assert.equal(tokenOf('/view'), '');
  assert.equal(tokenOf('/share/'), '');
});

test('a shared view is a custom range of the viewer, on its device and palette', () => {
  const view = {page: 'https://shop.example/pricing', map: 'move', device: {id: 'tablet', label: 'Tablet', layoutWidth: 820},
    preset: '30d', from: '2025-02-11', to: '2025-03-12', palette: 'inferno', sigma: 12};
  const state = readState(sharedQuery(view), DEVICES);
  assert.equal(state.page, 'https://shop.example/pricing');
  assert.equal(state.map, 'move');
  assert.equal(state.device, 'tablet');
  assert.equal(state.preset, 'custom');
  assert.equal(state.from, '2025-02-11');
  assert.equal(state.to, '2025-03-12');
  assert.equal(state.palette, 'inferno');
  assert.match(sharedQuery(view), /sigma=12/);
  assert.doesNotMatch(sharedQuery({...view, sigma: null}), /sigma/);
});

test('a link says its range as a person reads it', () => {
  assert.equal(rangeLabel({preset: '30d'}), 'Last 30 days (rolling)');
  assert.equal(rangeLabel({preset: null, from: '2025-01-01', to: '2025-01-31'}), '2025-01-01 – 2025-01-31');
});
