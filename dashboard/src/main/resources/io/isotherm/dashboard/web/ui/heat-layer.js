// A grid of palette indices drawn over the page as a stack of canvases. Colouring happens at grid resolution (one
// pixel per cell); drawImage scales it up with smoothing. Browsers refuse canvases much taller than 32,767 px, so the
// layer is cut into tiles of at most TILE_PX, each drawn from its own rows plus one row either side, so the
// smoothing across a tile edge is the same as anywhere else. Tiles are drawn when they come near the visible area.
// Where the lookup table has an outline and the grid asks for one, the cells just outside each hot core take its
// OUTLINE_INDEX colour: a thin ring (one cell, softened by the scaling) that keeps a hotspot distinct on a white,
// black or brand-coloured page.

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
    if (this.lut.outline && this.grid.outline) outline(pixels, indices, columns, rows, first, sourceRows, lut[OUTLINE_INDEX]);
    const source = this.source(columns, sourceRows);
    source.getContext('2d').putImageData(image, 0, 0);
    const ctx = tile.canvas.getContext('2d');
    ctx.clearRect(0, 0, tile.canvas.width, tile.canvas.height);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'medium';
    // The extra rows land just outside the canvas: they only feed the interpolation at its edges.
    ctx.drawImage(source, 0, -above * cellSize, width(this.grid), sourceRows * cellSize);
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

/** Paints the ring: cells below OUTLINE_FROM (but not empty) with a side-neighbour at or above it. */
function outline(pixels, indices, columns, rows, first, sourceRows, colour) {
  const last = rows * columns;
  for (let i = 0, j = first * columns, n = sourceRows * columns; i < n; i++, j++) {
    const v = indices[j];
    if (v === 0 || v >= OUTLINE_FROM) continue;
    const c = j % columns;
    if ((c > 0 && indices[j - 1] >= OUTLINE_FROM) || (c < columns - 1 && indices[j + 1] >= OUTLINE_FROM)
      || (j >= columns && indices[j - columns] >= OUTLINE_FROM) || (j + columns < last && indices[j + columns] >= OUTLINE_FROM)) {
      pixels[i] = colour;
    }
  }
}
