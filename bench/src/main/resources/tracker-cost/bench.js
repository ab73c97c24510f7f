/*
 * The measuring side of the tracker cost benchmark, loaded first in both variants of the page (before the tracker).
 * TrackerCost calls window.trackerCost through WebDriver. Everything here runs the same with and without the
 * tracker, so its own cost cancels out in the difference.
 */
(() => {
  'use strict';
  // Manual clock (page loaded with ?clock=manual only): Date.now runs ahead by what loop() adds before each event,
  // so that every synthetic move passes the tracker's 100 ms throttle even in a tight loop. It has to be installed
  // before t.js, which keeps its own reference to Date.now.
  let skew = 0;
  if (new URLSearchParams(location.search).get('clock') == 'manual') {
    const real = Date.now;
    Date.now = () => real() + skew;
  }
  // Synthetic clicks on links, submit buttons and checkboxes would navigate, submit or toggle. Cancelled at the
  // window, after the tracker's capturing listener on the document has run.
  addEventListener('click', (e) => e.preventDefault());
  // Every POST the tracker starts leaves an entry with its start time: spaced() uses them to find the events that
  // built and sent a batch.
  performance.setResourceTimingBufferSize(1e5);

  /** mulberry32: the same seed gives both variants the same targets and coordinates. */
  const random = (seed) => () => {
    seed = seed + 0x6d2b79f5 | 0;
    let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };

  let elements;
  /** Every element in <body> but scripts and templates, in document order. */
  const targets = () => elements || (elements = [...document.body.querySelectorAll('*')]
    .filter((el) => el.localName != 'script' && el.localName != 'template'));

  /**
   * count [target, event] pairs, built before any timing: random targets; moves anywhere in the viewport, clicks
   * somewhere inside their target's box (which may be below the fold: the page is never scrolled).
   */
  const events = (type, count, seed) => {
    const next = random(seed), all = targets(), list = [];
    for (let i = 0; i < count; i++) {
      const target = all[Math.floor(next() * all.length)], box = target.getBoundingClientRect();
      let x = next() * innerWidth, y = next() * innerHeight;
      if (type == 'click' && box.width && box.height) {
        x = box.left + x / innerWidth * box.width;
        y = box.top + y / innerHeight * box.height;
      }
      list.push([target, new MouseEvent(type, {bubbles: true, cancelable: true, composed: true, view: window,
        clientX: x, clientY: y})]);
    }
    return list;
  };

  /** The smallest step of performance.now() seen: 5 µs when the page is cross-origin isolated, else 100 µs. */
  const resolution = () => {
    let smallest = Infinity;
    for (let i = 0; i < 200; i++) {
      const a = performance.now();
      let b = a;
      while (b == a) b = performance.now();
      smallest = Math.min(smallest, b - a);
    }
    return smallest * 1000;
  };

  const collectStarts = () => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/api/collect')).map((e) => e.startTime);

  window.trackerCost = {
    info: () => ({
      isolated: crossOriginIsolated, resolutionUs: resolution(), elements: document.getElementsByTagName('*').length,
      targets: targets().length, documentHeight: document.documentElement.scrollHeight,
      tracker: !!document.querySelector('script[src="/t.js"]'), userAgent: navigator.userAgent
    }),

    /**
     * Dispatches count events in one tight loop, timed as a whole: one event takes less than the timer's step.
     * tickMs moves the manual clock before every event. Returns the loop's milliseconds.
     */
    loop: (type, count, seed, tickMs) => {
      const list = events(type, count, seed);
      const start = performance.now();
      for (const [target, event] of list) {
        skew += tickMs;
        target.dispatchEvent(event);
      }
      return performance.now() - start;
    },

    /**
     * Dispatches count events gapMs apart, each in its own task and timed on its own (so each is a 5 µs-step
     * reading). Resolves to [microseconds, whether the tracker started a POST during that dispatch] per event.
     */
    spaced: (type, count, seed, gapMs) => new Promise((resolve) => {
      const list = events(type, count, seed), spans = [];
      const step = () => {
        const [target, event] = list[spans.length];
        const start = performance.now();
        target.dispatchEvent(event);
        spans.push([start, performance.now()]);
        setTimeout(spans.length < count ? step : finish, gapMs);
      };
      // The POSTs' entries appear once they are answered: wait a little after the last event.
      const finish = () => setTimeout(() => {
        const posts = collectStarts();
        resolve(spans.map(([start, end]) => [(end - start) * 1000, posts.some((p) => p >= start && p <= end)]));
      }, 300);
      setTimeout(step, gapMs);
    }),

    /**
     * Browser calls the tracker makes, timed without any tracker code: the first call in a task (each in its own
     * task, 60 ms apart, median of 25) and the mean of 100 calls in a tight loop. Resolves to
     * {call: [first in task µs, in a loop µs]}.
     */
    calls: () => new Promise((resolve) => {
      const all = targets(), el = (i) => all[i * 7919 % all.length];
      const batch = {site: 'bench', pageview: '00000000-0000-4000-8000-000000000000', seq: 1, url: location.href,
        events: Array.from({length: 50}, (_, i) => ({kind: 'click', t: Date.now(), interactive: true, x: 100 + i,
          y: 2000 + i, selector: 'main>div>article>ul>li:nth-of-type(2)>ul>li>a', boxX: 0.5, boxY: 0.25, fixed: false}))};
      const calls = {
        'Intl.DateTimeFormat().resolvedOptions().timeZone': () => Intl.DateTimeFormat().resolvedOptions().timeZone,
        "fetch(api, {method: 'POST', body, keepalive: true})": () =>
          fetch('/api/collect', {method: 'POST', body: JSON.stringify(batch), keepalive: true}),
        'JSON.stringify(batch of 50 clicks)': () => JSON.stringify(batch),
        "matchMedia('(pointer:coarse)').matches": () => matchMedia('(pointer:coarse)').matches,
        'getComputedStyle(el).position': (i) => getComputedStyle(el(i)).position,
        'el.getBoundingClientRect()': (i) => el(i).getBoundingClientRect(),
        'el.closest(INTERACTIVE)': (i) =>
          el(i).closest('a,button,input,select,textarea,label,summary,[role=button],[onclick]'),
        'location.href': () => location.href
      };
      const names = Object.keys(calls), first = names.map(() => []), reps = 25, loop = 100;
      let i = 0;
      const step = () => {
        const k = i % names.length, start = performance.now();
        calls[names[k]](i);
        first[k].push((performance.now() - start) * 1000);
        if (++i < names.length * reps) return setTimeout(step, 60);
        resolve(Object.fromEntries(names.map((name, k) => {
          const sorted = first[k].sort((a, b) => a - b), start = performance.now();
          for (let j = 0; j < loop; j++) calls[name](j);
          return [name, [sorted[reps >> 1], (performance.now() - start) * 1000 / loop]];
        })));
      };
      setTimeout(step, 60);
    }),

    /** Resolves after ms: lets the batches a tight loop queued go out before the next measurement. */
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  };
})();
