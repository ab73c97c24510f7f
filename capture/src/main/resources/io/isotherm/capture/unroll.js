/*
 * Pages built like apps scroll a container, not the document: the window shows the first screen of it and no more.
 * This lays the container out at its full height, so the full-page screenshot shows all of its content. Run by
 * WebDriver's executeScript at scroll 0; returns the container's tag name, or null when the page has none and
 * nothing was changed.
 *
 * Which container (docs/COLLECT-API.md, "Scroll containers"; the tracker follows the same rules):
 * - the one the tracker's tag names with data-scroll-root (a script with data-site and data-scroll-root); when the
 *   tag names one, nothing else is taken, as the tracker then adopts nothing else either;
 * - else, when the document itself does not scroll, the largest element that does (overflow-y auto or scroll,
 *   content taller than its box) and is more than half the window tall.
 *
 * Unrolled, a point of the container's content lies where the tracker reports clicks on it: client px + the
 * container's scroll + the window's. So the container keeps its place and width (a classic scrollbar's gutter
 * stays reserved), only its height and those of its ancestors are released.
 */
var doc = document, html = doc.documentElement;
var tag = doc.querySelector('script[data-site][data-scroll-root]'), named = tag && tag.getAttribute('data-scroll-root');
var root = null;
try {
  root = named && doc.querySelector(named);
} catch (badSelector) { /* the tracker finds nothing either */ }
var scrolls = (el) => /auto|scroll|overlay/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1;
if (!named && html.scrollHeight <= innerHeight + 1) {
  var area = 0;
  for (var el of doc.querySelectorAll('body *')) {
    if (el.clientHeight * 2 > innerHeight && scrolls(el) && el.clientWidth * el.clientHeight > area) {
      root = el;
      area = el.clientWidth * el.clientHeight;
    }
  }
}
if (!root) return null;

var set = (el, name, value) => el.style.setProperty(name, value, 'important');
root.scrollTop = 0;
root.scrollLeft = 0;
// The container and every box around it, up to <html>: no height of their own, nothing clipped or scrolled.
for (var n = root; n; n = n.parentElement) {
  var style = getComputedStyle(n);
  if (/fixed|absolute/.test(style.position)) {
    // Kept where it is at scroll 0, but as tall as its content (a bottom inset would fix its height).
    set(n, 'top', style.top);
    set(n, 'bottom', 'auto');
    if (style.position == 'fixed') set(n, 'position', 'absolute');
  }
  set(n, 'height', 'auto');
  set(n, 'max-height', 'none');
  if (n == root) {
    // Not visible: hidden keeps a classic scrollbar's gutter (scrollbar-gutter), so the content keeps its width.
    set(n, 'overflow', 'hidden');
    set(n, 'scrollbar-gutter', 'stable');
  } else {
    set(n, 'overflow', 'visible');
  }
}
return root.localName;
