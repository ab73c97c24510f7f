// The Pages tab: the site's page groups with their totals, then its pages over the last 30 days, 50 at a time,
// searched (as you type), sorted by any column (aria-sort), each opening its heatmap (a group's opens the pooled one).
// Search, sort and position are kept in the address.

import {pages} from './admin-api.js';
import {h, present, say, statusLine} from './dom.js';
import {count} from './format.js';
import {section} from './page.js';
import {timeElement} from './when.js';

const LIMIT = 50;
const COLUMNS = [
  {label: 'Page', sorts: [['title', 'Title'], ['url', 'Address']]},
  {label: 'Page views', sorts: [['pageviews', 'Page views']], n: true},
  {label: 'Clicks', sorts: [['clicks', 'Clicks']], n: true},
  {label: 'Last seen', sorts: [['lastSeen', 'Last seen']], n: true},
];
const FIRST_ORDER = {title: 'asc', url: 'asc', pageviews: 'desc', clicks: 'desc', lastSeen: 'desc'};

function path(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

export function pagesTab(panel, ctx) {
  const params = new URLSearchParams(location.search);
  const state = {q: params.get('q') || '', sort: params.get('sort') || 'pageviews', order: params.get('order') || 'desc',
    offset: Math.max(0, Number.parseInt(params.get('offset'), 10) || 0)};
  if (!FIRST_ORDER[state.sort]) state.sort = 'pageviews';
  if (state.order !== 'asc') state.order = 'desc';
  let asked = 0;
  let timer;

  const search = h('input', {type: 'search', id: 'page-search', name: 'q', placeholder: 'Search by address or title',
    autocomplete: 'off', value: state.q, 'aria-controls': 'pages-table'});
  const position = h('p', {class: 'paging-position', id: 'pages-position', role: 'status', 'aria-live': 'polite'});
  const prev = h('button', {type: 'button', class: 'btn', id: 'pages-prev'}, 'Previous');
  const next = h('button', {type: 'button', class: 'btn', id: 'pages-next'}, 'Next');
  const holder = h('div', {class: 'table-wrap'});
  const groupsHolder = h('div', {class: 'table-wrap', id: 'page-groups'});
  const status = statusLine();

  /** The groups (settings define them) with their member pages' totals, each opening its pooled heatmap. */
  function showGroups(groups) {
    groupsHolder.replaceChildren(...present(groups.length ? h('table', {class: 'table pages-table groups-table', id: 'groups-table'},
      h('caption', {}, 'Page groups'),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Group'), h('th', {scope: 'col', class: 'n'}, 'Pages'),
        h('th', {scope: 'col', class: 'n'}, 'Page views'), h('th', {scope: 'col', class: 'n'}, 'Clicks'))),
      h('tbody', {}, groups.map((g) => h('tr', {dataset: {group: g.id}},
        h('td', {}, h('a', {class: 'page-title', href: `/view?${new URLSearchParams({site: ctx.key, group: g.id})}`}, g.name),
          h('div', {class: 'page-path'}, g.pattern)),
        h('td', {class: 'n'}, count(g.pages)),
        h('td', {class: 'n'}, count(g.pageviews)),
        h('td', {class: 'n'}, count(g.clicks)))))) : null));
  }

  function keepInAddress() {
    const url = new URL(location.href);
    const set = (k, v, dflt) => (v && v !== dflt ? url.searchParams.set(k, v) : url.searchParams.delete(k));
    set('q', state.q, '');
    set('sort', state.sort, 'pageviews');
    set('order', state.order, 'desc');
    set('offset', state.offset ? String(state.offset) : '', '');
    history.replaceState(null, '', url);
  }

  function head() {
    return h('thead', {}, h('tr', {}, COLUMNS.map((c) => {
      const active = c.sorts.find(([k]) => k === state.sort);
      const th = h('th', {scope: 'col', class: c.n ? 'n' : null,
        'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : null});
      const buttons = c.sorts.map(([k, text]) => {
        const on = k === state.sort;
        const b = h('button', {type: 'button', class: `sort${on ? ' on' : ''}`, dataset: {sort: k},
          'aria-label': c.sorts.length > 1 ? `Sort by ${text.toLowerCase()}` : null},
        text, h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, on ? (state.order === 'asc' ? '▲' : '▼') : ''));
        b.addEventListener('click', () => {
          state.order = on ? (state.order === 'asc' ? 'desc' : 'asc') : FIRST_ORDER[k];
          state.sort = k;
          state.offset = 0;
          load(k);
        });
        return b;
      });
      th.append(...(c.sorts.length > 1
        ? [h('span', {class: 'th-label'}, c.label), h('span', {class: 'th-by', 'aria-hidden': 'true'}, 'sort by'), ...buttons]
        : buttons));
      return th;
    })));
  }

  function row(p) {
    const q = new URLSearchParams({site: ctx.key, page: p.url});
    return h('tr', {dataset: {page: p.url}},
      h('td', {}, h('a', {class: 'page-title', href: `/view?${q}`}, p.title || path(p.url)),
        h('div', {class: 'page-path', title: p.url}, path(p.url))),
      h('td', {class: 'n'}, count(p.pageviews)),
      h('td', {class: 'n'}, count(p.clicks)),
      h('td', {class: 'n'}, p.lastSeen ? timeElement(p.lastSeen) : '—'));
  }

  async function load(focusSort) {
    const ticket = ++asked;
    keepInAddress();
    holder.setAttribute('aria-busy', 'true');
    let answer;
    try {
      answer = await pages(ctx.key, {q: state.q.trim(), sort: state.sort, order: state.order, limit: LIMIT, offset: state.offset});
    } catch (e) {
      if (ticket === asked) say(status, e.message, 'error');
      return;
    } finally {
      if (ticket === asked) holder.removeAttribute('aria-busy');
    }
    if (ticket !== asked) return; // a newer search or sort is on its way
    say(status, '', 'info');
    showGroups(answer.groups || []);
    const {total} = answer;
    const list = answer.pages || [];
    if (!list.length && state.offset > 0 && total > 0) {
      state.offset = Math.max(0, Math.floor((total - 1) / LIMIT) * LIMIT);
      return load();
    }
    const rows = list.map(row);
    holder.replaceChildren(...present(list.length || !total
      ? h('table', {class: 'table pages-table', id: 'pages-table'}, h('caption', {class: 'visually-hidden'}, `Pages of ${ctx.site.name}`),
        head(), h('tbody', {}, rows))
      : null));
    if (!list.length) {
      holder.append(h('p', {class: 'empty-small', id: 'pages-empty'}, state.q.trim()
        ? `No page's address or title contains "${state.q.trim()}".`
        : 'No pages yet. Pages appear once visitors arrive: see the Install tab.'));
    }
    position.textContent = list.length ? `${count(state.offset + 1)}–${count(state.offset + list.length)} of ${count(total)}` : '';
    prev.disabled = state.offset === 0;
    next.disabled = state.offset + list.length >= total;
    if (focusSort) holder.querySelector(`button[data-sort="${focusSort}"]`).focus();
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = search.value;
      state.offset = 0;
      load();
    }, 300);
  });
  prev.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - LIMIT);
    load();
  });
  next.addEventListener('click', () => {
    state.offset += LIMIT;
    load();
  });

  panel.append(section('pages', 'Pages', 'Page views and clicks of the last 30 days. Open a page for its heatmaps.',
    groupsHolder,
    h('div', {class: 'toolbar'}, h('label', {class: 'visually-hidden', for: 'page-search'}, 'Search pages'), search),
    holder, status, h('div', {class: 'paging'}, position, h('div', {class: 'paging-buttons'}, prev, next))));
  return {show: () => load()};
}
