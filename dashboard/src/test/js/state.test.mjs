// state.js: the viewer's state from and to the query string, against the device classes it is given.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {comparison, isDensity, labelOf, previousPeriod, rangeOf, readState, segmentText, sigmaOf, SIGMAS, toQuery}
  from '../../main/resources/io/isotherm/dashboard/web/ui/state.js';

/** As GET /api/platform lists them, through devices.js. */
const DEVICES = [
  {id: 'desktop', label: 'Desktop', layoutWidth: 1440},
  {id: 'tablet', label: 'Tablet', layoutWidth: 820},
  {id: 'mobile', label: 'Mobile', layoutWidth: 390},
];

test('an empty query string is the default state', () => {
  assert.deepEqual(readState('', DEVICES), {
    site: '', page: '', group: '', map: 'click', device: 'desktop', preset: '30d', from: '', to: '', palette: 'viridis',
    scale: 'linear', sigma: 'auto', opacity: 85, cmp: '', cfrom: '', cto: '', cdevice: 'tablet', cmode: 'side', capture: '',
    dead: false, rage: false, zoom: 'fit', cseg: '', segment: {},
  });
  assert.equal(toQuery(readState('', DEVICES), DEVICES), '?');
});

test('a state read from its own query string comes back the same, and so does the query string', () => {
  const queries = [
    '?site=k3x&page=https%3A%2F%2Fshop.example%2F&map=move&device=mobile&preset=7d&palette=inferno&scale=log&opacity=40',
    '?site=k3x&page=%2Fpricing&from=2025-01-01&to=2025-01-31&cmp=range&cfrom=2024-12-01&cto=2024-12-31&cmode=diff',
    '?site=k3x&page=%2F&device=tablet&cmp=device&cdevice=mobile&capture=12&dead=1&rage=1',
    '?site=k3x&page=%2F&zoom=50',
    '?site=k3x&page=%2F&map=move&scale=log&sigma=24&opacity=60',
    '?site=k3x&page=%2F&cmp=range&zoom=200',
    '?site=k3x&group=7&map=move&device=mobile',
  ];
  for (const q of queries) {
    const state = readState(q, DEVICES);
    assert.equal(toQuery(state, DEVICES), q);
    assert.deepEqual(readState(toQuery(state, DEVICES), DEVICES), state);
  }
});

test('a page group is named by its id, and anything else is no group', () => {
  assert.equal(readState('?site=k3x&group=12', DEVICES).group, '12');
  for (const bad of ['abc', '1.5', '-3', '']) assert.equal(readState(`?site=k3x&group=${bad}`, DEVICES).group, '', bad);
  assert.equal(toQuery(readState('?site=k3x&group=abc', DEVICES), DEVICES), '?site=k3x');
});

test('a device class the platform does not list falls back to the default', () => {
  const state = readState('?device=watch&cmp=device&cdevice=fridge', DEVICES);
  assert.equal(state.device, 'desktop');
  assert.equal(state.cdevice, 'tablet');
});

test('device classes are checked against the list given, not a list of its own', () => {
  const two = [{id: 'wide', label: 'Wide'}, {id: 'narrow', label: 'Narrow'}];
  assert.equal(readState('?device=narrow', two).device, 'narrow');
  assert.equal(readState('?device=tablet', two).device, 'wide');
  assert.equal(readState('', two).cdevice, 'narrow');
  // The first class is the default: left out of the URL.
  assert.equal(toQuery({...readState('', two), device: 'wide'}, two), '?');
  assert.equal(toQuery({...readState('', two), device: 'narrow'}, two), '?device=narrow');
});

test('unknown maps, presets, palettes, scales and comparisons fall back to their defaults', () => {
  const state = readState('?map=heat&preset=1y&palette=rainbow&scale=sqrt&cmp=site&cmode=blend&capture=abc', DEVICES);
  assert.equal(state.map, 'click');
  assert.equal(state.preset, '30d');
  assert.equal(state.palette, 'viridis');
  assert.equal(state.scale, 'linear');
  assert.equal(state.cmp, '');
  assert.equal(state.cmode, 'side');
  assert.equal(state.capture, '');
});

test('opacity is clamped to 0..100', () => {
  assert.equal(readState('?opacity=250', DEVICES).opacity, 100);
  assert.equal(readState('?opacity=-5', DEVICES).opacity, 0);
  assert.equal(readState('?opacity=x', DEVICES).opacity, 85);
});

test('a custom range needs two dates in order; else the preset applies', () => {
  assert.equal(readState('?from=2025-03-01&to=2025-03-10', DEVICES).preset, 'custom');
  const reversed = readState('?from=2025-03-10&to=2025-03-01&preset=7d', DEVICES);
  assert.deepEqual([reversed.preset, reversed.from, reversed.to], ['7d', '', '']);
  assert.equal(readState('?from=2025-03-01&to=soon', DEVICES).preset, '30d');
});

