// One scrollable frame: the page's screenshot, the heat layer over it, and an overlay for markers and the highlighted
// element, all drawn in layout px and scaled together by one CSS transform (the zoom: fit to the pane or a step), so
// a pointer maps back to the same layout px at any zoom. The fold and reach lines are drawn unscaled over the page, so
// their labels keep their size and stay in the visible part of the pane. Heat tiles are drawn as they scroll near.

import {el} from './dom.js';
import {HeatLayer} from './heat-layer.js';
import {fitScale, scaleOf} from './zoom.js';

/** The room the page keeps on either side in the pane (the page's side margins). */
const GUTTER = 16;

export class Frame {
  constructor(parent) {
    this.wrap = el('section', 'frame-wrap');
    this.head = el('div', 'frame-head');
    this.progress = el('div', 'progress');
    this.progress.hidden = true;
    this.scroller = el('div', 'frame');
    this.scroller.tabIndex = 0;
    this.page = el('div', 'page');
    this.shots = el('div', 'shots');
    this.heatElement = el('div', 'heat');
    this.overlay = el('div', 'overlay');
    this.marks = el('div', 'marks');
    this.markers = el('div', 'markers');
    this.highlightElement = el('div', 'highlight');
    this.highlightElement.hidden = true;
    this.overlay.append(this.markers, this.highlightElement);
    this.placeholder = el('div', 'placeholder');
    this.placeholder.hidden = true;
    this.notice = el('div', 'frame-notice');
    this.notice.setAttribute('role', 'status');
    this.notice.hidden = true;
    this.page.append(this.shots, this.heatElement, this.placeholder, this.overlay, this.marks);
    this.scroller.append(this.page);
    this.wrap.append(this.head, this.progress, this.scroller, this.notice);
    parent.append(this.wrap);
    this.heat = new HeatLayer(this.heatElement);
    this.capture = null;
    this.width = 0;
    this.height = 0;
    this.zoom = 'fit';
    /** CSS px per layout px, and the scale that fits the page in the pane. */
    this.scale = 1;
    this.fit = undefined;
    this.onDraw = null;
    /** Called with (scale, fit) when either changes (the zoom control shows what "fit" comes to). */
    this.onScale = null;
    this.scroller.addEventListener('scroll', () => this.scheduleDraw(), {passive: true});
    // A pane that changes width (window, compare) fits its page again.
    new ResizeObserver(() => {
      this.applyZoom();
      this.scheduleDraw();
    }).observe(this.scroller);
  }

  remove() {
    this.wrap.remove();
  }

  setHead(...parts) {
    this.head.replaceChildren(...parts);
  }

  setLabel(text) {
    this.scroller.setAttribute('aria-label', text);
  }

  setLoading(loading) {
    this.progress.hidden = !loading;
    this.scroller.classList.toggle('loading', loading);
    this.scroller.setAttribute('aria-busy', String(loading));
  }

  /** The page's size in layout px, and the zoom to show it at (no scrolling to keep a point in view). */
  setSize(width, height, zoom = this.zoom) {
    this.width = width;
    this.height = height;
    this.zoom = zoom;
    for (const layer of [this.shots, this.heatElement, this.overlay]) {
      layer.style.width = `${width}px`;
      layer.style.height = `${height}px`;
    }
    this.applyZoom();
  }

  /** Shows the page at a zoom of zoom.js ('fit' or a percentage), keeping the point in the pane's middle there. */
  setZoom(zoom) {
    if (zoom === this.zoom) return;
    const middle = this.width ? this.middlePoint() : null;
    this.zoom = zoom;
    this.applyZoom();
    if (middle) this.centreOn(middle.x, middle.y);
    this.scheduleDraw();
  }

  /** Sizes the page box and scales its layers for the zoom, the page's width and the pane's width now. */
  applyZoom() {
    if (!this.width) return;
    const available = this.scroller.clientWidth - 2 * GUTTER;
    const scale = scaleOf(this.zoom, this.width, available);
    const fit = fitScale(this.width, available);
    const changed = scale !== this.scale || fit !== this.fit;
    this.scale = scale;
    this.fit = fit;
    this.page.style.setProperty('--scale', String(scale));
    // Whole px, so that a fitted page never overflows the pane by a fraction (the page clips the rest).
    this.page.style.width = `${Math.floor(this.width * scale)}px`;
    this.page.style.height = `${Math.floor(this.height * scale)}px`;
    this.marks.dataset.scale = String(scale);
    for (const line of this.marks.children) line.style.top = `${Number(line.dataset.y) * scale}px`;
    if (changed && this.onScale) this.onScale(scale, this.fit);
  }

