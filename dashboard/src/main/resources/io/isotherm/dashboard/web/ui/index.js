// Sites and, for the chosen one, its pages with page views and clicks per device, each linking to the viewer.

import * as api from './api.js';
import {showError} from './banner.js';
import {count, range as rangeText} from './format.js';
import {el} from './frame.js';
import {rangeOf} from './state.js';

const DEVICES = [['desktop', 'Desktop'], ['tablet', 'Tablet'], ['mobile', 'Mobile']];
const main = document.getElementById('main');

function text(tag, className, content) {
  const e = el(tag, className);
  e.textContent = content;
  return e;
}

function snippet(code) {
  const wrap = el('div', 'snippet');
  const pre = el('pre');
  pre.textContent = code;
  const copy = text('button', 'btn btn-small', 'Copy');
  copy.type = 'button';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code);
      copy.textContent = 'Copied';
    } catch {
      const selection = getSelection();
      selection.selectAllChildren(pre);
      copy.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
  });
  wrap.append(pre, copy);
  return wrap;
}

function tag(key) {
  return `<script defer src="${location.origin}/t.js" data-site="${key}"></script>`;
}

function noSites() {
  const card = el('section', 'card empty');
  card.setAttribute('aria-labelledby', 'empty-title');
  const h = text('h2', '', 'Add your first site');
  h.id = 'empty-title';
  const steps = el('ol', 'steps');
  const one = el('li');
  one.append(text('strong', '', 'Register the site'),
    text('p', '', 'On the machine that runs Isotherm, name the site and the origin its pages are served from:'),
    snippet('java -jar launcher/target/isotherm.jar site add --name "My shop" --origin https://shop.example'),
    text('p', 'note', 'It prints the site\'s public key.'));
  const two = el('li');
  two.append(text('strong', '', 'Paste the tag into every page'),
    text('p', '', 'Put it in the <head>, with the key printed above:'),
    snippet(tag('KEY')));
  const three = el('li');
  three.append(text('strong', '', 'Open a page of your site'),
    text('p', '', 'Clicks, moves and scrolls arrive within a minute; the page then shows up here.'));
  steps.append(one, two, three);
  card.append(h, text('p', '', 'Isotherm has no sites yet. Three steps and the first heatmap is on its way.'), steps);
  return card;
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

function viewerLink(site, url, device) {
  const q = new URLSearchParams({site: site.key, page: url});
  if (device !== 'desktop') q.set('device', device);
  return `/view?${q}`;
}

function pagesTable(site, pages) {
  const table = el('table', 'pages');
  const caption = text('caption', 'visually-hidden', `Pages of ${site.name}`);
  const head = el('thead');
  const hr = el('tr');
  hr.append(text('th', '', 'Page'), text('th', 'n', 'Page views'), text('th', 'n hide-narrow', 'Clicks'),
    text('th', 'n', 'Heatmap by device'));
  for (const th of hr.children) th.scope = 'col';
  head.append(hr);
  const body = el('tbody');
  for (const p of pages) {
    const tr = el('tr');
    tr.dataset.page = p.url;
    const cell = el('td');
    const link = text('a', 'page-url', p.url.replace(/^https?:\/\//, ''));
    link.href = viewerLink(site, p.url, 'desktop');
    link.title = p.url;
    cell.append(link);
    const devices = el('td');
    const links = el('div', 'device-links');
    for (const [id, name] of DEVICES) {
      const d = p.devices[id];
      const a = el('a', 'device-link');
      a.href = viewerLink(site, p.url, id);
      a.dataset.device = id;
      a.setAttribute('aria-label', `${name} heatmap: ${count(d.pageviews)} page views, ${count(d.clicks)} clicks`);
      a.append(text('span', 'num', `${count(d.pageviews)}`), text('small', '', `${name} · ${count(d.clicks)} clicks`));
      links.append(a);
    }
    devices.className = 'n';
    devices.append(links);
    tr.append(cell, text('td', 'n', count(p.pageviews)), text('td', 'n hide-narrow', count(p.clicks)), devices);
    body.append(tr);
  }
  table.append(caption, head, body);
  return table;
}

function noPages(site) {
  const card = el('section', 'card empty');
  card.append(text('h2', '', 'No page views yet'),
    text('p', '', `Paste this tag into the <head> of every page of ${site.name}; pages appear here once visitors arrive.`),
    snippet(tag(site.key)));
  return card;
}

async function init() {
  try {
    const {sites} = await api.sites();
    main.replaceChildren();
    if (!sites.length) {
      main.append(noSites());
      return;
    }
    const wanted = new URLSearchParams(location.search).get('site');
    const site = sites.find((s) => s.key === wanted) || sites[0];
    const range = rangeOf({preset: '30d'}, site.today);
    const head = el('div', 'page-head');
    const titles = el('div');
    titles.append(text('h1', '', site.name), text('p', '', `Pages by page views · ${rangeText(range.from, range.to)} (${site.timeZone})`));
    head.append(titles);
    main.append(head);
    if (sites.length > 1) main.append(siteTabs(sites, site));
    const {pages} = await api.pages(site.key, range.from, range.to);
    const card = el('section', 'card');
    if (!pages.length) {
      main.append(noPages(site));
      return;
    }
    card.append(pagesTable(site, pages));
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
