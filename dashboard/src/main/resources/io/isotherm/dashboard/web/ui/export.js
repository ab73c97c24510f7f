// "Download PNG": the visible part of a frame (screenshot, heatmap, lines and markers) with a caption, for a slide.

import {range as rangeText} from './format.js';
import {labelOf, MAPS, rangeOf} from './state.js';

const CAPTION = 40;

/** Downloads what a frame shows of the state's view, captioned with its map, device class, range and page. */
export function downloadView(frame, state, today, devices) {
  const range = rangeOf(state, today);
  const caption = `${labelOf(MAPS, state.map)} map · ${labelOf(devices, state.device)} · ${rangeText(range.from, range.to)} · ${state.page}`;
  return downloadPng(frame, caption, `isotherm-${state.map}-${state.device}-${range.to}.png`);
}

async function downloadPng(frame, caption, filename) {
  const scroller = frame.scroller;
  const left = Math.max(0, scroller.scrollLeft - frame.page.offsetLeft);
  const top = Math.max(0, scroller.scrollTop - frame.page.offsetTop);
  const width = Math.min(frame.width - left, scroller.clientWidth);
  const height = Math.min(frame.height - top, scroller.clientHeight);
  frame.heat.drawRange(top, top + height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height + CAPTION;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height + CAPTION);
  ctx.save();
  ctx.translate(-left, -top);
  for (const img of frame.shots.querySelectorAll('img')) {
    const y = parseFloat(img.style.top);
    if (y > top + height || y + img.height < top) continue;
    if (!img.complete) await img.decode().catch(() => {});
    if (img.naturalWidth) ctx.drawImage(img, 0, y, img.width, img.height);
  }
  ctx.globalAlpha = Number(frame.heatElement.style.opacity || 1);
  for (const c of frame.heat.element.querySelectorAll('canvas')) {
    ctx.drawImage(c, 0, Number(c.dataset.top));
  }
  ctx.globalAlpha = 1;
  drawMarks(ctx, frame, width);
  ctx.restore();
  ctx.fillStyle = '#1c2330';
  ctx.fillRect(0, height, width, CAPTION);
  ctx.fillStyle = '#ffffff';
  ctx.font = '600 14px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, 16, height + CAPTION / 2, width - 32);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Fold and reach lines, and dead / rage markers, as the overlay shows them. */
function drawMarks(ctx, frame, width) {
  for (const line of frame.marks.querySelectorAll('.fold, .reach-mark')) {
    const y = parseFloat(line.style.top);
    ctx.strokeStyle = 'rgba(20, 24, 32, 0.8)';
    ctx.lineWidth = 2;
    ctx.setLineDash(line.classList.contains('fold') ? [] : [6, 4]);
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(frame.width, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = 'rgba(20, 24, 32, 0.85)';
    ctx.font = '600 12px system-ui, sans-serif';
    const text = line.textContent;
    const w = ctx.measureText(text).width + 16;
    const x = frame.scroller.scrollLeft - frame.page.offsetLeft + Math.min(frame.width, width) - w - 8;
    ctx.fillRect(Math.max(0, x), y + 4, w, 20);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, Math.max(0, x) + 8, y + 18);
  }
  for (const m of frame.markers.querySelectorAll('.marker')) {
    const x = parseFloat(m.style.left);
    const y = parseFloat(m.style.top);
    ctx.fillStyle = m.classList.contains('rage') ? '#c2362f' : '#3b4350';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, 12, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.font = '700 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(m.textContent, x, y + 4);
    ctx.textAlign = 'start';
  }
}
