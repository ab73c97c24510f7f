// Drawing the view the state asks for: fetch each frame's data (api.js caches it), build its model, lay the frames
// out, colour their grids and fill the panels. A newer render makes the answers of an older one moot. The pieces of
// a view are drawn only once they agree on the aggregation they were read at (snapshot.js).

import * as api from './api.js';
import {showError} from './banner.js';
import {captureMenu} from './capture-actions.js';
import {chooseCapture} from './capture.js';
import {fillSegments, showDefaultSigma, showDeviceHints, syncControls} from './controls.js';
import {elementsPanel} from './elements-panel.js';
import {drawMarkers, placedElements} from './elements.js';
import {emptyLegend} from './legend.js';
import {attentionModel, colouring, densityModel, differenceModel, drawMarks, legend, scrollModel} from './maps.js';
import {readAgreeing} from './snapshot.js';
import {layoutFrame, setFrameCount} from './stage.js';
import {comparison, isDensity, rangeOf, sigmaOf} from './state.js';

const MIN_HEIGHT = 900;

let token = 0;

/** Draws the view of v.state; returns (and keeps as v.current) a promise of the drawing. */
export function render(v) {
  const mine = ++token;
  const {state, site} = v;
  syncControls(state, site.today);
  const range = rangeOf(state, site.today);
  if (!v.shared) {
    api.segments(site.key, state.page, range.from, range.to)
      .then((values) => mine === token && fillSegments(values, state, site.today))
      .catch(() => {}); // the filter keeps what it offered: the view itself does not depend on it
  }
  const kind = state.map === 'move' ? 'move' : 'click';
  const primary = {page: state.page, group: state.group, device: state.device, from: range.from, to: range.to, kind,
    sigma: sigmaOf(state), segment: state.segment};
  const other = comparison(state, range);
  const otherView = other ? {...primary, ...other} : null;
  // One layout on both sides (another range or segment of one device): the difference map is fair.
  const difference = Boolean(otherView) && state.cmp !== 'device' && state.cmode === 'diff' && isDensity(state);
  const views = otherView && !difference ? [primary, otherView] : [primary];
  setFrameCount(v, views.length);
  for (const f of v.frames) f.setLoading(true);
  v.current = (async () => {
    try {
      performance.mark('isotherm:fetch-start');
      const started = performance.now();
      // Every piece of the view from the same aggregation (snapshot.js), so the header, the device switch and the
      // elements panel show the same numbers.
      const read = await readAgreeing(async () => {
        const [loaded, hints] = await Promise.all([
          Promise.all(views.map((view, i) => load(v, view, i === 0 ? state.capture : ''))),
          loadHints(v, range),
        ]);
        // A difference is only fair at one radius: B is smoothed like A, whatever B's own default would be.
        const compared = difference ? await api.heatmap(site.key, {...otherView, sigma: loaded[0].data.sigma}) : null;
        return [loaded, hints, compared];
      }, {
        versionsOf: ([loaded, hints, compared]) => [...loaded.flatMap((s) => [s.data.version, s.report.version]),
          hints && hints.version, compared && compared.version],
        forget: api.forgetReads,
        updating: (on) => showUpdating(on),
        moot: () => mine !== token,
      });
      if (!read) return;
      const [loaded, hints, compared] = read;
      const fetchMs = performance.now() - started;
      performance.measure('isotherm:fetch', 'isotherm:fetch-start');
      if (mine !== token) return;
      v.hints = hints && hints.pageviews;
      showDeviceHints(v.hints);
      v.lastDraw.fetchMs = fetchMs;
      v.shown = loaded.map((s, i) => ({...s, model: model(v.state, s, i === 0 ? compared : null, kind)}));
      showDefaultSigma(loaded[0].data.defaultSigma);
      v.shown.forEach((s, i) => layoutFrame(v, v.frames[i], s, i, views.length > 1, difference ? otherView : null));
      recolour(v);
      markers(v);
      elementsPanel(v);
      captureMenu(v);
    } catch (e) {
      if (mine === token) showError(e);
    } finally {
      if (mine === token) for (const f of v.frames) f.setLoading(false);
    }
  })();
  return v.current;
}

