-- The aggregator's claim starts by asking which sites the oldest pending batches belong to, across all sites:
-- ORDER BY received_at LIMIT n. ingest_batch_pending (V1) is ordered by site first, so that question read and sorted
-- every pending batch, once per run: a backlog of b batches cost b²/n to drain. In arrival order, a run reads n.
CREATE INDEX ingest_batch_pending_oldest ON ingest_batch (received_at) WHERE aggregated_at IS NULL;
