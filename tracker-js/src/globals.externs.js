/**
 * @fileoverview Window properties the tracker reads as plain globals (shorter than window.x). Closure's browser
 * externs declare them only as properties of Window, so without this checkVars calls them undeclared.
 * @externs
 */
var scrollX, scrollY, innerWidth, innerHeight, devicePixelRatio;
/** @return {!MediaQueryList} */
function matchMedia(query) {}
