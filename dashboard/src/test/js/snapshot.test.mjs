// snapshot.js: the pieces of a view are read again until they come from one aggregation.

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {readAgreeing, sameVersion} from '../../main/resources/io/isotherm/dashboard/web/ui/snapshot.js';

test('versions agree when every known one is equal; a piece without one does not count', () => {
  assert.equal(sameVersion([3, 3, 3]), true);
  assert.equal(sameVersion([3, null, undefined, 3]), true);
  assert.equal(sameVersion([]), true);
  assert.equal(sameVersion([3, 4]), false);
  assert.equal(sameVersion([0, 3]), false);
});

/** Reads that answer the given version lists one after another; counts forgets, sleeps and updating calls. */
function script(answers) {
  const log = {reads: 0, forgets: 0, sleeps: [], updating: []};
  const options = {
    versionsOf: (pieces) => pieces,
    forget: () => { log.forgets++; },
    updating: (on) => log.updating.push(on),
    sleep: async (ms) => { log.sleeps.push(ms); },
  };
  const read = async () => answers[Math.min(log.reads++, answers.length - 1)];
  return {log, read, options};
}

test('pieces that agree at once are read once', async () => {
  const {log, read, options} = script([[5, 5]]);
  assert.deepEqual(await readAgreeing(read, options), [5, 5]);
  assert.deepEqual(log, {reads: 1, forgets: 0, sleeps: [], updating: []});
});

test('pieces from different aggregations are forgotten and read again', async () => {
  const {log, read, options} = script([[5, 6], [6, 6]]);
  assert.deepEqual(await readAgreeing(read, options), [6, 6]);
  assert.equal(log.reads, 2);
  assert.equal(log.forgets, 1);
  assert.deepEqual(log.updating, []);
});

test('after three disagreeing reads the viewer says it is updating, waits 5 s, and reads again', async () => {
  const {log, read, options} = script([[1, 2], [2, 3], [3, 4], [4, 4]]);
  assert.deepEqual(await readAgreeing(read, options), [4, 4]);
  assert.equal(log.reads, 4);
  assert.equal(log.forgets, 3);
  assert.deepEqual(log.sleeps, [5000]);
  assert.deepEqual(log.updating, [true, false]);
});

test('a newer read makes a waiting one moot', async () => {
  const {log, read, options} = script([[1, 2]]);
  let newer = false;
  options.sleep = async () => { newer = true; };
  assert.equal(await readAgreeing(read, {...options, moot: () => newer}), null);
  assert.equal(log.reads, 3);
});
