// The elements panel beside the map: the most clicked elements of the first frame's view. Choosing one outlines its
// box in every frame.

import {showInfo} from './banner.js';
import {elementName, markSelected, renderList} from './elements.js';

const list = () => document.getElementById('elements-list');

export function elementsPanel(v) {
  renderList(list(), v.shown[0] ? v.shown[0].placed : [], {selected: v.selected, onSelect: (e) => select(v, e)});
}

function select(v, element) {
  v.selected = element.selector;
  markSelected(list(), v.selected);
  v.shown.forEach((s, i) => {
    const e = s.placed.find((p) => p.selector === element.selector);
    v.frames[i].highlight(e ? e.box : null);
  });
  if (!element.box) showInfo(`${elementName(element)} is not on this layout: the page has changed since these clicks.`);
}
