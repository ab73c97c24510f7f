// Visitors by country (/countries?site=KEY): page views, clicks or scroll reach per country as a world map and a
// table, for a range and a device class (and one page with &page=URL). The country is the one of the time zone the
// visitor's browser reports: no address is read, so the page says "by time zone". Every country links to its
// heatmap, filtered by country. The choices live in the address, so a link opens the same report.

import * as api from './api.js';
import {deviceClasses} from './devices.js';
import {h} from './dom.js';
import {count, range as rangeText} from './format.js';
import {json, query} from './http.js';
import {colourOf, drawChoropleth, HEIGHT, mapId, NO_DATA, WIDTH, worldShapes} from './choropleth.js';
import {pageHead, signedInPage} from './page.js';
import {PRESETS, rangeOf} from './state.js';
import {hideTooltip, showTooltip} from './tooltip.js';

const SVG = 'http://www.w3.org/2000/svg';

const METRICS = [
  {id: 'pageviews', label: 'Page views', unit: 'page views'},
  {id: 'clicks', label: 'Clicks', unit: 'clicks'},
  {id: 'reach', label: 'Reach', unit: 'mean scroll reach'},
];
const RANGES = PRESETS.filter((p) => p.id !== 'custom');

/** The report's choices from the address; anything unknown falls back to its default. */
function readChoices(devices) {
  const q = new URLSearchParams(location.search);
  const pick = (value, ids, fallback) => (ids.includes(value) ? value : fallback);
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  const custom = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  return {
    site: q.get('site') || '',
    page: q.get('page') || '',
    metric: pick(q.get('metric'), METRICS.map((m) => m.id), 'pageviews'),
    device: pick(q.get('device'), devices.map((d) => d.id), ''),
    preset: custom ? 'custom' : pick(q.get('preset'), RANGES.map((r) => r.id), '30d'),
    from: custom ? from : '',
    to: custom ? to : '',
  };
}

/** The address of the choices, defaults left out. */
function address(c) {
  const q = {site: c.site, page: c.page, metric: c.metric === 'pageviews' ? '' : c.metric, device: c.device};
  if (c.preset === 'custom') Object.assign(q, {from: c.from, to: c.to});
  else if (c.preset !== '30d') q.preset = c.preset;
  return `/countries${query(q)}`;
}

function value(row, metric) {
  return metric === 'reach' ? row.reach : row[metric];
}

function shown(x, metric) {
  if (x === null || x === undefined) return '–';
  return metric === 'reach' ? `${x.toFixed(1)} %` : count(x);
}

/** The viewer of the country's page (the chosen one, else its most viewed), filtered by the country. */
function heatmapLink(c, site, country) {
  const q = new URLSearchParams({site: site.key, page: c.page || country.topPage});
  if (c.device) q.set('device', c.device);
  if (c.preset === 'custom') {
    q.set('from', c.from);
    q.set('to', c.to);
  } else if (c.preset !== '30d') {
    q.set('preset', c.preset);
  }
  q.set('country', country.code);
  return `/view?${q}`;
}

function segmented(name, options, current, onChange) {
  return h('div', {class: 'segmented', role: 'radiogroup', 'aria-label': name},
    options.map((o) => h('label', {},
      h('input', {type: 'radio', name, value: o.id, checked: o.id === current, onchange: () => onChange(o.id)}),
      h('span', {}, o.label))));
}

function controls(c, devices, change) {
  const rangeSelect = h('select', {id: 'countries-range', 'aria-label': 'Range', onchange: (e) => change({preset: e.target.value, from: '', to: ''})},
    RANGES.map((r) => h('option', {value: r.id, selected: r.id === c.preset}, r.label)),
    c.preset === 'custom' ? h('option', {value: 'custom', selected: true}, `${c.from} – ${c.to}`) : null);
  return h('form', {class: 'card countries-controls', id: 'countries-controls', onsubmit: (e) => e.preventDefault()},
    h('div', {class: 'field'}, 'Show', segmented('metric', METRICS, c.metric, (metric) => change({metric}))),
    h('div', {class: 'field'}, 'Device', segmented('device', [{id: '', label: 'All'}, ...devices], c.device, (device) => change({device}))),
    h('div', {class: 'field'}, 'Range', rangeSelect));
}