test('what only matters while comparing is left out of the URL otherwise', () => {
  const state = {...readState('?site=k&page=p', DEVICES), cfrom: '2025-01-01', cto: '2025-01-02', cdevice: 'mobile', cmode: 'diff'};
  assert.equal(toQuery(state, DEVICES), '?site=k&page=p');
  assert.equal(toQuery({...state, cmp: 'device'}, DEVICES), '?site=k&page=p&cmp=device&cdevice=mobile&cmode=diff');
});

test('presets count back from the site\'s today, both days included', () => {
  const today = '2025-03-12';
  assert.deepEqual(rangeOf({preset: '7d'}, today), {from: '2025-03-06', to: today});
  assert.deepEqual(rangeOf({preset: '30d'}, today), {from: '2025-02-11', to: today});
  assert.deepEqual(rangeOf({preset: '90d'}, today), {from: '2024-12-13', to: today});
  assert.deepEqual(rangeOf({preset: 'month'}, today), {from: '2025-03-01', to: today});
  assert.deepEqual(rangeOf({preset: 'custom', from: '2025-01-01', to: '2025-01-05'}, today), {from: '2025-01-01', to: '2025-01-05'});
});

test('the previous period is as long as the range and ends the day before it', () => {
  assert.deepEqual(previousPeriod({from: '2025-03-06', to: '2025-03-12'}), {from: '2025-02-27', to: '2025-03-05'});
});

test('the compared view: another range on the same device, or the same range on another device', () => {
  const range = {from: '2025-03-06', to: '2025-03-12'};
  const base = readState('?device=mobile', DEVICES);
  assert.equal(comparison(base, range), null);
  assert.deepEqual(comparison({...base, cmp: 'range'}, range), {from: '2025-02-27', to: '2025-03-05', device: 'mobile'});
  assert.deepEqual(comparison({...base, cmp: 'range', cfrom: '2025-01-01', cto: '2025-01-07'}, range),
    {from: '2025-01-01', to: '2025-01-07', device: 'mobile'});
  assert.deepEqual(comparison({...base, cmp: 'device', cdevice: 'tablet'}, range), {...range, device: 'tablet'});
});

test('click and move maps are density maps; scroll and attention are not', () => {
  assert.deepEqual(['click', 'move', 'scroll', 'attention'].map((map) => isDensity({map})), [true, true, false, false]);
});

test('labels are looked up by id', () => {
  assert.equal(labelOf(DEVICES, 'tablet'), 'Tablet');
});

test('the zoom is a step or "fit", the default, which the URL leaves out', () => {
  assert.equal(readState('?zoom=125', DEVICES).zoom, '125');
  assert.equal(readState('?zoom=33', DEVICES).zoom, 'fit');
  assert.equal(readState('?zoom=fit', DEVICES).zoom, 'fit');
  assert.equal(toQuery({...readState('?page=%2F', DEVICES), zoom: 'fit'}, DEVICES), '?page=%2F');
  assert.equal(toQuery({...readState('?page=%2F', DEVICES), zoom: '100'}, DEVICES), '?page=%2F&zoom=100');
});

test('the smoothing radius is auto, the default the URL leaves out, or one of the offered px steps', () => {
  assert.equal(readState('?sigma=24', DEVICES).sigma, '24');
  assert.equal(sigmaOf(readState('?sigma=24', DEVICES)), 24);
  assert.equal(sigmaOf(readState('', DEVICES)), null);
  for (const odd of ['0', '25', '-8', 'wide', '1e3']) assert.equal(readState(`?sigma=${odd}`, DEVICES).sigma, 'auto', odd);
  assert.equal(toQuery({...readState('?page=%2F', DEVICES), sigma: 'auto'}, DEVICES), '?page=%2F');
  assert.equal(toQuery({...readState('?page=%2F', DEVICES), sigma: '48'}, DEVICES), '?page=%2F&sigma=48');
  assert.ok(SIGMAS.every((s) => s >= 1 && s <= 256), 'within what the API accepts');
});

test('the segment filter is read from and written to the API\'s parameter names, "none" included', () => {
  const state = readState('?page=%2F&variant=B&utm_campaign=&country=FR&os=' + 'x'.repeat(101), DEVICES);
  assert.deepEqual(state.segment, {utm_campaign: '', variant: 'B', country: 'FR'});
  assert.equal(toQuery(state, DEVICES), '?page=%2F&utm_campaign=&variant=B&country=FR');
  assert.equal(segmentText(state.segment), 'Campaign none · Variant B · Country FR');
  assert.equal(segmentText({}), '');
});

test('comparing segments: the same visitors with one value changed, on the same range and device', () => {
  const range = {from: '2025-03-06', to: '2025-03-12'};
  const state = readState('?page=%2F&variant=A&utm_campaign=spring&cmp=segment&cseg=variant:B', DEVICES);
  assert.deepEqual(comparison(state, range), {...range, device: 'desktop', segment: {utm_campaign: 'spring', variant: 'B'}});
  assert.equal(toQuery(state, DEVICES), '?page=%2F&cmp=segment&cseg=variant%3AB&utm_campaign=spring&variant=A');
  assert.equal(comparison(readState('?cmp=segment', DEVICES), range), null, 'no segment chosen yet');
  assert.equal(readState('?cmp=segment&cseg=colour:red', DEVICES).cseg, '', 'not a dimension');
});
