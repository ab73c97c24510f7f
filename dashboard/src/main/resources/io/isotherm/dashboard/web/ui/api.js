// The read API and the captures API (docs/API.md). Every GET is cached by its URL for the page's lifetime (until
// snapshot.js finds its pieces of a view from different aggregations and forgets them), so a view fetched once
// does not travel again; refusals become ApiError with the server's message. Requests go through
// http.js: changes carry the CSRF token, and a 401 leads to the sign-in page.

import {parseHeatmap} from './heatmap-bin.js';
import {ApiError, request} from './http.js';

export {ApiError};

const cache = new Map();

function cached(url, read) {
  if (!cache.has(url)) {
    const pending = request(url).then(read);
    pending.catch(() => cache.delete(url));
    cache.set(url, pending);
  }
  return cache.get(url);
}

/** Forgets cached answers whose URL contains every one of the given fragments. */
export function forget(...fragments) {
  for (const url of [...cache.keys()]) {
    if (fragments.every((f) => url.includes(f))) cache.delete(url);
  }
}

/**
 * Forgets every cached report of counts (pages, heatmaps, scroll, elements, calendar): after an aggregation they are
 * read again (snapshot.js), from the read API or a share link's URLs. Captures and sites stay cached.
 */
export function forgetReads() {
  for (const url of [...cache.keys()]) {
    if (/^(\/api\/sites|\/share)\/[^/]+\/(groups\/\d+\/)?(pages|heatmap|scroll|elements|calendar|segments)\b/.test(url)) cache.delete(url);
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A view's segment filter as query parameters, '' values included ("none"), appended to a query string. */
function withSegment(url, segment) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(segment || {})) q.set(k, v);
  const s = q.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

/** Set in a share link's viewer: every report then comes from the link's own URLs, whatever the site. */
let shared = '';

/** Reads the one view of a share link (its path, /share/TOKEN) instead of the read API. */
export function useShareLink(path) {
  shared = path;
}

function base(site) {
  return shared || `/api/sites/${encodeURIComponent(site)}`;
}

export function sites() {
  return cached('/api/sites', (r) => r.json());
}

export function pages(site, from, to) {
  // A link opens one page: no list of the others (the page-view hints under the device switch go without).
  if (shared) return Promise.resolve({pages: []});
  return cached(`${base(site)}/pages${query({from, to})}`, (r) => r.json());
}

/** The report of one view: {page, device, from, to} and, for the heatmap, kind. */
export function scroll(site, v) {
  return cached(withSegment(`${base(site)}/scroll${query({page: v.page, device: v.device, from: v.from, to: v.to})}`, v.segment),
    (r) => r.json());
}

/**
 * Where a view's reports are: a page's under the site, with the page as a parameter; a page group's (v.group, its id)
 * under the group, pooled over its pages and drawn on its screenshot page, which the answers name (docs/API.md).
 */
function reportOf(site, v, report) {
  return v.group ? `${base(site)}/groups/${encodeURIComponent(v.group)}/${report}` : `${base(site)}/${report}`;
}

function pageOf(v) {
  return v.group ? undefined : v.page;
}

export function elements(site, v) {
  return cached(withSegment(`${reportOf(site, v, 'elements')}${query({page: pageOf(v), device: v.device, from: v.from, to: v.to})}`,
    v.segment), (r) => r.json());
}

/** v.sigma: the smoothing radius in px, or null for the server's default. */
export function heatmapUrl(site, v) {
  return withSegment(`${reportOf(site, v, 'heatmap.packed')}${query({page: pageOf(v), device: v.device, kind: v.kind, from: v.from,
    to: v.to, sigma: v.sigma})}`, v.segment);
}

/** A page group of the site: {id, name, pattern, screenshotPage, pages}. */
export function group(site, id) {
  return cached(`${base(site)}/groups/${encodeURIComponent(id)}`, (r) => r.json());
}

export function heatmap(site, v) {
  return cached(heatmapUrl(site, v), async (r) => parseHeatmap(await r.arrayBuffer()));
}

/** The values each segment dimension takes among the page's page views in the range, most viewed first. */
export function segments(site, page, from, to) {
  return cached(`${base(site)}/segments${query({page, from, to})}`, (r) => r.json()).then((b) => b.segments);
}

export function captures(site, page, device) {
  return cached(`${base(site)}/captures${query({page, device})}`, (r) => r.json()).then((b) => b.captures);
}

export function captureElements(site, id) {
  return cached(`${base(site)}/captures/${id}/elements`, (r) => r.json()).then((b) => b.elements);
}

/** A capture's current state, never cached: for polling. */
export async function capture(site, id) {
  return (await request(`${base(site)}/captures/${id}`, {cache: 'no-store'})).json();
}

export async function requestCapture(site, url, device) {
  const response = await request(`${base(site)}/captures`, {
    method: 'POST',
    body: {url, devices: [device], requestedBy: 'viewer'},
  });
  return (await response.json()).captures;
}

export async function uploadCapture(site, page, device, file) {
  const response = await request(`${base(site)}/captures/upload${query({page, device})}`, {
    method: 'POST',
    headers: {'Content-Type': file.type || 'application/octet-stream'},
    body: file,
  });
  return response.json();
}

export async function acceptCapture(site, id) {
  return (await request(`${base(site)}/captures/${id}/accept`, {method: 'POST'})).json();
}
