/*
 * The boxes of the rendered elements, keyed by the selector the tracker reports for clicks on them: the page's own,
 * those in open shadow roots and those in same-origin frames (selectors through the host or iframe, ' >>> ').
 * Run by WebDriver's executeScript (the body of a function): arguments[0] is the most elements to return.
 * Returns [[selector, x, y, width, height, label], ...] in document order, one per selector (the first element
 * wins). Page px at the current scroll position plus the scroll offsets; viewport px for elements in or under a fixed
 * or sticky box, as the tracker reports clicks on them (the capture runs this at scroll 0). The label is a name a
 * person recognises (see label() below), or null.
 */
var doc = document;
var HOOKS = ['testid', 'test', 'cy'];
var siblingsOf = new Map();
var uniqueIn = new Map();
// Unique within the tree the part is looked up in: the document, a shadow root or a frame's document.
var isUnique = (tree, part) => {
  if (!uniqueIn.has(tree)) uniqueIn.set(tree, new Map());
  var unique = uniqueIn.get(tree);
  if (!unique.has(part)) unique.set(part, !tree.querySelectorAll(part)[1]);
  return unique.get(part);
};
var sameTag = (n) => {
  var key = n.parentNode, byTag = siblingsOf.get(key);
  if (!byTag) siblingsOf.set(key, byTag = new Map());
  if (!byTag.has(n.localName)) byTag.set(n.localName, [...key.children].filter((c) => c.localName == n.localName));
  return byTag.get(n.localName);
};

// The tracker's holder() and selector() (tracker-js/src/t.js), step for step; the two lookups are memoised, nothing
// else differs. SelectorParityTest and ShadowAndFrameParityTest run the real tracker next to this: change both together.
var holder = (n) => (n = n.getRootNode()).host || n != doc && n.defaultView.frameElement;
// The parent element, through shadow hosts and iframes, as the tracker walks up for "fixed".
var up = (n) => n.parentElement || holder(n);
var selector = (n) => {
  var path = [], part, v, hook, same, tree = n.getRootNode(), outer = holder(n);
  for (; n; n = n.parentElement) {
    v = n.id;
    // Generated ids (ember123, react-select-2-input, :r1:, mui-38291) change between builds and renders.
    part = /^(?!.*(\d{3}|react))[a-z][\w-]*$/i.test(v) && '#' + v;
    for (v of HOOKS) {
      hook = n.getAttribute('data-' + v);
      part = part || hook && /^[\w.:-]{1,64}$/.test(hook) && `[data-${v}="${hook}"]`;
    }
    if (part && isUnique(tree, part)) { // unique: the anchor of the path
      path.unshift(part);
      break;
    }
    same = sameTag(n);
    path.unshift(n.localName + (same[1] ? ':nth-of-type(' + (same.indexOf(n) + 1) + ')' : ''));
    // Paths end at body, or after ten steps: enough to tell elements apart, short enough to read.
    if (n == tree.body || path[9]) break;
  }
  return (outer ? selector(outer) + ' >>> ' : '') + path.join('>');
};

// As the tracker decides "fixed" for a click: the element or an ancestor is fixed or sticky, across shadow hosts. In a
// frame only the iframe and its ancestors count: what is fixed in a frame is fixed to the frame, which scrolls.
var pinned = new Map();
var isPinned = (n) => {
  if (!n) return false;
  if (!pinned.has(n)) {
    pinned.set(n, n.ownerDocument != doc ? isPinned(n.ownerDocument.defaultView.frameElement)
        : /fixed|sticky/.test(getComputedStyle(n).position) || isPinned(up(n)));
  }
  return pinned.get(n);
};
// Where the viewport of n's frame lies in the page's viewport (inside the iframe's border): [0, 0] on the page.
var origins = new Map();
var origin = (d) => {
  var f = d.defaultView.frameElement;
  if (d == doc || !f) return [0, 0];
  if (!origins.has(d)) {
    var r = f.getBoundingClientRect(), o = origin(f.ownerDocument);
    origins.set(d, [o[0] + r.left + f.clientLeft, o[1] + r.top + f.clientTop]);
  }
  return origins.get(d);
};

