// heatmap.bin (docs/API.md): a little-endian uint32 N, N bytes of JSON, zero padding to a multiple of 4, then
// columns × rows float32 values and columns × rows int32 counts, both little-endian. Pure: no DOM, no fetch.

import {ApiError} from './http.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The heatmap's header fields with its values (Float32Array) and counts (Int32Array). */
export function parseHeatmap(buffer) {
  const view = new DataView(buffer);
  const n = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const cells = header.columns * header.rows;
  const start = Math.ceil((4 + n) / 4) * 4;
  if (buffer.byteLength < start + cells * 8) throw new ApiError('The heatmap answer is truncated.', 0);
  let values, counts;
  if (LITTLE_ENDIAN) {
    // Views on the answer itself: nothing is copied.
    values = new Float32Array(buffer, start, cells);
    counts = new Int32Array(buffer, start + cells * 4, cells);
  } else {
    values = new Float32Array(cells);
    counts = new Int32Array(cells);
    for (let i = 0; i < cells; i++) {
      values[i] = view.getFloat32(start + i * 4, true);
      counts[i] = view.getInt32(start + (cells + i) * 4, true);
    }
  }
  return {...header, values, counts};
}
