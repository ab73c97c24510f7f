// The Install tab: the tag to paste, with a Copy button, and the live installation check, refreshed every 5 s while
// the tab is shown and the browser window visible: the last batch received, what became of the batches of the last
// hour and day, and the origins refused, each with "Allow this origin" for owners.

import {allowOrigin, install} from './admin-api.js';
import {snippet} from './copy.js';
import {h, present, say, statusLine} from './dom.js';
import {count} from './format.js';
import {section, table} from './page.js';
import {ago, dateTime} from './when.js';

const EVERY = 5000;
const OUTCOMES = [['stored', 'Stored', 'Recorded: they show in the heatmaps.'],
  ['duplicate', 'Duplicates', 'Sent twice by a browser, stored once.'],
  ['bot', 'Dropped as bots', 'From crawlers and automated browsers.'],
  ['excluded', 'Excluded pages', 'From paths excluded in the settings.']];
const REFUSALS = {
  origin_not_allowed: ['origin not allowed', 'From an address that is not one of the site\'s origins.'],
  invalid: ['invalid data', 'The data did not make sense, e.g. times far off. An old or modified tracker?'],
  malformed: ['malformed', 'Not readable as a batch at all.'],
  too_large: ['too large', 'Bigger than the collector accepts.'],
  unsupported_media_type: ['unsupported content type', 'Not sent the way the tracker sends.'],
  rate_limited: ['rate limited', 'Too many batches or new page views at once from one address, or for the site; the tracker tries again.'],
  implausible: ['implausible', 'More events in one page view than a visitor makes.'],
  page_limit: ['too many new pages', 'New pages beyond the hourly limit (ISOTHERM_NEW_PAGES_PER_SITE_PER_HOUR): often made-up URLs.'],
  overloaded: ['server overloaded', 'The collector was too busy; the tracker tries again.'],
  database_unavailable: ['database unavailable', 'PostgreSQL could not be reached.'],
};

function label(text, hint) {
  return h('th', {scope: 'row'}, text, h('small', {class: 'row-hint'}, hint));
}

function countsTable(check) {
  const hour = check.hour || {};
  const day = check.day || {};
  const rows = OUTCOMES.map(([k, text, hint]) =>
    h('tr', {dataset: {outcome: k}}, label(text, hint), h('td', {class: 'n'}, count(hour[k] || 0)), h('td', {class: 'n'}, count(day[k] || 0))));
  const reasons = new Set([...Object.keys(hour.refused || {}), ...Object.keys(day.refused || {})]);
  for (const r of reasons) {
    const [text, hint] = REFUSALS[r] || [r.replaceAll('_', ' '), ''];
    rows.push(h('tr', {dataset: {outcome: r}, class: 'refused'}, label(`Refused: ${text}`, hint),
      h('td', {class: 'n'}, count((hour.refused || {})[r] || 0)), h('td', {class: 'n'}, count((day.refused || {})[r] || 0))));
  }
  if (!reasons.size) rows.push(h('tr', {dataset: {outcome: 'refused'}}, label('Refused', 'None.'), h('td', {class: 'n'}, '0'), h('td', {class: 'n'}, '0')));
  return table('Batches of the last hour and the last 24 hours',
    [h('th', {scope: 'col'}, 'Batches'), h('th', {scope: 'col', class: 'n'}, 'Last hour'), h('th', {scope: 'col', class: 'n'}, 'Last 24 hours')],
    rows, 'table counts');
}

function lastBatch(check) {
  const b = check.lastBatch;
  if (!b) {
    return h('div', {class: 'check-line waiting', id: 'last-batch'},
      h('p', {}, h('strong', {}, 'No batch received yet.')),
      h('p', {}, 'Paste the tag above into the <head> of your pages and open one of them in a browser: its visit arrives '
        + 'here within seconds. A browser that sends Do Not Track or Global Privacy Control is not recorded, so try another '
        + 'one if nothing arrives.'));
  }
  return h('div', {class: 'check-line ok', id: 'last-batch'},
    h('p', {}, h('strong', {}, 'Last batch received '), h('time', {datetime: b.at, title: dateTime(b.at)}, ago(b.at, check.serverNow)),
      ' from ', h('span', {class: 'url'}, b.page), ` (${b.device})`));
}