function legend(metric, max) {
  const m = METRICS.find((x) => x.id === metric);
  const bar = h('span', {class: 'legend-bar'});
  const stops = Array.from({length: 17}, (_, i) => `${colourOf(i, 16)} ${(i / 16 * 100).toFixed(2)}%`);
  bar.style.background = `linear-gradient(90deg, ${stops.join(', ')})`;
  const swatch = h('span', {class: 'countries-swatch'});
  swatch.style.background = NO_DATA;
  return h('div', {class: 'legend countries-legend', id: 'countries-legend'},
    h('div', {class: 'legend-title'}, m.label, ' by country'),
    bar,
    h('div', {class: 'countries-legend-ends num'}, h('span', {}, shown(0, metric)), h('span', {dataset: {max: String(max)}}, shown(max, metric))),
    h('div', {class: 'legend-note'}, swatch, ' No page views from this country'));
}

function byTimeZoneNote(report) {
  const unknown = report.unknown.pageviews, notRecorded = report.notRecorded.pageviews;
  return h('div', {class: 'countries-note'},
    h('p', {}, h('strong', {}, 'By time zone. '),
      'Each visit counts for the country of the time zone its browser reports (Europe/Paris is France). ',
      'No IP address is read or stored, so a visitor abroad, or whose computer keeps another zone, is placed by their clock.'),
    h('p', {id: 'countries-apart'},
      `${count(unknown)} page ${unknown === 1 ? 'view' : 'views'} from a zone of no country (such as UTC) and `,
      `${count(notRecorded)} from before countries were recorded are not on the map.`));
}

function table(c, site, report, onMap) {
  const rows = [...report.countries].sort((a, b) => (value(b, c.metric) - value(a, c.metric)) || (b.pageviews - a.pageviews)
    || a.code.localeCompare(b.code));
  const th = (text, metric) => h('th', {scope: 'col', class: metric ? 'n' : null, 'aria-sort': metric === c.metric ? 'descending' : null}, text);
  const other = (label, t, id) => h('tr', {class: 'countries-other', id},
    h('th', {scope: 'row'}, label), h('td', {class: 'n'}, count(t.pageviews)), h('td', {class: 'n'}, count(t.clicks)),
    h('td', {class: 'n'}, shown(t.reach, 'reach')));
  return h('table', {class: 'table countries-table', id: 'countries-table'},
    h('caption', {class: 'visually-hidden'}, `Countries of ${site.name}'s visitors, by time zone`),
    h('thead', {}, h('tr', {}, th('Country'), th('Page views', 'pageviews'), th('Clicks', 'clicks'), th('Reach', 'reach'))),
    h('tbody', {}, rows.map((row) => {
      const swatch = h('span', {class: 'countries-swatch'});
      swatch.style.background = colourOf(value(row, c.metric), maxOf(report, c.metric));
      return h('tr', {dataset: {code: row.code}},
        h('th', {scope: 'row'}, swatch, h('a', {href: heatmapLink(c, site, row), title: `Heatmap of ${row.topPage}, visitors from ${row.name}`}, row.name),
          onMap.has(row.code) ? null : h('small', {class: 'countries-off-map'}, ' (too small for the map)')),
        h('td', {class: 'n'}, count(row.pageviews)), h('td', {class: 'n'}, count(row.clicks)), h('td', {class: 'n'}, shown(row.reach, 'reach')));
    })),
    h('tfoot', {}, other('Unknown (zone of no country)', report.unknown, 'countries-unknown'),
      other('Not recorded', report.notRecorded, 'countries-not-recorded')));
}

function maxOf(report, metric) {
  if (metric === 'reach') return 100;
  return Math.max(0, ...report.countries.map((row) => value(row, metric)));
}

