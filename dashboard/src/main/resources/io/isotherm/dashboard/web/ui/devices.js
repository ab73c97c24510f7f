// The device classes, as the platform defines them (GET /api/platform): their names, labels and layout widths are
// configured on the server (ISOTHERM_LAYOUT_WIDTH_*), so the viewer and the start page take them from there.

import {platform} from './admin-api.js';

/** [{id, label, layoutWidth}] in the platform's order (desktop, tablet, mobile); ids as in URLs and the read API. */
export async function deviceClasses() {
  const {devices} = await platform();
  return devices.map((d) => ({id: d.name, label: d.label, layoutWidth: d.layoutWidth}));
}
