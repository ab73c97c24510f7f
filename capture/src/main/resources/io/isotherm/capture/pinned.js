/*
 * Fixed and sticky boxes are drawn once, at the top of the stitched page. Run by WebDriver's executeScript:
 * 'mark' (at scroll 0, before the first screenshot) remembers the fixed and sticky elements visible in the first
 * viewport; 'hide' (before each later screenshot) hides those, and whatever is fixed by then (a "back to top"
 * button that shows up on scrolling). Returns how many elements were marked or hidden.
 * A sticky element below the first viewport is not stuck at scroll 0: it is shown there where it is in the flow.
 * 'mark' pins it to that place (relative, no offsets: the same box, stacking and containing block), so it is drawn
 * once, where elements.js measured it, instead of sticking to the top of every later tile.
 */
var isPinned = (el, positions) => positions.test(getComputedStyle(el).position);
var shown = (el) => {
  var r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && getComputedStyle(el).visibility == 'visible';
};
var all = [...document.querySelectorAll('body *')];
if (arguments[0] == 'mark') {
  window.__isothermPinned = all.filter((el) => isPinned(el, /fixed|sticky/) && shown(el));
  all.filter((el) => isPinned(el, /sticky/) && !shown(el)).forEach((el) => {
    el.style.setProperty('position', 'relative', 'important');
    for (var side of ['top', 'right', 'bottom', 'left']) el.style.setProperty(side, 'auto', 'important');
  });
  return window.__isothermPinned.length;
}
var hide = (window.__isothermPinned || []).concat(all.filter((el) => isPinned(el, /fixed/) && shown(el)));
hide.forEach((el) => el.style.setProperty('visibility', 'hidden', 'important'));
return hide.length;
