/*
 * The boxes of the rendered elements, keyed by the selector the tracker reports for clicks on them.
 * Run by WebDriver's executeScript (the body of a function): arguments[0] is the most elements to return.
 * Returns [[selector, x, y, width, height], ...] in document order, one per selector (the first element wins).
 * Page px at the current scroll position plus the scroll offsets; viewport px for elements in or under a fixed or
 * sticky box, as the tracker reports clicks on them (the capture runs this at scroll 0).
 */
var doc = document;
var HOOKS = ['testid', 'test', 'cy'];
var siblingsOf = new Map();
var unique = new Map();
var isUnique = (part) => {
  if (!unique.has(part)) unique.set(part, !doc.querySelectorAll(part)[1]);
  return unique.get(part);
};
var sameTag = (n) => {
  var key = (n.parentElement || doc), byTag = siblingsOf.get(key);
  if (!byTag) siblingsOf.set(key, byTag = new Map());
  if (!byTag.has(n.localName)) byTag.set(n.localName, [...key.children].filter((c) => c.localName == n.localName));
  return byTag.get(n.localName);
};

// The tracker's selector() (tracker-js/src/t.js), step for step; the two lookups are memoised, nothing else differs.
// SelectorParityTest runs the real tracker next to this: change both together.
var selector = (n) => {
  var path = [], part, v, hook, same;
  for (; n; n = n.parentElement) {
    v = n.id;
    // Generated ids (ember123, react-select-2-input, :r1:, mui-38291) change between builds and renders.
    part = /^(?!.*(\d{3}|react))[a-z][\w-]*$/i.test(v) && '#' + v;
    for (v of HOOKS) {
      hook = n.getAttribute('data-' + v);
      part = part || hook && /^[\w.:-]{1,64}$/.test(hook) && `[data-${v}="${hook}"]`;
    }
    if (part && isUnique(part)) { // unique: the anchor of the path
      path.unshift(part);
      break;
    }
    same = sameTag(n);
    path.unshift(n.localName + (same[1] ? ':nth-of-type(' + (same.indexOf(n) + 1) + ')' : ''));
    // Paths end at body, or after ten steps: enough to tell elements apart, short enough to read.
    if (n == doc.body || path[9]) break;
  }
  return path.join('>');
};

// As the tracker decides "fixed" for a click: the element or an ancestor below <html> is fixed or sticky.
var pinned = new Map();
var isPinned = (n) => {
  if (!n.parentElement) return false;
  if (!pinned.has(n)) pinned.set(n, /fixed|sticky/.test(getComputedStyle(n).position) || isPinned(n.parentElement));
  return pinned.get(n);
};

var limit = arguments[0], seen = new Set(), boxes = [];
var all = doc.body ? [doc.body, ...doc.body.querySelectorAll('*')] : [];
for (var el of all) {
  if (boxes.length >= limit) break;
  var r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0) || getComputedStyle(el).visibility != 'visible') continue;
  var s = selector(el);
  if (seen.has(s)) continue;
  seen.add(s);
  var fixed = isPinned(el), dx = fixed ? 0 : scrollX, dy = fixed ? 0 : scrollY;
  boxes.push([s, Math.round(r.left + dx), Math.round(r.top + dy), Math.round(r.width), Math.round(r.height)]);
}
return boxes;
