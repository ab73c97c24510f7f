// An annotated grid heat map: a table whose every cell prints its value on a colour of a perceptually uniform
// sequential palette (viridis, light for little and dark for much), in black or white, whichever contrasts more with
// that colour; a legend; normalisation by row or column, so a busy row does not wash out a quiet one; a tooltip with
// the exact value, its row and its column; and cells that may link somewhere. Reusable by any report of a matrix.

import {h} from './dom.js';
import {colourAt} from './palettes.js';

export const NORMALISATIONS = [
  {id: 'none', label: 'Whole grid'},
  {id: 'row', label: 'By row'},
  {id: 'column', label: 'By column'},
];

/** Cells without a value (a mean over no page view) are drawn in this grey, with nothing printed. */
const EMPTY = [240, 242, 245];

/** The palette's colour at t in 0..1, opaque: 0 is the light end. */
export function colour(t, palette = 'viridis') {
  const index = Math.round((1 - Math.min(1, Math.max(0, t))) * 255);
  return colourAt(palette, index).slice(0, 3);
}

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]) {
  const linear = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Black or white, whichever has the higher contrast ratio with the background. */
export function textColour(background) {
  const l = luminance(background);
  return (1.05 / (l + 0.05)) > ((l + 0.05) / 0.05) ? '#ffffff' : '#000000';
}

/**
 * Each cell's position on the colour scale (0..1; null where the cell has no value): its value over the largest of
 * the whole grid, of its row or of its column. A row or column of zeros stays at 0.
 */
export function normalise(values, mode) {
  const max = (list) => Math.max(0, ...list.filter((v) => v !== null));
  const whole = max(values.flat());
  const rows = values.map(max);
  const columns = (values[0] || []).map((_, j) => max(values.map((row) => row[j])));
  return values.map((row, i) => row.map((v, j) => {
    if (v === null) return null;
    const top = mode === 'row' ? rows[i] : mode === 'column' ? columns[j] : whole;
    return top > 0 ? v / top : 0;
  }));
}

/** A normalised position as printed: a whole percent of its row's or column's largest value. */
export const share = (t) => `${Math.round(t * 100)}%`;

/**
 * The grid. Options: rows, columns (labels), values (rows × columns, numbers or null), mode ('none', 'row',
 * 'column'), format(value) for printing, caption, corner (the row labels' heading), describe(i, j) → extra tooltip
 * lines, link(i, j) → an address or null, rowLabel(i) and columnLabel(j) → the printed heads (default: the labels,
 * which the tooltip shows in full), unit(value) → the tooltip's words after the value ('clicks').
 */
export function gridChart(options) {
  const {rows, columns, values, mode = 'none', format, caption, corner = '', describe = () => [], link = () => null} = options;
  const rowLabel = options.rowLabel || ((i) => rows[i]);
  const columnLabel = options.columnLabel || ((j) => columns[j]);
  const unit = options.unit || (() => '');
  const scale = normalise(values, mode);
  const tip = h('div', {class: 'grid-tip', role: 'tooltip', id: 'grid-tip', hidden: true});
  const body = rows.map((row, i) => h('tr', {},
    h('th', {scope: 'row', class: 'grid-row', title: row}, rowLabel(i)),
    columns.map((column, j) => cell(i, j))));
  const table = h('table', {class: 'grid', dataset: {mode}},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col', class: 'grid-corner'}, corner),
      columns.map((c, j) => h('th', {scope: 'col', class: 'grid-column', title: c}, columnLabel(j))))),
    h('tbody', {}, body));

  function cell(i, j) {
    const v = values[i][j];
    const t = scale[i][j];
    const background = t === null ? EMPTY : colour(t);
    const printed = t === null ? '' : mode === 'none' ? format(v) : share(t);
    const href = t === null ? null : link(i, j);
    const content = href ? h('a', {href, class: 'grid-link'}, printed) : printed;
    const td = h('td', {class: 'grid-cell', dataset: {row: i, column: j}}, content);
    focusable(td).tabIndex = i === 0 && j === 0 ? 0 : -1;
    td.style.backgroundColor = `rgb(${background.join(', ')})`;
    td.style.color = textColour(background);
    if (href) td.firstChild.style.color = td.style.color;
    const show = () => showTip(td, i, j);
    td.addEventListener('mouseenter', show);
    td.addEventListener('focusin', show);
    td.addEventListener('mouseleave', () => { tip.hidden = true; });
    td.addEventListener('focusout', () => { tip.hidden = true; });
    return td;
  }

  function showTip(td, i, j) {
    const v = values[i][j];
    const value = v === null ? 'No page views' : `${format(v)}${unit(v) ? ` ${unit(v)}` : ''}`;
    const lines = [[rows[i], 'row'], [columns[j], 'column'], [value, 'value']];
    if (mode !== 'none' && v !== null) {
      lines.push([`${share(scale[i][j])} of the ${mode === 'row' ? 'row' : 'column'}'s highest`, 'share']);
    }
    for (const text of describe(i, j)) lines.push([text, 'detail']);
    tip.replaceChildren(...lines.map(([text, line], k) => h(k < 2 ? 'strong' : 'div', {dataset: {line}}, text)));
    tip.hidden = false;
    const box = td.getBoundingClientRect();
    const wrap = tip.parentElement.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(box.left - wrap.left, wrap.width - tip.offsetWidth))}px`;
    tip.style.top = `${box.bottom - wrap.top + 4}px`;
  }

  // One tab stop for the whole grid; the arrow keys, Home and End move between its cells.
  table.addEventListener('keydown', (e) => {
    const td = e.target.closest('td.grid-cell');
    const step = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]}[e.key];
    if (!td || (!step && e.key !== 'Home' && e.key !== 'End')) return;
    const i = Number(td.dataset.row);
    const j = Number(td.dataset.column);
    const [r, c] = step ? [i + step[0], j + step[1]] : [i, e.key === 'Home' ? 0 : columns.length - 1];
    const next = table.querySelector(`td.grid-cell[data-row="${r}"][data-column="${c}"]`);
    if (!next) return;
    e.preventDefault();
    focusable(td).tabIndex = -1;
    focusable(next).tabIndex = 0;
    focusable(next).focus();
  });
  return h('div', {class: 'grid-chart'}, legend(values, mode, format), h('div', {class: 'grid-scroll'}, table), tip);
}

/** What takes the focus in a cell: its link, else the cell. */
function focusable(td) {
  return td.querySelector('a') || td;
}

/** The colour scale from its light end to its dark end, with the numbers at both ends. */
function legend(values, mode, format) {
  const present = values.flat().filter((v) => v !== null);
  const top = present.length ? Math.max(...present) : 0;
  const bar = h('span', {class: 'grid-legend-bar'});
  const stops = [];
  for (let k = 0; k <= 10; k++) stops.push(`rgb(${colour(k / 10).join(', ')}) ${k * 10}%`);
  bar.style.backgroundImage = `linear-gradient(90deg, ${stops.join(', ')})`;
  const high = mode === 'none' ? format(top) : `100% of the ${mode}'s highest`;
  return h('div', {class: 'grid-legend', 'aria-label': 'Colour scale'},
    h('span', {dataset: {end: 'low'}}, mode === 'none' ? format(0) : '0%'), bar, h('span', {dataset: {end: 'high'}}, high));
}
