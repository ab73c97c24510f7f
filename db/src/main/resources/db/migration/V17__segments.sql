-- Traffic segments (issue 17): what a page view says of its visit, never the visitor.
--
-- The collector stores, per batch, the classes it derived: the referrer's host class (never the referrer), the
-- landing URL's utm values and the experiment variant (length-limited, as sent), the browser family and OS class
-- (never the user agent). NULL on batches stored before this migration.
ALTER TABLE ingest_batch
    ADD COLUMN referrer     text,  -- direct | search | social | email | other | internal
    ADD COLUMN utm_source   text,
    ADD COLUMN utm_medium   text,
    ADD COLUMN utm_campaign text,
    ADD COLUMN variant      text,
    ADD COLUMN browser      text,  -- a family: Chrome, Safari, Firefox, Edge, Samsung Internet, Opera, Other
    ADD COLUMN os           text;  -- a family: Windows, macOS, iOS, Android, Linux, ChromeOS, Other

-- One row per distinct combination of a site's segment values ('' where a value is absent or unknown); the
-- aggregator adds rows as it meets combinations. The country is derived from the batch's IANA time zone.
-- segment_id 0 is never a row: it marks page views and counts aggregated before this migration.
CREATE SEQUENCE segment_id_seq;
CREATE TABLE segment (
    site_id      integer NOT NULL,
    segment_id   integer NOT NULL DEFAULT nextval('segment_id_seq'),
    referrer     text    NOT NULL,
    utm_source   text    NOT NULL,
    utm_medium   text    NOT NULL,
    utm_campaign text    NOT NULL,
    variant      text    NOT NULL,
    browser      text    NOT NULL,
    os           text    NOT NULL,
    country      text    NOT NULL,  -- ISO 3166-1 alpha-2 of the visitor's time zone; '' when it has none
    PRIMARY KEY (site_id, segment_id),
    UNIQUE (site_id, referrer, utm_source, utm_medium, utm_campaign, variant, browser, os, country)
);

-- pageview_summary becomes the page view's fact row: its segment and its clicks, rage clicks and dead clicks, so
-- that reports (engagement grids, countries) count page views, clicks and scroll reach by any of their dimensions.
ALTER TABLE pageview_summary
    ADD COLUMN segment_id integer NOT NULL DEFAULT 0,
    ADD COLUMN clicks     integer NOT NULL DEFAULT 0,
    ADD COLUMN rage       integer NOT NULL DEFAULT 0,
    ADD COLUMN dead       integer NOT NULL DEFAULT 0;

-- Page views already aggregated get their clicks from the raw events still kept (older ones stay at 0: their
-- clicks are in the other aggregates, not per page view). Only aggregated batches: the others add theirs when
-- they are aggregated. Dead clicks as in element_day: on an element, not interactive.
UPDATE pageview_summary p
SET clicks = c.clicks, rage = c.rage, dead = c.dead
FROM (SELECT r.site_id, r.pageview_id,
             count(*) AS clicks,
             count(*) FILTER (WHERE r.rage) AS rage,
             count(*) FILTER (WHERE coalesce(r.selector, '') <> '' AND NOT r.interactive) AS dead
      FROM raw_event r
      JOIN ingest_batch b ON b.site_id = r.site_id AND b.pageview_id = r.pageview_id AND b.seq = r.seq
      WHERE r.kind = 'click' AND b.aggregated_at IS NOT NULL
      GROUP BY r.site_id, r.pageview_id) c
WHERE p.site_id = c.site_id AND p.pageview_id = c.pageview_id;

CREATE INDEX pageview_summary_site_time ON pageview_summary (site_id, first_seen);
