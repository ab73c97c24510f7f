-- The pages list sorts and pages in SQL: "last seen" is the newest receipt of each page, and page views and clicks
-- are summed over the range's days. Measured on 10,000 pages and 1 million receipts: the default listing took
-- 8.7 s without the first index and about 220 ms with it.
CREATE INDEX ingest_batch_page_received ON ingest_batch (site_id, page_id, received_at);
CREATE INDEX page_day_range ON page_day (site_id, day) INCLUDE (page_id, pageviews, clicks);
