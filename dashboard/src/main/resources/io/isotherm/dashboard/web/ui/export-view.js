// The exported view (the export's HTML file and its PNG, docs/API.md): the view's data, embedded as JSON, drawn with
// the viewer's own modules, offline. Palette and scale switch as in the viewer; hovering tells the exact values.
// Sets data-ready on the root element once everything is drawn (the PNG is taken then).

import {el} from './dom.js';
import {placedElements} from './elements.js';
import {count, range as rangeText} from './format.js';
import {HeatLayer} from './heat-layer.js';
import {emptyLegend} from './legend.js';
import {attentionModel, colouring, densityModel, drawMarks, hasData, legend, scrollModel, tooltip} from './maps.js';
import {PALETTES} from './palettes.js';
import {SCALES} from './scales.js';
import {hideTooltip, showTooltip} from './tooltip.js';

const MAPS = {click: 'Click map', move: 'Move map', scroll: 'Scroll map', attention: 'Attention map'};
const DEVICES = {desktop: 'Desktop', tablet: 'Tablet', mobile: 'Mobile'};

const data = JSON.parse(document.getElementById('export-data').textContent);
const state = {palette: data.palette, scale: data.scale};
const model = data.heatmap
  ? densityModel(data.heatmap, data.map === 'move' ? 'move' : 'click')
  : (data.map === 'scroll' ? scrollModel : attentionModel)(data.scroll, data.width, data.height);
const placed = placedElements(data.elements, []);

document.documentElement.dataset.mode = data.mode;
const legendBox = el('div', 'x-legend');
legendBox.id = 'legend';
const page = el('div', 'x-page');
page.style.width = `${data.width}px`;
page.style.height = `${data.height}px`;
const shots = el('div', 'x-shots');
const heatElement = el('div', 'x-heat');
heatElement.style.opacity = String(data.opacity);
const marks = el('div', 'x-marks');
page.append(shots, heatElement, marks);
const heat = new HeatLayer(heatElement);
const stage = el('main', 'x-stage');
stage.append(page);
const tip = el('div', 'tooltip');
tip.id = 'tooltip';
tip.hidden = true;
document.body.append(header(), stage, tip);

const images = screenshot();
draw();
page.addEventListener('pointermove', (e) => {
  const box = page.getBoundingClientRect();
  showTooltip(e.clientX, e.clientY, tooltip(model, e.clientX - box.left, e.clientY - box.top, placed));
});
page.addEventListener('pointerleave', hideTooltip);
Promise.all(images).then(() => {
  document.documentElement.dataset.ready = '1';
});

function header() {
  const head = el('header', 'x-head');
  const title = el('div', 'x-title');
  const h1 = el('h1');
  h1.textContent = `${MAPS[data.map]} · ${data.page}`;
  const facts = el('p');
  const noun = data.map === 'move' ? 'moves' : 'clicks';
  facts.textContent = `${data.site} · ${DEVICES[data.device] || data.device} · ${rangeText(data.from, data.to)} · `
    + `${count(data.pageviews)} page views · ${count(data.events)} ${noun}`;
  title.append(h1, facts);
  if (!data.capture) {
    const note = el('p', 'x-note');
    note.textContent = 'No screenshot of this page on this device: the heat is drawn on a plain background.';
    title.append(note);
  }
  head.append(title, legendBox);
  if (data.mode !== 'png') head.append(controls());
  return head;
}

function controls() {
  const box = el('div', 'x-controls');
  box.append(select('Palette', 'palette', PALETTES), select('Scale', 'scale', SCALES));
  return box;
}

function select(text, key, options) {
  const label = el('label');
  label.textContent = `${text} `;
  const input = el('select');
  input.name = key;
  for (const o of options) {
    const option = el('option');
    option.value = o.id;
    option.textContent = o.label;
    input.append(option);
  }
  input.value = state[key];
  input.addEventListener('change', () => {
    state[key] = input.value;
    draw();
  });
  label.append(input);
  return label;
}

function screenshot() {
  if (!data.capture) {
    page.classList.add('x-plain');
    return [];
  }
  return data.capture.tiles.map((t) => {
    const img = el('img');
    img.alt = '';
    img.src = t.src;
    img.style.top = `${t.y}px`;
    img.width = data.capture.width;
    img.height = t.height;
    shots.append(img);
    return img.decode().catch(() => {});
  });
}

function draw() {
  legendBox.replaceChildren();
  drawMarks(marks, model);
  if (!hasData(model)) {
    heat.clear();
    legendBox.append(emptyLegend('No data in this view.'));
    return;
  }
  const {grid, lut} = colouring(model, state);
  heat.set(grid, lut);
  heat.drawAll();
  legendBox.append(legend(model, state));
}
