// Clicks near the pointer from a heatmap's counts per cell (before smoothing): what the tooltip tells, in clicks, for
// the spot under the pointer. Pure: runs under Node's tests too.

/** The tooltip counts the cells whose centre lies within this many σ of the pointer. */
export const REACH_SIGMAS = 2;

/**
 * {clicks, radiusPx, share} around layout px (x, y) of map {cellSize, columns, rows, sigma, counts, total}: the
 * events in cells whose centre is within 2σ. A spot is coloured by events up to the kernel's full reach (4σ, per axis),
 * so where the 2σ disc holds none but the colour shows, the count widens to that reach (radiusPx then says so): a
 * visible spot is never "0 clicks".
 */
export function clicksNear(map, x, y, visible = false) {
  const radius = REACH_SIGMAS * map.sigma;
  const near = sum(map, x, y, radius, true);
  if (near > 0 || !visible) return result(map, near, radius);
  return result(map, sum(map, x, y, kernelReachPx(map), false), kernelReachPx(map));
}

/** How far the smoothing reaches: ceil(4σ) cells, as GaussianSmoothing truncates it. */
export function kernelReachPx(map) {
  return Math.ceil(4 * map.sigma / map.cellSize) * map.cellSize;
}

function result(map, clicks, radiusPx) {
  return {clicks, radiusPx, share: map.total > 0 ? clicks / map.total : 0};
}

/** Events in the cells within `radius` px of (x, y): a disc, or (disc false) the square the separable kernel covers. */
function sum(map, x, y, radius, disc) {
  const {cellSize: size, columns, rows, counts} = map;
  if (!counts) return 0;
  const c0 = Math.max(0, Math.floor((x - radius) / size));
  const c1 = Math.min(columns - 1, Math.floor((x + radius) / size));
  const r0 = Math.max(0, Math.floor((y - radius) / size));
  const r1 = Math.min(rows - 1, Math.floor((y + radius) / size));
  let n = 0;
  if (disc) {
    const limit = radius * radius;
    for (let r = r0; r <= r1; r++) {
      const dy = (r + 0.5) * size - y;
      for (let c = c0; c <= c1; c++) {
        const dx = (c + 0.5) * size - x;
        if (dx * dx + dy * dy <= limit) n += counts[r * columns + c];
      }
    }
  } else {
    // The kernel's square of ±R cells around the pointer's own cell, and one more: the drawn colour at a pixel is
    // interpolated from its neighbouring cells too.
    const pc = Math.floor(x / size);
    const pr = Math.floor(y / size);
    const k = Math.round(radius / size) + 1;
    for (let r = Math.max(0, pr - k); r <= Math.min(rows - 1, pr + k); r++) {
      for (let c = Math.max(0, pc - k); c <= Math.min(columns - 1, pc + k); c++) n += counts[r * columns + c];
    }
  }
  return n;
}

/**
 * The clicks that, all at one spot, give a smoothed density of `density` events per cell at its centre: the kernel's
 * peak is 1 / (2π (σ / cellSize)²) per event. The legend's unit ("≈ 12 clicks in one spot").
 */
export function spotClicks(map, density) {
  const s = map.sigma / map.cellSize;
  return density * 2 * Math.PI * s * s;
}
