// The tooltip that follows the pointer over a frame.

import {el} from './dom.js';

const tip = () => document.getElementById('tooltip');

/** lines: [{text, strong?, muted?, code?, data? (a name for tests: data-line)}] in groups; a group after the first is separated by a rule. */
export function showTooltip(clientX, clientY, groups) {
  const t = tip();
  t.replaceChildren(...groups.filter((g) => g.length).map((lines, i) => {
    const block = el('div', i ? 'tip-element' : 'tip-main');
    for (const line of lines) {
      const row = el('div', line.muted ? 'muted' : '');
      if (line.data) row.dataset.line = line.data;
      if (line.code) {
        const code = el('code');
        code.textContent = line.code;
        row.append(code);
      }
      if (line.text) {
        const span = el(line.strong ? 'strong' : 'span');
        span.textContent = line.text;
        row.append(span);
      }
      block.append(row);
    }
    return block;
  }));
  t.hidden = false;
  const pad = 16;
  const w = t.offsetWidth;
  const h = t.offsetHeight;
  const x = clientX + pad + w > innerWidth ? clientX - pad - w : clientX + pad;
  const y = clientY + pad + h > innerHeight ? clientY - pad - h : clientY + pad;
  t.style.left = `${Math.max(4, x)}px`;
  t.style.top = `${Math.max(4, y)}px`;
}

export function hideTooltip() {
  tip().hidden = true;
}