// A person's name for an element, as the page showed it to the capturer: its own visible text when short, else the
// name its author gave it (aria-labelledby, aria-label, alt, title; a field's <label> or placeholder); for a
// container, its first heading or image; else its text cut short. Never what a field holds: the text of inputs,
// textareas, selects and editable regions is skipped (a button's value is its author's label and is kept).
var MAX_LABEL = 60, MAX_TEXT = 600, MAX_VISITS = 400;
var SKIPPED = /^(textarea|select|option|optgroup|datalist|input|script|style|noscript|template|iframe|object)$/;
var NAMED_BY_VALUE = /^(submit|button|reset)$/;
var styles = new Map();
var style = (n) => {
  if (!styles.has(n)) styles.set(n, getComputedStyle(n));
  return styles.get(n);
};
var skipped = (n) => SKIPPED.test(n.localName) || n.isContentEditable;
var collapse = (text) => (text || '').replace(/\s+/g, ' ').trim();
var meaningful = (text) => /[\p{L}\p{N}]/u.test(text);
var shorten = (text) => {
  var chars = Array.from(text);
  if (chars.length <= MAX_LABEL) return text;
  var cut = chars.slice(0, MAX_LABEL - 1).join(''), space = cut.lastIndexOf(' ');
  return (space > 40 ? cut.slice(0, space) : cut).trim() + '…';
};
// The rendered text under n: hidden subtrees and fields left out, a space where a block or a line break separates
// words. Stops soon after MAX_TEXT chars, so a whole page costs no more than a paragraph.
var textOf = (n) => {
  if (skipped(n)) return '';
  var acc = {text: '', visits: 0};
  collect(n, acc);
  return collapse(acc.text);
};
var collect = (n, acc) => {
  for (var c = n.firstChild; c && acc.text.length < MAX_TEXT && acc.visits++ < MAX_VISITS; c = c.nextSibling) {
    if (c.nodeType == 3) {
      if (style(n).visibility == 'visible') acc.text += c.data;
    } else if (c.nodeType == 1 && !skipped(c)) {
      var display = style(c).display;
      if (display != 'contents' && !c.checkVisibility()) continue;
      var gap = !/^(inline|contents)$/.test(display) || c.localName == 'br' ? ' ' : '';
      acc.text += gap;
      collect(c, acc);
      acc.text += gap;
    }
  }
};
var attribute = (n, name) => collapse(n.getAttribute(name));
var authorName = (n) => {
  var ids = attribute(n, 'aria-labelledby').split(' ').filter(Boolean).slice(0, 5);
  var named = collapse(ids.map((id) => doc.getElementById(id)).filter(Boolean).map(textOf).join(' '));
  if (named) return named;
  if (attribute(n, 'aria-label')) return attribute(n, 'aria-label');
  if (/^(img|area)$/.test(n.localName) || n.localName == 'input' && n.type == 'image') {
    if (attribute(n, 'alt')) return attribute(n, 'alt');
  }
  if (n.localName == 'input' && NAMED_BY_VALUE.test(n.type)) return collapse(n.value);
  if (n.labels && n.labels[0]) {
    var text = textOf(n.labels[0]);
    if (text) return text;
  }
  return attribute(n, 'title') || attribute(n, 'placeholder');
};
var firstVisible = (n, css, name) => {
  var found = n.querySelectorAll(css);
  for (var i = 0; i < found.length && i < 5; i++) {
    var text = found[i].checkVisibility() && name(found[i]);
    if (text && meaningful(text)) return text;
  }
  return '';
};
var label = (n) => {
  var text = textOf(n);
  if (meaningful(text) && Array.from(text).length <= MAX_LABEL) return text;
  var named = authorName(n)
      || firstVisible(n, 'h1,h2,h3,h4,h5,h6,[role=heading]', textOf)
      || firstVisible(n, 'img[alt],[aria-label]', (m) => attribute(m, m.localName == 'img' ? 'alt' : 'aria-label'))
      || (meaningful(text) ? text : '');
  return named ? shorten(named) : null;
};

// Every element under body in document order, with the insides of open shadow roots and same-origin frames after
// their host or iframe (a cross-origin frame's contentDocument is null; a closed root's shadowRoot too).
var all = [];
var gather = (parent) => {
  for (var el of parent.querySelectorAll('*')) {
    all.push(el);
    if (el.shadowRoot) gather(el.shadowRoot);
    var inner = el.contentDocument;
    if (inner && inner.body) {
      all.push(inner.body);
      gather(inner.body);
    }
  }
};
if (doc.body) {
  all.push(doc.body);
  gather(doc.body);
}

var limit = arguments[0], seen = new Set(), boxes = [];
for (var el of all) {
  if (boxes.length >= limit) break;
  var r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0) || getComputedStyle(el).visibility != 'visible') continue;
  var fixed = isPinned(el), o = origin(el.ownerDocument), dx = o[0] + (fixed ? 0 : scrollX), dy = o[1] + (fixed ? 0 : scrollY);
  // Wholly left of, right of or above the page (a closed off-canvas drawer): not on the screenshot, so not on the
  // layout, where a click on it would be drawn at the edge it was pushed past.
  if (r.right + dx <= 0 || r.left + o[0] >= innerWidth || r.bottom + dy <= 0) continue;
  var s = selector(el).slice(-512);
  if (seen.has(s)) continue;
  seen.add(s);
  boxes.push([s, Math.round(r.left + dx), Math.round(r.top + dy), Math.round(r.width), Math.round(r.height), label(el)]);
}
return boxes;
