// One scrollable frame: the page's screenshot at true scale (1 layout px = 1 CSS px), the heat layer over it, and
// an overlay for lines, markers and the highlighted element. Tiles of the heat layer are drawn as they scroll near.

import {el} from './dom.js';
import {HeatLayer} from './heat-layer.js';

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
    this.overlay.append(this.marks, this.markers, this.highlightElement);
    this.placeholder = el('div', 'placeholder');
    this.placeholder.hidden = true;
    this.notice = el('div', 'frame-notice');
    this.notice.setAttribute('role', 'status');
    this.notice.hidden = true;
    this.page.append(this.shots, this.heatElement, this.placeholder, this.overlay);
    this.scroller.append(this.page);
    this.wrap.append(this.head, this.progress, this.scroller, this.notice);
    parent.append(this.wrap);
    this.heat = new HeatLayer(this.heatElement);
    this.capture = null;
    this.width = 0;
    this.height = 0;
    this.onDraw = null;
    this.scroller.addEventListener('scroll', () => this.scheduleDraw(), {passive: true});
    new ResizeObserver(() => this.scheduleDraw()).observe(this.scroller);
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

  setSize(width, height) {
    this.width = width;
    this.height = height;
    this.page.style.width = `${width}px`;
    this.page.style.height = `${height}px`;
    for (const layer of [this.shots, this.heatElement, this.placeholder]) {
      layer.style.width = `${width}px`;
      layer.style.height = `${height}px`;
    }
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
    const top = this.scroller.scrollTop - this.page.offsetTop;
    const h = this.scroller.clientHeight;
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
    const x = clientX - r.left;
    const y = clientY - r.top;
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
    const top = this.page.offsetTop + box.y - Math.max(0, (this.scroller.clientHeight - box.height) / 2);
    const left = this.page.offsetLeft + box.x - Math.max(0, (this.scroller.clientWidth - box.width) / 2);
    this.scroller.scrollTo({top: Math.max(0, top), left: Math.max(0, left)});
  }
}

export function place(element, box) {
  element.style.left = `${box.x}px`;
  element.style.top = `${box.y}px`;
  element.style.width = `${box.width}px`;
  element.style.height = `${box.height}px`;
}
