// One truth per view: the pieces of a view (heatmap or scroll report, elements report, the pages' per-device counts)
// are fetched apart and cached apart, so an aggregation may land between two of them. Every read answer carries the
// site's aggregate version it was read at (docs/API.md); pieces with different versions are read again, and while
// they keep disagreeing (aggregations landing one after another) the viewer says it is updating. Pure: the reading,
// forgetting and waiting are passed in, so Node tests it.

/** Whether the versions (null or undefined for a piece that has none, such as a failed optional read) agree. */
export function sameVersion(versions) {
  const known = versions.filter((n) => n !== null && n !== undefined);
  return known.every((n) => n === known[0]);
}

/**
 * Reads until the pieces agree: read() resolves to the pieces, versionsOf(pieces) lists their versions. After a
 * disagreement, forget() drops the cached answers and read() runs again, up to `tries` reads; then updating(true) is
 * called, and after waitMs (sleep) another round begins. Resolves to the agreeing pieces (after updating(false) if
 * it said so), or to null once moot() says a newer read made this one pointless.
 */
export async function readAgreeing(read, {versionsOf, forget, updating = () => {}, moot = () => false, tries = 3,
  waitMs = 5000, sleep = (ms) => new Promise((r) => setTimeout(r, ms))}) {
  let waited = false;
  for (;;) {
    for (let i = 0; i < tries; i++) {
      const pieces = await read();
      if (moot()) return null;
      if (sameVersion(versionsOf(pieces))) {
        if (waited) updating(false);
        return pieces;
      }
      forget();
    }
    waited = true;
    updating(true);
    await sleep(waitMs);
    if (moot()) return null;
  }
}
