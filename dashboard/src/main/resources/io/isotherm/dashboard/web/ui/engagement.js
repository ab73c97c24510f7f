// Engagement (/engagement?site=KEY&…): a site's or one page's page views, clicks, rage and dead clicks or scroll reach
// by weekday × hour or by page × day, as an annotated grid (grid-chart.js) from GET /api/sites/{site}/engagement.
// Every choice lives in the address; the segment parameters (referrer, utm_*, variant, browser, os, country) are
// passed on as they are to the API, the CSV link and the cells' links to the viewer.

import * as api from './api.js';
import {showError} from './banner.js';
import {deviceClasses} from './devices.js';
import {h} from './dom.js';
import {count, isIsoDate, range as rangeText} from './format.js';
import {gridChart, NORMALISATIONS} from './grid-chart.js';
import {json} from './http.js';
import {pageHead, signedInPage} from './page.js';
import {PRESETS, rangeOf} from './state.js';

const GRIDS = [{id: 'weekday-hour', label: 'Weekday × hour'}, {id: 'page-day', label: 'Pages × days'}];
const METRICS = [
  {id: 'pageviews', label: 'Page views', one: 'page view', many: 'page views'},
  {id: 'clicks', label: 'Clicks', one: 'click', many: 'clicks'},
  {id: 'rage', label: 'Rage clicks', one: 'rage click', many: 'rage clicks'},
  {id: 'dead', label: 'Dead clicks', one: 'dead click', many: 'dead clicks'},
  {id: 'reach', label: 'Scroll reach (mean %)', one: '% of the page reached on average',
    many: '% of the page reached on average'},
];
const dayLabel = new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric', timeZone: 'UTC'});
const TOP_PAGES = ['5', '10', '20', '50'];
/** The segment filter's parameters (SegmentFilter.DIMENSIONS); an empty value means "none" and is kept. */
const SEGMENTS = ['referrer', 'utm_source', 'utm_medium', 'utm_campaign', 'variant', 'browser', 'os', 'country'];

const oneOf = (value, list, fallback) => (list.some((x) => (x.id || x) === value) ? value : fallback);

function readChoice(search) {
  const q = new URLSearchParams(search);
  const from = q.get('from');
  const to = q.get('to');
  const custom = isIsoDate(from) && isIsoDate(to) && from <= to;
  const segments = {};
  for (const name of SEGMENTS) if (q.has(name)) segments[name] = q.get(name);
  return {
    site: q.get('site') || '',
    grid: oneOf(q.get('grid'), GRIDS, 'weekday-hour'),
    metric: oneOf(q.get('metric'), METRICS, 'pageviews'),
    preset: custom ? 'custom' : oneOf(q.get('preset'), PRESETS.filter((p) => p.id !== 'custom'), '30d'),
    from: custom ? from : '',
    to: custom ? to : '',
    device: q.get('device') || '',
    page: q.get('page') || '',
    pages: oneOf(q.get('pages'), TOP_PAGES, '10'),
    norm: oneOf(q.get('norm'), NORMALISATIONS, 'none'),
    segments,
  };
}

/** The page's own address for a choice: defaults left out, segments kept (empty ones too). */
function pageQuery(c) {
  const q = new URLSearchParams({site: c.site});
  if (c.grid !== 'weekday-hour') q.set('grid', c.grid);
  if (c.metric !== 'pageviews') q.set('metric', c.metric);
  if (c.preset === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  } else if (c.preset !== '30d') q.set('preset', c.preset);
  if (c.device) q.set('device', c.device);
  if (c.page) q.set('page', c.page);
  if (c.grid === 'page-day' && c.pages !== '10') q.set('pages', c.pages);
  if (c.norm !== 'none') q.set('norm', c.norm);
  for (const [k, v] of Object.entries(c.segments)) q.set(k, v);
  return q;
}

/** The API's query for a choice and its range. */
function apiQuery(c, range) {
  const q = new URLSearchParams({grid: c.grid, metric: c.metric, from: range.from, to: range.to});
  if (c.device) q.set('device', c.device);
  if (c.page) q.set('page', c.page);
  if (c.grid === 'page-day') q.set('pages', c.pages);
  for (const [k, v] of Object.entries(c.segments)) q.set(k, v);
  return q;
}

/** The viewer of a page for a range, on the chosen device class, with the segment parameters. */
function viewerLink(c, page, from, to) {
  const q = new URLSearchParams({site: c.site, page, from, to});
  if (c.device) q.set('device', c.device);
  for (const [k, v] of Object.entries(c.segments)) q.set(k, v);
  return `/view?${q}`;
}

const oneDecimal = new Intl.NumberFormat(undefined, {minimumFractionDigits: 1, maximumFractionDigits: 1});
const formatter = (metric) => (metric === 'reach' ? (v) => `${oneDecimal.format(v)}` : (v) => count(v));

function select(name, label, options, value, onChange) {
  const id = `engagement-${name}`;
  const s = h('select', {id, name, onchange: () => onChange(s.value)},
    options.map((o) => h('option', {value: o.id, selected: o.id === value}, o.label)));
  return h('label', {class: 'grid-control', for: id}, h('span', {}, label), s);
}

