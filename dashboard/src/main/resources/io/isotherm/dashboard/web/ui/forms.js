// Forms with their errors next to the field they concern: field() builds a labelled control with a hint and an
// error line (aria-describedby, aria-invalid); submit() runs a handler with the form's values, and turns a refusal
// that names a field (the server's 400 {"error", "field"}, or invalid() here) into that field's error.

import {ApiError} from './http.js';
import {h, sentence, uid} from './dom.js';

/**
 * A labelled field. options: name, label, type (text, email, password, number, textarea; or control: an element),
 * hint (text or element), value, placeholder, required, autocomplete, rows, min, max, readonly.
 */
export function field(o) {
  const id = uid(`f-${o.name}`);
  const described = [];
  const hint = o.hint ? h('div', {class: 'hint', id: `${id}-hint`}, o.hint) : null;
  if (hint) described.push(hint.id);
  const error = h('p', {class: 'field-error', id: `${id}-error`, hidden: true});
  described.push(error.id);
  let control = o.control;
  if (!control) {
    const attrs = {name: o.name, placeholder: o.placeholder, required: o.required, autocomplete: o.autocomplete,
      min: o.min, max: o.max, readonly: o.readonly, spellcheck: o.spellcheck, inputmode: o.inputmode};
    control = o.type === 'textarea'
      ? h('textarea', {...attrs, rows: o.rows || 4, value: o.value ?? ''})
      : h('input', {...attrs, type: o.type || 'text', value: o.value ?? ''});
  }
  control.id = id;
  if (o.required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', described.join(' '));
  return h('div', {class: 'form-field', dataset: {field: o.name}},
    h('label', {for: id}, o.label), control, hint, error);
}

/** A refusal made here, before asking the server: like a 400 naming the field. */
export function invalid(name, message) {
  return new ApiError(message, 400, name);
}

function fieldFor(form, name) {
  if (!name) return null;
  const base = String(name).split(/[[.]/)[0];
  return form.querySelector(`.form-field[data-field="${CSS.escape(name)}"]`)
    || form.querySelector(`.form-field[data-field="${CSS.escape(base)}"]`);
}

/** Shows a message under a field; false when the form has no such field. */
export function fieldError(form, name, message) {
  const wrap = fieldFor(form, name);
  if (!wrap) return false;
  const error = wrap.querySelector('.field-error');
  error.textContent = sentence(message);
  error.hidden = false;
  const control = wrap.querySelector('input, textarea, select');
  if (control) control.setAttribute('aria-invalid', 'true');
  return true;
}

/** The form's own message line, above its buttons, for refusals that name no field. */
export function formError(form, message) {
  let line = form.querySelector('.form-error');
  if (!line) {
    line = h('p', {class: 'form-error', role: 'alert'});
    const actions = form.querySelector('.form-actions');
    if (actions) actions.before(line);
    else form.append(line);
  }
  line.textContent = sentence(message);
  line.hidden = !message;
}

export function clearErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) {
    e.hidden = true;
    e.textContent = '';
  }
  for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  formError(form, '');
}

/** The buttons row of a form, with a status line for "Saved". */
export function actions(...buttons) {
  return h('div', {class: 'form-actions'}, buttons, h('p', {class: 'form-status', role: 'status', 'aria-live': 'polite'}));
}

/** Sets the status line of a form ("Saved."); it clears itself on the next submit. */
export function formStatus(form, message) {
  const line = form.querySelector('.form-status');
  if (line) line.textContent = message || '';
}

/** The values of a form's named controls, as strings (checkboxes: true or false). */
export function values(form) {
  const out = {};
  for (const c of form.elements) {
    if (!c.name || c.disabled) continue;
    if (c.type === 'checkbox') out[c.name] = c.checked;
    else if (c.type === 'radio') { if (c.checked) out[c.name] = c.value; } else out[c.name] = c.value;
  }
  return out;
}

/** Runs handler(values) on submit, one at a time, and shows its refusal where it belongs. */
export function submit(form, handler) {
  form.noValidate = true;
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = [...form.querySelectorAll('button[type=submit]')];
    buttons.forEach((b) => { b.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    clearErrors(form);
    formStatus(form, '');
    try {
      await handler(values(form));
    } catch (e) {
      if (!(e instanceof ApiError) || !fieldError(form, e.field, e.message)) formError(form, e.message || String(e));
      const first = form.querySelector('[aria-invalid="true"]');
      if (first) first.focus();
    } finally {
      busy = false;
      buttons.forEach((b) => { b.disabled = false; });
      form.removeAttribute('aria-busy');
    }
  });
}
