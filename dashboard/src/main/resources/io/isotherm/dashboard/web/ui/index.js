// Sites and, for the chosen one, its page groups and pages with page views and clicks per device, each linking to the
// viewer (a group's to its pooled maps); links to the site's installation, pages, settings and team and to its
// reports (countries, engagement grids); and what to do without any site.

import * as api from './api.js';
import {showError} from './banner.js';
import {snippet} from './copy.js';
import {deviceClasses} from './devices.js';
import {el, h} from './dom.js';
import {count, range as rangeText} from './format.js';
import {isAdmin} from './http.js';
import {rangeOf, readState, toQuery} from './state.js';
import {topbar} from './topbar.js';

const main = document.getElementById('main');

function text(tag, className, content) {
  const e = el(tag, className);
  e.textContent = content;
  return e;
}

function tag(key) {
  return `<script defer src="${location.origin}/t.js" data-site="${key}"></script>`;
}

function noSites(admin) {
  const card = el('section', 'card empty');
  card.setAttribute('aria-labelledby', 'empty-title');
  if (!admin) {
    card.append(h('h2', {id: 'empty-title'}, 'You have no sites yet'),
      text('p', '', 'Ask an owner of a site to invite you: their invitation link brings you here, to that site\'s heatmaps.'));
    return card;
  }
  const steps = el('ol', 'steps');
  const one = el('li');
  one.append(text('strong', '', 'Add the site'),
    text('p', '', 'Name it and give the address its pages are served from:'),
    h('p', {}, h('a', {class: 'btn btn-primary', href: '/new-site', id: 'add-first-site'}, 'Add a site')),
    text('p', 'note', 'Or, on the machine that runs Isotherm:'),
    snippet('java -jar launcher/target/isotherm.jar site add --name "My shop" --origin https://shop.example'),
    text('p', 'note', 'It prints the site\'s public key.'));
  const two = el('li');
  two.append(text('strong', '', 'Paste the tag into every page'),
    text('p', '', 'Put it in the <head>, with the site\'s key:'),
    snippet(tag('KEY')));
  const three = el('li');
  three.append(text('strong', '', 'Open a page of your site'),
    text('p', '', 'Clicks, moves and scrolls arrive within a minute; the page then shows up here.'));
  steps.append(one, two, three);
  card.append(h('h2', {id: 'empty-title'}, 'Add your first site'),
    text('p', '', 'Isotherm has no sites yet. Three steps and the first heatmap is on its way.'), steps);
  return card;
}

const SITE_TABS = [['install', 'Install'], ['pages', 'Pages'], ['settings', 'Settings'], ['team', 'Team']];

function siteLinks(site) {
  return h('nav', {class: 'site-links', 'aria-label': `${site.name}: installation, pages, settings, team and reports`},
    SITE_TABS.map(([tab, label]) => h('a', {class: 'btn btn-small', dataset: {tab},
      href: `/site?site=${encodeURIComponent(site.key)}&tab=${tab}`}, label)),
    h('a', {class: 'btn btn-small', id: 'countries-link', href: `/countries?site=${encodeURIComponent(site.key)}`}, 'Countries'),
    h('a', {class: 'btn btn-small', id: 'engagement-link', href: `/engagement?site=${encodeURIComponent(site.key)}`}, 'Engagement'));
}

function siteTabs(sites, chosen) {
  const nav = el('nav', 'site-tabs');
  nav.setAttribute('aria-label', 'Sites');
  for (const s of sites) {
    const a = el('a', 'site-tab');
    a.href = `/?site=${encodeURIComponent(s.key)}`;
    if (s.key === chosen.key) a.setAttribute('aria-current', 'page');
    a.append(text('strong', '', s.name), text('small', '', s.origins.join(', ')));
    nav.append(a);
  }
  return nav;
}

/** The viewer's address for a page on a device class, as the viewer itself would write it. */
function viewerLink(site, url, device, devices) {
  return `/view${toQuery({...readState('', devices), site: site.key, page: url, device}, devices)}`;
}

/** The viewer's address for a page group's pooled maps on a device class. */
function groupLink(site, id, device, devices) {
  return `/view${toQuery({...readState('', devices), site: site.key, group: String(id), device}, devices)}`;
}

