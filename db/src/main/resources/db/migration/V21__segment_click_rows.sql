-- A segment's clicks on targets as one row per segment, page, device class and day (issue 15), in place of a
-- click_target row and an element_day row per clicked element. Visitors spread over many segments (every mix of
-- campaign, browser, system and country is one), so a segment's day holds a few page views and its per-element rows
-- were nearly one per click: the aggregation wrote two rows for every three clicks it counted.
--
-- The arrays are parallel: entry i is the element selectors[i], with its clicks, rage and dead clicks (what
-- element_day counted) and its packed cells, in-box anchors and moments, and fixed clicks' cells (what click_target
-- held; fixed_cells[i] NULL where they are not known, rows from before V16). The row's cell_size and anchor_bins hold
-- for all its entries. span 0 is a part the aggregator appended; span 1 the day's row, which the refresh makes from
-- the day's parts (grid's BlockRefresh), one per cell size and bins in use, each selector once. Readers add up every
-- row and every entry they find, so a selector may also appear more than once (parts, converted rows).
--
-- Every page view's counts (segment_id 0) stay in click_target and element_day, as before.
CREATE TABLE segment_click_day (
    site_id        integer      NOT NULL,
    page_id        bigint       NOT NULL,
    device         device_class NOT NULL,
    segment_id     integer      NOT NULL,
    day            date         NOT NULL,
    span           smallint     NOT NULL,
    part           bigint       NOT NULL DEFAULT nextval('aggregate_part'),
    cell_size      smallint     NOT NULL,
    anchor_bins    smallint     NOT NULL,
    selectors      text[]       NOT NULL,
    clicks         integer[]    NOT NULL,
    rage           integer[]    NOT NULL,
    dead           integer[]    NOT NULL,
    cells          bytea[]      NOT NULL,
    anchors        bytea[]      NOT NULL,
    anchor_moments bytea[]      NOT NULL,
    fixed_cells    bytea[]      NOT NULL,
    PRIMARY KEY (site_id, page_id, device, segment_id, day, span, part)
);

-- Convert: a segment day's click_target rows (parts and its row alike) become one part per cell size and bins, and
-- its element_day rows one part with their counts (cells empty); the days are marked, so the refresh makes each
-- day's row from them. Until then readers add the parts.
INSERT INTO segment_click_day (site_id, page_id, device, segment_id, day, span, cell_size, anchor_bins, selectors, clicks, rage, dead,
                               cells, anchors, anchor_moments, fixed_cells)
SELECT site_id, page_id, device, segment_id, first_day, 0, cell_size, anchor_bins,
       array_agg(selector ORDER BY selector, span, part), array_agg(0), array_agg(0), array_agg(0),
       array_agg(cells ORDER BY selector, span, part), array_agg(anchors ORDER BY selector, span, part),
       array_agg(anchor_moments ORDER BY selector, span, part), array_agg(fixed_cells ORDER BY selector, span, part)
FROM click_target
WHERE segment_id > 0
GROUP BY site_id, page_id, device, segment_id, first_day, cell_size, anchor_bins;

-- The element counts' part takes the cell size and bins of the day's other rows where there are any (so the refresh
-- makes one row of the day), else the defaults; with no cells in it, either is right.
INSERT INTO segment_click_day (site_id, page_id, device, segment_id, day, span, cell_size, anchor_bins, selectors, clicks, rage, dead,
                               cells, anchors, anchor_moments, fixed_cells)
SELECT e.site_id, e.page_id, e.device, e.segment_id, e.day, 0,
       coalesce(min(t.cell_size), 8), coalesce(min(t.anchor_bins), 16),
       array_agg(e.selector ORDER BY e.selector), array_agg(e.clicks ORDER BY e.selector), array_agg(e.rage ORDER BY e.selector),
       array_agg(e.dead ORDER BY e.selector),
       array_agg(''::bytea), array_agg(''::bytea), array_agg(''::bytea), array_agg(''::bytea)
FROM element_day e
LEFT JOIN LATERAL (SELECT cell_size, anchor_bins FROM segment_click_day s
                   WHERE s.site_id = e.site_id AND s.page_id = e.page_id AND s.device = e.device AND s.segment_id = e.segment_id
                     AND s.day = e.day
                   ORDER BY cell_size, anchor_bins LIMIT 1) t ON true
WHERE e.segment_id > 0
GROUP BY e.site_id, e.page_id, e.device, e.segment_id, e.day;

INSERT INTO heat_block_dirty (site_id, page_id, device, kind, span, first_day, segment_id)
SELECT DISTINCT site_id, page_id, device, 'click'::event_kind, 1, day, segment_id FROM segment_click_day
ON CONFLICT DO NOTHING;

DELETE FROM click_target WHERE segment_id > 0;
DELETE FROM element_day WHERE segment_id > 0;
