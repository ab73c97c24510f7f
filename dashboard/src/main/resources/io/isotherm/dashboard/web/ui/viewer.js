// The heatmap viewer of one site × page. Data for a view (site, page, device, map, range) is fetched once and
// cached (api.js); palette, scale and opacity only re-colour what is already here.

import * as api from './api.js';
import {showError, showInfo} from './banner.js';
import {chooseCapture, DONE, placeholderCard, renderHistory} from './capture.js';
import {bindControls, buildControls, showDeviceHints, syncControls} from './controls.js';
import {drawMarkers, markSelected, placedElements, renderList} from './elements.js';
import {downloadPng} from './export.js';
import {emptyLegend} from './legend.js';
import {count, range as rangeText} from './format.js';
import {Frame, el} from './frame.js';
import {attentionModel, colouring, densityModel, differenceModel, drawMarks, emptyNotice, legend, scrollModel, tooltip} from './maps.js';
import {colourAt, topColour} from './palettes.js';
import {comparison, DEVICES, MAPS, rangeOf, readState, toQuery} from './state.js';
import {hideTooltip, showTooltip} from './tooltip.js';

const LAYOUT_WIDTHS = {desktop: 1440, tablet: 820, mobile: 390};
const MIN_HEIGHT = 900;
const POLL_MS = 1000;

let state = readState(location.search);
let site = null;
let frames = [];
let shown = []; // per frame: {view, captures, capture, data, report, placed, model}
let token = 0;
let selected = null;
let hints = null;
let current = Promise.resolve();
const polling = new Set();
const lastDraw = {fetchMs: 0, drawMs: 0, tiles: 0};
let renders = 0;
let markReady;
const ready = new Promise((resolve) => { markReady = resolve; });

window.isothermViewer = {
  ready,
  lastDraw,
  get state() { return {...state}; },
  get renders() { return renders; },
  /** Resolves once the render under way (if any) has finished and painted. */
  settled: () => current.then(() => new Promise((r) => requestAnimationFrame(() => r()))),
  topColour,
  colourAt,
  /** Draws every heat tile of every frame now; returns the time taken in ms. */
  drawAll() {
    for (const f of frames) for (const t of f.heat.tiles) t.dirty = true;
    const started = performance.now();
    for (const f of frames) f.heat.drawAll();
    return performance.now() - started;
  },
  frames: () => frames,
};

const label = (list, id) => list.find((x) => x.id === id).label;
const isDensity = () => state.map === 'click' || state.map === 'move';
const today = () => site.today;

function navigate(change, how, message) {
  if (how === 'invalid') {
    showError(message);
    return;
  }
  state = {...state, ...change};
  const query = toQuery(state);
  if (how === 'opacity-live') {
    history.replaceState(null, '', query);
  } else if (query !== location.search) {
    history.pushState(null, '', query);
  }
  if (how === 'render') {
    selected = null;
    render();
  } else if (how === 'colour') {
    recolour();
  } else if (how === 'opacity' || how === 'opacity-live') {
    for (const f of frames) f.setOpacity(state.opacity);
    document.getElementById('opacity-value').textContent = `${state.opacity} %`;
  } else if (how === 'markers') {
    markers();
  }
}

async function init() {
  buildControls();
  if (!state.site || !state.page) {
    showError('Choose a page from the list of sites first.');
    markReady({error: 'no page'});
    return;
  }
  try {
    const sites = (await api.sites()).sites;
    site = sites.find((s) => s.key === state.site);
    if (!site) throw new api.ApiError('unknown site', 404);
  } catch (e) {
    showError(e);
    markReady({error: e.message});
    return;
  }
  const crumb = document.getElementById('crumb-site');
  crumb.textContent = site.name;
  crumb.href = `/?site=${encodeURIComponent(site.key)}`;
  document.getElementById('crumb-page').textContent = state.page;
  document.title = `${state.page} · Isotherm`;
  bindControls(() => state, today, navigate);
  addEventListener('popstate', () => {
    state = readState(location.search);
    selected = null;
    render();
  });
  document.getElementById('download').addEventListener('click', download);
  await render();
  markReady({error: null});
}

function setFrameCount(n) {
  while (frames.length > n) frames.pop().remove();
  while (frames.length < n) {
    const frame = new Frame(document.getElementById('frames'));
    const i = frames.length;
    frame.page.addEventListener('pointermove', (e) => hover(i, e));
    frame.page.addEventListener('pointerleave', hideTooltip);
    frame.scroller.addEventListener('scroll', () => syncScroll(frame));
    frames.push(frame);
  }
}

let syncing = false;

function syncScroll(source) {
  if (syncing || frames.length < 2) return;
  syncing = true;
  for (const f of frames) {
    if (f !== source) {
      f.scroller.scrollTop = source.scroller.scrollTop;
      f.scroller.scrollLeft = source.scroller.scrollLeft;
    }
  }
  requestAnimationFrame(() => { syncing = false; });
}

