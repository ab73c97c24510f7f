/*
 * Isotherm tracker. Installed with one tag:
 *   <script defer src="https://ISOTHERM_HOST/t.js" data-site="SITE_KEY"></script>
 * Sends clicks, sampled mouse moves and scroll depth to the collector in batches (docs/COLLECT-API.md).
 * No cookies, no storage, no text or input values; honours Do Not Track and Global Privacy Control.
 * Every entry point is guarded: whatever happens, nothing is thrown into the host page.
 * It must stay within its gzip budget after minification (TrackerSizeTest: 2,400 B), hence a terse style in places.
 */
((doc) => {
  try {
    var script = doc.currentScript;
    var attr = (name) => script.getAttribute('data-' + name);
    var site = attr('site');
    if (!site || (navigator.doNotTrack == 1 || navigator.globalPrivacyControl) && attr('respect-dnt') != 'false') return;

    // Relative, so a collector behind a path prefix (https://host/isotherm/t.js) works too.
    var api = attr('api') || new URL('api/collect', script.src); // fetch and sendBeacon take URL objects
    var rootSelector = attr('scroll-root');
    var INTERACTIVE = 'a,button,input,select,textarea,label,summary,[role=button],[onclick]';
    var IGNORE = '[data-isotherm-ignore]';
    var BATCH = 50;             // events that trigger a send
    var BUFFER = 500;           // events kept while the collector is unreachable
    var MOVE_MS = 100;          // at most one mouse sample per this many ms
    var MOVE_PX = 5;            // ... and only after the pointer moved this far
    var DWELL_MS = 1000;        // shorter stays at one scroll depth are not reported
    var now = Date.now;
    // The landing URL's query: the collector keeps its utm_source, utm_medium and utm_campaign, nothing else.
    var landing = location.search;

    var pageview, seq, url, events = [], maxY, // events: empty for the first navigated(), which closes no page view
        sentMaxY, heldY, heldSince, root, fold, from, variant;
    /** The page's address without its fragment: an in-page link (#section) is the same page view. */
    var here = () => location.href.split('#')[0];
    var outbox = [];            // batches not yet acknowledged, oldest first
    var sending, backoff;       // unset: not sending, no backoff yet
    var lastClick = 0;
    var last = [];              // the last mouse sample [t, x, y]; none yet: the first passes every check (NaN < n is false)
    var clicks = [];            // recent clicks, for rage detection
    var offsetX, offsetY;       // client px + offset = page px, kept current by view()

    var guard = (f) => (e) => {
      try {
        f(e);
      } catch (ignored) { /* never break the host page */ }
    };
    var style = (el) => getComputedStyle(el);
    /** A coordinate or size within the collector's bounds (it rounds fractions itself). */
    var px = (v, max) => v > 0 ? Math.min(v, max) : 0;

    /**
     * [scrollable width, scrollable height, bottom edge of what is visible] of the page in page px, and the fold (the
     * bottom edge at scroll 0). Layout reads: never done on the mouse path.
     * With a scroll container (data-scroll-root, looked up again when the app replaced it, or adopted by onScroll),
     * page px are those of the page with the container unrolled to its full height, as the capture shoots it: a
     * point in it is client px + the container's scroll + the window's, the header above it included.
     */
    var view = () => {
      if (rootSelector && !(root && root.isConnected)) root = doc.querySelector(rootSelector);
      // Sizes are whole px on the wire: a 56.5 px header is rounded here, or the batch would be refused.
      var el = root || doc.documentElement, box = el.getBoundingClientRect(),
          top = root ? Math.round(box.top + scrollY) : 0;
      offsetX = scrollX + (root ? root.scrollLeft : 0);
      offsetY = scrollY + (root ? root.scrollTop : 0);
      fold = root && top + root.clientHeight || innerHeight; // a hidden container has no fold of its own
      return [(root ? Math.round(box.left + scrollX) : 0) + el.scrollWidth, top + el.scrollHeight, fold + offsetY - (root ? scrollY : 0)];
    };
    var push = (e) => {
      navigated();
      var lists = [...outbox.map((b) => b.events), events], n;
      events.push(e);
      // Over the bound the oldest mouse move goes; clicks and the few scroll events are kept.
      if (lists.flat()[BUFFER]) { // more than BUFFER: events are objects, never falsy
        for (var list of lists) {
          n = list.findIndex((x) => x.kind == 'move');
          if (~n) return list.splice(n, 1);
        }
      }
      if (events[BATCH - 1]) flush();
    };

    var start = () => {
      // Every browser puts a fresh random (version 4) UUID into a blob URL; crypto.randomUUID needs HTTPS.
      pageview = URL.createObjectURL(new Blob());
      URL.revokeObjectURL(pageview);
      pageview = pageview.slice(-36);
      seq = sentMaxY = 0;
      // What every batch of this page view says of its visit (docs/COLLECT-API.md): the referrer's host only (the
      // collector classes it), for a later page view of this document this site's own; the variant the page set.
      from = url ? location.host : doc.referrer.split('/')[2];
      variant = attr('variant');
      url = here();
      events = [];
      maxY = heldY = view()[2];
      heldSince = now();
    };

    /** Reports the time spent at the current scroll depth since the last report, if long enough. */
    var dwell = () => {
      var ms = now() - heldSince;
      // Scroll events are written out where they are made (cheaper in gzip than a shared helper). Depth as a fraction
      // is left to the collector: it divides by this batch's document height, read when the batch closes.
      // events.push, not push(): no navigation check here.
      if (ms >= DWELL_MS) events.push({kind: 'scroll', t: now(), y: px(heldY, 1e6), dwell: Math.min(ms, 36e5)});
      heldSince = now();
    };

    /** Closes the current batch (context as of now) and sends what is waiting. */
    var flush = (beacon) => {
      var x = view(), vw = innerWidth;
      // The deepest point seen so far, whenever it grew: a scroll event without dwell, which says only that this depth
      // was reached.
      if (maxY > sentMaxY) events.push({kind: 'scroll', t: now(), y: px(sentMaxY = maxY, 1e6)});
      // In a frame of a page with Isotherm, that page's tracker records the frame (cover): nothing is sent from here.
      if (doc.isotherm) events = [];
      if (events[0]) {
        outbox.push({
          site: site, pageview: pageview, seq: seq++, url: url, referrer: from, query: landing, variant: variant,
          viewport: {width: vw, height: fold}, // the fold: a scroll container's bottom edge at scroll 0
          document: {width: x[0], height: px(x[1], 1e6)},
          // Touch screens wide enough for the desktop layout are tablets; by width alone the collector would say
          // desktop. Every other case the collector classes from the viewport width (collector DeviceClass,
          // docs/COLLECT-API.md). 1023 stays here, not with the platform's configured widths: this runs in the
          // visitor's browser before the server has answered anything.
          device: vw > 1023 && matchMedia('(pointer:coarse)').matches ? 'tablet' : null,
          dpr: devicePixelRatio, tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
          events: events
        });
        events = [];
      }
      send(beacon);
    };

    var body = (batch) => {
      batch.sentAt = now();
      return JSON.stringify(batch);
    };
    var post = (batch) => fetch(api, {method: 'POST', body: body(batch), keepalive: true});

    /**
     * One batch at a time with fetch, oldest first, each kept until the collector answers anything but 429/5xx.
     * A retried batch keeps its seq, so the collector stores it once however often it arrives. It is sent again
     * after the answer's Retry-After (seconds, up to 60), or without one after a backoff of 1 s doubling up to
     * 60 s. When the page is going away everything left goes out with sendBeacon, which outlives the page.
     */
    var send = (beacon) => {
      var batch = outbox[0];
      if (beacon) {
        outbox.splice(0).map((b) => navigator.sendBeacon(api, body(b)) || post(b));
      } else if (batch && !sending) {
        sending = 1;
        // Nothing else is sent while waiting: 'sending' stays set until the wait is over.
        // A failed fetch passes its error as 'after': NaN, so the backoff.
        var retry = (after) => setTimeout(guard(() => send(sending = 0)), backoff = Math.min(after * 1e3 || backoff * 2 || 1000, 6e4));
        post(batch).then(guard((r) => {
          if (r.status == 429 || r.status > 499) return retry(r.headers.get('Retry-After'));
          sending = backoff = 0;
          if (outbox[0] == batch) outbox.shift();
          send();
        }), retry);
      }
    };

    /**
     * The element n lies inside of when it is not part of this page's own tree: the host of its open shadow root, or
     * the iframe of its same-origin frame (a frame this tracker covers). None (false) for this page's own elements.
     */
    var holder = (n) => (n = n.getRootNode()).host || n != doc && n.defaultView.frameElement;
    /** closest(), which stops at a shadow root or a frame's document, continued through hosts and iframes. */
    var closest = (n, css) => n && (n.closest(css) || closest(holder(n), css));
    /**
     * A short selector: a hand-written id or unique test hook where there is one, else tag:nth-of-type steps. Inside
     * a shadow root or a frame: the selector of its host or iframe, ' >>> ', and the path within that tree (its
     * anchors unique there, at most ten steps, ending at the frame's body).
     */
    var selector = (n) => {
      var path = [], part, v, hook, same, tree = n.getRootNode(), outer = holder(n);
      for (; n; n = n.parentElement) {
        v = n.id;
        // Generated ids (ember123, react-select-2-input, :r1:, mui-38291) change between builds and renders.
        part = /^(?!.*(\d{3}|react))[a-z][\w-]*$/i.test(v) && '#' + v;
        for (v of ['testid', 'test', 'cy']) { // data-* attributes that test suites keep stable
          hook = n.getAttribute('data-' + v);
          part = part || hook && /^[\w.:-]{1,64}$/.test(hook) && `[data-${v}="${hook}"]`;
        }
        if (part && !tree.querySelectorAll(part)[1]) { // unique: the anchor of the path
          path.unshift(part);
          break;
        }
        same = [...n.parentNode.children].filter((c) => c.localName == n.localName);
        path.unshift(n.localName + (same[1] ? ':nth-of-type(' + (same.indexOf(n) + 1) + ')' : ''));
        // Paths end at body, or after ten steps: enough to tell elements apart, short enough to read.
        if (n == tree.body || path[9]) break;
      }
      return (outer ? selector(outer) + ' >>> ' : '') + path.join('>');
    };

    var onClick = (e) => {
      // In an open shadow root the first of the composed path is the element clicked; e.target is only its host.
      // A closed root shows nothing inside: there the host is the target.
      var t = lastClick = now(), x = e.clientX, y = e.clientY, target = e.composedPath()[0],
          interactive = closest(target, INTERACTIVE), el = interactive || target, box = el.getBoundingClientRect(), n = el,
          fixed, event;
      // Keyboard activation has no position, and ignored regions are never recorded.
      if (e.pointerType == '' || closest(target, IGNORE)) return; // (a target without closest throws into guard)
      event = {
        kind: 'click', t: t, selector: selector(el).slice(-512), // the collector refuses longer ones, and the batch with them
        // Where in the box, 0..1 each way; the middle of a box of no size.
        boxX: box.width ? px((x - box.left) / box.width, 1) : 0.5, boxY: box.height ? px((y - box.top) / box.height, 1) : 0.5,
        interactive: !!interactive || style(target).cursor == 'pointer'
      };
      for (; n; n = n.parentElement || holder(n)) { // up through hosts and iframes
        // An iframe reached from inside: the frame's client px become this window's (its content starts inside the
        // border), and what was fixed in the frame scrolls with this page.
        if (n != el && n.contentDocument) {
          box = n.getBoundingClientRect();
          x += box.left + n.clientLeft;
          y += box.top + n.clientTop;
          fixed = 0;
        }
        // The scroll container is unrolled in the capture, fixed or not: only what lies inside it decides.
        if (n == root) break;
        fixed = fixed || /fixed|sticky/.test(style(n).position);
      }
      // A fixed target is drawn at the same viewport spot at every scroll depth: keep viewport px, and say so.
      // Outside a data-scroll-root container the same holds: the container scrolls, the rest stays.
      // Low in the window, it is placed by its distance from the window's bottom, which the collector knows as the
      // fold (viewport.height): below a scroll container (a status bar under it) the two differ, so the distance is
      // carried over to the fold here.
      // n is left set only by the break at the container: a target outside it walked past the top (n null).
      fixed = event.fixed = !!(fixed || root && !n);
      event.x = px(fixed ? x : x + offsetX, 1e5);
      event.y = px(fixed ? y - (y * 2 > innerHeight && innerHeight - fold) : y + offsetY, 1e6);
      // Rage: the third click within 1 s and 30 px flags itself and the burst before it.
      clicks = clicks.filter((c) => t - c[0] < 1000 && (x - c[1]) ** 2 + (y - c[2]) ** 2 <= 900);
      clicks.push([t, x, y, event]);
      if (clicks[2]) clicks.map((c) => c[3].rage = true);
      push(event);
    };

    // The hot path: no layout reads, and nothing at all for most events.
    var onMove = (e) => {
      var t = now(), x = e.clientX + offsetX, y = e.clientY + offsetY;
      if (t - last[0] < MOVE_MS || (x - last[1]) ** 2 + (y - last[2]) ** 2 < MOVE_PX ** 2 || e.target.closest(IGNORE)) return;
      last = [t, x, y];
      push({kind: 'move', t: t, x: px(x, 1e5), y: px(y, 1e6)});
    };

    // The time at the old depth is reported (if long enough), and the clock restarts at the new one.
    // An app whose document does not scroll but a container at least half the window tall does: that container is
    // the scroll root, as the capture detects it (docs/COLLECT-API.md, "Scroll containers"). Until it first scrolls,
    // client px + window scroll are already page px of the unrolled page.
    var onScroll = (e) => {
      e = e.target;
      if (!(root || rootSelector) && e.clientHeight * 2 > innerHeight && doc.documentElement.scrollHeight <= innerHeight + 1) root = e;
      navigated();
      dwell();
      heldY = view()[2];
      if (heldY > maxY) maxY = heldY;
    };

    /**
     * Single-page apps: a new URL (pushState, replaceState, back/forward) starts a new page view; a new fragment
     * alone (an in-page link) does not. Checked before every event is recorded and every 5 s rather than by
     * patching history: the event that follows a navigation is the first of the new page view, and a click that
     * caused it still counts for the old one.
     */
    var navigated = () => {
      if (here() != url) {
        dwell();
        flush();
        start();
      }
    };

    /** Sends what was recorded; by beacon when the page is being hidden or closed (pagehide passes its event). */
    var hide = (beacon) => {
      navigated();
      dwell();
      flush(beacon);
    };

    /**
     * Same-origin frames are recorded as part of this page: their clicks at the frame's place on it, their selectors
     * through the iframe. This page and every frame in it get the same listeners (adding one twice does nothing),
     * frames that load later by their load event. A covered frame's document is marked, so that a tracker of the
     * frame's own leaves its events to this one (flush). Cross-origin frames cannot be read: contentDocument is null
     * there, and the attempt throws.
     */
    var click = guard(onClick);
    var loaded = (e) => cover(e.target.contentDocument);
    // guard: a cross-origin frame (null), or the load event of an image, throws.
    var cover = guard((d) => {
      d.isotherm |= d != doc; // once marked, a frame's document stays marked when its own tracker covers it too
      d.addEventListener('click', click, true);
      d.addEventListener('load', loaded, true);
      for (var f of d.querySelectorAll('iframe')) cover(f.contentDocument);
    });

    navigated(); // starts the first page view: the one closed first is empty and sends nothing
    cover(doc);
    [[doc, 'mousemove', onMove], [doc, 'scroll', onScroll], [window, 'resize', view],
      [window, 'pagehide', hide], [doc, 'visibilitychange', () => {
        if (doc.hidden) hide(1);
        else heldSince = now(); // hidden time is no attention
      }]].map((l) => l[0].addEventListener(l[1], guard(l[2]), true));
    setInterval(guard(() => {
      if (!doc.hidden && now() - lastClick > 999) hide(0); // a rage burst may still be growing
    }), 5000);
  } catch (ignored) { /* an old or unusual browser: record nothing rather than break the page */ }
})(document);
