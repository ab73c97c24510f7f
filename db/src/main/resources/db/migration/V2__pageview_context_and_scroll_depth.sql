-- What the tracker reports about the pageview beyond sizes (per batch, like the sizes), and scroll depth as the
-- fraction of the document height at the moment of the event (the document may grow later).
ALTER TABLE ingest_batch
    ADD COLUMN device_pixel_ratio real,   -- window.devicePixelRatio
    ADD COLUMN time_zone          text;   -- IANA name, e.g. Europe/Berlin

ALTER TABLE raw_event
    ADD COLUMN depth real;                -- scroll events: y / document height, 0..1