function render() {
  const mine = ++token;
  syncControls(state, site.today);
  const range = rangeOf(state, site.today);
  const kind = state.map === 'move' ? 'move' : 'click';
  const primary = {page: state.page, device: state.device, from: range.from, to: range.to, kind};
  const other = comparison(state, range);
  const otherView = other ? {...primary, ...other} : null;
  const difference = Boolean(otherView) && state.cmp === 'range' && state.cmode === 'diff' && isDensity();
  const views = otherView && !difference ? [primary, otherView] : [primary];
  setFrameCount(views.length);
  for (const f of frames) f.setLoading(true);
  const hinted = loadHints(range);
  current = (async () => {
    try {
      performance.mark('isotherm:fetch-start');
      const started = performance.now();
      const loaded = await Promise.all(views.map((v, i) => load(v, i === 0 ? state.capture : '')));
      await hinted;
      const compared = difference ? await api.heatmap(site.key, otherView) : null;
      const fetchMs = performance.now() - started;
      performance.measure('isotherm:fetch', 'isotherm:fetch-start');
      if (mine !== token) return;
      lastDraw.fetchMs = fetchMs;
      shown = loaded.map((s, i) => ({...s, model: model(s, i === 0 ? compared : null, kind)}));
      shown.forEach((s, i) => layoutFrame(frames[i], s, i, views.length > 1, difference ? otherView : null));
      recolour();
      markers();
      elementsPanel();
      captureMenu();
    } catch (e) {
      if (mine === token) showError(e);
    } finally {
      if (mine === token) for (const f of frames) f.setLoading(false);
    }
  })();
  return current;
}

async function load(view, wantedCapture) {
  const data = isDensity() ? api.heatmap(site.key, view) : api.scroll(site.key, view);
  const report = api.elements(site.key, view);
  let captures = [];
  try {
    captures = await api.captures(site.key, view.page, view.device);
  } catch (e) {
    showError(e);
  }
  const capture = chooseCapture(captures, wantedCapture);
  const captureElements = capture ? api.captureElements(site.key, capture.id).catch(() => []) : [];
  const [d, r, ce] = await Promise.all([data, report, captureElements]);
  return {view, captures, capture, data: d, report: r, placed: placedElements(r, ce)};
}

function pageHeight(s) {
  const d = s.data;
  let height = Math.max(d.layoutHeight || 0, s.capture ? s.capture.height : 0, MIN_HEIGHT);
  if (d.reachPx && d.reachPx.length) height = Math.max(height, d.reachPx[d.reachPx.length - 1].y + 50);
  if (d.attention && d.attention.length) {
    const last = d.attention[d.attention.length - 1];
    height = Math.max(height, last.y + last.height);
  }
  return height;
}

function model(s, compared, kind) {
  if (compared) return differenceModel(s.data, compared, kind);
  if (isDensity()) return densityModel(s.data, kind);
  const build = state.map === 'scroll' ? scrollModel : attentionModel;
  return build(s.data, pageWidth(s), pageHeight(s));
}

function pageWidth(s) {
  return Math.max(s.data.layoutWidth || LAYOUT_WIDTHS[s.view.device], s.capture ? s.capture.width : 0);
}

function layoutFrame(frame, s, i, compare, diffAgainst) {
  const width = pageWidth(s);
  frame.setSize(width, pageHeight(s));
  frame.setOpacity(state.opacity);
  const device = label(DEVICES, s.view.device);
  const mapLabel = label(MAPS, state.map);
  if (s.capture) {
    frame.showCapture(s.capture, `Screenshot of ${state.page} on ${device}`);
  } else {
    frame.showPlaceholder(placeholderCard(s.captures[0], device, width, captureActions(s.view.device)));
  }
  const latest = s.captures[0];
  if (latest && !DONE.includes(latest.status)) poll(latest.id);
  const title = el('strong');
  const dates = diffAgainst
    ? `A: ${rangeText(s.view.from, s.view.to)} − B: ${rangeText(diffAgainst.from, diffAgainst.to)}`
    : rangeText(s.view.from, s.view.to);
  title.textContent = compare ? `${i === 0 ? 'A' : 'B'} · ${device}` : device;
  const when = el('span');
  when.textContent = dates;
  const stat = el('span', 'stat');
  const noun = state.map === 'move' ? 'moves' : 'clicks';
  const totals = (d) => `${count(d.pageviews)} page views${d.total === undefined ? '' : ` · ${count(d.total)} ${noun}`}`;
  stat.textContent = s.model.type === 'difference'
    ? `A: ${totals(s.model.a)} · B: ${totals(s.model.b)}` : totals(s.data);
  frame.setHead(title, when, stat);
  frame.setLabel(`${mapLabel} map of ${state.page}, ${device}, ${dates}`);
  const others = hints ? DEVICES.filter((d) => d.id !== s.view.device && hints[d.id] > 0)
    .map((d) => ({label: d.label, pageviews: hints[d.id]})) : [];
  s.notice = emptyNotice(s.model, device, others);
  frame.setNotice(...(s.notice || []));
}