signedInPage('sites', async (who, main) => {
  const [{sites}, devices] = await Promise.all([api.sites(), deviceClasses()]);
  let c = readChoices(devices);
  const site = sites.find((s) => s.key === c.site);
  if (!site) {
    main.append(h('div', {class: 'card empty'}, h('h2', {}, 'Site not found'),
      h('p', {}, 'This site does not exist, or you are not one of its members. ', h('a', {href: '/'}, 'Back to your sites'))));
    return;
  }
  document.title = `Countries · ${site.name} · Isotherm`;
  if (!document.getElementById('tooltip')) document.body.append(h('div', {class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: true}));
  const subtitle = h('p', {});
  const head = pageHead(`Countries · ${site.name}`, null,
    h('a', {class: 'btn', id: 'countries-csv', href: '#'}, 'Download CSV'),
    h('a', {class: 'btn', href: `/?site=${encodeURIComponent(site.key)}`}, 'Pages'));
  head.firstChild.append(subtitle);
  const body = h('div', {class: 'countries', id: 'countries', 'aria-live': 'polite'});
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'countries-map');
  svg.setAttribute('id', 'countries-map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('width', String(WIDTH));
  svg.setAttribute('height', String(HEIGHT));

  let asked = 0;
  async function show() {
    const mine = ++asked;
    body.setAttribute('aria-busy', 'true');
    const r = rangeOf(c, site.today);
    const params = {from: r.from, to: r.to, device: c.device, page: c.page};
    const [report, features] = await Promise.all([
      json(`/api/sites/${encodeURIComponent(site.key)}/countries${query(params)}`), worldShapes()]);
    if (mine !== asked) return; // a later choice is on its way: its answer is the one to show
    subtitle.textContent = `By time zone · ${c.page || 'every page'} · ${rangeText(report.from, report.to)} (${site.timeZone})`;
    head.querySelector('#countries-csv').href = `/api/sites/${encodeURIComponent(site.key)}/countries.csv${query(params)}`;
    const metric = METRICS.find((m) => m.id === c.metric);
    const max = maxOf(report, c.metric);
    const rows = report.countries.map((row) => ({numeric: row.numeric, code: row.code, value: value(row, c.metric),
      href: heatmapLink(c, site, row), label: `${row.name}: ${shown(value(row, c.metric), c.metric)} ${metric.unit}`, row}));
    svg.setAttribute('aria-label', `World map of ${metric.unit} by country`);
    const ids = drawChoropleth(svg, features, rows, max, (e, hit, feature) => {
      if (!e) return hideTooltip();
      const lines = hit
        ? [[{text: hit.row.name, strong: true}, {text: `${shown(hit.value, c.metric)} ${metric.unit}`, data: 'value'},
          {text: `${count(hit.row.pageviews)} page views · ${count(hit.row.clicks)} clicks · reach ${shown(hit.row.reach, 'reach')}`, muted: true}]]
        : [[{text: feature.properties.name, strong: true}, {text: 'No page views', muted: true, data: 'value'}]];
      showTooltip(e.clientX, e.clientY, lines);
    });
    const onMap = new Set(rows.filter((row) => ids.has(mapId(row.numeric))).map((row) => row.code));
    const empty = report.pageviews === 0
      ? h('p', {class: 'countries-empty'}, 'No page views in this range: the map fills in as visitors arrive.') : null;
    body.replaceChildren(
      h('section', {class: 'card countries-map-card', 'aria-label': 'Map'}, svg, legend(c.metric, max), empty, byTimeZoneNote(report)),
      h('section', {class: 'card countries-table-card', 'aria-label': 'Table'}, table(c, site, report, onMap)));
    body.setAttribute('aria-busy', 'false');
    body.dataset.ready = `${c.metric}|${c.device}|${r.from}|${r.to}`;
  }

  function change(next) {
    c = {...c, ...next};
    history.replaceState(null, '', address(c));
    show().catch((e) => body.replaceChildren(h('div', {class: 'card empty'}, h('h2', {}, 'The report could not be loaded'), h('p', {}, e.message))));
  }

  main.append(head, controls(c, devices, change), body);
  await show();
});
