// The heatmap viewer of one site × page, or of a page group (its pages pooled, drawn on one page's screenshot). Data for a view (site, page, device, map, range) is fetched once and
// cached (api.js); palette, scale and opacity only re-colour what is already here. This module starts the viewer
// and turns each change into the URL and into what must be redone; render.js draws.

import * as api from './api.js';
import {showError} from './banner.js';
import {bindControls, buildControls, syncControls} from './controls.js';
import {deviceClasses} from './devices.js';
import {bindExportMenu} from './export.js';
import {render, restyle} from './render.js';
import {setUpShare} from './share.js';
import {isDensity, readState, toQuery} from './state.js';

/** What the viewer's modules share. */
const v = {
  devices: [], // the platform's device classes (devices.js)
  state: null, // state.js
  site: null, // {key, name, today, …} from GET /api/sites
  frames: [],
  shown: [], // per frame: {view, captures, capture, data, report, placed, width, height, model, notice}
  selected: null, // the selector chosen in the elements panel
  hints: null, // page views per device class in the range
  groupName: '', // the page group's name, when the view is one's
  current: Promise.resolve(), // the render under way
  lastDraw: {fetchMs: 0, drawMs: 0, tiles: 0},
  render: () => render(v),
  navigate,
};

/**
 * Applies a partial state: how is 'render' (new data may be needed), 'colour', 'opacity', 'opacity-live' (while the
 * slider moves: no new history entry), 'markers', 'zoom', or 'invalid' (message says why nothing changes).
 */
function navigate(change, how, message) {
  if (how === 'invalid') {
    showError(message);
    return;
  }
  v.state = {...v.state, ...change};
  const query = toQuery(v.state, v.devices);
  if (how === 'opacity-live') {
    history.replaceState(null, '', query);
  } else if (query !== location.search) {
    history.pushState(null, '', query);
  }
  if (how === 'render') {
    v.selected = null;
    render(v);
  } else {
    restyle(v, how);
    if (how === 'zoom') syncControls(v.state, v.site.today);
  }
}

/**
 * A page group's view: its name in the breadcrumb and title. Its maps are the click and move maps, pooled over its pages
 * (scroll and attention are a page's own), and it has no export nor share link of its own.
 */
async function showGroup() {
  const group = await api.group(v.site.key, v.state.group);
  v.groupName = group.name;
  document.getElementById('crumb-page').textContent = `Group: ${group.name} (${group.pattern})`;
  document.title = `${group.name} · Isotherm`;
  for (const map of ['scroll', 'attention']) document.querySelector(`#map-switch input[value="${map}"]`).disabled = true;
  document.getElementById('export-menu').remove();
  if (!isDensity(v.state)) {
    v.state = {...v.state, map: 'click'};
    history.replaceState(null, '', toQuery(v.state, v.devices));
  }
}

/** Resolves to {error} once the first view is drawn, or could not be (error says why). */
async function init() {
  let sites;
  try {
    [v.devices, {sites}] = await Promise.all([deviceClasses(), api.sites()]);
  } catch (e) {
    showError(e);
    return {error: e.message};
  }
  v.state = readState(location.search, v.devices);
  buildControls(v.devices);
  if (!v.state.site || (!v.state.page && !v.state.group)) {
    showError('Choose a page from the list of sites first.');
    return {error: 'no page'};
  }
  v.site = sites.find((s) => s.key === v.state.site);
  if (!v.site) {
    showError(new api.ApiError('unknown site', 404));
    return {error: 'unknown site'};
  }
  const crumb = document.getElementById('crumb-site');
  crumb.textContent = v.site.name;
  crumb.href = `/?site=${encodeURIComponent(v.site.key)}`;
  if (v.state.group) {
    try {
      await showGroup();
    } catch (e) {
      showError(e);
      return {error: e.message};
    }
  } else {
    document.getElementById('crumb-page').textContent = v.state.page;
    document.title = `${v.state.page} · Isotherm`;
  }
  bindControls(() => v.state, () => v.site.today, navigate);
  addEventListener('popstate', () => {
    v.state = readState(location.search, v.devices);
    v.selected = null;
    render(v);
  });
  if (!v.state.group) {
    bindExportMenu(document.getElementById('export-menu'), document.getElementById('export-panel'),
      () => ({siteKey: v.site.key, state: v.state, today: v.site.today}));
    setUpShare(v);
  }
  await render(v);
  return {error: null};
}

const ready = init();

// Browser tests and the viewer benchmark set this flag before the page loads (ViewerTestHooks in the dashboard's
// tests); only then is the module that exposes the viewer's insides loaded at all.
if (window.isothermTestHooks === true) import('./test-hooks.js').then((hooks) => hooks.install(v, ready));
