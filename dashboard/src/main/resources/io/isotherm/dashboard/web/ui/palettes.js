// Colour palettes as RGBA lookup tables, built once from a handful of control points: 256 entries for the scale and
// one more, OUTLINE_INDEX, for the ring drawn around hotspots. Transparency follows the intensity (alpha grows with
// √t): nothing is drawn where nothing was counted, so the page under a cold area stays exactly as it is, and the
// faint outskirts of a spot stay faint over any page colour while its core is opaque.

/** Evenly spaced control points, sampled from the published colour maps (matplotlib, ColorBrewer). */
const SEQUENTIAL = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  magma: ['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf'],
  ylorrd: ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#bd0026', '#800026'],
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'],
};

export const PALETTES = [
  {id: 'viridis', label: 'Viridis'},
  {id: 'inferno', label: 'Inferno'},
  {id: 'magma', label: 'Magma'},
  {id: 'ylorrd', label: 'Yellow–orange–red'},
  {id: 'blues', label: 'Blues'},
  {id: 'heat', label: 'Classic heat'},
];

/** Alpha = min(1, ALPHA_GAIN·√t): fully transparent at 0, opaque from t ≈ 0.51 (the half maximum) up. */
const ALPHA_GAIN = 1.4;

/** Scroll and attention maps cover the whole page: their overlay stays this light so it never washes the page out. */
const BANDS_ALPHA = 0.3;

/** The lookup table's extra entry: the ring around a hotspot's hot core (heat-layer.js). */
export const OUTLINE_INDEX = 256;

/**
 * Where the hot core ends (90 % of the maximum): the ring runs just inside this contour, 0.46σ from a lone spot's
 * peak, well inside its half maximum (1.18σ), where the palette's own colours carry the spot.
 */
export const OUTLINE_FROM = 230;

/** [position 0..1, colour] */
const HEAT = [[0, '#0000ff'], [0.2, '#0000ff'], [0.45, '#00d8ff'], [0.6, '#00e000'], [0.8, '#ffee00'], [1, '#ff0000']];

/** Blue for fewer, white for no change, red for more (ColorBrewer RdBu, reversed). */
const DIVERGING = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'];

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Piecewise linear interpolation through [position, [r, g, b], alpha] points, sampled at t in 0..1. */
function sample(points, t) {
  let i = 1;
  while (i < points.length - 1 && points[i][0] < t) i++;
  const [p0, c0, a0] = points[i - 1];
  const [p1, c1, a1] = points[i];
  const f = p1 === p0 ? 0 : Math.min(1, Math.max(0, (t - p0) / (p1 - p0)));
  return [c0[0] + (c1[0] - c0[0]) * f, c0[1] + (c1[1] - c0[1]) * f, c0[2] + (c1[2] - c0[2]) * f, a0 + (a1 - a0) * f];
}

function evenly(colours) {
  return colours.map((c, i) => [i / (colours.length - 1), rgb(c), 1]);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function pack(r, g, b, a) {
  r = Math.round(r); g = Math.round(g); b = Math.round(b); a = Math.round(a);
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/**
 * 256 entries of ImageData pixels (Uint32, platform byte order) and their RGBA components, then the outline's entry:
 * the palette's colour at the other end of the scale from the hot end, opaque, so the ring stands apart from the
 * core it surrounds whatever the page's colour (a dark ring around yellow, a light one around dark red).
 */
function table(colourAt, cap, outline) {
  const packed = new Uint32Array(257);
  const rgba = new Uint8ClampedArray(257 * 4);
  for (let i = 0; i <= 256; i++) {
    const [r, g, b, a] = i === OUTLINE_INDEX ? [...colourAt(0).slice(0, 3), outline ? 1 : 0] : colourAt(i / 255);
    const alpha = Math.min(a, cap) * 255;
    packed[i] = pack(r, g, b, alpha);
    rgba.set([r, g, b, alpha].map(Math.round), i * 4);
  }
  return {packed, rgba, outline};
}

/** Intensity-weighted transparency of a position t in 0..1 of the scale. */
export const alphaAt = (t) => Math.min(1, ALPHA_GAIN * Math.sqrt(Math.max(0, t)));

const tables = new Map();

/**
 * The lookup table of a palette id (or 'diverging' for difference maps); with {bands: true}, its lighter version
 * for the scroll and attention maps, whose bands span the page's whole width.
 */
export function lut(id, {bands = false} = {}) {
  const key = `${id}${bands ? ':bands' : ''}`;
  if (!tables.has(key)) tables.set(key, build(id, bands ? BANDS_ALPHA : 1));
  return tables.get(key);
}

function build(id, cap) {
  if (id === 'heat') {
    const points = HEAT.map(([p, c]) => [p, rgb(c), 1]);
    return table((t) => [...sample(points, t).slice(0, 3), alphaAt(t)], cap, cap === 1);
  }
  if (id === 'diverging') {
    // Indices 127 and 128 are "no change" and fully transparent; alpha grows with the distance from them. No ring:
    // both ends are "hot".
    const points = evenly(DIVERGING);
    return table((t) => [...sample(points, t).slice(0, 3), alphaAt(Math.max(0, Math.abs(t * 255 - 127.5) - 0.5) / 127)],
      cap, false);
  }
  const points = evenly(SEQUENTIAL[id] || SEQUENTIAL.viridis);
  return table((t) => [...sample(points, t).slice(0, 3), alphaAt(t)], cap, cap === 1);
}

/** The palette's colour at the top of the scale, [r, g, b, a]. */
export function topColour(id) {
  return [...lut(id).rgba.slice(255 * 4, 256 * 4)];
}

export function colourAt(id, index) {
  return [...lut(id).rgba.slice(index * 4, index * 4 + 4)];
}

/** A CSS linear-gradient of the palette (opaque), for legends. */
export function gradientCss(id) {
  const {rgba} = lut(id);
  const stops = [];
  for (let i = 0; i <= 255; i += 17) {
    stops.push(`rgba(${rgba[i * 4]}, ${rgba[i * 4 + 1]}, ${rgba[i * 4 + 2]}, ${(rgba[i * 4 + 3] / 255).toFixed(2)}) ${(i / 255 * 100).toFixed(1)}%`);
  }
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}
