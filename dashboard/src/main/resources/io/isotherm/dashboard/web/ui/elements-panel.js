// The elements panel beside the map: the first frame's page views and clicks, and its most clicked elements.
// Choosing one outlines its box in every frame.

import {showInfo} from './banner.js';
import {count, pluralize} from './format.js';
import {elementName, markSelected, renderList} from './elements.js';

const list = () => document.getElementById('elements-list');

export function elementsPanel(v) {
  const first = v.shown[0];
  summary(first ? first.report : null);
  renderList(list(), first ? first.placed : [], {selected: v.selected, onSelect: (e) => select(v, e)});
}

/**
 * The view's page views and clicks, read with the elements in one snapshot of the same aggregation as the header's
 * and the device switch's (snapshot.js): the same numbers, and how many of the clicks were on elements.
 */
function summary(report) {
  const p = document.getElementById('elements-summary');
  if (!report) {
    p.textContent = '';
    return;
  }
  p.textContent = `${pluralize(report.pageviews, 'page view', 'page views')} · ${pluralize(report.pageClicks, 'click', 'clicks')}`
    + `, ${count(report.clicks)} on elements`;
  p.dataset.pageviews = String(report.pageviews);
  p.dataset.clicks = String(report.pageClicks);
}

function select(v, element) {
  v.selected = element.selector;
  markSelected(list(), v.selected);
  v.shown.forEach((s, i) => {
    const e = s.placed.find((p) => p.selector === element.selector);
    v.frames[i].highlight(e ? e.box : null);
  });
  // Elements shown only after an interaction (a menu, a drawer, "load more") are missing from the capture as much as
  // elements a redesign removed: the panel says which it can be, not which it is.
  if (!element.box) {
    showInfo(`${elementName(element)} is not on the screenshot: it appears only after visitors do something (opening a menu, `
      + 'loading more), or the page has changed since these clicks.');
  }
}
