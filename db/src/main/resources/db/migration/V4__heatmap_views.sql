-- Smoothed heatmaps of the default views (last 7 and last 30 days, default σ), stored ready to draw so the
-- dashboard's first screen needs no smoothing. Other ranges are computed on request from heat_cell.

CREATE TABLE heatmap_view (
    site_id       integer      NOT NULL,
    page_id       bigint       NOT NULL,
    device        device_class NOT NULL,
    kind          event_kind   NOT NULL,
    days          smallint     NOT NULL,   -- 7 or 30: the range is the last this many days up to as_of
    as_of         date         NOT NULL,   -- the range's last day, in the site's time zone
    cell_size     smallint     NOT NULL,
    columns       integer      NOT NULL,
    rows          integer      NOT NULL,
    layout_width  integer      NOT NULL,
    layout_height integer      NOT NULL,
    sigma         real         NOT NULL,
    density       bytea        NOT NULL,   -- columns × rows float32 (big-endian), row-major, 0..1 (divided by max)
    max           double precision NOT NULL,
    p99           double precision NOT NULL,
    total         bigint       NOT NULL,
    pageviews     bigint       NOT NULL,
    computed_at   timestamptz  NOT NULL,
    PRIMARY KEY (site_id, page_id, device, kind, days)
);

-- Views whose counts changed since they were computed. The aggregation transaction that adds counts marks them;
-- a refresh takes the mark (deleting it) before it reads the counts, so counts committed after that read mark
-- the view again and nothing is missed.
CREATE TABLE heatmap_dirty (
    site_id integer      NOT NULL,
    page_id bigint       NOT NULL,
    device  device_class NOT NULL,
    kind    event_kind   NOT NULL,
    PRIMARY KEY (site_id, page_id, device, kind)
);
