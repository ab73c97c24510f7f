// heatmap.packed (docs/API.md), the heatmap as the viewer loads it: a little-endian uint32 N, N bytes of JSON (with
// "packing": 1), then the values and the counts, each as runs over the cells in row-major order: a varint of zero
// cells, a varint n of non-zero ones, then n varints (for the values the zigzag difference of √v · 65535 from the
// previous cell's in the run, for the counts the count). Decoded into the Float32Array and Int32Array the rest of the
// viewer reads. Pure: no DOM, no fetch.

import {ApiError} from './http.js';

/** The one layout this reader knows; the server names it in the header. */
export const PACKING = 1;
const STEPS = 65535;

/** The heatmap's header fields with its values (Float32Array, 0..1) and counts (Int32Array). */
export function parseHeatmap(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 4) throw truncated();
  const n = new DataView(buffer).getUint32(0, true);
  if (4 + n > bytes.length) throw truncated();
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
  if (header.packing !== PACKING) throw new ApiError(`The heatmap answer is packed in an unknown way (${header.packing}): reload the page.`, 0);
  const cells = header.columns * header.rows;
  const reader = {bytes, at: 4 + n};
  const values = new Float32Array(cells);
  const counts = new Int32Array(cells);
  runs(reader, cells, (start, end) => {
    let step = 0;
    for (let i = start; i < end; i++) {
      const z = varint(reader);
      step += (z >>> 1) ^ -(z & 1);
      const root = step / STEPS;
      values[i] = root * root;
    }
  });
  runs(reader, cells, (start, end) => {
    for (let i = start; i < end; i++) counts[i] = varint(reader);
  });
  delete header.packing;
  return {...header, values, counts};
}

/** Reads runs until they cover `cells`; `items(start, end)` reads the varints of each non-zero run. */
function runs(reader, cells, items) {
  let i = 0;
  while (i < cells) {
    i += varint(reader);
    const n = varint(reader);
    if (i + n > cells) throw new ApiError('The heatmap answer is malformed.', 0);
    items(i, i + n);
    i += n;
  }
}

function varint(reader) {
  const {bytes} = reader;
  let result = 0;
  let shift = 0;
  for (;;) {
    if (reader.at >= bytes.length) throw truncated();
    const b = bytes[reader.at++];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return result;
    shift += 7;
    if (shift > 28) throw new ApiError('The heatmap answer is malformed.', 0);
  }
}

function truncated() {
  return new ApiError('The heatmap answer is truncated.', 0);
}
