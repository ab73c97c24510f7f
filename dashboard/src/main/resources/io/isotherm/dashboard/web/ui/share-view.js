// The viewer of a share link (/share/TOKEN): the viewer's page and drawing, locked to the link's one view. The view
// comes from GET /share/TOKEN/view and every report from the link's own URLs (api.js), which the server answers for
// that view only. What would lead elsewhere is taken out (the site list, links, screenshot and upload buttons); the
// controls that would change the view are hidden and ignored. What only changes how it looks stays: scale, opacity,
// zoom, the dead and rage click marks, the elements list.

import * as api from './api.js';
import {showError} from './banner.js';
import {bindControls, buildControls} from './controls.js';
import {request} from './http.js';
import {render, restyle} from './render.js';
import {sharedQuery, tokenOf} from './share-url.js';
import {readState} from './state.js';

/** The controls a link fixes: their groups are hidden and disabled. */
const FIXED = ['map', 'device', 'preset', 'cmp', 'sigma'];
/** Changes a shared view takes: how it looks, not what it shows. */
const ALLOWED = new Set(['colour', 'opacity', 'opacity-live', 'markers', 'zoom']);

const v = {
  shared: true,
  devices: [],
  state: null,
  site: null,
  frames: [],
  shown: [],
  selected: null,
  hints: null,
  current: Promise.resolve(),
  lastDraw: {fetchMs: 0, drawMs: 0, tiles: 0},
  render: () => render(v),
  navigate,
};

function navigate(change, how) {
  if (!ALLOWED.has(how)) return;
  // The palette is the link's.
  const {palette, ...rest} = change || {};
  v.state = {...v.state, ...rest};
  restyle(v, how);
  if (how === 'zoom') {
    const zoom = document.getElementById('zoom-select');
    if (zoom) zoom.value = v.state.zoom;
  }
}

/** Takes out what leads away from the view: links, the site list, screenshots, downloads and exports. */
function lockDown() {
  for (const id of ['captures-menu', 'download', 'export-menu', 'share', 'crumb-site']) document.getElementById(id)?.remove();
  const brand = document.querySelector('.brand');
  if (brand) {
    const plain = document.createElement('span');
    plain.className = 'brand';
    plain.append(...brand.childNodes);
    brand.replaceWith(plain);
  }
  for (const a of document.querySelectorAll('a[href]')) a.removeAttribute('href');
}

/** Hides and disables the controls the link fixes (after buildControls: the device switch is built there). */
function fixControls() {
  const form = document.getElementById('controls-form');
  for (const name of FIXED) {
    const control = form.elements[name];
    if (!control) continue;
    const first = control instanceof RadioNodeList ? control[0] : control;
    // The smoothing radius shares the colour group with what may change: only its own field goes.
    const group = first && (first.closest('#sigma-field, fieldset.group') || first.closest('.field'));
    if (group) {
      group.hidden = true;
      group.disabled = true;
      group.dataset.fixed = ''; // so that drawing the view (controls.js) keeps it hidden
    }
  }
}

/** Resolves to {error} once the view is drawn, or could not be. */
async function init() {
  lockDown();
  const token = tokenOf(location.pathname);
  const path = `/share/${encodeURIComponent(token)}`;
  let view;
  try {
    view = await (await request(`${path}/view`, {redirect: false})).json();
  } catch (e) {
    showError(e);
    return {error: e.message};
  }
  api.useShareLink(path);
  v.devices = view.devices;
  v.site = {key: '', name: view.site, today: view.today};
  v.state = readState(sharedQuery(view), v.devices);
  buildControls(v.devices);
  fixControls();
  document.getElementById('crumb-page').textContent = `${view.site} · ${view.page}`;
  document.title = `${view.page} · shared heatmap`;
  const note = document.createElement('span');
  note.className = 'badge';
  note.id = 'shared-badge';
  note.textContent = view.expiresAt ? `Shared view, until ${view.expiresAt.slice(0, 10)}` : 'Shared view';
  document.querySelector('.crumbs').append(note);
  bindControls(() => v.state, () => v.site.today, navigate);
  await render(v);
  // After the render, which sets the controls from the state: the palette is the link's.
  document.getElementById('controls-form').elements.palette.disabled = true;
  return {error: null};
}

const ready = init();

if (window.isothermTestHooks === true) import('./test-hooks.js').then((hooks) => hooks.install(v, ready));