  /** The layout px in the middle of the pane. */
  middlePoint() {
    const s = this.scale;
    return {
      x: (this.scroller.scrollLeft + this.scroller.clientWidth / 2 - this.page.offsetLeft) / s,
      y: (this.scroller.scrollTop + this.scroller.clientHeight / 2 - this.page.offsetTop) / s,
    };
  }

  /** Scrolls so that layout px (x, y) is in the middle of the pane (as near as the page allows). */
  centreOn(x, y) {
    this.scroller.scrollLeft = Math.max(0, this.page.offsetLeft + x * this.scale - this.scroller.clientWidth / 2);
    this.scroller.scrollTop = Math.max(0, this.page.offsetTop + y * this.scale - this.scroller.clientHeight / 2);
  }

  /** The capture's tiles stacked at their y; kept as they are when the same capture is shown again. */
  showCapture(capture, alt) {
    this.placeholder.hidden = true;
    if (this.capture && this.capture.id === capture.id) return;
    this.capture = capture;
    this.shots.replaceChildren(...capture.tiles.map((tile, i) => {
      const img = document.createElement('img');
      img.alt = i === 0 ? alt : '';
      img.decoding = 'async';
      img.loading = i === 0 ? 'eager' : 'lazy';
      img.width = capture.width;
      img.height = tile.height;
      img.style.top = `${tile.y}px`;
      img.style.width = `${capture.width}px`;
      img.style.height = `${tile.height}px`;
      img.src = tile.url;
      return img;
    }));
  }

  /** A neutral page of the layout's size with a card (what to do without a screenshot). */
  showPlaceholder(card) {
    this.capture = null;
    this.shots.replaceChildren();
    this.placeholder.replaceChildren(card);
    this.placeholder.hidden = false;
  }

  setNotice(title, text) {
    if (!title) {
      this.notice.hidden = true;
      return;
    }
    const strong = el('strong');
    strong.textContent = title;
    const p = el('p');
    p.textContent = text || '';
    this.notice.replaceChildren(strong, p);
    this.notice.hidden = false;
  }

  setOpacity(percent) {
    this.heatElement.style.opacity = String(percent / 100);
  }

  /** Draws the heat tiles around the visible area now (the visible part plus one screen either way). */
  drawVisible() {
    const top = (this.scroller.scrollTop - this.page.offsetTop) / this.scale;
    const h = this.scroller.clientHeight / this.scale;
    return this.heat.drawRange(top - h, top + 2 * h);
  }

  scheduleDraw() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      const started = performance.now();
      const drawn = this.drawVisible();
      if (drawn && this.onDraw) this.onDraw(performance.now() - started, drawn);
    });
  }

  /** Layout px under a viewport point, or null outside the page. */
  pointAt(clientX, clientY) {
    const r = this.page.getBoundingClientRect();
    const x = (clientX - r.left) / this.scale;
    const y = (clientY - r.top) / this.scale;
    return x >= 0 && y >= 0 && x < this.width && y < this.height ? {x, y} : null;
  }

  highlight(box) {
    if (!box) {
      this.highlightElement.hidden = true;
      return;
    }
    place(this.highlightElement, box);
    this.highlightElement.hidden = false;
    this.scrollToBox(box);
  }

  scrollToBox(box) {
    const s = this.scale;
    const top = this.page.offsetTop + box.y * s - Math.max(0, (this.scroller.clientHeight - box.height * s) / 2);
    const left = this.page.offsetLeft + box.x * s - Math.max(0, (this.scroller.clientWidth - box.width * s) / 2);
    this.scroller.scrollTo({top: Math.max(0, top), left: Math.max(0, left)});
  }
}

export function place(element, box) {
  element.style.left = `${box.x}px`;
  element.style.top = `${box.y}px`;
  element.style.width = `${box.width}px`;
  element.style.height = `${box.height}px`;
}
