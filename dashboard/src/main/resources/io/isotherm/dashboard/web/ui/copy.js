// A code box with a Copy button: copies to the clipboard, or selects the text for Ctrl+C where the browser refuses.

import {h} from './dom.js';

export function copyButton(getText, target, label = 'Copy') {
  const button = h('button', {type: 'button', class: 'btn btn-small copy'}, label);
  let timer;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getText());
      button.textContent = 'Copied';
    } catch {
      if (target) getSelection().selectAllChildren(target);
      button.textContent = 'Press Ctrl+C';
    }
    clearTimeout(timer);
    timer = setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

/** Code to copy, in a dark box with its button; the pre is labelled for screen readers. */
export function snippet(code, label = 'Code to copy') {
  const pre = h('pre', {tabindex: '0', 'aria-label': label});
  pre.textContent = code;
  return h('div', {class: 'snippet'}, pre, copyButton(() => pre.textContent, pre));
}

/** A one-time secret or link, in a text field that selects itself, with a Copy button. */
export function secretBox(value, label) {
  const input = h('input', {type: 'text', readonly: true, class: 'secret', 'aria-label': label, value});
  input.addEventListener('focus', () => input.select());
  return h('div', {class: 'secret-row'}, input, copyButton(() => input.value, null));
}
