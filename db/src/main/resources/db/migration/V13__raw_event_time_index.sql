-- The aggregator reads a claim's events by a range of occurred_at (issue 15): rows are stored about in time order,
-- so a BRIN index (a few pages per partition, next to nothing to maintain on COPY) leads it to just the pages that
-- hold them, instead of one index lookup and one heap visit per event.
CREATE INDEX raw_event_occurred ON raw_event USING brin (occurred_at) WITH (pages_per_range = 16, autosummarize = on);
