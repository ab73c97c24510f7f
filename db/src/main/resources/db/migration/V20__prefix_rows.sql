-- Count rows as prefix sums (issue 15): any range of days reads about the same few rows per band, a year as a week.
--
-- A row of heat_tile or click_target holds the sum of the days first_day .. first_day + span - 1 (span >= 1), and
-- span 0 marks a part: counts of the day first_day that the aggregator appended and the refresh has not yet added to
-- the rows (grid's BlockRefresh). Every page view's counts (segment_id 0) are kept as two chains of prefix sums:
--   - within each aligned 16-day block: rows (block's first day, 1 .. 16), the block's days up to each day;
--   - within each aligned 256-day epoch: rows (epoch's first day, 16, 32 .. 256), its 16-day blocks up to each block.
-- A chain has a row where a day (or block) had counts of the band or target; a reader takes, per band, the longest
-- row not past the day it needs. The counts of days a to b are then C(b) - C(a - 1), C(x) being the epoch's blocks
-- before x's block plus x's block up to x: four rows, or a few more across epochs, whatever the range.
-- A segment's own counts (segment_id > 0) keep one row per day (span 1): filtered ranges add their days.
--
-- The old blocks (4, 16, 64 and 256 days from V12) are dropped, single days become parts and are marked: the
-- refresh builds the chains from them, and until it has, readers add the parts.

UPDATE heat_tile SET span = 0 WHERE span = 1;
DELETE FROM heat_tile WHERE span > 1;
UPDATE click_target SET span = 0 WHERE span = 1;
DELETE FROM click_target WHERE span > 1;

-- A reader's lookup is one first day and a range of spans: first_day before span in the keys.
ALTER TABLE heat_tile DROP CONSTRAINT heat_tile_pkey;
ALTER TABLE heat_tile ADD PRIMARY KEY (site_id, page_id, device, kind, segment_id, first_day, span, band, part);
ALTER TABLE click_target DROP CONSTRAINT click_target_pkey;
ALTER TABLE click_target ADD PRIMARY KEY (site_id, page_id, device, segment_id, first_day, span, selector, part);

-- Parts are few (the refresh takes them soon after they are written): readers find them without walking the rows.
CREATE INDEX heat_tile_parts ON heat_tile (site_id, page_id, device, kind, segment_id, first_day) WHERE span = 0;
CREATE INDEX click_target_parts ON click_target (site_id, page_id, device, segment_id, first_day) WHERE span = 0;

-- A mark is now a day with parts (span 1); blocks have no marks of their own.
DELETE FROM heat_block_dirty WHERE span <> 1;
INSERT INTO heat_block_dirty (site_id, page_id, device, kind, span, first_day, segment_id)
SELECT DISTINCT site_id, page_id, device, kind, 1, first_day, segment_id FROM heat_tile WHERE span = 0
UNION
SELECT DISTINCT site_id, page_id, device, 'click'::event_kind, 1, first_day, segment_id FROM click_target WHERE span = 0
ON CONFLICT DO NOTHING;

-- The views for inspection and tests (every page view's counts, segment 0): a day's counts are its parts plus its row
-- in its block's chain less the chain's row before it.
CREATE OR REPLACE VIEW heat_cell_by_day AS
WITH counts AS (
    SELECT site_id, page_id, device, kind, first_day, span, band, ''::text AS selector, cell_size, u.idx, u.n
    FROM heat_tile, unpack_counts(cells) u WHERE segment_id = 0 AND span <= 16
    UNION ALL
    SELECT site_id, page_id, device, 'click', first_day, span, -1, selector, cell_size, u.idx, u.n
    FROM click_target, unpack_counts(cells) u WHERE segment_id = 0 AND span <= 16),
chain AS (
    SELECT DISTINCT site_id, page_id, device, kind, first_day, span, band, selector, cell_size FROM counts WHERE span > 0),
steps AS (
    SELECT *, lag(span) OVER (PARTITION BY site_id, page_id, device, kind, first_day, band, selector, cell_size ORDER BY span) AS before
    FROM chain),
signed AS (
    SELECT site_id, page_id, device, kind, first_day AS day, selector, cell_size, idx, n FROM counts WHERE span = 0
    UNION ALL
    SELECT s.site_id, s.page_id, s.device, s.kind, s.first_day + s.span - 1, s.selector, s.cell_size, c.idx, c.n
    FROM steps s JOIN counts c USING (site_id, page_id, device, kind, first_day, span, band, selector, cell_size)
    UNION ALL
    SELECT s.site_id, s.page_id, s.device, s.kind, s.first_day + s.span - 1, s.selector, s.cell_size, c.idx, -c.n
    FROM steps s JOIN counts c ON (c.site_id, c.page_id, c.device, c.kind, c.first_day, c.span, c.band, c.selector, c.cell_size)
                                = (s.site_id, s.page_id, s.device, s.kind, s.first_day, s.before, s.band, s.selector, s.cell_size))
SELECT site_id, page_id, device, kind, day, cell_size, selector, idx % 16384 AS cx, idx / 16384 AS cy, sum(n)::integer AS events
FROM signed
GROUP BY site_id, page_id, device, kind, day, cell_size, selector, idx % 16384, idx / 16384
HAVING sum(n) <> 0;

CREATE OR REPLACE VIEW click_anchor_by_day AS
WITH counts AS (
    SELECT site_id, page_id, device, first_day, span, selector, anchor_bins, u.idx, u.n
    FROM click_target, unpack_counts(anchors) u WHERE segment_id = 0 AND span <= 16),
chain AS (
    SELECT DISTINCT site_id, page_id, device, first_day, span, selector, anchor_bins FROM counts WHERE span > 0),
steps AS (
    SELECT *, lag(span) OVER (PARTITION BY site_id, page_id, device, first_day, selector, anchor_bins ORDER BY span) AS before
    FROM chain),
signed AS (
    SELECT site_id, page_id, device, first_day AS day, selector, anchor_bins, idx, n FROM counts WHERE span = 0
    UNION ALL
    SELECT s.site_id, s.page_id, s.device, s.first_day + s.span - 1, s.selector, s.anchor_bins, c.idx, c.n
    FROM steps s JOIN counts c USING (site_id, page_id, device, first_day, span, selector, anchor_bins)
    UNION ALL
    SELECT s.site_id, s.page_id, s.device, s.first_day + s.span - 1, s.selector, s.anchor_bins, c.idx, -c.n
    FROM steps s JOIN counts c ON (c.site_id, c.page_id, c.device, c.first_day, c.span, c.selector, c.anchor_bins)
                                = (s.site_id, s.page_id, s.device, s.first_day, s.before, s.selector, s.anchor_bins))
SELECT site_id, page_id, device, day, selector, anchor_bins AS bins, idx % anchor_bins AS bx, idx / anchor_bins AS by,
       sum(n)::integer AS clicks
FROM signed
GROUP BY site_id, page_id, device, day, selector, anchor_bins, idx % anchor_bins, idx / anchor_bins
HAVING sum(n) <> 0;
