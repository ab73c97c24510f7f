// One site (/site?site=KEY&tab=…): Install (the tag and the live installation check), Pages, Settings and Team, as
// tabs; the tab chosen is kept in the address, so a link can open any of them.

import {getSite} from './admin-api.js';
import {isAdmin} from './http.js';
import {h} from './dom.js';
import {pageHead, section, signedInPage} from './page.js';
import {tabs} from './tabs.js';
import {installTab} from './site-install.js';
import {pagesTab} from './site-pages.js';
import {settingsTab} from './site-settings.js';
import {teamTab} from './site-team.js';

const TABS = [
  {id: 'install', label: 'Install', make: installTab},
  {id: 'pages', label: 'Pages', make: pagesTab},
  {id: 'settings', label: 'Settings', make: settingsTab},
  {id: 'team', label: 'Team', make: teamTab},
];
const ROLES = {owner: 'Owner', viewer: 'Viewer'};

function subtitle(site, who) {
  const role = site.role ? ROLES[site.role] || site.role : (isAdmin(who) ? 'Administrator' : '');
  return `${(site.origins || []).join(', ') || 'No origins yet'} · ${site.timeZone}${role ? ` · You: ${role}` : ''}`;
}

signedInPage('sites', async (who, main) => {
  const params = new URLSearchParams(location.search);
  const key = params.get('site');
  let site;
  try {
    if (!key) throw Object.assign(new Error('no site'), {status: 404});
    site = await getSite(key);
  } catch (e) {
    if (e.status !== 404) throw e;
    main.append(section('unknown', 'Site not found', null,
      h('p', {}, 'This site does not exist, or you are not one of its members. Ask an owner of the site to invite you.'),
      h('p', {}, h('a', {href: '/'}, 'Back to your sites'))));
    return;
  }
  const head = pageHead(site.name, subtitle(site, who),
    h('a', {class: 'btn', href: `/?site=${encodeURIComponent(key)}`}, 'Heatmaps'));
  const ctx = {
    key, who, site,
    canEdit: site.role === 'owner' || isAdmin(who),
    /** After a save: the new site, shown in the heading too. */
    update(next) {
      ctx.site = {...ctx.site, ...next};
      head.querySelector('h1').textContent = ctx.site.name;
      head.querySelector('p').textContent = subtitle(ctx.site, who);
      document.title = `${ctx.site.name} · Isotherm`;
    },
  };
  document.title = `${site.name} · Isotherm`;
  const mounted = new Map();
  let active = null;
  const bar = tabs(TABS, {
    label: `${site.name}`,
    onShow(id, panel) {
      if (active && active.hide) active.hide();
      if (!mounted.has(id)) mounted.set(id, TABS.find((t) => t.id === id).make(panel, ctx));
      active = mounted.get(id);
      const url = new URL(location.href);
      if (url.searchParams.get('tab') !== id) {
        for (const p of [...url.searchParams.keys()]) if (p !== 'site') url.searchParams.delete(p);
        url.searchParams.set('tab', id);
        history.replaceState(null, '', url);
      }
      if (active.show) active.show();
    },
  });
  main.append(head, bar.element);
  bar.show(params.get('tab') || 'install');
});
