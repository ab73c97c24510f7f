// A confirmation dialog (a modal <dialog>: focus stays inside, Escape cancels) for what cannot be undone.

import {h, uid} from './dom.js';

/** Resolves true when the person confirms. Cancel has the focus, so a stray Enter changes nothing. */
export function confirmAction({title, message, confirm = 'Confirm', danger = true}) {
  return new Promise((resolve) => {
    const previous = document.activeElement;
    const titleId = uid('confirm-title');
    const cancelButton = h('button', {type: 'button', class: 'btn'}, 'Cancel');
    const okButton = h('button', {type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary'}, confirm);
    const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': titleId},
      h('h2', {id: titleId}, title),
      message ? h('p', {}, message) : null,
      h('div', {class: 'dialog-actions'}, cancelButton, okButton));
    let answer = false;
    cancelButton.addEventListener('click', () => dialog.close());
    okButton.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (previous && previous.isConnected) previous.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
