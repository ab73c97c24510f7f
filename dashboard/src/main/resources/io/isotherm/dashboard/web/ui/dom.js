// Building elements: h('button', {class: 'btn', type: 'button', onclick: f}, 'Save'). Attributes are set as
// attributes (so no inline styles slip in: the CSP allows none), "on…" become listeners, null and false are left out.

export function h(tag, props, ...children) {
  const e = document.createElement(tag);
  let value;
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'value') value = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...present(children));
  if (value !== undefined) e.value = value;
  return e;
}

/** A bare element with an optional class, for code that fills it in afterwards. */
export function el(tag, className) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  return e;
}

/** The children worth adding: append() and replaceChildren() would write null as the text "null". */
export function present(...children) {
  return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
}

/** A unique id for labels and descriptions. */
let next = 0;
export function uid(prefix) {
  next += 1;
  return `${prefix}-${next}`;
}

/** A message with its first letter upper case: the server writes "wrong email or password". */
export function sentence(message) {
  const s = String(message || '').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** A status line (role=status) that a change announces politely. */
export function statusLine(className = 'status-line') {
  return h('p', {class: className, role: 'status', 'aria-live': 'polite'});
}

/** Shows a message in a status line; kind is 'ok', 'error' or 'info'. */
export function say(line, message, kind = 'info') {
  line.textContent = message || '';
  line.dataset.kind = kind;
}