/** One frame's view: its report, screenshots, elements and the page size to draw it at. */
async function load(v, view, wantedCapture) {
  const key = v.site.key;
  const data = isDensity(v.state) ? api.heatmap(key, view) : api.scroll(key, view);
  const report = api.elements(key, view);
  // A group is drawn on the screenshot of the page its reports name.
  const page = view.group ? (await report).page : view.page;
  let captures = [];
  try {
    captures = await api.captures(key, page, view.device);
  } catch (e) {
    showError(e);
  }
  const capture = chooseCapture(captures, wantedCapture);
  const captureElements = capture ? api.captureElements(key, capture.id).catch(() => []) : [];
  const [d, r, ce] = await Promise.all([data, report, captureElements]);
  const layoutWidth = v.devices.find((c) => c.id === view.device).layoutWidth;
  return {view: {...view, page}, captures, capture, data: d, report: r, placed: placedElements(r, ce),
    width: Math.max(d.layoutWidth || layoutWidth, capture ? capture.width : 0), height: pageHeight(d, capture)};
}

function pageHeight(d, capture) {
  let height = Math.max(d.layoutHeight || 0, capture ? capture.height : 0, MIN_HEIGHT);
  if (d.reachPx && d.reachPx.length) height = Math.max(height, d.reachPx[d.reachPx.length - 1].y + 50);
  if (d.attention && d.attention.length) {
    const last = d.attention[d.attention.length - 1];
    height = Math.max(height, last.y + last.height);
  }
  return height;
}

function model(state, s, compared, kind) {
  if (compared) return differenceModel(s.data, compared, kind);
  if (isDensity(state)) return densityModel(s.data, kind);
  const build = state.map === 'scroll' ? scrollModel : attentionModel;
  return build(s.data, s.width, s.height);
}

/**
 * Applies a change of how the view looks, without new data: 'colour', 'opacity', 'opacity-live', 'markers' or
 * 'zoom' (the viewer and a share link's viewer alike).
 */
export function restyle(v, how) {
  if (how === 'colour') {
    recolour(v);
  } else if (how === 'opacity' || how === 'opacity-live') {
    for (const f of v.frames) f.setOpacity(v.state.opacity);
    document.getElementById('opacity-value').textContent = `${v.state.opacity} %`;
  } else if (how === 'markers') {
    markers(v);
  } else if (how === 'zoom') {
    for (const f of v.frames) f.setZoom(v.state.zoom);
  }
}

/** Colours every frame's grid under the current palette and scale and draws what is near the visible area. */
export function recolour(v) {
  performance.mark('isotherm:draw-start');
  const started = performance.now();
  let tiles = 0;
  v.shown.forEach((s, i) => {
    const frame = v.frames[i];
    if (s.notice) {
      frame.heat.clear();
    } else {
      const {grid, lut} = colouring(s.model, v.state);
      frame.heat.set(grid, lut);
      tiles += frame.drawVisible();
    }
    drawMarks(frame.marks, s.model);
  });
  v.lastDraw.drawMs = performance.now() - started;
  v.lastDraw.tiles = tiles;
  performance.measure('isotherm:draw', 'isotherm:draw-start');
  const legendElement = document.getElementById('legend');
  legendElement.replaceChildren();
  const first = v.shown[0];
  // Without data the scale has no units to show: say so instead of a bar of zeros.
  if (first) legendElement.append(first.notice ? emptyLegend('No data in this view.') : legend(first.model, v.state));
}

export function markers(v) {
  v.shown.forEach((s, i) => drawMarkers(v.frames[i].markers, s.placed, {dead: v.state.dead, rage: v.state.rage}));
}

/**
 * Page views of the page per device class in the range, under the device switch and in empty notices:
 * {pageviews: {device: n} or null, version}, or null when the pages could not be read.
 */
async function loadHints(v, range) {
  try {
    const {pages, groups, version} = await api.pages(v.site.key, range.from, range.to);
    const page = v.state.group ? (groups || []).find((g) => String(g.id) === v.state.group)
      : pages.find((p) => p.url === v.state.page);
    return {pageviews: page ? Object.fromEntries(v.devices.map((d) => [d.id, page.devices[d.id].pageviews])) : null, version};
  } catch {
    return null;
  }
}

/** While the pieces of a view keep coming from different aggregations: say so rather than show numbers that disagree. */
function showUpdating(on) {
  const status = document.getElementById('view-updating');
  if (status) status.hidden = !on;
}