function controls(c, devices, range, go) {
  const set = (patch) => go({...c, ...patch});
  const items = [
    select('grid', 'Grid', GRIDS, c.grid, (grid) => set({grid})),
    select('metric', 'Metric', METRICS, c.metric, (metric) => set({metric})),
    select('preset', 'Range', PRESETS, c.preset, (preset) => set(preset === 'custom'
      ? {preset, from: range.from, to: range.to} : {preset, from: '', to: ''})),
  ];
  if (c.preset === 'custom') {
    const date = (name, label) => {
      const input = h('input', {type: 'date', id: `engagement-${name}`, value: c[name],
        onchange: () => input.value && set({[name]: input.value})});
      return h('label', {class: 'grid-control', for: input.id}, h('span', {}, label), input);
    };
    items.push(date('from', 'From'), date('to', 'To'));
  }
  items.push(
    select('device', 'Device', [{id: '', label: 'All devices'}, ...devices.map((d) => ({id: d.id, label: d.label}))],
      c.device, (device) => set({device})),
    select('norm', 'Colour scale', NORMALISATIONS, c.norm, (norm) => set({norm})));
  if (c.grid === 'page-day' && !c.page) {
    items.push(select('pages', 'Pages', TOP_PAGES.map((n) => ({id: n, label: `Top ${n}`})), c.pages, (pages) => set({pages})));
  }
  return h('div', {class: 'grid-controls'}, items);
}

function subtitle(c, data) {
  const what = c.page ? `Page ${c.page}` : 'All pages';
  return `${what} · ${rangeText(data.from, data.to)} · hours and days in ${data.timeZone}`;
}

function chart(c, data) {
  const format = formatter(c.metric);
  const weekdayHour = c.grid === 'weekday-hour';
  const metric = METRICS.find((m) => m.id === c.metric);
  const describe = (i, j) => {
    const lines = [];
    if (c.metric === 'reach') lines.push(`Mean of ${count(data.pageviews[i][j])} page views`);
    if (weekdayHour) lines.push(`Every ${data.rows[i]} of the range, ${data.columns[j]}–${String(j + 1).padStart(2, '0')}:00`);
    if (weekdayHour && c.page) lines.push('Click: this page\'s heatmap for the whole range (heatmaps are not split by hour)');
    if (!weekdayHour) lines.push('Click: this page\'s heatmap for this day');
    return lines;
  };
  const link = (i, j) => {
    if (!weekdayHour) return viewerLink(c, data.rows[i], data.columns[j], data.columns[j]);
    return c.page ? viewerLink(c, c.page, data.from, data.to) : null;
  };
  return gridChart({
    rows: data.rows, columns: data.columns, values: data.values, mode: c.norm, format,
    caption: `${metric.label} by ${weekdayHour ? 'weekday and hour' : 'page and day'}`,
    corner: weekdayHour ? 'Weekday' : 'Page',
    rowLabel: (i) => (weekdayHour ? data.rows[i] : data.rows[i].replace(/^https?:\/\/[^/]+/, '') || '/'),
    columnLabel: (j) => (weekdayHour ? data.columns[j].slice(0, 2) : dayLabel.format(Date.parse(data.columns[j]))),
    unit: (v) => (v === 1 ? metric.one : metric.many),
    describe, link,
  });
}

signedInPage('sites', async (who, main) => {
  const {sites} = await api.sites();
  const devices = await deviceClasses();
  let latest = 0;
  const render = async (c) => {
    const site = sites.find((s) => s.key === c.site);
    if (!site) {
      main.replaceChildren(h('div', {class: 'card empty'}, h('h2', {}, 'Site not found'),
        h('p', {}, 'This site does not exist, or you are not one of its members.'),
        h('p', {}, h('a', {href: '/'}, 'Back to your sites'))));
      return;
    }
    const mine = ++latest; // a later choice's answer wins, whichever arrives first
    const range = rangeOf(c, site.today);
    const query = apiQuery(c, range);
    const base = `/api/sites/${encodeURIComponent(site.key)}`;
    main.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await json(`${base}/engagement?${query}`);
    } finally {
      if (mine === latest) main.setAttribute('aria-busy', 'false');
    }
    if (mine !== latest) return;
    const go = (next) => {
      history.replaceState(null, '', `/engagement?${pageQuery(next)}`);
      render(next).catch(showError);
    };
    const csv = h('a', {class: 'btn', id: 'engagement-csv', href: `${base}/engagement.csv?${query}`, download: ''},
      'Download CSV');
    const back = h('a', {class: 'btn', href: `/?site=${encodeURIComponent(site.key)}`}, 'Pages');
    const card = h('section', {class: 'card grid-card', 'aria-label': 'Engagement grid'});
    if (data.rows.length) card.append(chart(c, data));
    else card.append(h('p', {class: 'empty'}, 'No page views in this range.'));
    main.replaceChildren(pageHead(`Engagement · ${site.name}`, subtitle(c, data), back, csv),
      controls(c, devices, range, go), card);
    document.title = `Engagement · ${site.name} · Isotherm`;
    main.dataset.version = data.version;
  };
  await render(readChoice(location.search));
});
