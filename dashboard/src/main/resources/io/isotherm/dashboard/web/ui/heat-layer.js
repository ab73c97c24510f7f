// A grid of palette indices drawn over the page as a stack of canvases. Colouring happens at grid resolution (one
// pixel per cell); drawImage scales it up with smoothing. Browsers refuse canvases much taller than 32,767 px, so the
// layer is cut into tiles of at most TILE_PX, each drawn from its own rows plus one row either side, so the
// smoothing across a tile edge is the same as anywhere else. Tiles are drawn when they come near the visible area.
// Where the lookup table has an outline and the grid asks for one, a thin ring (2 px) in its OUTLINE_INDEX colour is
// drawn at page-px resolution along the contour of OUTLINE_FROM, taken from the grid bilinearly as the scaling draws
// it: it rims each hot core, so a hotspot stays distinct on a white, black or brand-coloured page.

import {OUTLINE_FROM, OUTLINE_INDEX} from './palettes.js';

export const TILE_PX = 2048;

const width = (grid) => grid.width || grid.columns * grid.cellSize;

export class HeatLayer {
  constructor(element) {
    this.element = element;
    this.tiles = [];
    this.grid = null;
    this.lut = null;
    this.scratch = new Map();
  }

  /**
   * Shows a grid {columns, rows, cellSize, indices} coloured through a lookup table {packed, outline}. Cells are square unless
   * the grid has a width in px (bands: one column as wide as the page). Draws nothing yet.
   */
  set(grid, lut) {
    const old = this.grid;
    this.grid = grid;
    this.lut = lut;
    if (!old || old.columns !== grid.columns || old.rows !== grid.rows || old.cellSize !== grid.cellSize
      || width(old) !== width(grid)) this.layout();
    for (const tile of this.tiles) tile.dirty = true;
  }

  clear() {
    this.grid = null;
    this.tiles = [];
    this.element.replaceChildren();
  }

  layout() {
    const {columns, rows, cellSize} = this.grid;
    const tileRows = Math.max(1, Math.floor(TILE_PX / cellSize));
    this.element.replaceChildren();
    this.tiles = [];
    for (let r0 = 0; r0 < rows; r0 += tileRows) {
      const r1 = Math.min(rows, r0 + tileRows);
      const canvas = document.createElement('canvas');
      canvas.width = width(this.grid);
      canvas.height = (r1 - r0) * cellSize;
      canvas.style.top = `${r0 * cellSize}px`;
      canvas.dataset.top = String(r0 * cellSize);
      this.element.append(canvas);
      this.tiles.push({canvas, r0, r1, top: r0 * cellSize, bottom: r1 * cellSize, dirty: true});
    }
  }

  /** Draws the tiles that overlap page px [top, bottom) and are not drawn yet; returns how many. */
  drawRange(top, bottom) {
    let drawn = 0;
    for (const tile of this.tiles) {
      if (tile.dirty && tile.bottom > top && tile.top < bottom) {
        this.drawTile(tile);
        drawn++;
      }
    }
    return drawn;
  }

  drawAll() {
    return this.drawRange(-Infinity, Infinity);
  }

  drawTile(tile) {
    const {columns, rows, cellSize, indices} = this.grid;
    const above = tile.r0 > 0 ? 1 : 0;
    const below = tile.r1 < rows ? 1 : 0;
    const first = tile.r0 - above;
    const sourceRows = tile.r1 + below - first;
    const image = new ImageData(columns, sourceRows);
    const pixels = new Uint32Array(image.data.buffer);
    const lut = this.lut.packed;
    for (let i = 0, j = first * columns, n = sourceRows * columns; i < n; i++, j++) pixels[i] = lut[indices[j]];
    const source = this.source(columns, sourceRows);
    source.getContext('2d').putImageData(image, 0, 0);
    const ctx = tile.canvas.getContext('2d');
    ctx.clearRect(0, 0, tile.canvas.width, tile.canvas.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'medium';
    // The extra rows land just outside the canvas: they only feed the interpolation at its edges.
    ctx.drawImage(source, 0, -above * cellSize, width(this.grid), sourceRows * cellSize);
    if (this.lut.outline && this.grid.outline) {
      const rgba = this.lut.rgba.slice(OUTLINE_INDEX * 4, OUTLINE_INDEX * 4 + 4);
      ctx.fillStyle = `rgba(${rgba[0]}, ${rgba[1]}, ${rgba[2]}, ${rgba[3] / 255})`;
      ctx.fill(ring(this.grid, tile));
    }
    tile.dirty = false;
  }

  /** A canvas of exactly this size (smoothing may read outside a source rectangle, never outside the image). */
  source(width, height) {
    const key = `${width}x${height}`;
    if (!this.scratch.has(key)) {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      this.scratch.set(key, canvas);
    }
    return this.scratch.get(key);
  }
}

/**
 * The ring's pixels in a tile, as a path of 1 px squares: the pixels at or above OUTLINE_FROM (the grid's indices
 * interpolated bilinearly between cell centres) with one below it within 2 px across or down. Only the cells next to
 * the contour are looked at.
 */
function ring(grid, tile) {
  const {columns, rows, cellSize: size, indices} = grid;
  const path = new Path2D();
  const value = (x, y) => {
    const fx = Math.min(columns - 1, Math.max(0, (x + 0.5) / size - 0.5));
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / size - 0.5));
    const c0 = Math.floor(fx);
    const r0 = Math.floor(fy);
    const c1 = Math.min(columns - 1, c0 + 1);
    const r1 = Math.min(rows - 1, r0 + 1);
    const tx = fx - c0;
    const ty = fy - r0;
    const upper = indices[r0 * columns + c0] * (1 - tx) + indices[r0 * columns + c1] * tx;
    const lower = indices[r1 * columns + c0] * (1 - tx) + indices[r1 * columns + c1] * tx;
    return upper * (1 - ty) + lower * ty;
  };
  const below = (x, y) => value(x, y) < OUTLINE_FROM;
  for (let r = tile.r0; r < tile.r1; r++) {
    for (let c = 0; c < columns; c++) {
      if (!nearContour(indices, columns, rows, c, r)) continue;
      for (let y = r * size; y < (r + 1) * size; y++) {
        for (let x = c * size; x < (c + 1) * size; x++) {
          if (below(x, y)) continue;
          if (below(x - 1, y) || below(x + 1, y) || below(x, y - 1) || below(x, y + 1)
            || below(x - 2, y) || below(x + 2, y) || below(x, y - 2) || below(x, y + 2)) {
            path.rect(x, y - tile.top, 1, 1);
          }
        }
      }
    }
  }
  return path;
}

/** Whether the cell and its eight neighbours hold values on both sides of OUTLINE_FROM. */
function nearContour(indices, columns, rows, c, r) {
  let hot = false;
  let cold = false;
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const cc = c + dc;
      const rr = r + dr;
      if (cc < 0 || rr < 0 || cc >= columns || rr >= rows) continue;
      if (indices[rr * columns + cc] >= OUTLINE_FROM) hot = true;
      else cold = true;
    }
  }
  return hot && cold;
}
