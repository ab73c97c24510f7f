// window.isothermViewer: what the browser tests and the viewer benchmark read to wait for a drawn view and inspect
// it. Loaded only when the page carries the test flag (viewer.js); never part of what a person's browser runs.

import {colourAt, topColour} from './palettes.js';

/** @param ready resolves to {error} once the first view is drawn */
export function install(v, ready) {
  window.isothermViewer = {
    ready,
    lastDraw: v.lastDraw,
    get state() { return {...v.state}; },
    /** Resolves once the render under way (if any) has finished and painted. */
    settled: () => v.current.then(() => new Promise((r) => requestAnimationFrame(() => r()))),
    topColour,
    colourAt,
    /** Draws every heat tile of every frame now; returns the time taken in ms. */
    drawAll() {
      for (const f of v.frames) for (const t of f.heat.tiles) t.dirty = true;
      const started = performance.now();
      for (const f of v.frames) f.heat.drawAll();
      return performance.now() - started;
    },
    frames: () => v.frames,
  };
}
