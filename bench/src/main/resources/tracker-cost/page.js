/*
 * Fills in the repeated parts of page.html (product cards, prose, table rows, FAQ, comment thread, footer), the
 * same way in both variants of the page. Deterministic: every load builds the same DOM.
 */
(() => {
  'use strict';
  const $ = (selector) => document.querySelector(selector);
  const make = (tag, attributes, ...children) => {
    const el = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => el.setAttribute(name, value));
    el.append(...children);
    return el;
  };
  const products = ['Ridge Shell', 'Tarn Boot', 'Corrie 28 Pack', 'Bothy Fleece', 'Scree Gaiter', 'Lochan Tent',
    'Cairn Trousers', 'Bealach Gloves'];

  const cards = $('.cards'), template = $('#card');
  for (let i = 0; i < 24; i++) {
    const card = template.content.firstElementChild.cloneNode(true), name = products[i % products.length];
    card.querySelector('.title').textContent = name + (i >= products.length ? ' ' + (i / products.length + 1 | 0) : '');
    card.querySelectorAll('a').forEach((a) => a.href = '/p/' + (1000 + i));
    card.querySelector('.now').textContent = '€' + (49 + i * 7);
    card.querySelector('.was').textContent = i % 3 ? '' : '€' + (69 + i * 7);
    if (i % 4) card.querySelector('.badge').remove();
    // Some shops put test hooks on cards; most do not.
    if (i % 6 == 0) card.setAttribute('data-testid', 'product-card-' + i);
    cards.append(card);
  }

  const prose = $('.prose');
  for (let i = 0; i < 8; i++) {
    prose.append(make('p', null, 'Every boot starts on the bench. We cut one open to see how the upper meets the sole, ',
      'then send its twins out with the field team for ', make('strong', null, (i + 2) * 40 + ' km'),
      ' of wet paths, scree and tarmac. ', make('a', {href: '/journal/test-' + i}, 'Read the log'),
      ' of the pair that failed at kilometre ' + (i * 37 + 12) + ', and what we changed in the ',
      make('em', null, 'heel counter'), ' afterwards. The rest of this paragraph only adds length to the document, ',
      'as real articles do: long pages are where scroll depth and page coordinates matter.'));
  }

  const rows = $('table.specs tbody');
  products.concat(products.slice(0, 4)).forEach((name, i) => rows.append(make('tr', null, make('td', null,
    make('a', {href: '/p/' + (2000 + i)}, name)), make('td', null, 300 + i * 45 + ' g'), make('td', null, i % 3 * 4 + ' mm'),
  make('td', null, i % 2 ? 'none' : 'membrane'), make('td', null, '€' + (89 + i * 10)))));

  const recent = $('.recent');
  products.slice(0, 6).forEach((name, i) => recent.append(make('li', null, make('a', {href: '/p/' + (1000 + i)}, name))));

  const faq = $('.faq-list');
  ['Shipping', 'Returns', 'Sizing', 'Repairs', 'Warranty', 'Gift cards', 'Stores', 'Membership'].forEach((topic) =>
    faq.append(make('details', null, make('summary', null, topic),
      make('p', null, 'Everything about ' + topic.toLowerCase() + ' in two sentences. ',
        make('a', {href: '/help/' + topic.toLowerCase()}, 'More'), ' on the help pages.'))));

  // A reply chain twelve levels deep, with siblings: selectors of deep targets hit the ten-step limit.
  let parent = $('.thread');
  for (let depth = 0; depth < 12; depth++) {
    const comment = make('div', {class: 'comment'},
      make('header', null, make('a', {href: '/u/' + depth}, 'walker' + depth), ' · ' + (depth + 1) + ' days ago'),
      make('p', null, depth % 2 ? 'Agreed, after the second week they were fine.' : 'Mine leaked at the toe crease.'),
      make('div', {class: 'comment-actions'}, make('button', {type: 'button'}, 'Reply'), make('button', {type: 'button'}, 'Helpful')));
    if (depth % 3 == 0) {
      parent.append(make('div', {class: 'comment'}, make('header', null, 'guest · ' + depth + ' days ago'),
        make('p', null, 'Same here.')));
    }
    parent.append(comment);
    parent = comment;
  }

  const footer = $('.footer-columns');
  ['Shop', 'Help', 'About', 'Journal'].forEach((heading, c) => footer.append(make('div', null, make('h4', null, heading),
    make('ul', null, ...[0, 1, 2, 3, 4, 5].map((i) => make('li', null,
      make('a', {href: '/' + heading.toLowerCase() + '/' + i}, heading + ' link ' + (c * 6 + i + 1))))))));
})();
