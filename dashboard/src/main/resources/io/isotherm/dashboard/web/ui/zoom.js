// Zoom of the page in a frame: "fit" (the page's width fits the pane, never enlarged) or a fixed step. Pure, so it
// runs under Node's tests too; frame.js applies the scale.

export const STEPS = [25, 50, 75, 100, 125, 150, 200];

export const ZOOMS = [{id: 'fit', label: 'Fit width'}, ...STEPS.map((p) => ({id: String(p), label: `${p} %`}))];

/** The scale at which a page `pageWidth` px wide fits `available` px: at most 1 (a narrow layout is not blown up). */
export function fitScale(pageWidth, available) {
  return pageWidth > 0 && available > 0 ? Math.min(1, available / pageWidth) : 1;
}

/** The scale of a zoom id for a page and the room beside it. */
export function scaleOf(zoom, pageWidth, available) {
  return zoom === 'fit' ? fitScale(pageWidth, available) : Number(zoom) / 100;
}

/**
 * The zoom one step in (direction 1) or out (-1) from the scale shown now: the next step beyond it, so that from
 * "fit" at 79 % one goes to 100 % or 75 %. At either end it stays where it is.
 */
export function stepZoom(zoom, scale, direction) {
  const percent = Math.round(scale * 1000) / 10;
  const next = direction > 0 ? STEPS.find((p) => p > percent) : [...STEPS].reverse().find((p) => p < percent);
  return next === undefined ? zoom : String(next);
}

/**
 * Where a frame scrolls to follow another: the same share of its own scroll range, so that two pages of different
 * heights or scales reach their tops and bottoms together.
 */
export function followScroll(position, range, ownRange) {
  if (range <= 0 || ownRange <= 0) return 0;
  return Math.round((Math.min(position, range) / range) * ownRange);
}
