// Adding a site (/new-site, administrators): its name, origins and time zone (this browser's preselected); then on
// to its installation.

import {createSite} from './admin-api.js';
import {isAdmin} from './http.js';
import {h} from './dom.js';
import {actions, submit} from './forms.js';
import {pageHead, section, signedInPage} from './page.js';
import {basicFields, readSite} from './site-fields.js';
import {browserZone} from './timezones.js';

signedInPage(null, async (who, main) => {
  main.append(pageHead('New site', 'Add a website to record its visitors\' clicks, moves and scrolls.'));
  if (!isAdmin(who)) {
    main.append(section('not-admin', 'Only administrators add sites', null,
      h('p', {}, 'Ask an administrator to add the site and invite you to it as an owner.'),
      h('p', {}, h('a', {href: '/'}, 'Back to your sites'))));
    return;
  }
  const form = h('form', {class: 'form narrow', id: 'site-form'},
    basicFields({name: '', origins: [], timeZone: browserZone()}),
    actions(h('button', {type: 'submit', class: 'btn btn-primary'}, 'Add site'), h('a', {class: 'btn btn-ghost', href: '/'}, 'Cancel')));
  submit(form, async (values) => {
    const site = await createSite(readSite(values, false));
    location.assign(`/site?site=${encodeURIComponent(site.key)}&tab=install`);
  });
  main.append(section('new-site', 'The site', 'You can change all of this later in the site\'s settings.', form));
  form.querySelector('input').focus();
});
