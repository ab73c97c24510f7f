// The elements report beside the map: the most clicked elements, their boxes on the page, the element under the
// pointer, and dead / rage click markers.

import {el} from './dom.js';
import {count, percent} from './format.js';

/**
 * The report's elements with the box to draw and the label to show for each: from the shown capture's elements when
 * it has the selector, else the report's own (the current layout). The label is null when the capture took none.
 */
export function placedElements(report, captureElements) {
  const captured = new Map((captureElements || []).map((e) => [e.selector, e]));
  return report.elements.map((e) => {
    const c = captured.get(e.selector);
    const box = c ? {x: c.x, y: c.y, width: c.width, height: c.height} : e.box;
    return {...e, box, label: (c && c.label) || e.label || null};
  });
}

/** How a person knows an element: its label from the capture, else its selector. */
export function elementName(e) {
  return e.label || e.selector;
}

/** The smallest box of a reported element containing the point, or null. */
export function elementAt(placed, x, y) {
  let best = null;
  for (const e of placed) {
    const b = e.box;
    if (b && x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) {
      if (!best || b.width * b.height < best.box.width * best.box.height) best = e;
    }
  }
  return best;
}

/** The list, keyboard operable: Tab enters it, arrows / Home / End move, Enter or Space selects. */
export function renderList(list, placed, {selected, onSelect}) {
  list.replaceChildren();
  if (!placed.length) {
    const li = el('li', 'empty-small');
    li.textContent = 'No clicks on elements in this range.';
    list.append(li);
    return;
  }
  const top = placed[0].clicks || 1;
  placed.slice(0, 50).forEach((e, i) => {
    const li = el('li');
    const button = el('button', 'element');
    button.type = 'button';
    button.dataset.selector = e.selector;
    button.tabIndex = (selected ? e.selector === selected : i === 0) ? 0 : -1;
    button.setAttribute('aria-pressed', String(e.selector === selected));
    const parts = [e.label ? `${e.label} (${e.selector})` : e.selector, `${count(e.clicks)} clicks`, `${percent(e.share)} of clicks`];
    if (e.rage) parts.push(`${count(e.rage)} rage`);
    if (e.dead) parts.push(`${count(e.dead)} dead`);
    if (!e.box) parts.push('not on the screenshot');
    button.setAttribute('aria-label', parts.join(', '));
    // The label first, the selector below it; both as text, never markup (the label is whatever the page said).
    const name = el('span', 'element-name');
    if (e.label) name.append(line('element-label', e.label));
    name.append(line('element-selector', e.selector));
    const clicks = el('span', 'element-count');
    clicks.textContent = `${count(e.clicks)} · ${percent(e.share)}`;
    const bar = el('span', 'element-bar');
    const fill = el('i');
    fill.style.width = `${(e.clicks / top) * 100}%`;
    bar.append(fill);
    button.append(name, clicks, bar);
    if (e.rage || e.dead || !e.box) {
      const flags = el('span', 'element-flags');
      if (e.rage) flags.append(flag(`${count(e.rage)} rage`, 'flag-rage'));
      if (e.dead) flags.append(flag(`${count(e.dead)} dead`, 'flag-dead'));
      if (!e.box) flags.append(flag('not on the screenshot', 'flag-unseen'));
      button.append(flags);
    }
    button.addEventListener('click', () => onSelect(e));
    li.append(button);
    list.append(li);
  });
  if (!list.dataset.keys) {
    list.dataset.keys = '1';
    list.addEventListener('keydown', (event) => move(list, event));
  }
}

function line(className, text) {
  const span = el('span', className);
  span.textContent = text;
  span.title = text;
  return span;
}

function flag(text, className) {
  const span = el('span', className);
  span.textContent = text;
  return span;
}

function move(list, event) {
  const buttons = [...list.querySelectorAll('button.element')];
  const i = buttons.indexOf(document.activeElement);
  if (i < 0) return;
  const next = {ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1}[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const target = buttons[Math.max(0, Math.min(buttons.length - 1, next))];
  for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
  target.focus();
}

export function markSelected(list, selector) {
  for (const b of list.querySelectorAll('button.element')) {
    b.setAttribute('aria-pressed', String(b.dataset.selector === selector));
  }
}

/** Circles with counts on the boxes of elements with dead (top left) or rage (top right) clicks. */
export function drawMarkers(layer, placed, {dead, rage}) {
  layer.replaceChildren();
  for (const e of placed) {
    if (!e.box) continue;
    if (dead && e.dead > 0) layer.append(marker('dead', e, e.box.x, e.box.y, `${count(e.dead)} dead clicks on ${elementName(e)}`, e.dead));
    if (rage && e.rage > 0) layer.append(marker('rage', e, e.box.x + e.box.width, e.box.y, `${count(e.rage)} rage clicks on ${elementName(e)}`, e.rage));
  }
}

function marker(kind, e, x, y, label, n) {
  const m = el('div', `marker ${kind}`);
  m.style.left = `${x}px`;
  m.style.top = `${y}px`;
  m.textContent = count(n);
  m.title = label;
  m.dataset.selector = e.selector;
  m.setAttribute('role', 'img');
  m.setAttribute('aria-label', label);
  return m;
}
