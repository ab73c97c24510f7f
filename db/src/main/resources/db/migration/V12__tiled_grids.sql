-- Count grids in fewer, wider rows (issue 15). heat_cell held one row per cell and click_anchor one per in-box bin:
-- about one row written per event. Now a row holds a whole band of cells, or all of one clicked element's counts,
-- packed as (index, count) pairs of big-endian int32, indexes ascending (grid's PackedCounts). Rows are kept for
-- blocks of days (grid's DayBlocks): single days, and aligned blocks of 4, 16, 64 and 256 days, so any range reads a
-- few rows per band instead of one per day.
--
-- The aggregator only appends: each of its transactions adds one part per key (no read, no update, no lock on the
-- rows it adds to), and marks the blocks above the days it touched in heat_block_dirty. The aggregator's refresh
-- (off the ingest path) then sums each marked key's parts into one and rebuilds each marked block from the blocks
-- below it. A reader sums every part it finds, and uses a block above a single day only while it has no mark, so
-- in any snapshot it reads exactly the counts the single days hold.

CREATE SEQUENCE aggregate_part;

-- Moves, and clicks without a target selector. A cell (cx, cy) of cell_size px has index cy · 16384 + cx (layouts
-- are at most 10,000 px wide and grids 100,000 px tall); a band holds the cell rows [band · 64, band · 64 + 64).
CREATE TABLE heat_tile (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    kind      event_kind   NOT NULL,
    span      smallint     NOT NULL,
    first_day date         NOT NULL,
    band      integer      NOT NULL,
    part      bigint       NOT NULL DEFAULT nextval('aggregate_part'),
    cell_size smallint     NOT NULL,
    cells     bytea        NOT NULL,
    PRIMARY KEY (site_id, page_id, device, kind, span, first_day, band, part)
);

-- Clicks on a target selector: where inside the target's box they landed (anchors: index by · anchor_bins + bx),
-- so that a reader who knows the element's box on the current layout draws them there, and where on the page
-- (cells, indexed as in heat_tile) for a reader who does not.
CREATE TABLE click_target (
    site_id     integer      NOT NULL,
    page_id     bigint       NOT NULL,
    device      device_class NOT NULL,
    span        smallint     NOT NULL,
    first_day   date         NOT NULL,
    selector    text         NOT NULL,
    part        bigint       NOT NULL DEFAULT nextval('aggregate_part'),
    cell_size   smallint     NOT NULL,
    cells       bytea        NOT NULL,
    anchor_bins smallint     NOT NULL,
    anchors     bytea        NOT NULL,
    PRIMARY KEY (site_id, page_id, device, span, first_day, selector, part)
);

-- Keys whose rows need the refresh: span 1, a day with more than one part; a longer span, a block whose rows do
-- not hold the current sum of the days below it (readers do not use it). The upsert of a mark locks it, as for
-- heatmap_dirty (V4), so a refresh cannot take a mark whose counts are not yet committed.
CREATE TABLE heat_block_dirty (
    site_id   integer      NOT NULL,
    page_id   bigint       NOT NULL,
    device    device_class NOT NULL,
    kind      event_kind   NOT NULL,
    span      smallint     NOT NULL,
    first_day date         NOT NULL,
    PRIMARY KEY (site_id, page_id, device, kind, span, first_day)
);

-- The pairs of a packed count set as rows, for inspection and tests (the application decodes them itself).
CREATE FUNCTION unpack_counts(packed bytea) RETURNS TABLE (idx integer, n integer)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ('x' || encode(substr(packed, o + 1, 4), 'hex'))::bit(32)::integer,
           ('x' || encode(substr(packed, o + 5, 4), 'hex'))::bit(32)::integer
    FROM generate_series(0, length(packed) - 8, 8) AS o
$$;

-- Convert: every old row becomes part of a single day's row. Cells below the deepest grid row (100,000 px) move up
-- to it, where a reader drew them anyway.
INSERT INTO heat_tile (site_id, page_id, device, kind, span, first_day, band, cell_size, cells)
SELECT site_id, page_id, device, kind, 1, day, cy / 64, cell_size,
       string_agg(int4send(cy * 16384 + cx) || int4send(events), ''::bytea ORDER BY cy, cx)
FROM (SELECT site_id, page_id, device, kind, day, cell_size, least(cy, 100000 / cell_size) AS cy, cx, sum(events)::integer AS events
      FROM heat_cell WHERE selector = '' AND events <> 0
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) c
GROUP BY site_id, page_id, device, kind, day, cy / 64, cell_size;

-- A target's cells and its anchors become separate parts (either may be empty); the refresh joins them.
INSERT INTO click_target (site_id, page_id, device, span, first_day, selector, cell_size, cells, anchor_bins, anchors)
SELECT site_id, page_id, device, 1, day, selector, cell_size,
       string_agg(int4send(cy * 16384 + cx) || int4send(events), ''::bytea ORDER BY cy, cx), 1, ''::bytea
FROM (SELECT site_id, page_id, device, day, selector, cell_size, least(cy, 100000 / cell_size) AS cy, cx, sum(events)::integer AS events
      FROM heat_cell WHERE selector <> '' AND events <> 0
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) c
GROUP BY site_id, page_id, device, day, selector, cell_size;

INSERT INTO click_target (site_id, page_id, device, span, first_day, selector, cell_size, cells, anchor_bins, anchors)
SELECT site_id, page_id, device, 1, day, selector, 8, ''::bytea, bins,
       string_agg(int4send(by * bins + bx) || int4send(clicks), ''::bytea ORDER BY by, bx)
FROM click_anchor WHERE clicks <> 0
GROUP BY site_id, page_id, device, day, selector, bins;

-- Every block above a converted day is built by the first refresh; until then readers add the days.
INSERT INTO heat_block_dirty (site_id, page_id, device, kind, span, first_day)
SELECT DISTINCT d.site_id, d.page_id, d.device, d.kind, s.span,
       d.first_day - (((d.first_day - date '1970-01-01') % s.span + s.span) % s.span)
FROM (SELECT site_id, page_id, device, kind, first_day FROM heat_tile
      UNION SELECT site_id, page_id, device, 'click'::event_kind, first_day FROM click_target) d
CROSS JOIN (VALUES (1), (4), (16), (64), (256)) AS s(span);

DROP TABLE heat_cell;
DROP TABLE click_anchor;

-- What the two old tables held, per day, summed over parts: for inspection and tests only (it decodes every row).
CREATE VIEW heat_cell_by_day AS
SELECT site_id, page_id, device, kind, day, cell_size, selector, cx, cy, sum(n)::integer AS events
FROM (SELECT site_id, page_id, device, kind, first_day AS day, cell_size, ''::text AS selector, u.idx % 16384 AS cx, u.idx / 16384 AS cy, u.n
      FROM heat_tile, unpack_counts(cells) u WHERE span = 1
      UNION ALL
      SELECT site_id, page_id, device, 'click', first_day, cell_size, selector, u.idx % 16384, u.idx / 16384, u.n
      FROM click_target, unpack_counts(cells) u WHERE span = 1) c
GROUP BY site_id, page_id, device, kind, day, cell_size, selector, cx, cy;

CREATE VIEW click_anchor_by_day AS
SELECT site_id, page_id, device, first_day AS day, selector, anchor_bins AS bins, u.idx % anchor_bins AS bx,
       u.idx / anchor_bins AS by, sum(u.n)::integer AS clicks
FROM click_target, unpack_counts(anchors) u WHERE span = 1
GROUP BY site_id, page_id, device, first_day, selector, anchor_bins, u.idx % anchor_bins, u.idx / anchor_bins;
