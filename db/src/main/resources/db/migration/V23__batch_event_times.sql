-- When each batch's earliest and latest events happened, as stored in raw_event.occurred_at. The aggregator reads a
-- claim's events from exactly that range. Before, it read from 10 minutes before the claim's earliest arrival to a
-- minute after its latest: fine for light traffic, but at a busy site each run rescanned ten minutes of events that
-- earlier runs had already counted. NULL for batches stored before this column (the aggregator then falls back to that
-- guess) and for a batch without events.
ALTER TABLE ingest_batch
    ADD COLUMN first_event_at timestamptz,
    ADD COLUMN last_event_at timestamptz;
