// A world map coloured by a value per country, as SVG: the Natural Earth shapes (world-atlas, brought in by the build
// into ui/vendor/) decoded by topojson-client, projected equirectangularly, each country filled with the palette's
// colour for its value or with the no-data grey. A country's shape is found by its ISO 3166-1 numeric code, the id
// world-atlas gives it.

import {colourAt} from './palettes.js';

/** The fill of a country without data: a neutral grey, apart from every colour of the sequential palettes. */
export const NO_DATA = 'rgb(221, 224, 229)';
export const PALETTE = 'viridis';

/** The map's frame in degrees: the inhabited latitudes (Antarctica is left out), the whole width of the world. */
const NORTH = 84, SOUTH = -57, WEST = -180, EAST = 180;
const ANTARCTICA = '010';
export const WIDTH = 960;
export const HEIGHT = Math.round(WIDTH * (NORTH - SOUTH) / (EAST - WEST));

const SVG = 'http://www.w3.org/2000/svg';

let shapes = null;

/** The countries' shapes as GeoJSON features ({id: '250', properties: {name}, geometry}), fetched once. */
export async function worldShapes() {
  if (!shapes) {
    shapes = (async () => {
      await import('./vendor/topojson-client.js'); // a UMD bundle: as a module it sets self.topojson
      const response = await fetch('/ui/vendor/countries-110m.json');
      if (!response.ok) throw new Error('The world map could not be loaded.');
      const topology = await response.json();
      return self.topojson.feature(topology, topology.objects.countries).features.filter((f) => f.id !== ANTARCTICA);
    })();
    shapes.catch(() => { shapes = null; });
  }
  return shapes;
}

/** The map id of an ISO 3166-1 numeric code: three digits, as world-atlas writes them. */
export function mapId(numeric) {
  return String(numeric).padStart(3, '0');
}

/** Equirectangular: longitude and latitude to map px. */
export function project([lon, lat]) {
  return [(lon - WEST) / (EAST - WEST) * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT];
}

/**
 * A ring whose longitudes never jump by more than half the world: a shape that crosses the antimeridian (eastern
 * Russia, Fiji) goes on past ±180° instead of drawing a line across the whole map.
 */
function unwrap(ring) {
  let shift = 0, previous = null;
  return ring.map(([lon, lat]) => {
    if (previous !== null) {
      const step = lon + shift - previous;
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    previous = lon + shift;
    return [previous, lat];
  });
}

/**
 * An SVG path of a Polygon or MultiPolygon, one subpath per ring (holes are cut by the even-odd rule). A ring that
 * reaches past the map's edge is drawn once more from the other edge; the SVG's box clips both.
 */
export function pathOf(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let d = '';
  for (const polygon of polygons) {
    for (const ring of polygon.map(unwrap)) {
      const lons = ring.map(([lon]) => lon);
      const copies = [0];
      if (Math.max(...lons) > EAST) copies.push(-360);
      if (Math.min(...lons) < WEST) copies.push(360);
      for (const offset of copies) {
        ring.forEach(([lon, lat], i) => {
          const [x, y] = project([lon + offset, lat]);
          d += `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
        });
        d += 'Z';
      }
    }
  }
  return d;
}

/** The palette's entry (0–255) of a value on a scale from 0 to max. */
export function paletteIndex(value, max) {
  return max > 0 ? Math.round(255 * Math.min(1, Math.max(0, value / max))) : 255;
}

/** The opaque colour of a value on a scale from 0 to max, as CSS. */
export function colourOf(value, max) {
  const [r, g, b] = colourAt(PALETTE, paletteIndex(value, max));
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * Draws the map into an <svg>. rows: [{numeric, value, href, label}] (label: what the tooltip and screen readers say);
 * countries not in rows get the no-data colour. onHover(event, row or null, feature) follows the pointer.
 */
export function drawChoropleth(svg, features, rows, max, onHover) {
  const byId = new Map(rows.map((row) => [mapId(row.numeric), row]));
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  const shapes = features.map((feature) => {
    const row = byId.get(feature.id);
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', pathOf(feature.geometry));
    path.setAttribute('fill', row ? colourOf(row.value, max) : NO_DATA);
    path.setAttribute('fill-rule', 'evenodd');
    if (feature.id) path.dataset.numeric = feature.id;
    path.addEventListener('pointermove', (e) => onHover(e, row || null, feature));
    path.addEventListener('pointerleave', () => onHover(null));
    if (!row) return path;
    path.dataset.code = row.code;
    const link = document.createElementNS(SVG, 'a');
    link.setAttribute('href', row.href);
    link.setAttribute('aria-label', row.label);
    link.append(path);
    return link;
  });
  svg.replaceChildren(...shapes);
  return new Set(features.map((f) => f.id));
}
