// Share links in the viewer's terms: the view a link is made of (from the viewer's state), the link's path and its
// token back from the address bar, and the viewer state a shared view stands for. Pure, so Node's tests run it.

import {PRESETS} from './state.js';

const PREFIX = '/share/';

/** The body of POST /api/sites/{site}/shares for the view of a state; expiresInDays null for a link until revoked. */
export function shareBody(state, expiresInDays) {
  const body = {page: state.page, map: state.map, device: state.device, palette: state.palette,
    expiresInDays: expiresInDays || null};
  if (state.preset === 'custom') {
    body.from = state.from;
    body.to = state.to;
  } else {
    body.preset = state.preset;
  }
  // The smoothing radius, where the viewer has one: a link keeps it, like the page's own URL does.
  const sigma = Number(state.sigma);
  if (state.sigma !== undefined && state.sigma !== null && state.sigma !== '' && Number.isFinite(sigma)) body.sigma = sigma;
  return body;
}

/** The path of a link's viewer. */
export function sharePath(token) {
  return `${PREFIX}${encodeURIComponent(token)}`;
}

/** The token of a shared viewer's path, or '' when the path is not one. */
export function tokenOf(pathname) {
  if (!pathname.startsWith(PREFIX)) return '';
  const rest = pathname.slice(PREFIX.length).replace(/\/$/, '');
  return rest && !rest.includes('/') ? decodeURIComponent(rest) : '';
}

/**
 * The viewer's query string for a shared view (GET /share/{token}/view): the server fixes the range to dates, so it
 * is a custom one here whatever preset the link follows.
 */
export function sharedQuery(view) {
  const q = new URLSearchParams({page: view.page, map: view.map, device: view.device.id, from: view.from, to: view.to,
    palette: view.palette});
  if (view.sigma !== null && view.sigma !== undefined) q.set('sigma', String(view.sigma));
  return `?${q}`;
}

/** How a person reads a link's range: "Last 30 days" (rolling with the days) or the fixed dates. */
export function rangeLabel(share) {
  if (share.preset) return `${PRESETS.find((p) => p.id === share.preset).label} (rolling)`;
  return `${share.from} – ${share.to}`;
}
