-- What the aggregator derives from raw events. Every table is additive per key (an aggregation run adds its
-- batches' share with INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n), so concurrent aggregators can
-- work on different batches and still sum to the same totals. Every table leads with site_id (Citus distribution
-- column). "day" is the calendar day in the site's time zone.

-- Count grids. A cell is cell_size × cell_size CSS px of the device class's layout (the screenshot width), cell
-- (cx, cy) covering x ∈ [cx·cell_size, (cx+1)·cell_size). Clicks keep their target's selector in the key, so a
-- reader can take the clicks of selectors it can anchor on the current layout out of the grid and draw them from
-- click_anchor instead. Moves have selector ''.
CREATE TABLE heat_cell (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    kind      event_kind   NOT NULL,
    day       date         NOT NULL,
    cell_size smallint     NOT NULL,
    selector  text         NOT NULL,
    cx        integer      NOT NULL,
    cy        integer      NOT NULL,
    events    integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, kind, day, cell_size, selector, cx, cy)
);

-- Where inside its target's box each click landed, binned (bx, by ∈ [0, bins)). With the box of the selector on
-- a page's current layout, past clicks are drawn where the element is now, whatever the visitor's width was and
-- however the page was redesigned since.
CREATE TABLE click_anchor (
    site_id  integer      NOT NULL,
    page_id  bigint       NOT NULL,
    device   device_class NOT NULL,
    day      date         NOT NULL,
    selector text         NOT NULL,
    bins     smallint     NOT NULL,
    bx       smallint     NOT NULL,
    by       smallint     NOT NULL,
    clicks   integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, selector, bins, bx, by)
);

-- Per selector: clicks, rage clicks, dead clicks (on a target that is not interactive).
CREATE TABLE element_day (
    site_id  integer      NOT NULL,
    page_id  bigint       NOT NULL,
    device   device_class NOT NULL,
    day      date         NOT NULL,
    selector text         NOT NULL,
    clicks   integer      NOT NULL,
    rage     integer      NOT NULL,
    dead     integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, selector)
);

-- Element boxes of a page's current layout per device class, in layout px (written by the screenshot capture).
CREATE TABLE layout_element (
    site_id     integer      NOT NULL,
    page_id     bigint       NOT NULL,
    device      device_class NOT NULL,
    selector    text         NOT NULL,
    x           integer      NOT NULL,
    y           integer      NOT NULL,
    width       integer      NOT NULL,
    height      integer      NOT NULL,
    captured_at timestamptz  NOT NULL,
    PRIMARY KEY (site_id, page_id, device, selector)
);

-- Per page, device class and day: page views and events, and the tallest and widest document seen.
CREATE TABLE page_day (
    site_id         integer      NOT NULL,
    page_id         bigint       NOT NULL,
    device          device_class NOT NULL,
    day             date         NOT NULL,
    pageviews       integer      NOT NULL,
    clicks          integer      NOT NULL,
    moves           integer      NOT NULL,
    document_height integer      NOT NULL,
    document_width  integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day)
);

-- The engagement calendar: clicks and page views per page by day and hour (0–23) in the site's time zone.
CREATE TABLE page_hour (
    site_id   integer  NOT NULL,
    page_id   bigint   NOT NULL,
    day       date     NOT NULL,
    hour      smallint NOT NULL,
    clicks    integer  NOT NULL,
    pageviews integer  NOT NULL,
    PRIMARY KEY (site_id, page_id, day, hour)
);

-- One row per page view, so that its batches, aggregated in different runs, count it once: its deepest point
-- only ever grows, and the histograms below move it from its old bucket to its new one. Its day, hour, device
-- and viewport are those of its earliest event, whatever order its batches are aggregated in.
CREATE TABLE pageview_summary (
    site_id         integer      NOT NULL,
    pageview_id     uuid         NOT NULL,
    page_id         bigint       NOT NULL,
    first_seen      timestamptz  NOT NULL,
    device          device_class NOT NULL,
    day             date         NOT NULL,
    hour            smallint     NOT NULL,
    viewport_height integer      NOT NULL,
    deepest_y       integer      NOT NULL,
    deepest_percent smallint     NOT NULL,
    PRIMARY KEY (site_id, pageview_id)
);

-- Page views by their deepest point: percent of the document height (0–100), and px in buckets of bucket_px.
CREATE TABLE scroll_depth_percent (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    day       date         NOT NULL,
    percent   smallint     NOT NULL,
    pageviews integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, percent)
);

CREATE TABLE scroll_depth_px (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    day       date         NOT NULL,
    bucket_px integer      NOT NULL,
    bucket    integer      NOT NULL,
    pageviews integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, bucket_px, bucket)
);

-- Page views by viewport height (buckets of bucket_px): the median is the fold.
CREATE TABLE viewport_height (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    day       date         NOT NULL,
    bucket_px integer      NOT NULL,
    bucket    integer      NOT NULL,
    pageviews integer      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, bucket_px, bucket)
);

-- Attention: milliseconds of visitor time each band of the page (bucket_px tall) spent inside the viewport.
CREATE TABLE attention_band (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    day       date         NOT NULL,
    bucket_px integer      NOT NULL,
    band      integer      NOT NULL,
    visible_ms bigint      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, day, bucket_px, band)
);
