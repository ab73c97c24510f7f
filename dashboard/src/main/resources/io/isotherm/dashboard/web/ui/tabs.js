// Tabs as in the WAI-ARIA pattern: a tablist of buttons, arrow keys (and Home, End) move between them and show the
// tab at once, only the chosen tab is in the Tab order, each panel is labelled by its tab.

import {h} from './dom.js';

/**
 * @param tabs [{id, label}] in order
 * @param onShow called with (id, panel) whenever a tab is shown, also the first time
 * @returns {element, show(id), panel(id)}
 */
export function tabs(list, {label, onShow}) {
  const tablist = h('div', {class: 'tabs', role: 'tablist', 'aria-label': label});
  const panels = h('div', {class: 'tab-panels'});
  const buttons = new Map();
  const panelOf = new Map();
  let current = null;

  for (const {id, label: text} of list) {
    const button = h('button', {type: 'button', class: 'tab', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`,
      'aria-selected': 'false', tabindex: '-1', dataset: {tab: id}}, text);
    const panel = h('section', {class: 'tab-panel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`,
      tabindex: '0', hidden: true});
    button.addEventListener('click', () => show(id));
    button.addEventListener('keydown', (e) => {
      const ids = list.map((t) => t.id);
      const at = ids.indexOf(id);
      const to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: ids.length - 1}[e.key];
      if (to === undefined) return;
      e.preventDefault();
      const target = ids[(to + ids.length) % ids.length];
      show(target);
      buttons.get(target).focus();
    });
    buttons.set(id, button);
    panelOf.set(id, panel);
    tablist.append(button);
    panels.append(panel);
  }

  function show(id) {
    if (!buttons.has(id)) id = list[0].id;
    if (id === current) return;
    current = id;
    for (const [other, button] of buttons) {
      const on = other === id;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panelOf.get(other).hidden = !on;
    }
    onShow(id, panelOf.get(id));
  }

  return {element: h('div', {class: 'tabs-wrap'}, tablist, panels), show, panel: (id) => panelOf.get(id), current: () => current};
}
