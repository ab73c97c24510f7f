// Share links in the site's settings: every link made in the viewer (what it shows, who made it, until when), and
// Revoke for owners. A revoked or expired link stays listed, saying so; its view no longer opens.

import {revokeShareLink, shareLinks} from './admin-api.js';
import {confirmAction} from './confirm.js';
import {h, present, say, statusLine} from './dom.js';
import {section, table} from './page.js';
import {rangeLabel} from './share-url.js';
import {date} from './when.js';

const STATUS = {live: 'Live', revoked: 'Revoked', expired: 'Expired'};
const actionsHead = () => h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions'));

export function sharesSection(ctx) {
  const list = h('div', {class: 'table-wrap'});
  const status = statusLine();

  function row(s) {
    let revoke = null;
    if (ctx.canEdit && s.status === 'live') {
      revoke = h('button', {type: 'button', class: 'btn btn-small btn-danger-ghost', 'aria-label': `Revoke the link to ${s.page}`}, 'Revoke');
      revoke.addEventListener('click', async () => {
        const ok = await confirmAction({title: 'Revoke this share link?',
          message: `Whoever has it will no longer see the ${s.map} map of ${s.page}. This cannot be undone.`, confirm: 'Revoke'});
        if (!ok) return;
        try {
          await revokeShareLink(ctx.key, s.id);
          say(status, 'The link is revoked.', 'ok');
        } catch (e) {
          say(status, e.message, 'error');
        }
        await refresh();
      });
    }
    return h('tr', {dataset: {share: s.id, status: s.status}, class: s.status === 'live' ? null : 'revoked'},
      h('td', {}, s.page || '(page removed)', h('br'), h('small', {}, `${s.map} map · ${s.device} · ${rangeLabel(s)}`)),
      h('td', {}, s.createdBy || '', h('br'), h('small', {}, date(s.createdAt))),
      h('td', {}, s.status === 'live' ? (s.expiresAt ? `until ${date(s.expiresAt)}` : 'until revoked') : STATUS[s.status]),
      ctx.canEdit ? h('td', {class: 'actions-cell'}, revoke) : null);
  }

  async function refresh() {
    const answer = await shareLinks(ctx.key);
    const heads = ['View', 'Made by', 'Works', ctx.canEdit ? actionsHead() : null].filter(Boolean);
    list.replaceChildren(...present(
      answer.available ? null : h('p', {class: 'message-box', id: 'shares-unavailable'}, answer.reason),
      answer.shares.length ? table(`Share links of ${ctx.site.name}`, heads, answer.shares.map(row))
        : h('p', {class: 'empty-small'}, 'No share links yet. Make one with Share in the heatmap viewer.')));
  }

  const element = section('shares', 'Share links', 'Read-only links to one view each, for people without an account.',
    list, status);
  refresh().catch((e) => say(status, e.message, 'error'));
  return element;
}