/** Colours every frame's grid under the current palette and scale and draws what is near the visible area. */
function recolour() {
  performance.mark('isotherm:draw-start');
  const started = performance.now();
  let tiles = 0;
  shown.forEach((s, i) => {
    const frame = frames[i];
    if (s.notice) {
      frame.heat.clear();
    } else {
      const {grid, lut} = colouring(s.model, state);
      frame.heat.set(grid, lut);
      tiles += frame.drawVisible();
    }
    drawMarks(frame.marks, s.model);
  });
  lastDraw.drawMs = performance.now() - started;
  lastDraw.tiles = tiles;
  performance.measure('isotherm:draw', 'isotherm:draw-start');
  const legendElement = document.getElementById('legend');
  legendElement.replaceChildren();
  // Without data the scale has no units to show: say so instead of a bar of zeros.
  if (shown[0]) legendElement.append(shown[0].notice ? emptyLegend('No data in this view.') : legend(shown[0].model, state));
  renders++;
}

function markers() {
  shown.forEach((s, i) => drawMarkers(frames[i].markers, s.placed, {dead: state.dead, rage: state.rage}));
}

function elementsPanel() {
  const list = document.getElementById('elements-list');
  renderList(list, shown[0] ? shown[0].placed : [], {selected, onSelect: select});
}

function select(element) {
  selected = element.selector;
  markSelected(document.getElementById('elements-list'), selected);
  shown.forEach((s, i) => {
    const e = s.placed.find((p) => p.selector === element.selector);
    frames[i].highlight(e ? e.box : null);
  });
  if (!element.box) showInfo(`${element.selector} is not on this layout: the page has changed since these clicks.`);
}

function hover(i, event) {
  const s = shown[i];
  if (!s) return;
  const p = frames[i].pointAt(event.clientX, event.clientY);
  if (!p) {
    hideTooltip();
    return;
  }
  showTooltip(event.clientX, event.clientY, tooltip(s.model, p.x, p.y, s.placed));
}

async function loadHints(range) {
  try {
    const {pages} = await api.pages(site.key, range.from, range.to);
    const page = pages.find((p) => p.url === state.page);
    hints = page ? Object.fromEntries(DEVICES.map((d) => [d.id, page.devices[d.id].pageviews])) : null;
  } catch {
    hints = null;
  }
  showDeviceHints(hints);
}

function captureActions(device) {
  return {
    capture: () => captureNow(device),
    upload: (file) => upload(device, file),
    accept: (id) => accept(id),
  };
}

/** New screenshots move anchored clicks onto new boxes: forget everything that depends on the layout. */
function forgetLayout() {
  api.forget('/captures');
  api.forget('/elements');
  api.forget('/heatmap.bin');
}

async function captureNow(device) {
  try {
    await api.requestCapture(site.key, state.page, device);
    api.forget('/captures?');
    document.getElementById('captures-menu').open = false;
    await render();
  } catch (e) {
    showError(e);
  }
}

async function upload(device, file) {
  try {
    await api.uploadCapture(site.key, state.page, device, file);
    forgetLayout();
    state = {...state, capture: ''};
    history.pushState(null, '', toQuery(state));
    document.getElementById('captures-menu').open = false;
    showInfo('Screenshot uploaded.');
    await render();
  } catch (e) {
    showError(e);
  }
}

async function accept(id) {
  try {
    await api.acceptCapture(site.key, id);
    forgetLayout();
    document.getElementById('captures-menu').open = false;
    await render();
  } catch (e) {
    showError(e);
  }
}

async function poll(id) {
  if (polling.has(id)) return;
  polling.add(id);
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const c = await api.capture(site.key, id);
      if (DONE.includes(c.status)) {
        forgetLayout();
        await render();
        return;
      }
    }
  } catch (e) {
    showError(e);
  } finally {
    polling.delete(id);
  }
}

function captureMenu() {
  const s = shown[0];
  const panel = document.getElementById('captures-panel');
  renderHistory(panel, s ? s.captures : [], s && s.capture ? s.capture.id : '', {
    ...captureActions(state.device),
    view: (c) => {
      document.getElementById('captures-menu').open = false;
      navigate({capture: String(c.id)}, 'render');
    },
  });
}

function download() {
  if (!frames[0]) return;
  const range = rangeOf(state, site.today);
  const caption = `${label(MAPS, state.map)} map · ${label(DEVICES, state.device)} · ${rangeText(range.from, range.to)} · ${state.page}`;
  downloadPng(frames[0], caption, `isotherm-${state.map}-${state.device}-${range.to}.png`).catch(showError);
}

init();