function pagesTable(site, pages, devices) {
  return table(`Pages of ${site.name}`, 'pages', 'Page', pages, devices, (p, tr) => {
    tr.dataset.page = p.url;
    const link = text('a', 'page-url', p.url.replace(/^https?:\/\//, ''));
    link.href = viewerLink(site, p.url, devices[0].id, devices);
    link.title = p.url;
    return [link];
  }, (p, device) => viewerLink(site, p.url, device, devices));
}

/** The page groups (the site's settings define them) with the totals of their pages. */
function groupsTable(site, groups, devices) {
  return table(`Page groups of ${site.name}`, 'pages groups', 'Page group', groups, devices, (g, tr) => {
    tr.dataset.group = g.id;
    const link = text('a', 'page-url', g.name);
    link.href = groupLink(site, g.id, devices[0].id, devices);
    return [link, text('small', 'group-pattern', ` ${g.pattern} · ${count(g.pages)} ${g.pages === 1 ? 'page' : 'pages'}`)];
  }, (g, device) => groupLink(site, g.id, device, devices));
}

/** Rows of totals ({pageviews, clicks, devices}) whose first cell is named(row, tr) and links go to linkOf(row, device). */
function table(captionText, className, first, rows, devices, named, linkOf) {
  const table = el('table', className);
  const caption = text('caption', 'visually-hidden', captionText);
  const head = el('thead');
  const hr = el('tr');
  hr.append(text('th', '', first), text('th', 'n', 'Page views'), text('th', 'n hide-narrow', 'Clicks'),
    text('th', 'n', 'Heatmap by device'));
  for (const th of hr.children) th.scope = 'col';
  head.append(hr);
  const body = el('tbody');
  for (const p of rows) {
    const tr = el('tr');
    const cell = el('td');
    cell.append(...named(p, tr));
    const byDevice = el('td');
    const links = el('div', 'device-links');
    for (const {id, label} of devices) {
      const d = p.devices[id];
      const a = el('a', 'device-link');
      a.href = linkOf(p, id);
      a.dataset.device = id;
      a.setAttribute('aria-label', `${label} heatmap: ${count(d.pageviews)} page views, ${count(d.clicks)} clicks`);
      a.append(text('span', 'num', `${count(d.pageviews)}`), text('small', '', `${label} · ${count(d.clicks)} clicks`));
      links.append(a);
    }
    byDevice.className = 'n';
    byDevice.append(links);
    tr.append(cell, text('td', 'n', count(p.pageviews)), text('td', 'n hide-narrow', count(p.clicks)), byDevice);
    body.append(tr);
  }
  table.append(caption, head, body);
  return table;
}

function noPages(site) {
  const card = el('section', 'card empty');
  card.append(text('h2', '', 'No page views yet'),
    text('p', '', `Paste this tag into the <head> of every page of ${site.name}; pages appear here once visitors arrive.`),
    snippet(tag(site.key)),
    h('p', {class: 'note'}, 'The ', h('a', {href: `/site?site=${encodeURIComponent(site.key)}&tab=install`}, 'installation check'),
      ' shows within seconds whether visits arrive.'));
  return card;
}

async function init() {
  try {
    const who = await topbar('sites');
    const admin = isAdmin(who);
    const {sites} = await api.sites();
    main.replaceChildren();
    if (!sites.length) {
      main.append(noSites(admin));
      return;
    }
    const wanted = new URLSearchParams(location.search).get('site');
    const site = sites.find((s) => s.key === wanted) || sites[0];
    const range = rangeOf({preset: '30d'}, site.today);
    const head = el('div', 'page-head');
    const titles = el('div');
    titles.append(text('h1', '', site.name), text('p', '', `Pages by page views · ${rangeText(range.from, range.to)} (${site.timeZone})`));
    titles.append(siteLinks(site));
    head.append(titles);
    if (admin) head.append(h('a', {class: 'btn btn-primary', href: '/new-site', id: 'new-site'}, 'New site'));
    main.append(head);
    if (sites.length > 1) main.append(siteTabs(sites, site));
    const [{pages, groups}, devices] = await Promise.all([api.pages(site.key, range.from, range.to), deviceClasses()]);
    const card = el('section', 'card');
    if (!pages.length) {
      main.append(noPages(site));
      return;
    }
    if (groups && groups.length) main.append(h('section', {class: 'card', 'aria-label': 'Page groups'}, groupsTable(site, groups, devices)));
    card.append(pagesTable(site, pages, devices));
    main.append(card);
    document.title = `${site.name} · Isotherm`;
  } catch (e) {
    main.replaceChildren();
    showError(e);
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

init();