export function installTab(panel, ctx) {
  const code = h('div', {id: 'install-code'});
  const check = h('div', {id: 'install-check', 'aria-live': 'off'});
  const origins = h('div', {id: 'refused-origins'});
  const status = statusLine();
  let timer = null;
  let shown = false;
  let originsKey = '';
  let first = true;

  async function allow(origin, button) {
    button.disabled = true;
    try {
      ctx.update(await allowOrigin(ctx.key, origin));
      say(status, `${origin} is allowed now. Its next visits will be stored.`, 'ok');
      await refresh();
    } catch (e) {
      button.disabled = false;
      say(status, e.message, 'error');
    }
  }

  function refusedOrigins(list) {
    const key = JSON.stringify([list || [], ctx.site.origins]);
    if (key === originsKey) return;
    originsKey = key;
    if (!list || !list.length) return origins.replaceChildren();
    origins.replaceChildren(h('h3', {class: 'subhead'}, 'Refused origins, last 24 hours'),
      h('ul', {class: 'origin-list'}, list.map((o) => {
        let action = h('span', {class: 'muted'}, 'An owner of the site can allow it.');
        if ((ctx.site.origins || []).includes(o.origin)) {
          action = h('span', {class: 'badge badge-ok'}, 'Allowed now');
        } else if (ctx.canEdit) {
          action = h('button', {type: 'button', class: 'btn btn-small', dataset: {origin: o.origin}}, 'Allow this origin');
          action.addEventListener('click', () => allow(o.origin, action));
        }
        return h('li', {}, h('span', {class: 'url'}, o.origin), h('span', {class: 'muted'}, ` ${count(o.batches)} refused`), action);
      })));
  }

  async function refresh() {
    const answer = await install(ctx.key);
    if (first) {
      first = false;
      code.replaceChildren(...present(h('p', {}, `Paste this tag into the <head> of every page of ${ctx.site.name}:`),
        snippet(answer.snippet, 'The tag to paste'),
        answer.publicUrlSet ? null : h('p', {class: 'warning', id: 'public-url-note'},
          h('strong', {}, 'The address in this tag was guessed '), `from the address of this page (${answer.collectorUrl}). `,
          'If visitors reach Isotherm at another address, set ISOTHERM_PUBLIC_URL to it and restart Isotherm.')));
    }
    check.replaceChildren(lastBatch(answer), countsTable(answer));
    refusedOrigins(answer.refusedOrigins);
    panel.dataset.loaded = 'true';
  }

  function schedule() {
    clearTimeout(timer);
    if (!shown || document.visibilityState !== 'visible') return;
    timer = setTimeout(async () => {
      try {
        await refresh();
        if (status.dataset.kind === 'stale') say(status, '', 'info');
      } catch (e) {
        say(status, `The check could not be refreshed: ${e.message}`, 'stale');
      }
      schedule();
    }, EVERY);
  }

  document.addEventListener('visibilitychange', () => {
    if (shown && document.visibilityState === 'visible') refresh().catch(() => {}).finally(schedule);
    else clearTimeout(timer);
  });

  panel.append(section('install-tag', 'Add the tag to your pages', null, code),
    section('check', 'Installation check', 'Refreshes every 5 seconds. A batch is what a page sends at once: its '
      + 'clicks, moves and scrolls of the last few seconds.', check, origins, status));

  return {
    show() {
      shown = true;
      refresh().catch((e) => say(status, e.message, 'error')).finally(schedule);
    },
    hide() {
      shown = false;
      clearTimeout(timer);
    },
  };
}
