// What the screenshot buttons do (capture now, upload, use a flagged one anyway, view an older one) and the wait for
// a requested capture to finish. Each draws the view again when done.

import * as api from './api.js';
import {showError, showInfo} from './banner.js';
import {DONE, renderHistory} from './capture.js';
import {toQuery} from './state.js';

const POLL_MS = 1000;
const polling = new Set();

const closeMenu = () => { document.getElementById('captures-menu').open = false; };

/** New screenshots move anchored clicks onto new boxes: forget everything that depends on the layout. */
function forgetLayout() {
  api.forget('/captures');
  api.forget('/elements');
  api.forget('/heatmap.packed');
}

/** Does the work, closes the screenshots menu and draws again; a refusal is shown instead. */
async function act(v, work) {
  try {
    await work();
    closeMenu();
    await v.render();
  } catch (e) {
    showError(e);
  }
}

/**
 * The actions of a device's screenshot card and menu: {capture, upload(file), accept(id)}; null in a share link's
 * viewer, which changes nothing.
 */
export function captureActions(v, device) {
  if (v.shared) return null;
  const {key} = v.site;
  // A group's screenshots are those of the page it is drawn on.
  const page = () => (v.shown[0] ? v.shown[0].view.page : v.state.page);
  return {
    capture: () => act(v, async () => {
      await api.requestCapture(key, page(), device);
      api.forget('/captures?');
    }),
    upload: (file) => act(v, async () => {
      await api.uploadCapture(key, page(), device, file);
      forgetLayout();
      v.state = {...v.state, capture: ''};
      history.pushState(null, '', toQuery(v.state, v.devices));
      showInfo('Screenshot uploaded.');
    }),
    accept: (id) => act(v, async () => {
      await api.acceptCapture(key, id);
      forgetLayout();
    }),
  };
}

/** Checks a requested capture every second (5 minutes at most) and draws again once it is done. */
export async function poll(v, id) {
  if (polling.has(id)) return;
  polling.add(id);
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const c = await api.capture(v.site.key, id);
      if (DONE.includes(c.status)) {
        forgetLayout();
        await v.render();
        return;
      }
    }
  } catch (e) {
    showError(e);
  } finally {
    polling.delete(id);
  }
}

/** The screenshots menu of the first frame's device. */
export function captureMenu(v) {
  if (v.shared) return;
  const s = v.shown[0];
  renderHistory(document.getElementById('captures-panel'), s ? s.captures : [], s && s.capture ? s.capture.id : '', {
    ...captureActions(v, v.state.device),
    view: (c) => {
      closeMenu();
      v.navigate({capture: String(c.id)}, 'render');
    },
  });
}
