-- Count grids and element counts per traffic segment (issue 17), so that a heatmap or an elements table filtered by
-- segment reads a few rows per day instead of raw events.
--
-- segment_id 0 is every segment together: the rows as before, with their blocks of 16 to 256 days, which unfiltered
-- readers use exactly as they did. A segment's own rows (segment_id > 0) exist for single days only (span 1): the
-- aggregator writes each event to both, and the refresh sums a segment day's parts like any other day's.
ALTER TABLE heat_tile ADD COLUMN segment_id integer NOT NULL DEFAULT 0;
ALTER TABLE heat_tile DROP CONSTRAINT heat_tile_pkey;
ALTER TABLE heat_tile ADD PRIMARY KEY (site_id, page_id, device, kind, span, first_day, segment_id, band, part);

ALTER TABLE click_target ADD COLUMN segment_id integer NOT NULL DEFAULT 0;
ALTER TABLE click_target DROP CONSTRAINT click_target_pkey;
ALTER TABLE click_target ADD PRIMARY KEY (site_id, page_id, device, span, first_day, segment_id, selector, part);

ALTER TABLE heat_block_dirty ADD COLUMN segment_id integer NOT NULL DEFAULT 0;
ALTER TABLE heat_block_dirty DROP CONSTRAINT heat_block_dirty_pkey;
ALTER TABLE heat_block_dirty ADD PRIMARY KEY (site_id, page_id, device, kind, span, first_day, segment_id);

ALTER TABLE element_day ADD COLUMN segment_id integer NOT NULL DEFAULT 0;
ALTER TABLE element_day DROP CONSTRAINT element_day_pkey;
ALTER TABLE element_day ADD PRIMARY KEY (site_id, page_id, device, day, segment_id, selector);

-- Time at each depth of the page, per segment too (the depth histograms of a segment are counted from its page
-- views' rows in pageview_summary, which carry their segment since V17).
ALTER TABLE attention_band ADD COLUMN segment_id integer NOT NULL DEFAULT 0;
ALTER TABLE attention_band DROP CONSTRAINT attention_band_pkey;
ALTER TABLE attention_band ADD PRIMARY KEY (site_id, page_id, device, day, segment_id, bucket_px, band);
