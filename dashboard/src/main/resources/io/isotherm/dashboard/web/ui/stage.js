// The frames on the stage, one per view shown (two side by side when comparing), each zoomed to fit itself (or to
// the chosen step) and scrolled together, with the tooltip under the pointer; and what each frame shows around its heatmap: head, label, screenshot or placeholder,
// and the empty notice.

import {captureActions, poll} from './capture-actions.js';
import {DONE, placeholderCard} from './capture.js';
import {showZoom} from './controls.js';
import {h} from './dom.js';
import {count, range as rangeText} from './format.js';
import {Frame} from './frame.js';
import {emptyNotice, tooltip} from './maps.js';
import {labelOf, MAPS, segmentText} from './state.js';
import {hideTooltip, showTooltip} from './tooltip.js';
import {followScroll} from './zoom.js';

export function setFrameCount(v, n) {
  const {frames} = v;
  while (frames.length > n) frames.pop().remove();
  while (frames.length < n) {
    const frame = new Frame(document.getElementById('frames'));
    const i = frames.length;
    frame.page.addEventListener('pointermove', (e) => hover(v, i, e));
    frame.page.addEventListener('pointerleave', hideTooltip);
    frame.scroller.addEventListener('scroll', () => syncScroll(frames, frame));
    // The zoom control speaks of the first frame's scale (what "fit" comes to).
    if (i === 0) frame.onScale = (scale, fit) => showZoom(scale, fit);
    frames.push(frame);
  }
}

let syncing = false;

/** The other frames follow a frame's scroll in proportion: their pages may differ in height and scale. */
function syncScroll(frames, source) {
  if (syncing || frames.length < 2) return;
  syncing = true;
  const from = source.scroller;
  for (const f of frames) {
    if (f === source) continue;
    const to = f.scroller;
    const top = followScroll(from.scrollTop, from.scrollHeight - from.clientHeight, to.scrollHeight - to.clientHeight);
    const left = followScroll(from.scrollLeft, from.scrollWidth - from.clientWidth, to.scrollWidth - to.clientWidth);
    // Within a px it already follows: rounding must not bounce a scroll back and forth between the frames.
    if (Math.abs(to.scrollTop - top) >= 1) to.scrollTop = top;
    if (Math.abs(to.scrollLeft - left) >= 1) to.scrollLeft = left;
  }
  requestAnimationFrame(() => { syncing = false; });
}

function hover(v, i, event) {
  const s = v.shown[i];
  if (!s) return;
  const p = v.frames[i].pointAt(event.clientX, event.clientY);
  if (!p) {
    hideTooltip();
    return;
  }
  showTooltip(event.clientX, event.clientY, tooltip(s.model, p.x, p.y, s.placed, v.state));
}

/**
 * Sizes frame i for its view s and fills in everything but the heat layer. compare: two frames, A and B;
 * diffAgainst: the other range's view of a difference map, or null.
 */
export function layoutFrame(v, frame, s, i, compare, diffAgainst) {
  const {state, devices, hints} = v;
  frame.setSize(s.width, s.height, state.zoom);
  frame.setOpacity(state.opacity);
  const device = labelOf(devices, s.view.device);
  if (s.capture) {
    frame.showCapture(s.capture, `Screenshot of ${s.view.page} on ${device}`);
  } else {
    frame.showPlaceholder(placeholderCard(s.captures[0], device, s.width, captureActions(v, s.view.device)));
  }
  const latest = s.captures[0];
  if (latest && !DONE.includes(latest.status) && !v.shared) poll(v, latest.id);
  const ofView = (view) => [rangeText(view.from, view.to), segmentText(view.segment)].filter(Boolean).join(' · ');
  const dates = diffAgainst ? `A: ${ofView(s.view)} − B: ${ofView(diffAgainst)}` : ofView(s.view);
  const noun = state.map === 'move' ? 'moves' : 'clicks';
  // Every click counts in the header, as in the elements panel; those on elements the screenshot does not show are
  // not drawn (they would land on whatever the screenshot has there), and the header says how many.
  const all = (d) => d.total + (d.notDrawn || 0);
  const totals = (d) => `${count(d.pageviews)} page views${d.total === undefined ? '' : ` · ${count(all(d))} ${noun}`}`;
  const unseen = s.model.type === 'difference' || !(s.data.notDrawn > 0) ? [] : [h('span', {
    class: 'stat-unseen',
    title: 'Clicks on elements the screenshot does not show (a menu opened, rows loaded later, an element since removed): '
      + 'not drawn on the map. The elements panel lists them as "not on the screenshot".',
  }, `${count(s.data.notDrawn)} not on the screenshot`)];
  frame.setHead(h('strong', {}, compare ? `${i === 0 ? 'A' : 'B'} · ${device}` : device), h('span', {}, dates),
    h('span', {class: 'stat'}, s.model.type === 'difference' ? `A: ${totals(s.model.a)} · B: ${totals(s.model.b)}` : totals(s.data)),
    ...unseen);
  const subject = state.group ? `the page group ${v.groupName} (drawn on ${s.view.page})` : s.view.page;
  frame.setLabel(`${labelOf(MAPS, state.map)} map of ${subject}, ${device}, ${dates}`);
  const others = hints ? devices.filter((d) => d.id !== s.view.device && hints[d.id] > 0)
    .map((d) => ({label: d.label, pageviews: hints[d.id]})) : [];
  s.notice = emptyNotice(s.model, device, others);
  frame.setNotice(...(s.notice || []));
}
